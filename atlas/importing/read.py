"""Reading an import file into a header and raw rows: CSV/TXT (UTF-8 with or without BOM,
Windows-1254, UTF-16; separator sniffed or given by Excel's "sep=" line) or the first sheet of
an XLSX workbook. Nothing is parsed here beyond the cells.

The limits of ``limits`` are checked here, before the expensive work: the file's size before it
is read; an XLSX workbook's parts (uncompressed size from the zip directory, then rows, columns and
XML elements in one streaming pass) before openpyxl parses them; a CSV's rows, columns and cells
as they are split. Any error while reading becomes an ImportRejected with a message."""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import ParseError

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from .columns import ALIAS_TO_COLUMN, header_key
from .limits import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    MAX_XLSX_ELEMENTS,
    MAX_XLSX_UNCOMPRESSED,
    mebibytes,
)
from ..errors import ImportRejected
from ..i18n import lazy
from .problems import quoted, reject

Cell = str | float | None

_SEP_HINT = re.compile(r'^"?sep=(.)"?$')

# What openpyxl (and the zip and XML readers under it) raise on a damaged or hostile workbook, while
# loading it or reading its rows: a cell holding "NaN" or "INF" is a ValueError from its number
# parser, a shared-string index out of range an IndexError, broken XML a ParseError, a corrupt zip
# member BadZipFile or zlib.error, an unsupported compression NotImplementedError, an encrypted member
# RuntimeError.
_XLSX_ERRORS = (InvalidFileException, zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError,
                ParseError, LookupError, ValueError, TypeError, AttributeError, ArithmeticError,
                NotImplementedError, RuntimeError)  # the last two: zip compression unsupported, member encrypted

# The start of a <row>, <c> (cell) or <sheetData> element, with or without a namespace prefix, and
# its attributes (the XML of a workbook part, as bytes).
_XML_TAG = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?(row|c|sheetData)(?=[\s/>])([^<>]*)")
_ROW_REF = re.compile(rb"""\br\s*=\s*["']?(\d+)""")
_CELL_REF = re.compile(rb"""\br\s*=\s*["']?([A-Za-z]+)""")
_CHUNK = 1 << 16
_MAX_CARRY = 4096  # bytes of an unfinished tag carried to the next chunk


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
    """Read a CSV/TXT or XLSX file; ImportRejected if it cannot be read at all or is over a limit."""
    path = Path(path)
    if not path.is_file():
        raise reject(path.name, lazy.gettext("no such file: {path}", path=str(path)))
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise reject(path.name, lazy.gettext("the file is {size}; the limit is {limit} per file (split it, e.g. one "
                                             "file per period)", size=mebibytes(size), limit=mebibytes(MAX_FILE_BYTES)))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise reject(path.name, lazy.gettext("cannot read the file: {reason}",
                                             reason=str(exc.strerror or exc))) from exc
    if data.startswith(b"PK\x03\x04"):
        return read_xlsx(path)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise reject(path.name, lazy.gettext("old Excel .xls files are not read; save it as .xlsx or as CSV (UTF-8)"))
    if not data.strip():
        raise reject(path.name, lazy.gettext("the file is empty"))
    text, encoding = decode_text(data, path.name)
    return read_csv_text(text, encoding, path.name)


