"""Extracting, updating, checking and compiling the message catalogues (Babel's API).

``scripts/messages.py`` is the command line over these functions; ``tests/test_messages.py`` runs
the same checks, so a message without a translation in some language, a placeholder that differs
between languages, or an entry the code no longer uses fails the tests.
"""

from __future__ import annotations

import string
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from .. import __version__
from . import DOMAIN, LANGS, LOCALE_DIR, SOURCE_LANG, po_path

REPO_ROOT = LOCALE_DIR.parents[1]
MAPPING = REPO_ROOT / "babel.cfg"
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
INPUTS = ("atlas", "app_support", "pages", "atlas_app.py")
PROJECT = "İzmir Health Equity Atlas"
COPYRIGHT = "İzmir Büyükşehir Belediyesi (Healthy Cities Project)"
HEADER = ("# {lang} messages of the İzmir Health Equity Atlas (atlas/locale/LINGUAS lists the languages).\n"
          "# Copyright (C) 2026 " + COPYRIGHT + ".\n"
          "# Edit with any PO editor; keep {{placeholders}} as they are; see README.md, 'Translating'.\n#")


def extract_command(output: Path = TEMPLATE) -> list[str]:
    """The standard command: ``pybabel extract`` with the mapping file and Babel's default keywords."""
    pybabel = Path(sys.executable).with_name("pybabel")
    return [str(pybabel), "extract", "-F", str(MAPPING), "-c", "TRANSLATORS:", "--add-location=file",
            "--sort-output", "--project", PROJECT, "--version", __version__, "--copyright-holder", COPYRIGHT,
            "-o", str(output), *INPUTS]


def extract(output: Path = TEMPLATE) -> Catalog:
    """Run the extraction into ``output`` (the template) and return it."""
    out = subprocess.run(extract_command(output), cwd=REPO_ROOT, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"pybabel extract failed ({out.returncode}):\n{out.stderr}")
    with output.open("rb") as fh:
        return read_po(fh)


def read(path: Path, lang: str | None = None) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, locale=lang)


def _key(m: Message) -> tuple[str, str | None]:
    return (m.id if isinstance(m.id, str) else m.id[0], m.context)


def _fields(text: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]


def _strings(value) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


@dataclass(frozen=True)
class Problem:
    lang: str
    message: str
    what: str

    def __str__(self) -> str:
        return f"{self.lang}: {self.message!r}: {self.what}"


def check(template: Catalog, catalogues: dict[str, Catalog]) -> list[Problem]:
    """Every problem of the catalogues against the messages the code uses (``template``)."""
    problems: list[Problem] = []
    used = {_key(m): m for m in template if m.id}
    for msg in used.values():
        for text in _strings(msg.id):
            bad = [f for f in _fields(text) if not f or f.isdigit()]
            if bad:
                problems.append(Problem("code", text, "placeholders must be named, like {name}"))
    for lang, cat in catalogues.items():
        have = {_key(m): m for m in cat if m.id}
        for key, msg in used.items():
            entry = have.get(key)
            shown = key[0] if key[1] is None else f"{key[1]}|{key[0]}"
            if entry is None:
                problems.append(Problem(lang, shown, "not in the catalogue (run scripts/messages.py update)"))
                continue
            forms = _strings(entry.string)
            if entry.fuzzy or not forms or not all(forms):
                problems.append(Problem(lang, shown, "has no translation" + (" (fuzzy)" if entry.fuzzy else "")))
                continue
            if msg.pluralizable != entry.pluralizable:
                problems.append(Problem(lang, shown, "plural in the code but not in the catalogue, or the reverse"))
                continue
            problems += _placeholder_problems(lang, shown, msg, forms)
        for key in have.keys() - used.keys():
            problems.append(Problem(lang, key[0], "no longer used by the code (remove it: scripts/messages.py update)"))
        for key in cat.obsolete:
            problems.append(Problem(lang, str(key), "obsolete entry left in the file (remove it)"))
    return problems


def _placeholder_problems(lang: str, shown: str, msg: Message, forms: list[str]) -> list[Problem]:
    ids = _strings(msg.id)
    wanted = set().union(*(_fields(t) for t in ids))
    out = []
    if not msg.pluralizable:
        if set(_fields(forms[0])) != wanted:
            out.append(Problem(lang, shown, f"placeholders {sorted(set(_fields(forms[0])))} differ from the "
                                            f"message's {sorted(wanted)}"))
        return out
    # plural forms: each form uses only the message's placeholders and all of them, except that a
    # form may leave out the count ({n}) when it stands for one number only ("one class")
    for i, form in enumerate(forms):
        got = set(_fields(form))
        if not got <= wanted or not (wanted - {"n"}) <= got:
            out.append(Problem(lang, shown, f"plural form {i} has placeholders {sorted(got)}; the message has "
                                            f"{sorted(wanted)}"))
    return out


def load_all() -> dict[str, Catalog]:
    return {lang: read(po_path(lang), lang) for lang in LANGS}


def update(template: Catalog) -> dict[str, int]:
    """Bring every language's ``.po`` in line with the template: new messages are added untranslated
    (English: the message id itself), messages the code no longer uses are dropped. Returns the
    number of untranslated messages per language."""
    todo = {}
    for lang in LANGS:
        path = po_path(lang)
        cat = read(path, lang) if path.exists() else Catalog(locale=lang, domain=DOMAIN, project=PROJECT,
                                                             version=__version__, copyright_holder=COPYRIGHT)
        cat.update(template, no_fuzzy_matching=True, update_header_comment=False)
        cat.header_comment = HEADER.format(lang=Locale.parse(lang).get_display_name("en"))
        cat.language_team = f"{Locale.parse(lang).get_display_name('en')} (İzmir Healthy Cities Project)"
        cat.version, cat.fuzzy = __version__, False
        cat.obsolete.clear()
        if lang == SOURCE_LANG:
            for m in cat:
                if m.id and not all(_strings(m.string)):
                    m.string = m.id if isinstance(m.id, str) else tuple(m.id)
        todo[lang] = sum(1 for m in cat if m.id and (not all(_strings(m.string)) or m.fuzzy))
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            write_po(fh, cat, width=100, omit_header=False, include_previous=False)
    return todo


def compile_all() -> list[Path]:
    """Write ``<lang>/LC_MESSAGES/atlas.mo`` for every language (what ``pybabel compile`` does)."""
    written = []
    for lang in LANGS:
        po = po_path(lang)
        cat = read(po, lang)
        mo = po.with_suffix(".mo")
        with mo.open("wb") as fh:
            write_mo(fh, cat, use_fuzzy=False)
        written.append(mo)
    return written
