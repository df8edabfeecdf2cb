"""Numbers in an import file: which decimal mark the file uses (',' in Turkish Excel, or '.')
and parsing one cell with it (thousands separators, spaces, Unicode minus; no percent signs)."""

from __future__ import annotations

import math
import re
from typing import Iterable

from ..i18n import lazy
from .problems import quoted
from .read import Cell

_COMMA_DECIMAL = re.compile(r"^[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?$")   # 1.234,5
_POINT_DECIMAL = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")   # 1,234.5
_NUMBER_SPACES = re.compile(r"[\s\u00a0\u202f]")


def detect_decimal_mark(texts: Iterable[str], delimiter: str | None) -> str:
    """',' or '.': the mark that the unambiguous numbers of the file use (most of them).

    "12,5" and "1.234,5" vote for ','; "12.5" and "1,234.5" for '.'; "1.234" and "1234" are
    ambiguous. With no votes: '.' for comma-separated files, ',' otherwise (Turkish Excel).
    """
    comma = point = 0
    for t in texts:
        t = _NUMBER_SPACES.sub("", t)
        c, p = bool(_COMMA_DECIMAL.match(t)), bool(_POINT_DECIMAL.match(t))
        comma += c and not p
        point += p and not c
    if comma != point:
        return "," if comma > point else "."
    return "." if delimiter == "," else ","


def parse_number(cell: Cell, mark: str) -> float | None:
    """A number written with decimal mark ``mark``; None for an empty cell; ValueError otherwise."""
    if cell is None:
        return None
    if isinstance(cell, float):
        number = cell
    else:
        text = _NUMBER_SPACES.sub("", cell).replace("−", "-")
        if not text:
            return None
        if text.endswith("%"):
            raise ValueError(lazy.gettext("{cell} has a percent sign; write the number alone (e.g. {number}) in "
                                          "the indicator's unit", cell=quoted(cell.strip()), number=quoted(text[:-1])))
        pattern = _COMMA_DECIMAL if mark == "," else _POINT_DECIMAL
        if not pattern.match(text):
            example = "1.234,5" if mark == "," else "1234.5"
            raise ValueError(lazy.gettext("{cell} is not a number (this file writes numbers like {example})",
                                          cell=quoted(cell.strip()), example=example))
        thousands = "." if mark == "," else ","
        number = float(text.replace(thousands, "").replace(mark, "."))
    if not math.isfinite(number):
        raise ValueError(lazy.gettext("{cell} is not a finite number", cell=repr(cell)))
    return number
