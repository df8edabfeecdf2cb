"""Tables as CSV that a spreadsheet program opens as data, never as formulas (CSV / formula injection).

Excel, LibreOffice Calc and Google Sheets take a cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or
a carriage return for a formula: an imported note ``=HYPERLINK("http://…")`` or ``-2+3+cmd|' /C calc'!A0``
would become a live link or command in a planner's spreadsheet. Following OWASP's CSV injection guidance
(https://owasp.org/www-community/attacks/CSV_Injection), ``csv_bytes`` — the one writer of every CSV the
atlas makes (the map page's download, the export's CSV, the zip's CSV and metadata sheet):

* prefixes such a **text** cell with a single quote (``'=HYPERLINK(…)``), so it reads as text;
* leaves numbers alone: numeric columns are written as numbers (``-2.5`` stays a negative number), and a
  text cell that is a plain number (``-2.5`` in the metadata sheet) is not a formula and is kept;
* quotes every text cell (RFC 4180, ``"`` doubled), so a ``;`` or ``,`` inside a value can never start a
  new cell, whichever separator the spreadsheet's locale uses (Turkish Excel splits on ``;``).

Other formats keep their text as it is: GeoPackage, GeoJSON and XLSX store strings as typed strings that
no program evaluates (the atlas writes no XLSX).
"""

from __future__ import annotations

import math
import re
from numbers import Integral, Real

import pandas as pd

#: The characters that make a spreadsheet read a cell as a formula (OWASP).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def text_cell(value: str) -> str:
    """A text cell as a spreadsheet must read it: with a leading ``'`` when it would start a formula."""
    if value.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def _csv_field(value: object) -> str:
    if isinstance(value, str):
        return '"' + text_cell(value).replace('"', '""') + '"'
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Integral):
        return str(int(value))
    if isinstance(value, Real):
        number = float(value)
        return "" if math.isnan(number) else repr(number)
    return _csv_field(str(value))


def csv_bytes(df: pd.DataFrame) -> bytes:
    """``df`` as UTF-8 CSV with BOM (so spreadsheet programs read Turkish letters), header first, no index;
    formula-safe text cells, all quoted; numbers as numbers, empty cells empty."""
    lines = [",".join(_csv_field(str(c)) for c in df.columns)]
    lines += [",".join(_csv_field(v) for v in row) for row in df.astype(object).itertuples(index=False, name=None)]
    return ("\n".join(lines) + "\n").encode("utf-8-sig")
