"""Messages made now and put into a language later: ``message.get(lang)``.

Core functions that do not know the reader's language (an error raised deep in the equity code, a
summary sentence stored for both languages, a note written into the database in every language)
return a :class:`Message`; whoever shows it calls ``.get(lang)``, like a :class:`atlas.catalogue.Text`.
The functions have gettext's names so that Babel's standard extractor finds the messages::

    from atlas.i18n import lazy
    raise ExplainedError(lazy.gettext("{n} groups are too few", n=k))
    lazy.ngettext("{n} area left out", "{n} areas left out", dropped)

A parameter that is itself a Message or a Text is put into the same language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from . import LANGS, check_lang, gettext as _gettext, ngettext as _ngettext, npgettext as _npgettext
from . import pgettext as _pgettext


def _in(value: Any, lang: str) -> Any:
    get = getattr(value, "get", None)
    if isinstance(value, (Message, Written)) or (callable(get) and hasattr(value, "tr") and hasattr(value, "en")):
        return value.get(lang)
    return value


@dataclass(frozen=True)
class Written:
    """A value written the way each language of the atlas writes it (a number with the language's
    separators, say), to pass as a parameter of a message. Plain data: it pickles (Streamlit caches
    results that carry messages)."""

    texts: tuple[tuple[str, str], ...]

    @classmethod
    def each(cls, write: Callable[[str], str]) -> "Written":
        """``write(lang)`` for every language of the atlas."""
        return cls(tuple((lang, write(lang)) for lang in LANGS))

    def get(self, lang: str) -> str:
        return dict(self.texts)[check_lang(lang)]


@dataclass(frozen=True)
class Message:
    """One message of the catalogue with its parameters, in no language yet."""

    message: str
    plural: str | None = None
    n: int | None = None
    context: str | None = None
    params: tuple[tuple[str, Any], ...] = ()

    def get(self, lang: str) -> str:
        params = {k: _in(v, lang) for k, v in self.params}
        if self.plural is None:
            if self.context is None:
                return _gettext(self.message, lang, **params)
            return _pgettext(self.context, self.message, lang, **params)
        if self.context is None:
            return _ngettext(self.message, self.plural, self.n, lang, **params)
        return _npgettext(self.context, self.message, self.plural, self.n, lang, **params)

    def __str__(self) -> str:  # logs and the command line read English
        return self.get("en")


def gettext(message: str, /, **params: Any) -> Message:
    return Message(message, params=tuple(params.items()))


def ngettext(singular: str, plural: str, n: int, /, **params: Any) -> Message:
    return Message(singular, plural, int(n), params=tuple(params.items()))


def pgettext(context: str, message: str, /, **params: Any) -> Message:
    return Message(message, context=context, params=tuple(params.items()))


def npgettext(context: str, singular: str, plural: str, n: int, /, **params: Any) -> Message:
    return Message(singular, plural, int(n), context=context, params=tuple(params.items()))
