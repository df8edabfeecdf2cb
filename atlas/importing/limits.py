"""The limits of an import file, checked before the expensive work (docs/import.md, "Limits").

A file holds one indicator: at most the 30 districts and ~1,300 mahalle of İzmir for a few periods.
The limits leave room for that many times over, and keep the cost of any file — accepted or refused —
to a few seconds and a few hundred megabytes (``bench/bench_import_limits.py`` measures it):

* the file's size is checked before it is read;
* an XLSX workbook's parts are checked from the zip directory (uncompressed size) and then by one
  streaming pass over their XML (rows, columns, XML elements) before openpyxl parses any of them;
* a CSV's rows, columns and cells are checked as they are split, stopping at the first one over.

Each refusal names the limit. Notes and other text cells follow the same cell limit; entry and file
periods must lie within ``FIRST_YEAR`` … this year + ``YEARS_AHEAD``.
"""

from __future__ import annotations

import datetime as dt

MAX_FILE_BYTES = 10 * 1024 * 1024  # the file as it is on disk (CSV or XLSX)
MAX_ROWS = 10_000  # data rows below the header, blank rows included
MAX_COLUMNS = 30  # cells in any row (the header included); a file has 13 known columns
MAX_CELL_CHARS = 1_000  # characters in any cell (a note included)
MAX_XLSX_UNCOMPRESSED = 50 * 1024 * 1024  # all parts of an .xlsx workbook together, unpacked
MAX_XLSX_ELEMENTS = 500_000  # XML elements in all parts of an .xlsx workbook together

FIRST_YEAR = 1950  # the earliest year a period may name
YEARS_AHEAD = 1  # a period may end at most this many years after the current one


def last_year() -> int:
    """The latest year a period may name (this year + ``YEARS_AHEAD``)."""
    return dt.date.today().year + YEARS_AHEAD


def mebibytes(n: int) -> str:
    """A byte count as MB for a message ("10 MB", "12.3 MB")."""
    mb = n / (1024 * 1024)
    return f"{mb:.0f} MB" if mb >= 100 or mb == int(mb) else f"{mb:.1f} MB"
