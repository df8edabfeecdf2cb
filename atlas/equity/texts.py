"""How the equity code hands its words to whoever shows them, in the reader's language.

The words are messages of the atlas's catalogues, made without a language with
:mod:`atlas.i18n.lazy` (a :class:`~atlas.i18n.lazy.Message`; ``message.get(lang)`` writes it).
This module only puts them together:

* :class:`ExplainedError` carries one such message (``str(exc)`` is its English text);
* :class:`Joined` shows several messages as one text (a measure's notes);
* :func:`in_each_language` writes a number the way each language writes it, for a message's
  parameter (a parameter that is a Text, Message or Written value is put into the message's language).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Protocol

from ..errors import AtlasError
from ..i18n.lazy import Message, Written


class Words(Protocol):
    """Anything written later in the reader's language: a lazy Message, a Joined, a data Text."""

    def get(self, lang: str) -> str: ...


class ExplainedError(AtlasError):
    """An error whose reason is a message of the catalogues, so a page in any language can quote it.

    ``text`` is the lazy message (``exc.text.get(lang)``); ``str(exc)`` is its English text (command
    line, logs). The message is a clause without a final full stop: a caller quotes it in its own
    sentence ("The groups could not be made: …").
    """

    def __init__(self, text: Message):
        super().__init__(text)
        self.text: Message = text

    def __str__(self) -> str:
        return self.text.get("en")


@dataclass(frozen=True)
class Joined:
    """Sentences shown as one text, separated by ``sep`` (``get(lang)``, like a Message)."""

    parts: tuple[Words, ...]
    sep: str = " "

    def get(self, lang: str) -> str:
        return self.sep.join(part.get(lang) for part in self.parts)

    def __str__(self) -> str:
        return self.get("en")


def joined(*parts: Words | None) -> Words | None:
    """The parts that are not None as one text: None without any, the part itself when alone."""
    kept = tuple(p for p in parts if p is not None)
    if not kept:
        return None
    return kept[0] if len(kept) == 1 else Joined(kept)


def in_each_language(write: Callable[[str], str]) -> Written:
    """A value as each language writes it (``write(lang)``: decimal separators, the percent sign), to
    pass as a parameter of a lazy message; written when the message is, in the message's language."""
    return Written.each(write)
