"""Importing the city's own data: ``python -m atlas import FILE [--entry ENTRY.toml] [--db PATH]``.

A file (CSV or XLSX, see ``docs/import.md`` and ``examples/import_template.csv``) holds the
values of ONE indicator, one row per area and period. The import runs in three steps:

1. **read and parse** (``parse_file``): encoding (UTF-8, UTF-8 with BOM, Windows-1254),
   separator (``,`` ``;`` or tab), decimal mark, header names (English or Turkish), numbers,
   levels, periods and the checks that need nothing but the row itself;
2. **check** against the indicator (``check_rows``: periods, levels, negatives, numerator ≤
   denominator, CI around the value, disclosure rule, Wilson CI) and the database (indicator
   known or given with ``--entry``; areas matched with ``atlas.names``; duplicates);
3. **write** everything in one transaction, or nothing: every problem found in steps 1–2 is
   collected and raised together as one ``ImportRejected`` with row numbers as the user sees
   them (the header is row 1).

Overwrite policy: an indicator the build made from the catalogue (origin 'catalogue') is never
changed by an import. Re-importing an imported indicator (origin 'import') replaces ALL its
values (every level) for each period present in the file; other periods are kept.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import hashlib
import io
import math
import re
import tomllib
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import duckdb
import openpyxl
import pandas as pd
from openpyxl.utils.exceptions import InvalidFileException

from . import queries
from .catalogue import LEVELS, Indicator, indicator_from_json, parse_indicator
from .db import connect
from .errors import CatalogueError, ImportRejected, QueryError
from .names import Candidate, Match, NameMatcher, fold
from .stats import wilson_interval

MAX_LISTED = 50  # problems listed in full; the rest are counted
COMPUTED_TYPES = ("proportion", "rate", "ratio")  # value = numerator / denominator × scale
NUMBER_COLUMNS = ("value", "numerator", "denominator", "lower_ci", "upper_ci")
TEXT_COLUMNS = ("indicator_id", "level", "district", "mahalle", "area_code", "period", "note")
COLUMNS = ("indicator_id", "level", "district", "mahalle", "area_code", "period",
           "value", "numerator", "denominator", "lower_ci", "upper_ci", "note")

# Accepted header names, compared after ``_header_key`` (Turkish folding, punctuation → '_').
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "indicator_id": ("indicator_id", "indicator", "gosterge", "gosterge_id", "gosterge_kodu"),
    "level": ("level", "duzey", "seviye"),
    "district": ("district", "ilce", "ilce_adi"),
    "mahalle": ("mahalle", "mahalle_adi", "neighbourhood", "neighborhood"),
    "area_code": ("area_code", "alan_kodu", "bolge_kodu", "kod"),
    "period": ("period", "donem", "yil", "year"),
    "value": ("value", "deger"),
    "numerator": ("numerator", "pay"),
    "denominator": ("denominator", "payda"),
    "lower_ci": ("lower_ci", "alt_sinir", "alt_guven_siniri", "guven_araligi_alt"),
    "upper_ci": ("upper_ci", "ust_sinir", "ust_guven_siniri", "guven_araligi_ust"),
    "note": ("note", "not", "aciklama"),
}
LEVEL_ALIASES = {"district": "district", "ilce": "district", "mahalle": "mahalle", "mah": "mahalle",
                 "neighbourhood": "mahalle", "neighborhood": "mahalle"}

Cell = str | float | None

_PERIOD = re.compile(r"^(\d{4})(?:\s*[-–—]\s*(\d{4}))?$")
_SEP_HINT = re.compile(r'^"?sep=(.)"?$')
_COMMA_DECIMAL = re.compile(r"^[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?$")   # 1.234,5
_POINT_DECIMAL = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")   # 1,234.5
_NUMBER_SPACES = re.compile(r"[\s\u00a0\u202f]")


def _header_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", fold(text)).strip("_")


_ALIAS_TO_COLUMN = {_header_key(a): col for col, names in HEADER_ALIASES.items() for a in names}


# --- results -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportReport:
    """What an import wrote (or, with ``dry_run``, would write)."""

    indicator_id: str
    rows: int
    levels: tuple[str, ...]
    periods: tuple[str, ...]
    new_indicator: bool
    source_id: str
    warnings: tuple[str, ...] = ()

    def summary(self) -> str:
        """A few lines for the terminal."""
        kind = "new indicator" if self.new_indicator else "indicator"
        lines = [
            f"{kind} {self.indicator_id}: {self.rows} value(s); levels {', '.join(self.levels)}; "
            f"periods {', '.join(self.periods)}; source {self.source_id}",
        ]
        lines += [f"  note: {w}" for w in self.warnings]
        return "\n".join(lines)


@dataclass(frozen=True)
class ParsedRow:
    """One data row, parsed but not yet checked against an indicator or the areas."""

    row: int  # as the user sees it: the header is row 1
    indicator_id: str
    level: str
    district: str | None
    mahalle: str | None
    area_code: str | None
    period: str
    period_sort: int
    value: float | None
    numerator: float | None
    denominator: float | None
    lower_ci: float | None
    upper_ci: float | None
    note: str | None


@dataclass(frozen=True)
class ParsedFile:
    """A parsed import file: good rows, and one (row, message) per problem (row 0 = the file)."""

    name: str
    encoding: str
    delimiter: str | None
    decimal_mark: str
    columns: tuple[str, ...]
    rows: tuple[ParsedRow, ...]
    problems: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class CheckedValue:
    """A row checked against its indicator: what will be stored (area still to be resolved)."""

    parsed: ParsedRow
    value: float | None
    numerator: float | None
    denominator: float | None
    lower_ci: float | None
    upper_ci: float | None
    status: str
    note: str | None


@dataclass
class Problems:
    """Problems collected while checking; ``row`` 0 means the file or the entry as a whole."""

    items: list[tuple[int, str]] = field(default_factory=list)

    def add(self, row: int, message: str) -> None:
        self.items.append((row, message))

    def extend(self, items: Iterable[tuple[int, str]]) -> None:
        self.items.extend(items)

    def __bool__(self) -> bool:
        return bool(self.items)

    def lines(self) -> list[str]:
        ordered = sorted(self.items, key=lambda item: item[0])
        text = [f"row {row}: {msg}" if row else msg for row, msg in ordered]
        if len(text) > MAX_LISTED:
            rest = len(text) - MAX_LISTED
            text = text[:MAX_LISTED] + [f"… and {rest} more problem(s) not listed"]
        return text

    def rejection(self, file_name: str) -> ImportRejected:
        n = len(self.items)
        return ImportRejected(
            f"{file_name}: import rejected, {n} problem{'s' if n != 1 else ''}; nothing was written.",
            self.lines(),
        )


def _reject(file_name: str, message: str) -> ImportRejected:
    return ImportRejected(f"{file_name}: import rejected; nothing was written.", [message])


# --- step 1: read the file ---------------------------------------------------------------


@dataclass(frozen=True)
class RawTable:
    """Header and data rows as read; ``rows`` holds (row number, cells)."""

    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[Cell, ...]], ...]
    encoding: str
    delimiter: str | None
    header_row: int = 1


def read_table(path: Path) -> RawTable:
    """Read a CSV/TXT or XLSX file; ImportRejected if it cannot be read at all."""
    path = Path(path)
    if not path.is_file():
        raise _reject(path.name, f"no such file: {path}")
    data = path.read_bytes()
    if data.startswith(b"PK\x03\x04"):
        return read_xlsx(path)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _reject(path.name, "old Excel .xls files are not read; save it as .xlsx or as CSV (UTF-8)")
    if not data.strip():
        raise _reject(path.name, "the file is empty")
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
        raise _reject(file_name, f"the text is neither UTF-8 nor Windows-1254 (Turkish) ({exc}); "
                                 "save it as 'CSV UTF-8'") from exc


def sniff_delimiter(header_line: str) -> str:
    """The separator that splits the header into the most known column names (then most columns)."""
    def score(delimiter: str) -> tuple[int, int]:
        cells = next(csv.reader([header_line], delimiter=delimiter), [])
        known = sum(1 for c in cells if _header_key(c) in _ALIAS_TO_COLUMN)
        return known, len(cells)

    return max((";", ",", "\t"), key=score)


def read_csv_text(text: str, encoding: str, file_name: str = "file") -> RawTable:
    """Split CSV text into header and rows (separator sniffed, or given by Excel's "sep=;" line)."""
    first, _, rest = text.partition("\n")
    offset, delimiter, body = 0, None, text
    if hint := _SEP_HINT.match(first.strip()):
        offset, delimiter, body = 1, hint.group(1), rest
    if not body.strip():
        raise _reject(file_name, "the file has no header row")
    delimiter = delimiter or sniff_delimiter(body.partition("\n")[0].rstrip("\r"))
    try:
        records = list(csv.reader(io.StringIO(body), delimiter=delimiter))
    except csv.Error as exc:
        raise _reject(file_name, f"not a readable CSV file: {exc}") from exc
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
        raise _reject(path.name, f"not a readable .xlsx workbook: {exc}") from exc
    try:
        ws = wb.worksheets[0]
        ws.reset_dimensions()
        records = [tuple(_xlsx_cell(c) for c in row) for row in ws.iter_rows()]
    finally:
        wb.close()
    if not records:
        raise _reject(path.name, "the first sheet is empty")
    header = tuple("" if c is None else str(c) for c in records[0])
    rows = tuple((n, r) for n, r in enumerate(records[1:], start=2))
    return RawTable(header, rows, "xlsx", None)


# --- step 1: parse the rows --------------------------------------------------------------


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else repr(cell)
    return cell.replace("\u00a0", " ").strip()


def map_header(header: Sequence[str], problems: Problems, data_rows: Sequence[tuple[int, tuple[Cell, ...]]],
               header_row: int = 1) -> dict[str, int]:
    """Column name → index. Unknown or repeated names and missing required columns are problems."""
    found: dict[str, int] = {}
    for i, name in enumerate(header):
        key = _header_key(name or "")
        if not key:
            if any(i < len(cells) and _text(cells[i]) for _, cells in data_rows):
                problems.add(header_row, f"column {i + 1} has values but no header name")
            continue
        column = _ALIAS_TO_COLUMN.get(key)
        if column is None:
            problems.add(header_row, f"unknown column {name!r}; the columns are: {', '.join(COLUMNS)} "
                                     "(see docs/import.md for the Turkish names)")
        elif column in found:
            problems.add(header_row, f"column {name!r} repeats {header[found[column]]!r} ({column})")
        else:
            found[column] = i
    return found


def missing_columns(found: dict[str, int]) -> list[str]:
    """The required columns a header lacks, as messages."""
    out = [f"missing column {c!r}" for c in ("indicator_id", "level", "period") if c not in found]
    if "value" not in found and not {"numerator", "denominator"} <= set(found):
        out.append("missing column 'value' (or both 'numerator' and 'denominator')")
    if not {"area_code", "district"} & set(found):
        out.append("missing the area: give column 'area_code', or 'district' (and 'mahalle' for mahalle rows)")
    return out


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
            raise ValueError(f"{cell.strip()!r} has a percent sign; write the number alone "
                             f"(e.g. {text[:-1]!r}) in the indicator's unit")
        pattern = _COMMA_DECIMAL if mark == "," else _POINT_DECIMAL
        if not pattern.match(text):
            example = "1.234,5" if mark == "," else "1234.5"
            raise ValueError(f"{cell.strip()!r} is not a number (this file writes numbers like {example})")
        thousands = "." if mark == "," else ","
        number = float(text.replace(thousands, "").replace(mark, "."))
    if not math.isfinite(number):
        raise ValueError(f"{cell!r} is not a finite number")
    return number


def parse_period(text: str) -> tuple[str, int]:
    """'2023' or '2021-2025' → (normalised period, last year); ValueError otherwise."""
    m = _PERIOD.match(text.strip())
    if not m:
        raise ValueError(f"period {text!r} is not a year (2023) or a span of years (2021-2025)")
    first, last = m.group(1), m.group(2)
    if last is None:
        return first, int(first)
    if int(last) < int(first):
        raise ValueError(f"period {text!r} ends before it starts")
    return f"{first}-{last}", int(last)


def parse_table(table: RawTable, name: str = "file") -> ParsedFile:
    """Parse every row of a table; problems are collected, not raised."""
    problems = Problems()
    columns = map_header(table.header, problems, table.rows, table.header_row)
    missing = missing_columns(columns)
    for message in missing:
        problems.add(table.header_row, message)
    number_texts = [
        c for _, cells in table.rows for col in NUMBER_COLUMNS if col in columns
        for c in [_cell(cells, columns[col])] if isinstance(c, str)
    ]
    mark = detect_decimal_mark(number_texts, table.delimiter)
    rows: list[ParsedRow] = []
    if not missing:
        for number, cells in table.rows:
            parsed = parse_row(number, cells, columns, mark, problems, len(table.header))
            if parsed is not None:
                rows.append(parsed)
        if not rows and not problems:
            problems.add(0, "the file has a header but no data rows")
    return ParsedFile(name, table.encoding, table.delimiter, mark, tuple(sorted(columns, key=columns.get)),
                      tuple(rows), tuple(problems.items))


def parse_file(path: Path) -> ParsedFile:
    """Read and parse an import file (no database needed)."""
    path = Path(path)
    return parse_table(read_table(path), path.name)


def _cell(cells: tuple[Cell, ...], index: int | None) -> Cell:
    if index is None or index >= len(cells):
        return None
    return cells[index]


def parse_row(number: int, cells: tuple[Cell, ...], columns: dict[str, int], mark: str,
              problems: Problems, width: int) -> ParsedRow | None:
    """One data row, or None if it is blank or has problems (which are added)."""
    if not any(_text(c) for c in cells):
        return None
    before = len(problems.items)
    if any(_text(c) for c in cells[width:]):
        problems.add(number, f"the row has more cells ({len(cells)}) than the header ({width})")
    text = {col: _text(_cell(cells, columns.get(col))) or None for col in TEXT_COLUMNS}
    unparsed = len(problems.items)
    numbers = {col: _number(number, col, _cell(cells, columns.get(col)), mark, problems) for col in NUMBER_COLUMNS}
    numbers_ok = len(problems.items) == unparsed
    level = _level(number, text["level"], problems)
    period = _period(number, text["period"], problems)
    if not text["indicator_id"]:
        problems.add(number, "indicator_id is empty")
    if level:
        _check_area_given(number, level, text, problems)
    if numbers_ok:
        _check_numbers(number, numbers, problems)
    if len(problems.items) > before:
        return None
    return ParsedRow(row=number, indicator_id=text["indicator_id"], level=level, district=text["district"],
                     mahalle=text["mahalle"], area_code=text["area_code"], period=period[0],
                     period_sort=period[1], note=text["note"], **numbers)


def _number(row: int, column: str, cell: Cell, mark: str, problems: Problems) -> float | None:
    try:
        return parse_number(cell, mark)
    except ValueError as exc:
        problems.add(row, f"{column}: {exc}")
        return None


def _level(row: int, text: str | None, problems: Problems) -> str | None:
    level = LEVEL_ALIASES.get(_header_key(text or ""))
    if level is None:
        shown = repr(text) if text else "empty"
        problems.add(row, f"level is {shown}; use district (ilçe) or mahalle")
    return level


def _period(row: int, text: str | None, problems: Problems) -> tuple[str, int]:
    try:
        return parse_period(text or "")
    except ValueError as exc:
        problems.add(row, str(exc) if text else "period is empty")
        return "", 0


def _check_area_given(row: int, level: str, text: dict[str, str | None], problems: Problems) -> None:
    if text["area_code"]:
        return
    if level == "district":
        if not text["district"]:
            problems.add(row, "no area: give area_code or the district name")
        elif text["mahalle"]:
            problems.add(row, f"level is district but a mahalle is given ({text['mahalle']}); "
                              "use level mahalle or leave mahalle empty")
        return
    if not text["mahalle"]:
        problems.add(row, "no area: give area_code, or the district and mahalle names")
    elif not text["district"]:
        problems.add(row, f"mahalle {text['mahalle']!r} has no district; a mahalle is matched within its "
                          "district (names repeat across districts), so give the district too")


def _check_numbers(row: int, n: dict[str, float | None], problems: Problems) -> None:
    value, num, den, lo, hi = (n[c] for c in NUMBER_COLUMNS)
    if value is None and (num is None or den is None):
        problems.add(row, "no value: give value (or numerator and denominator); leave out areas without data")
    if den is not None and den <= 0:
        problems.add(row, f"denominator must be above 0, got {den:g}")
    if (lo is None) != (hi is None):
        problems.add(row, "give both lower_ci and upper_ci, or neither")
    elif lo is not None and value is not None and not lo <= value <= hi:
        problems.add(row, f"the CI [{lo:g}, {hi:g}] is not around the value {value:g} "
                          "(lower_ci ≤ value ≤ upper_ci)")


# --- step 2: check against the indicator ---------------------------------------------------


@dataclass
class _Tally:
    suppressed: int = 0
    wilson: int = 0
    computed: int = 0
    mismatch: list[str] = field(default_factory=list)
    unchecked_disclosure: int = 0


def check_rows(rows: Sequence[ParsedRow], ind: Indicator) -> tuple[list[CheckedValue], list[tuple[int, str]],
                                                                  list[str]]:
    """Check parsed rows against an indicator; return (values to store, problems, warnings)."""
    problems = Problems()
    tally = _Tally()
    out = []
    for r in rows:
        before = len(problems.items)
        _check_against_entry(r, ind, problems)
        checked = _derive(r, ind, problems, tally)
        if len(problems.items) == before:
            out.append(checked)
    if out and all(v.status == "suppressed" for v in out):
        problems.add(0, f"every value would be suppressed by the disclosure rule of {ind.id} "
                        f"({_rule_text(ind)}); the indicator would have nothing to show")
    return out, problems.items, _tally_warnings(tally, ind)


def _check_against_entry(r: ParsedRow, ind: Indicator, problems: Problems) -> None:
    if r.level not in ind.levels:
        problems.add(r.row, f"level {r.level} is not in the levels of {ind.id} ({', '.join(ind.levels)})")
    if r.period not in ind.periods:
        problems.add(r.row, f"period {r.period} is not in the periods of {ind.id} ({', '.join(ind.periods)}); "
                            "to add a period, give --entry with the period added")
    if r.numerator is not None and r.numerator < 0:
        problems.add(r.row, f"numerator is negative ({r.numerator:g})")
    if not ind.allow_negative:
        for col in ("value", "lower_ci", "upper_ci"):
            if (x := getattr(r, col)) is not None and x < 0:
                problems.add(r.row, f"{col} is negative ({x:g}) and {ind.id} does not allow negative values")
    if ind.value_type == "proportion":
        _check_proportion(r, ind, problems)


def _check_proportion(r: ParsedRow, ind: Indicator, problems: Problems) -> None:
    if r.numerator is not None and r.denominator is not None and r.numerator > r.denominator:
        problems.add(r.row, f"numerator {r.numerator:g} is larger than denominator {r.denominator:g}")
    if r.value is not None and r.value > ind.scale:
        problems.add(r.row, f"value {r.value:g} is above {ind.scale:g}, the most a proportion can be "
                            f"in {ind.unit.en}")


def _derive(r: ParsedRow, ind: Indicator, problems: Problems, tally: _Tally) -> CheckedValue:
    """The value, CI and status to store for one row (disclosure rule and Wilson CI applied)."""
    value = _value(r, ind, problems, tally)
    if ind.disclosure.suppresses(r.numerator, r.denominator):
        tally.suppressed += 1
        note = f"suppressed by the disclosure rule ({_rule_text(ind)})"
        return CheckedValue(r, None, None, r.denominator, None, None, "suppressed",
                            f"{note}; {r.note}" if r.note else note)
    disclosure = ind.disclosure
    if (disclosure.min_count and r.numerator is None) or (disclosure.min_denominator and r.denominator is None):
        tally.unchecked_disclosure += 1
    lo, hi = r.lower_ci, r.upper_ci
    if ind.value_type == "proportion" and lo is None and _has_ratio(r) and r.numerator <= r.denominator:
        lo, hi = (b * ind.scale for b in wilson_interval(r.numerator, r.denominator))
        tally.wilson += 1
        if value is not None and not lo - 1e-9 <= value <= hi + 1e-9:
            problems.add(r.row, f"value {value:g} is outside the 95 % CI computed from numerator and "
                                f"denominator ({lo:.{ind.decimals}f}–{hi:.{ind.decimals}f}); check all three")
    return CheckedValue(r, value, r.numerator, r.denominator, lo, hi, "ok", r.note)


def _has_ratio(r: ParsedRow) -> bool:
    return r.numerator is not None and r.denominator is not None and r.denominator > 0


def _value(r: ParsedRow, ind: Indicator, problems: Problems, tally: _Tally) -> float | None:
    """The given value, or numerator ÷ denominator × scale for proportions, rates and ratios."""
    computable = ind.value_type in COMPUTED_TYPES and _has_ratio(r)
    exact = r.numerator / r.denominator * ind.scale if computable else None
    if r.value is None and exact is not None:
        tally.computed += 1
        return exact
    if r.value is None:
        problems.add(r.row, f"no value: {ind.id} is a {ind.value_type}, so value cannot be computed "
                            "from numerator and denominator")
    elif exact is not None and abs(r.value - exact) > _tolerance(ind):
        tally.mismatch.append(f"row {r.row}: {r.value:g} vs {exact:.{ind.decimals + 1}f}")
    return r.value


def _tolerance(ind: Indicator) -> float:
    return 0.5 * 10 ** -ind.decimals + 1e-9


def _rule_text(ind: Indicator) -> str:
    parts = []
    if ind.disclosure.min_count:
        parts.append(f"numerator below {ind.disclosure.min_count}")
    if ind.disclosure.min_denominator:
        parts.append(f"denominator below {ind.disclosure.min_denominator}")
    return " or ".join(parts)


def _tally_warnings(t: _Tally, ind: Indicator) -> list[str]:
    out = []
    if t.suppressed:
        out.append(f"{t.suppressed} value(s) stored as 'suppressed' without value, numerator or CI "
                   f"(disclosure rule: {_rule_text(ind)})")
    if t.computed:
        out.append(f"{t.computed} value(s) computed as numerator ÷ denominator × {ind.scale:g}")
    if t.wilson:
        out.append(f"{t.wilson} Wilson 95 % confidence interval(s) computed from numerator and denominator")
    if t.unchecked_disclosure:
        out.append(f"{t.unchecked_disclosure} value(s) lack the numerator or denominator, so the disclosure rule "
                   f"({_rule_text(ind)}) could not be applied to them")
    if t.mismatch:
        shown = "; ".join(t.mismatch[:5]) + (f"; … {len(t.mismatch) - 5} more" if len(t.mismatch) > 5 else "")
        out.append(f"{len(t.mismatch)} value(s) differ from numerator ÷ denominator × {ind.scale:g} "
                   f"({shown}); the given values are stored")
    return out


# --- step 2: the indicator -------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorChoice:
    indicator: Indicator | None
    exists: bool  # already in the database (origin 'import')
    update_entry: bool  # --entry given for an existing imported indicator
    problems: tuple[tuple[int, str], ...] = ()
    warnings: tuple[str, ...] = ()


def choose_indicator(con: duckdb.DuckDBPyConnection, rows: Sequence[ParsedRow],
                     entry: Path | None) -> IndicatorChoice:
    """The indicator the rows belong to: from --entry, or from the database."""
    ids = list(dict.fromkeys(r.indicator_id for r in rows))
    if len(ids) > 1:
        return IndicatorChoice(None, False, False, (
            (0, f"the file holds several indicators ({', '.join(ids)}); import one indicator per file"),))
    if entry is not None:
        return _choice_from_entry(con, entry, ids[0] if ids else None)
    if not ids:
        return IndicatorChoice(None, False, False)
    return _choice_from_db(con, ids[0])


def _stored(con: duckdb.DuckDBPyConnection, indicator_id: str) -> tuple[str, str] | None:
    df = queries.run(con, "get_indicator_meta", {"indicator_id": indicator_id})
    if df.empty:
        return None
    return str(df.at[0, "origin"]), str(df.at[0, "metadata_json"])


def _owned_by_build(indicator_id: str) -> tuple[int, str]:
    return (0, f"indicator {indicator_id!r} comes from the catalogue and is made by `python -m atlas build`; "
               "an import cannot change it. Import under a new indicator id with --entry ENTRY.toml")


def _choice_from_db(con: duckdb.DuckDBPyConnection, indicator_id: str) -> IndicatorChoice:
    stored = _stored(con, indicator_id)
    if stored is None:
        known = list(queries.run(con, "list_indicator_ids")["indicator_id"])
        close = difflib.get_close_matches(indicator_id, known, n=3, cutoff=0.6)
        hint = f"did you mean {', '.join(close)}? " if close else ""
        return IndicatorChoice(None, False, False, ((0, (
            f"unknown indicator {indicator_id!r}: {hint}To add a new indicator, give its catalogue entry "
            "with --entry ENTRY.toml (see examples/import_template_entry.toml)")),))
    origin, meta = stored
    if origin != "import":
        return IndicatorChoice(None, True, False, (_owned_by_build(indicator_id),))
    return IndicatorChoice(indicator_from_json(meta), True, False)


def _choice_from_entry(con: duckdb.DuckDBPyConnection, entry: Path, file_id: str | None) -> IndicatorChoice:
    try:
        ind = load_entry(con, entry)
    except CatalogueError as exc:
        return IndicatorChoice(None, False, False, ((0, f"--entry: {exc}"),))
    problems: list[tuple[int, str]] = []
    if file_id is not None and file_id != ind.id:
        problems.append((0, f"the entry {entry.name} defines {ind.id!r} but the file's indicator_id is {file_id!r}"))
    stored = _stored(con, ind.id)
    if stored is not None and stored[0] != "import":
        problems.append(_owned_by_build(ind.id))
    warnings = (f"the catalogue entry of {ind.id} was replaced by {entry.name}",) if stored else ()
    return IndicatorChoice(ind, stored is not None, stored is not None, tuple(problems), warnings)


def load_entry(con: duckdb.DuckDBPyConnection | None, path: Path) -> Indicator:
    """The one ``[[indicator]]`` table of an entry file, validated (themes and WHO codes from the
    database when ``con`` is given). CatalogueError on any problem."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            doc = tomllib.load(fh)
    except OSError as exc:
        raise CatalogueError(f"cannot read {path}: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"{path.name}: not valid TOML: {exc}") from exc
    items = doc.get("indicator")
    if set(doc) != {"indicator"} or not isinstance(items, list) or len(items) != 1:
        raise CatalogueError(f"{path.name}: expected exactly one [[indicator]] table and nothing else")
    if con is None:
        return parse_indicator(items[0], f"{path.name} [[indicator]]")
    themes = list(queries.run(con, "list_theme_ids")["theme_id"])
    who = list(queries.run(con, "list_who_codes")["code"])
    return parse_indicator(items[0], f"{path.name} [[indicator]]", who_codes=who, theme_ids=themes)


# --- step 2: the areas -------------------------------------------------------------------------


class AreaResolver:
    """Finds the atlas area code of a row: by area_code, or by names (a mahalle within its district)."""

    def __init__(self, areas: Iterable[tuple[str, str, str, str | None]]):
        """``areas``: (level, code, name, parent_code) of every district and mahalle."""
        self.names: dict[tuple[str, str], str] = {}
        self.parent: dict[str, str | None] = {}
        districts, mahalle = [], {}
        for level, code, name, parent in areas:
            self.names[(level, code)] = name
            if level == "district":
                districts.append(Candidate(code, name))
            elif level == "mahalle":
                self.parent[code] = parent
                mahalle.setdefault(parent, []).append(Candidate(code, name))
        self.districts = NameMatcher(districts)
        self.mahalle = {d: NameMatcher(c) for d, c in mahalle.items()}
        self._cache: dict[tuple[str, str], Match] = {}

    @classmethod
    def from_db(cls, con: duckdb.DuckDBPyConnection) -> "AreaResolver":
        df = queries.run(con, "list_area_names")
        parents = [None if pd.isna(p) else str(p) for p in df["parent_code"]]
        return cls(zip(df["level"], df["code"], df["name"], parents))

    def _match(self, matcher: NameMatcher, scope: str, name: str) -> Match:
        key = (scope, name)
        if key not in self._cache:
            self._cache[key] = matcher.match(name)
        return self._cache[key]

    def resolve(self, r: ParsedRow) -> tuple[str | None, str | None]:
        """(area code, None) or (None, problem message)."""
        by_name, problem = (None, None)
        if r.district:
            by_name, problem = self._by_name(r)
        if r.area_code is None:
            return by_name, problem
        if (r.level, r.area_code) not in self.names:
            return None, f"area_code {r.area_code!r} is not a {r.level} of the atlas"
        if problem:
            return None, problem
        if by_name is not None and by_name != r.area_code:
            return None, (f"area_code {r.area_code} is {self.label(r.level, r.area_code)} but the names say "
                          f"{self.label(r.level, by_name)}")
        return r.area_code, None

    def _by_name(self, r: ParsedRow) -> tuple[str | None, str | None]:
        d = self._match(self.districts, "", r.district)
        if not d.matched:
            return None, _unmatched("district", r.district, d)
        if r.level == "district":
            return d.code, None
        matcher = self.mahalle.get(d.code, NameMatcher([]))
        m = self._match(matcher, d.code, r.mahalle or "")
        if not m.matched:
            return None, _unmatched(f"mahalle in {self.names[('district', d.code)]}", r.mahalle or "", m)
        return m.code, None

    def label(self, level: str, code: str) -> str:
        name = self.names[(level, code)]
        if level == "mahalle" and self.parent.get(code):
            return f"{name} ({self.names.get(('district', self.parent[code]), self.parent[code])})"
        return name


def _unmatched(what: str, name: str, m: Match) -> str:
    if m.method == "ambiguous":
        return f"{what} {name!r} is ambiguous: it fits {', '.join(m.suggestions)}; use area_code"
    hint = f"; closest: {', '.join(m.suggestions)}" if m.suggestions else ""
    return f"unknown {what} {name!r}{hint}"


def resolve_areas(resolver: AreaResolver, rows: Sequence[ParsedRow], problems: Problems) -> dict[int, str]:
    """Row number → area code; unknown areas and duplicates (same indicator, level, area and period)
    are problems."""
    codes: dict[int, str] = {}
    seen: dict[tuple[str, str, str, str], int] = {}
    for r in rows:
        code, problem = resolver.resolve(r)
        if problem:
            problems.add(r.row, problem)
            continue
        key = (r.indicator_id, r.level, code, r.period)
        if key in seen:
            problems.add(r.row, f"duplicate: {r.level} {resolver.label(r.level, code)} period {r.period} "
                                f"is already given in row {seen[key]}")
            continue
        seen[key] = r.row
        codes[r.row] = code
    return codes


# --- the plan and the write ----------------------------------------------------------------------


@dataclass(frozen=True)
class SourceRecord:
    source_id: str
    title: str
    url: str
    licence: str
    attribution: str
    file_path: str
    sha256: str
    bytes: int


@dataclass(frozen=True)
class ImportPlan:
    indicator: Indicator
    write_entry: str  # 'insert', 'update' or 'keep'
    source: SourceRecord
    values: tuple[tuple[CheckedValue, str], ...]
    report: ImportReport


def source_record(file: Path, ind: Indicator) -> SourceRecord:
    data = Path(file).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    return SourceRecord(
        source_id=f"import_{ind.id}_{digest[:10]}",
        title=f"{ind.source} ({Path(file).name})",
        url=ind.source_url,
        licence=ind.licence,
        attribution=ind.source,
        file_path=Path(file).name,
        sha256=digest,
        bytes=len(data),
    )


def plan_import(con: duckdb.DuckDBPyConnection, file: Path, parsed: ParsedFile,
                entry: Path | None = None) -> ImportPlan:
    """Check everything; return what to write, or raise ImportRejected listing every problem."""
    problems = Problems(list(parsed.problems))
    choice = choose_indicator(con, parsed.rows, entry)
    problems.extend(choice.problems)
    checked: list[CheckedValue] = []
    warnings = list(choice.warnings)
    if choice.indicator is not None:
        checked, row_problems, row_warnings = check_rows(parsed.rows, choice.indicator)
        problems.extend(row_problems)
        warnings += row_warnings
    codes = resolve_areas(AreaResolver.from_db(con), parsed.rows, problems)
    if problems or choice.indicator is None:
        if not problems:
            problems.add(0, "no indicator to import into")
        raise problems.rejection(parsed.name)
    ind = choice.indicator
    values = [(v, codes[v.parsed.row]) for v in checked]
    periods = sorted({v.parsed.period for v, _ in values}, key=lambda p: (_period_sort(p), p))
    if choice.exists:
        warnings += _replaced_warnings(con, ind.id, periods)
    source = source_record(file, ind)
    levels = tuple(lv for lv in LEVELS if any(v.parsed.level == lv for v, _ in values))
    report = ImportReport(ind.id, len(values), levels, tuple(periods), not choice.exists, source.source_id,
                          tuple(warnings))
    write_entry = "update" if choice.update_entry else ("keep" if choice.exists else "insert")
    return ImportPlan(ind, write_entry, source, tuple(values), report)


def _period_sort(period: str) -> int:
    return parse_period(period)[1]


def _replaced_warnings(con: duckdb.DuckDBPyConnection, indicator_id: str, periods: Sequence[str]) -> list[str]:
    out = []
    for period in periods:
        df = queries.run(con, "count_indicator_values_for_period", {"indicator_id": indicator_id, "period": period})
        n = int(df.at[0, "n"])
        if n:
            out.append(f"replaces the {n} value(s) already stored for {indicator_id} period {period}")
    return out


def _indicator_params(ind: Indicator) -> dict:
    return {"indicator_id": ind.id, "theme": ind.theme, "title_tr": ind.title.tr, "title_en": ind.title.en,
            "unit_tr": ind.unit.tr, "unit_en": ind.unit.en, "value_type": ind.value_type,
            "polarity": ind.polarity, "who_code": ind.who_code, "metadata_json": ind.to_json()}


def _source_params(s: SourceRecord) -> dict:
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
    return {"source_id": s.source_id, "title": s.title, "url": s.url, "licence": s.licence,
            "attribution": s.attribution, "file_path": s.file_path, "sha256": s.sha256, "bytes": s.bytes,
            "loaded_at": now, "notes": "imported by python -m atlas import"}


def _value_params(ind: Indicator, v: CheckedValue, code: str, source_id: str) -> dict:
    return {"indicator_id": ind.id, "level": v.parsed.level, "area_code": code, "period": v.parsed.period,
            "period_sort": v.parsed.period_sort, "value": v.value, "numerator": v.numerator,
            "denominator": v.denominator, "lower_ci": v.lower_ci, "upper_ci": v.upper_ci,
            "status": v.status, "note": v.note, "source_id": source_id}


def write_plan(con: duckdb.DuckDBPyConnection, plan: ImportPlan, file_name: str) -> None:
    """Write a checked plan in one transaction: all of it or, on any database error, nothing."""
    ind = plan.indicator
    con.begin()
    committed = False
    try:
        if plan.write_entry == "insert":
            queries.execute(con, "insert_import_indicator", _indicator_params(ind))
        elif plan.write_entry == "update":
            queries.execute(con, "update_import_indicator", _indicator_params(ind))
        queries.execute(con, "upsert_import_source", _source_params(plan.source))
        for period in plan.report.periods:
            queries.execute(con, "delete_import_indicator_values_for_period",
                            {"indicator_id": ind.id, "period": period})
        for value, code in plan.values:
            queries.execute(con, "insert_indicator_value", _value_params(ind, value, code, plan.source.source_id))
        con.commit()
        committed = True
    except QueryError as exc:
        raise ImportRejected(f"{file_name}: the database refused the import; nothing was written.",
                             [str(exc)]) from exc
    finally:
        if not committed:
            con.rollback()


def import_file(file: Path, db: Path, entry: Path | None = None, *, dry_run: bool = False) -> ImportReport:
    """Import one indicator's values from ``file`` into the atlas database ``db``.

    ``entry`` is a TOML file with one ``[[indicator]]`` catalogue table, needed for a new
    indicator (or to update an imported one). With ``dry_run`` everything is checked and the
    report returned, but nothing is written. Raises ImportRejected listing every problem.
    """
    file = Path(file)
    parsed = parse_file(file)
    con = connect(db, read_only=dry_run)
    try:
        plan = plan_import(con, file, parsed, Path(entry) if entry is not None else None)
        if not dry_run:
            write_plan(con, plan, file.name)
    finally:
        con.close()
    return plan.report


__all__ = ["ImportReport", "import_file", "parse_file", "check_rows", "load_entry", "ParsedFile", "ParsedRow",
           "HEADER_ALIASES", "COLUMNS"]
