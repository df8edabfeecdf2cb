"""Count data by age band: the rows of the file, parsed and checked (issue #19).

One row per area × period × (optional) sex × age band, with the ``events`` counted and the
``population``. The row checks of the ordinary import apply (level, period, the area given, no
control characters, numbers as the file writes them), and these: ``events`` and ``population``
are whole numbers ≥ 0, events ≤ population, the age band readable. Then, per area × period × sex,
the bands must tile 0 … an open top band (``atlas.statistics.standards.check_bands``): a band twice
is a duplicate row, a gap or an overlap names the rows. Problems carry row numbers as the user sees
them (the header is row 1); nothing is raised here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..i18n import lazy
from ..statistics.standards import AgeBand, AgeBandError, parse_band
from .columns import HEADER_ALIASES, header_key
from .numbers import detect_decimal_mark, parse_number
from .problems import Problems, from_error, quoted
from .read import Cell, RawTable, cell_at, cell_text, read_table
from .rows import _check_area_given, _level, _period, row_texts

COUNT_NUMBER_COLUMNS = ("events", "population")
COUNT_TEXT_COLUMNS = ("indicator_id", "level", "district", "mahalle", "area_code", "period", "sex", "age_band",
                      "note", "note_en")
COUNT_COLUMNS = ("indicator_id", "level", "district", "mahalle", "area_code", "period", "sex", "age_band",
                 "events", "population", "note", "note_en")
COUNT_HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    **{c: HEADER_ALIASES[c] for c in ("indicator_id", "level", "district", "mahalle", "area_code", "period",
                                      "note", "note_en")},
    "sex": ("sex", "cinsiyet", "gender"),
    "age_band": ("age_band", "age_group", "age", "yas", "yas_grubu", "yas_bandi", "yas_araligi"),
    "events": ("events", "event_count", "count", "olay", "olay_sayisi", "sayi", "vaka", "vaka_sayisi"),
    "population": ("population", "nufus", "population_at_risk", "risk_altindaki_nufus"),
}
COUNT_ALIAS_TO_COLUMN = {header_key(a): col for col, names in COUNT_HEADER_ALIASES.items() for a in names}
#: Header names that only a count-data file has (a file of ready values with them needs the count-data entry).
COUNT_ONLY = frozenset(header_key(a) for c in ("age_band", "events", "population") for a in COUNT_HEADER_ALIASES[c])
SEX_ALIASES = {"total": "total", "toplam": "total", "all": "total", "persons": "total", "hepsi": "total",
               "tum": "total", "female": "female", "f": "female", "kadin": "female", "k": "female",
               "women": "female", "male": "male", "m": "male", "erkek": "male", "e": "male", "men": "male"}


def _problem(message: lazy.Message) -> lazy.Message:
    """A problem message, kept as a catalogue message so that the workbench shows it in its language."""
    return message


@dataclass(frozen=True)
class BandRow:
    """One parsed row of count data (area not yet resolved)."""

    row: int
    indicator_id: str | None
    level: str
    district: str | None
    mahalle: str | None
    area_code: str | None
    period: str
    period_sort: int
    sex: str
    band: AgeBand
    events: int
    population: int


@dataclass(frozen=True)
class ParsedCounts:
    name: str
    rows: tuple[BandRow, ...]
    problems: tuple[tuple[int, str], ...]
    has_sex: bool


def is_count_header(path: Path) -> bool:
    """Whether the file's header names a count-data column (age band, events, population)."""
    table = read_table(Path(path))
    return any(header_key(h or "") in COUNT_ONLY for h in table.header)


def parse_count_file(path: Path) -> ParsedCounts:
    path = Path(path)
    return parse_count_table(read_table(path), path.name)


