"""Small word helpers for the equity texts (TR/EN): English number agreement and bilingual errors.

Turkish nouns stay singular after a number ("1 mahalle", "3 ilçe"); English ones do not, and the
verb follows: "1 district is", "2 districts are" (``mahalle`` is the same in both numbers, only
the verb changes: "1 mahalle is", "2 mahalle are").
"""

from __future__ import annotations

from ..catalogue import Text
from ..errors import AtlasError

LEVEL_TR = {"province": "il", "district": "ilçe", "mahalle": "mahalle"}


def en_word(n: int, one: str, many: str) -> str:
    """``one`` when ``n`` is 1, else ``many`` (English: 0 and 2+ take the plural)."""
    return one if n == 1 else many


def en_count(n: int, one: str, many: str | None = None) -> str:
    """``"1 district"``, ``"2 districts"`` (``many`` defaults to ``one + "s"``)."""
    return f"{n} {en_word(n, one, one + 's' if many is None else many)}"


class ExplainedError(AtlasError):
    """An error whose message also exists in Turkish.

    ``str(exc)`` is the English message (command line, logs); ``text`` holds both languages so
    that a Turkish page or summary never quotes English. ``text`` is None only when no Turkish
    wording was given.
    """

    def __init__(self, en: str, tr: str | None = None):
        super().__init__(en)
        self.text: Text | None = Text(tr, en) if tr is not None else None
