"""The atlas's own words in every language: gettext message catalogues, managed with Babel.

Every word a user reads that is not data (indicator titles, notes and sources are data: they stay in
the database) is a message in ``atlas/locale/<lang>/LC_MESSAGES/atlas.po``. The English text is the
message id; each language, English included, has a ``.po`` file with its translation, compiled to
``.mo`` by ``scripts/setup.sh``. ``scripts/messages.py`` extracts the messages from the code with
Babel's standard extractor (``pybabel extract``), updates the ``.po`` files and checks them.

In code (Babel's default keywords, so ``pybabel extract`` finds every message)::

    gettext("Map settings", lang)
    gettext("Selected area: {name}", lang, name=area)                 # named placeholders only
    ngettext("{n} area", "{n} areas", count, lang)                    # {n} is the count
    pgettext("map legend", "Lower", lang)                             # same English, another meaning
    N_("Quantiles (equal counts)")                                    # marks a message kept in a table

``atlas.i18n.lazy`` makes the same messages without a language, for core functions that return
words the caller shows later in either language (``message.get(lang)``).

Adding a language: add ``atlas/locale/<lang>/LC_MESSAGES/atlas.po`` (``scripts/messages.py init
<lang>``), translate it, and list the language in ``atlas/locale/LINGUAS``.
"""

from __future__ import annotations

import gettext as _gettext
from functools import cache
from pathlib import Path

from ..errors import AtlasError

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
DOMAIN = "atlas"
LINGUAS = LOCALE_DIR / "LINGUAS"
SOURCE_LANG = "en"  # the language of the message ids
DEFAULT_LANG = "tr"  # the atlas opens in Turkish


class MessagesNotCompiled(AtlasError):
    """A language's catalogue has no compiled ``.mo`` file, or an older one than its ``.po``."""


def _read_linguas() -> tuple[str, ...]:
    langs = tuple(w for line in LINGUAS.read_text(encoding="utf-8").splitlines()
                  for w in line.split("#", 1)[0].split())
    if DEFAULT_LANG not in langs or SOURCE_LANG not in langs:
        raise AtlasError(f"{LINGUAS} must list {DEFAULT_LANG!r} and {SOURCE_LANG!r} (it lists: {', '.join(langs)})")
    return langs


LANGS: tuple[str, ...] = _read_linguas()


def check_lang(lang: str) -> str:
    """``lang`` when the atlas has it, else ValueError naming the languages it has."""
    if lang not in LANGS:
        raise ValueError(f"language {lang!r} is not supported; use one of {', '.join(LANGS)}")
    return lang


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(lang: str) -> _gettext.GNUTranslations:
    """The compiled catalogue of ``lang`` (read once per process)."""
    check_lang(lang)
    po = po_path(lang)
    mo = po.with_suffix(".mo")
    if not mo.exists() or (po.exists() and po.stat().st_mtime > mo.stat().st_mtime):
        state = "is missing" if not mo.exists() else "is older than its .po file"
        raise MessagesNotCompiled(f"the message catalogue {mo} {state}; compile the catalogues with "
                                  f"'scripts/setup.sh' (or '.venv/bin/python scripts/messages.py compile')")
    with mo.open("rb") as fh:
        return _gettext.GNUTranslations(fh)


def _format(text: str, params: dict[str, object]) -> str:
    return text.format(**params) if params else text


def gettext(message: str, lang: str, /, **params: object) -> str:
    """``message`` in ``lang``, its ``{named}`` placeholders filled from ``params``."""
    return _format(translations(lang).gettext(message), params)


def ngettext(singular: str, plural: str, n: int, lang: str, /, **params: object) -> str:
    """The form of ``lang`` for the count ``n`` (CLDR plural rules), with ``{n}`` and ``params`` filled."""
    return _format(translations(lang).ngettext(singular, plural, n), {"n": n, **params})


def pgettext(context: str, message: str, lang: str, /, **params: object) -> str:
    """``message`` in ``lang`` where the same English has another meaning elsewhere (``context``)."""
    return _format(translations(lang).pgettext(context, message), params)


def npgettext(context: str, singular: str, plural: str, n: int, lang: str, /, **params: object) -> str:
    return _format(translations(lang).npgettext(context, singular, plural, n), {"n": n, **params})


def N_(message: str) -> str:
    """Marks ``message`` for extraction where it is kept in a table and translated later."""
    return message


def label(table: dict[str, str], code: str, lang: str) -> str:
    """The translated label of a data code (a level, a polarity, …) from a table of ``N_`` messages;
    the code itself when the table has none (e.g. a level the interface does not know)."""
    message = table.get(code)
    return gettext(message, lang) if message is not None else code


def language_name(lang: str) -> str:
    """The language's own name (CLDR, through Babel): "Türkçe", "English"."""
    from babel import Locale

    name = Locale.parse(lang).get_display_name(lang) or lang
    return name[:1].upper() + name[1:]