def _map_header(table: RawTable, problems: Problems) -> dict[str, int]:
    found: dict[str, int] = {}
    for i, name in enumerate(table.header):
        key = header_key(name or "")
        if not key:
            if any(i < len(cells) and cell_text(cells[i]) for _, cells in table.rows):
                problems.add(table.header_row, lazy.gettext("column {number} has values but no header name",
                                                            number=i + 1))
            continue
        column = COUNT_ALIAS_TO_COLUMN.get(key)
        if column is None:
            problems.add(table.header_row, _problem(lazy.gettext(
                "unknown column {name}; the columns of count data are: {columns} (see docs/import.md)",
                name=quoted(name), columns=", ".join(COUNT_COLUMNS))))
        elif column in found:
            problems.add(table.header_row, lazy.gettext("column {name} repeats {first} ({column})", name=quoted(name),
                                                        first=quoted(table.header[found[column]]), column=column))
        else:
            found[column] = i
    missing = [c for c in ("level", "period", "age_band", "events", "population") if c not in found]
    for c in missing:
        problems.add(table.header_row, _problem(lazy.gettext("missing column {column}", column=repr(c))))
    if not {"area_code", "district"} & set(found):
        problems.add(table.header_row, lazy.gettext("missing the area: give column 'area_code', or 'district' (and "
                                                    "'mahalle' for mahalle rows)"))
    return found


def parse_count_table(table: RawTable, name: str = "file") -> ParsedCounts:
    """Parse and check every row of a count-data table, then the bands of each area × period × sex."""
    problems = Problems()
    columns = _map_header(table, problems)
    if problems:
        return ParsedCounts(name, (), tuple(problems.items), "sex" in columns)
    texts = [c for _, cells in table.rows for col in COUNT_NUMBER_COLUMNS
             for c in [cell_at(cells, columns.get(col))] if isinstance(c, str)]
    mark = detect_decimal_mark(texts, table.delimiter)
    rows = [r for number, cells in table.rows
            if (r := _parse_row(number, cells, columns, mark, problems, len(table.header))) is not None]
    if not rows and not problems:
        problems.add(0, lazy.gettext("the file has a header but no data rows"))
    check_band_sets(rows, problems)
    return ParsedCounts(name, tuple(rows), tuple(problems.items), "sex" in columns)


def _parse_row(number: int, cells: tuple[Cell, ...], columns: dict[str, int], mark: str, problems: Problems,
               width: int) -> BandRow | None:
    before = len(problems.items)
    text = row_texts(number, cells, columns, COUNT_TEXT_COLUMNS, problems, width)
    if text is None:
        return None
    level = _level(number, text["level"], problems)
    period = _period(number, text["period"], problems)
    if level:
        _check_area_given(number, level, text, problems)
    if period[0] and "-" in period[0]:
        problems.add(number, _problem(lazy.gettext(
            "period {period} is a span; count data give single years (pooled spans are made by the entry's "
            "'pooled' key)", period=quoted(period[0]))))
    sex = "total"
    if text["sex"] is not None or "sex" in columns:
        sex = SEX_ALIASES.get(header_key(text["sex"] or ""))
        if sex is None:
            problems.add(number, _problem(lazy.gettext(
                "sex is {value}; use female (kadın), male (erkek) or total (toplam)",
                value=quoted(text["sex"]) if text["sex"] else "empty")))
    band = None
    if not text["age_band"]:
        problems.add(number, _problem(lazy.gettext("age_band is empty; write it as 0, 1-4, 5-9 … 85+")))
    else:
        try:
            band = parse_band(text["age_band"])
        except AgeBandError as exc:
            problems.add(number, lazy.gettext("age_band: {problem}", problem=exc.args[0]))
    counts = {col: _count(number, col, cell_at(cells, columns.get(col)), mark, problems) for col in COUNT_NUMBER_COLUMNS}
    events, population = counts["events"], counts["population"]
    if events is not None and population is not None and events > population:
        problems.add(number, _problem(lazy.gettext(
            "events ({events}) are more than the population ({population}); a count cannot exceed the "
            "people it is counted in", events=events, population=population)))
    if len(problems.items) > before:
        return None
    return BandRow(number, text["indicator_id"], level, text["district"], text["mahalle"], text["area_code"],
                   period[0], period[1], sex, band, events, population)


