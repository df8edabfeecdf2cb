"""Reading an import file into a header and raw rows: CSV/TXT (UTF-8 with or without BOM,
Windows-1254, UTF-16; separator sniffed or given by Excel's "sep=" line) or the first sheet of
an XLSX workbook. Nothing is parsed here beyond the cells."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from .columns import ALIAS_TO_COLUMN, header_key
from .problems import reject

Cell = str | float | None

_SEP_HINT = re.compile(r'^"?sep=(.)"?$')


@dataclass(frozen=True)
class RawTable:
    """Header and data rows as read; ``rows`` holds (row number, cells)."""

    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[Cell, ...]], ...]
    encoding: str
    delimiter: str | None
    header_row: int = 1


def cell_text(cell: Cell) -> str:
    """A cell as trimmed text ("" for an empty cell; whole numbers without ".0")."""
    if cell is None:
        return ""
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else repr(cell)
    return cell.replace("\u00a0", " ").strip()


def cell_at(cells: tuple[Cell, ...], index: int | None) -> Cell:
    """The cell at ``index`` (None for a missing column or a short row)."""
    if index is None or index >= len(cells):
        return None
    return cells[index]


def read_table(path: Path) -> RawTable:
    """Read a CSV/TXT or XLSX file; ImportRejected if it cannot be read at all."""
    path = Path(path)
    if not path.is_file():
        raise reject(path.name, f"no such file: {path}")
    data = path.read_bytes()
    if data.startswith(b"PK\x03\x04"):
        return read_xlsx(path)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise reject(path.name, "old Excel .xls files are not read; save it as .xlsx or as CSV (UTF-8)")
    if not data.strip():
        raise reject(path.name, "the file is empty")
    text, encoding = decode_text(data, path.name)
    return read_csv_text(text, encoding, path.name)


def decode_text(data: bytes, file_name: str = "file") -> tuple[str, str]:
    """Decode as UTF-8 (with or without BOM), else Windows-1254 (Turkish), else UTF-16 with BOM."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8-sig"), ("utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1254"), "cp1254"
    except UnicodeDecodeError as exc:
        raise reject(file_name, f"the text is neither UTF-8 nor Windows-1254 (Turkish) ({exc}); "
                                "save it as 'CSV UTF-8'") from exc


def sniff_delimiter(header_line: str) -> str:
    """The separator that splits the header into the most known column names (then most columns)."""
    def score(delimiter: str) -> tuple[int, int]:
        cells = next(csv.reader([header_line], delimiter=delimiter), [])
        known = sum(1 for c in cells if header_key(c) in ALIAS_TO_COLUMN)
        return known, len(cells)

    return max((";", ",", "\t"), key=score)


def read_csv_text(text: str, encoding: str, file_name: str = "file") -> RawTable:
    """Split CSV text into header and rows (separator sniffed, or given by Excel's "sep=;" line)."""
    first, _, rest = text.partition("\n")
    offset, delimiter, body = 0, None, text
    if hint := _SEP_HINT.match(first.strip()):
        offset, delimiter, body = 1, hint.group(1), rest
    if not body.strip():
        raise reject(file_name, "the file has no header row")
    delimiter = delimiter or sniff_delimiter(body.partition("\n")[0].rstrip("\r"))
    try:
        records = list(csv.reader(io.StringIO(body), delimiter=delimiter))
    except csv.Error as exc:
        raise reject(file_name, f"not a readable CSV file: {exc}") from exc
    header_row = offset + 1
    rows = tuple((header_row + i, tuple(r)) for i, r in enumerate(records[1:], start=1))
    return RawTable(tuple(records[0]), rows, encoding, delimiter, header_row)


def _xlsx_cell(cell) -> Cell:
    value = getattr(cell, "value", None)
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        if "%" in (getattr(cell, "number_format", None) or ""):
            return f"{value * 100:g}%"  # shown as a percentage in Excel: make the user choose
        return float(value)
    return str(value)


def read_xlsx(path: Path) -> RawTable:
    """The first sheet of an .xlsx workbook; row 1 is the header."""
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise reject(path.name, f"not a readable .xlsx workbook: {exc}") from exc
    try:
        ws = wb.worksheets[0]
        ws.reset_dimensions()
        records = [tuple(_xlsx_cell(c) for c in row) for row in ws.iter_rows()]
    finally:
        wb.close()
    if not records:
        raise reject(path.name, "the first sheet is empty")
    header = tuple("" if c is None else str(c) for c in records[0])
    rows = tuple((n, r) for n, r in enumerate(records[1:], start=2))
    return RawTable(header, rows, "xlsx", None)
