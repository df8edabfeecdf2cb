"""Turning a raw table into typed rows: the header mapped to columns, then every row's numbers,
level, period and area parsed, with the checks that need nothing but the row itself. Problems
are collected with row numbers as the user sees them (the header is row 1), never raised."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..i18n import lazy
from .columns import LEVEL_ALIASES, NUMBER_COLUMNS, TEXT_COLUMNS, column_label, header_key
from .header import map_header, missing_columns
from .limits import FIRST_YEAR, last_year
from .numbers import detect_decimal_mark, parse_number
from .problems import Problems, from_error, g, quoted
from .read import Cell, RawTable, cell_at, cell_text, read_table

_PERIOD = re.compile(r"^(\d{4})(?:\s*[-–—]\s*(\d{4}))?$", re.ASCII)
# Characters no text of an import may hold: the C0 and C1 control characters (NUL included) but tab,
# line feed and carriage return (a line break inside an Excel cell), and the bidirectional embeddings,
# overrides and isolates, which reorder how the text around them is shown.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


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
    note_en: str | None = None


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


def parse_file(path: Path) -> ParsedFile:
    """Read and parse an import file (no database needed)."""
    path = Path(path)
    return parse_table(read_table(path), path.name)


def parse_table(table: RawTable, name: str = "file") -> ParsedFile:
    """Parse every row of a table; problems are collected, not raised."""
    problems = Problems()
    columns = map_header(table.header, problems, table.rows, table.header_row)
    missing = missing_columns(columns)
    for message in missing:
        problems.add(table.header_row, message)
    number_texts = [
        c for _, cells in table.rows for col in NUMBER_COLUMNS if col in columns
        for c in [cell_at(cells, columns[col])] if isinstance(c, str)
    ]
    mark = detect_decimal_mark(number_texts, table.delimiter)
    rows: list[ParsedRow] = []
    if not missing:
        for number, cells in table.rows:
            parsed = parse_row(number, cells, columns, mark, problems, len(table.header))
            if parsed is not None:
                rows.append(parsed)
        if not rows and not problems:
            problems.add(0, lazy.gettext("the file has a header but no data rows"))
    return ParsedFile(name, table.encoding, table.delimiter, mark, tuple(sorted(columns, key=columns.get)),
                      tuple(rows), tuple(problems.items))


def parse_period(text: str) -> tuple[str, int]:
    """'2023' or '2021-2025' → (normalised period, last year); ValueError otherwise, also for a year
    before ``limits.FIRST_YEAR`` or after next year."""
    m = _PERIOD.match(text.strip())
    if not m:
        raise ValueError(lazy.gettext("period {period} is not a year (2023) or a span of years (2021-2025)",
                                      period=quoted(text)))
    first, last = m.group(1), m.group(2)
    for year in (first, last or first):
        if not FIRST_YEAR <= int(year) <= last_year():
            raise ValueError(lazy.gettext("period {period} names the year {year}; a period lies within "
                                          "{first}–{last}", period=quoted(text), year=year, first=FIRST_YEAR,
                                          last=last_year()))
    if last is None:
        return first, int(first)
    if int(last) < int(first):
        raise ValueError(lazy.gettext("period {period} ends before it starts", period=quoted(text)))
    return f"{first}-{last}", int(last)


def parse_row(number: int, cells: tuple[Cell, ...], columns: dict[str, int], mark: str,
              problems: Problems, width: int) -> ParsedRow | None:
    """One data row, or None if it is blank or has problems (which are added)."""
    before = len(problems.items)
    text = row_texts(number, cells, columns, TEXT_COLUMNS, problems, width)
    if text is None:
        return None
    unparsed = len(problems.items)
    numbers = {col: _number(number, col, cell_at(cells, columns.get(col)), mark, problems) for col in NUMBER_COLUMNS}
    numbers_ok = len(problems.items) == unparsed
    level = _level(number, text["level"], problems)
    period = _period(number, text["period"], problems)
    if not text["indicator_id"]:
        problems.add(number, lazy.gettext("indicator_id is empty"))
    if level:
        _check_area_given(number, level, text, problems)
    if numbers_ok:
        _check_numbers(number, numbers, problems)
    if len(problems.items) > before:
        return None
    return ParsedRow(row=number, indicator_id=text["indicator_id"], level=level, district=text["district"],
                     mahalle=text["mahalle"], area_code=text["area_code"], period=period[0],
                     period_sort=period[1], note=text["note"], note_en=text["note_en"], **numbers)


def row_texts(number: int, cells: tuple[Cell, ...], columns: dict[str, int], text_columns: Sequence[str],
              problems: Problems, width: int) -> dict[str, str | None] | None:
    """The text cells of one data row by column (None when the row is blank), after the checks every kind of
    row gets: no cells beyond the header, no control characters (problems are added)."""
    if not any(cell_text(c) for c in cells):
        return None
    if any(cell_text(c) for c in cells[width:]):
        problems.add(number, lazy.gettext("the row has more cells ({cells}) than the header ({width})",
                                          cells=len(cells), width=width))
    text = {col: cell_text(cell_at(cells, columns.get(col))) or None for col in text_columns}
    _check_characters(number, text, problems)
    return text


def _check_characters(row: int, text: dict[str, str | None], problems: Problems) -> None:
    for col, value in text.items():
        if value and (bad := _CONTROL.search(value)):
            problems.add(row, lazy.gettext("{column} holds the control character {code} at character {position}; "
                                           "text may hold letters, digits, punctuation, spaces and line breaks "
                                           "only", column=column_label(col), code=f"U+{ord(bad.group()):04X}",
                                           position=f"{bad.start() + 1:,}"))


def _number(row: int, column: str, cell: Cell, mark: str, problems: Problems) -> float | None:
    try:
        return parse_number(cell, mark)
    except ValueError as exc:
        problems.add(row, lazy.gettext("{column}: {problem}", column=column_label(column),
                                       problem=from_error(exc)))
        return None


def _level(row: int, text: str | None, problems: Problems) -> str | None:
    level = LEVEL_ALIASES.get(header_key(text or ""))
    if level is None:
        shown = quoted(text) if text else lazy.gettext("empty")
        problems.add(row, lazy.gettext("level is {level}; use district (ilçe) or mahalle", level=shown))
    return level


def _period(row: int, text: str | None, problems: Problems) -> tuple[str, int]:
    try:
        return parse_period(text or "")
    except ValueError as exc:
        problems.add(row, from_error(exc) if text else lazy.gettext("period is empty"))
        return "", 0


def _check_area_given(row: int, level: str, text: dict[str, str | None], problems: Problems) -> None:
    if text["area_code"]:
        return
    if level == "district":
        if not text["district"]:
            problems.add(row, lazy.gettext("no area: give area_code or the district name"))
        elif text["mahalle"]:
            problems.add(row, lazy.gettext("level is district but a mahalle is given ({mahalle}); use level "
                                           "mahalle or leave mahalle empty", mahalle=quoted(text["mahalle"])))
        return
    if not text["mahalle"]:
        problems.add(row, lazy.gettext("no area: give area_code, or the district and mahalle names"))
    elif not text["district"]:
        problems.add(row, lazy.gettext("mahalle {mahalle} has no district; a mahalle is matched within its "
                                       "district (names repeat across districts), so give the district too",
                                       mahalle=quoted(text["mahalle"])))


def _check_numbers(row: int, n: dict[str, float | None], problems: Problems) -> None:
    value, num, den, lo, hi = (n[c] for c in NUMBER_COLUMNS)
    if value is None and (num is None or den is None):
        problems.add(row, lazy.gettext("no value: give value (or numerator and denominator); leave out areas "
                                       "without data"))
    if den is not None and den <= 0:
        problems.add(row, lazy.gettext("denominator must be above 0, got {number}", number=g(den)))
    if (lo is None) != (hi is None):
        problems.add(row, lazy.gettext("give both lower_ci and upper_ci, or neither"))
    elif lo is not None and value is not None and not lo <= value <= hi:
        problems.add(row, lazy.gettext("the CI [{lower}, {upper}] is not around the value {value} "
                                       "(lower_ci ≤ value ≤ upper_ci)", lower=g(lo), upper=g(hi), value=g(value)))