def _count(row: int, column: str, cell: Cell, mark: str, problems: Problems) -> int | None:
    try:
        number = parse_number(cell, mark)
    except ValueError as exc:
        problems.add(row, lazy.gettext("{column}: {problem}", column=column, problem=from_error(exc)))
        return None
    if number is None:
        problems.add(row, _problem(lazy.gettext("{column} is empty; give a whole number (0 if none)", column=column)))
        return None
    if number < 0:
        problems.add(row, _problem(lazy.gettext("{column} is negative ({number}); counts are 0 or more",
                                                column=column, number=format(number, "g"))))
        return None
    if not float(number).is_integer():
        problems.add(row, _problem(lazy.gettext("{column} is {number}, not a whole number; counts of events and "
                                                "people are whole numbers", column=column, number=format(number, "g"))))
        return None
    return int(number)


def _where(r: BandRow) -> str:
    area = r.area_code or " / ".join(x for x in (r.district, r.mahalle) if x)
    sex = "" if r.sex == "total" else f", {r.sex}"
    return f"{r.level} {quoted(area)}, {r.period}{sex}"


def check_band_sets(rows: Sequence[BandRow], problems: Problems) -> None:
    """Per area × period × sex (as written in the file): no band twice, and the bands tile 0 … an open
    top band without gap or overlap. Each problem names the row(s)."""
    groups: dict[tuple, list[BandRow]] = {}
    for r in rows:
        key = (r.level, r.area_code, (r.district or "").casefold(), (r.mahalle or "").casefold(), r.period, r.sex)
        groups.setdefault(key, []).append(r)
    for group in groups.values():
        seen: dict[AgeBand, int] = {}
        for r in group:
            if r.band in seen:
                problems.add(r.row, _problem(lazy.gettext(
                    "duplicate: the age band {band} of {where} is already given in row {first}",
                    band=r.band.label, where=_where(r), first=seen[r.band])))
            else:
                seen[r.band] = r.row
        ordered = sorted(seen.items(), key=lambda kv: (kv[0].low, kv[0].high if kv[0].high is not None else 10**6))
        first_band, first_row = ordered[0]
        if first_band.low != 0:
            problems.add(first_row, _problem(lazy.gettext(
                "missing age bands: {where} starts at age {low}; the bands must start at 0",
                where=_where(group[0]), low=first_band.low)))
        for (prev, prev_row), (cur, cur_row) in zip(ordered, ordered[1:]):
            if prev.high is None:
                problems.add(cur_row, _problem(lazy.gettext(
                    "the age band {band} of {where} lies above the open top band {top} (row {top_row})",
                    band=cur.label, where=_where(group[0]), top=prev.label, top_row=prev_row)))
            elif cur.low < prev.high:
                problems.add(cur_row, _problem(lazy.gettext(
                    "overlapping age bands: {second} overlaps {first} (row {first_row}) in {where}",
                    second=cur.label, first=prev.label, first_row=prev_row, where=_where(group[0]))))
            elif cur.low > prev.high:
                problems.add(cur_row, _problem(lazy.gettext(
                    "missing age band: ages {missing} are not given between {first} (row {first_row}) and "
                    "{second} in {where}", missing=AgeBand(prev.high, cur.low).label, first=prev.label,
                    first_row=prev_row, second=cur.label, where=_where(group[0]))))
        last_band, last_row = ordered[-1]
        if last_band.high is not None:
            problems.add(last_row, _problem(lazy.gettext(
                "missing open top band: the last age band of {where} is {band}; the oldest band must be open, "
                "such as 85+ or 90+", where=_where(group[0]), band=last_band.label)))