def decode_text(data: bytes, file_name: str = "file") -> tuple[str, str]:
    """Decode as UTF-8 (with or without BOM), else Windows-1254 (Turkish), else UTF-16 with BOM."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise reject(file_name, lazy.gettext("the text starts as UTF-16 but is not ({reason}); save it as "
                                                 "'CSV UTF-8'", reason=exc.reason)) from exc
    try:
        return data.decode("utf-8-sig"), ("utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1254"), "cp1254"
    except UnicodeDecodeError as exc:
        raise reject(file_name, lazy.gettext("the text is neither UTF-8 nor Windows-1254 (Turkish) ({reason} at "
                                             "byte {byte}); save it as 'CSV UTF-8'", reason=exc.reason,
                                             byte=f"{exc.start:,}")) from exc


def sniff_delimiter(header_line: str) -> str:
    """The separator that splits the header into the most known column names (then most columns)."""
    def score(delimiter: str) -> tuple[int, int]:
        cells = next(csv.reader([header_line], delimiter=delimiter), [])
        known = sum(1 for c in cells if header_key(c) in ALIAS_TO_COLUMN)
        return known, len(cells)

    return max((";", ",", "\t"), key=score)


def _too_many_rows(file_name: str) -> ImportRejected:
    return reject(file_name, lazy.gettext("the file has more than {limit} rows below the header; the limit is "
                                          "{limit} rows per file (split it, e.g. one file per period)",
                                          limit=f"{MAX_ROWS:,}"))


def _too_many_columns(file_name: str, row: int, count: int | None = None) -> ImportRejected:
    has = (lazy.gettext("{count} cells", count=f"{count:,}") if count is not None
           else lazy.gettext("more than {limit} cells", limit=MAX_COLUMNS))
    return reject(file_name, lazy.gettext("row {row} has {has}; the limit is {limit} columns (an import file has 13 "
                                          "columns, see docs/import.md)", row=row, has=has, limit=MAX_COLUMNS))


def _cell_too_long(file_name: str, row: int, column: int | None, length: int | None,
                   start: str = "") -> ImportRejected:
    where = (lazy.gettext("row {row}, column {column}: the cell", row=row, column=column) if column
             else lazy.gettext("row {row}: a cell", row=row))
    has = (lazy.gettext("{count} characters", count=f"{length:,}") if length is not None
           else lazy.gettext("more than {limit} characters", limit=f"{MAX_CELL_CHARS:,}"))
    shown = f" ({quoted(start)})" if start else ""
    return reject(file_name, lazy.gettext("{where} holds {has}{shown}; the limit is {limit} characters per cell",
                                          where=where, has=has, shown=shown, limit=f"{MAX_CELL_CHARS:,}"))


def _check_cells(file_name: str, row: int, cells) -> None:
    """Refuse a row with a cell longer than the limit (its width is checked by the caller)."""
    for i, c in enumerate(cells):
        if isinstance(c, str) and len(c) > MAX_CELL_CHARS:
            raise _cell_too_long(file_name, row, i + 1, len(c), c)


def read_csv_text(text: str, encoding: str, file_name: str = "file") -> RawTable:
    """Split CSV text into header and rows (separator sniffed, or given by Excel's "sep=;" line);
    rows, columns and cells over the limits are refused as they are met."""
    first, _, rest = text.partition("\n")
    offset, delimiter, body = 0, None, text
    if hint := _SEP_HINT.match(first.strip()):
        offset, delimiter, body = 1, hint.group(1), rest
    if not body.strip():
        raise reject(file_name, lazy.gettext("the file has no header row"))
    delimiter = delimiter or sniff_delimiter(body.partition("\n")[0].rstrip("\r")[:MAX_CELL_CHARS * MAX_COLUMNS])
    header_row = offset + 1
    records: list[list[str]] = []
    reader = csv.reader(io.StringIO(body), delimiter=delimiter)
    try:
        for record in reader:
            if len(records) > MAX_ROWS:  # the header and MAX_ROWS rows are read: this one is over
                raise _too_many_rows(file_name)
            if len(record) > MAX_COLUMNS:
                if any(record[MAX_COLUMNS:]):  # strings: any non-empty cell beyond the limit
                    raise _too_many_columns(file_name, header_row + len(records), len(record))
                del record[MAX_COLUMNS:]  # empty trailing cells (a wide used range in Excel)
            _check_cells(file_name, header_row + len(records), record)
            records.append(record)
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):  # the csv module's own limit (131,072 characters)
            raise _cell_too_long(file_name, header_row + len(records), None, None) from exc
        raise reject(file_name, lazy.gettext("not a readable CSV file (row {row}): {reason}",
                                             row=header_row + len(records), reason=str(exc))) from exc
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


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters.upper()[:4]:  # four letters are already beyond any limit
        n = n * 26 + ch - 64
    return n


class _PartScan:
    """Counts, in one pass over the XML of a workbook part, its elements and (in a worksheet: a part
    with <sheetData>) its rows and each row's cells, refusing the file at the first one over a limit."""

    def __init__(self, file_name: str, elements: int):
        self.file_name = file_name
        self.elements = elements  # elements of the parts scanned before, this one's added
        self.sheet = False
        self.row = self.cells = self.column = 0

    def feed(self, xml: bytes) -> None:
        self.elements += xml.count(b"<") - xml.count(b"</") - xml.count(b"<?") - xml.count(b"<!")
        if self.elements > MAX_XLSX_ELEMENTS:
            raise reject(self.file_name, lazy.gettext("the workbook holds more than {limit} XML elements; the limit "
                                                      "is {limit} (save just the data as a new .xlsx or CSV)",
                                                      limit=f"{MAX_XLSX_ELEMENTS:,}"))
        for m in _XML_TAG.finditer(xml):
            name, attrs = m.group(1), m.group(2)
            if name == b"sheetData":
                self.sheet = True
            elif not self.sheet:
                continue
            elif name == b"row":
                ref = _ROW_REF.search(attrs)
                self.row = (int(ref.group(1)) if len(ref.group(1)) <= 9 else MAX_ROWS + 2) if ref else self.row + 1
                self.cells = self.column = 0
                if self.row > MAX_ROWS + 1:
                    raise _too_many_rows(self.file_name)
            else:  # a cell
                self.cells += 1
                ref = _CELL_REF.search(attrs)
                self.column = _column_number(ref.group(1)) if ref else self.column + 1
                if self.column > MAX_COLUMNS or self.cells > MAX_COLUMNS:
                    raise _too_many_columns(self.file_name, max(self.row, 1))


def check_xlsx_parts(path: Path) -> None:
    """Refuse a workbook over the limits before openpyxl reads it: the uncompressed size of its parts
    (from the zip directory), then its XML elements, rows and columns (streamed, constant memory)."""
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
        unpacked = sum(i.file_size for i in infos)
        if unpacked > MAX_XLSX_UNCOMPRESSED:
            raise reject(path.name, lazy.gettext("the workbook unpacks to {size}; the limit is {limit} unpacked "
                                                 "(save just the data as a new .xlsx or CSV)",
                                                 size=mebibytes(unpacked), limit=mebibytes(MAX_XLSX_UNCOMPRESSED)))
        elements = 0
        for info in infos:  # every part, whatever its name: openpyxl finds a sheet by the workbook's links
            scan = _PartScan(path.name, elements)
            carry = b""
            with zf.open(info) as fh:
                while chunk := fh.read(_CHUNK):
                    buf = carry + chunk
                    cut = buf.rfind(b"<")
                    cut = len(buf) if cut < 0 else cut
                    scan.feed(buf[:cut])
                    carry = buf[cut:cut + _MAX_CARRY]
                scan.feed(carry)
            elements = scan.elements


def read_xlsx(path: Path) -> RawTable:
    """The first sheet of an .xlsx workbook; row 1 is the header."""
    try:
        check_xlsx_parts(path)
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except ImportRejected:
        raise
    except _XLSX_ERRORS as exc:
        raise reject(path.name, lazy.gettext("not a readable .xlsx workbook: {reason}",
                                             reason=_error_text(exc))) from exc
    records: list[tuple[Cell, ...]] = []
    try:
        ws = wb.worksheets[0]
        ws.reset_dimensions()
        for row in ws.iter_rows():
            if len(records) > MAX_ROWS:
                raise _too_many_rows(path.name)
            cells = tuple(_xlsx_cell(c) for c in row[:MAX_COLUMNS])
            if len(row) > MAX_COLUMNS and any(getattr(c, "value", None) is not None for c in row[MAX_COLUMNS:]):
                raise _too_many_columns(path.name, len(records) + 1, len(row))
            _check_cells(path.name, len(records) + 1, cells)
            records.append(cells)
    except ImportRejected:
        raise
    except _XLSX_ERRORS as exc:
        raise reject(path.name, lazy.gettext("not a readable .xlsx workbook: row {row} of the first sheet "
                                             "cannot be read ({reason}); a cell may hold an error or a value "
                                             "Excel cannot show, such as NaN or INF", row=len(records) + 1,
                                             reason=_error_text(exc))) from exc
    finally:
        wb.close()
    if not records:
        raise reject(path.name, lazy.gettext("the first sheet is empty"))
    header = tuple("" if c is None else str(c) for c in records[0])
    rows = tuple((n, r) for n, r in enumerate(records[1:], start=2))
    return RawTable(header, rows, "xlsx", None)


def _error_text(exc: BaseException) -> str:
    """An exception as one short line for a message (its type when it has no text)."""
    text = " ".join(re.sub(r"<[^<>]{0,300}>", "…", str(exc)).split())  # "<ZipInfo filename=…>" and the like
    if not text:
        return type(exc).__name__
    return text if len(text) <= 120 else text[:119] + "…"
