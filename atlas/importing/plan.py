"""Planning an import: every check of the parsed file against the database (the indicator, its
catalogue entry, the areas, duplicates), ending either in the plan of what to write with its
report, or in one ImportRejected that lists every problem."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import duckdb

from .. import queries
from ..catalogue import LEVELS, Indicator, Text
from ..build.sources import sha256_of
from .areas import AreaResolver, resolve_areas
from .check import CheckedValue, check_rows
from .indicator import choose_indicator
from .province import AreaKinds, ProvinceValue, province_values
from ..i18n import lazy
from .problems import Problems
from .rows import ParsedFile


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
    izmir: tuple[str, ...] = ()  # per period: the İzmir value computed, or why there is none
    members: tuple[str, ...] = ()  # count data by age band: each indicator of the family written, with its rows

    def summary(self) -> str:
        """A few lines for the terminal."""
        kind = "new indicator" if self.new_indicator else "indicator"
        lines = [
            f"{kind} {self.indicator_id}: {self.rows} value(s); levels {', '.join(self.levels)}; "
            f"periods {', '.join(self.periods)}; source {self.source_id}",
        ]
        lines += [f"  member: {m}" for m in self.members]
        lines += [f"  note: {w}" for w in self.warnings]
        lines += [f"  İzmir: {line}" for line in self.izmir]
        return "\n".join(lines)


@dataclass(frozen=True)
class SourceRecord:
    """The ``sources`` row written for an imported file."""

    source_id: str
    title: Text
    url: str
    licence: Text
    attribution: Text
    file_path: str
    sha256: str
    bytes: int


@dataclass(frozen=True)
class ImportPlan:
    """Everything an import will write: the indicator (and what to do with its entry), the source
    row and the values with their area codes, and the report to return."""

    indicator: Indicator
    write_entry: str  # 'insert', 'update' or 'keep'
    source: SourceRecord
    values: tuple[tuple[CheckedValue, str], ...]
    report: ImportReport
    province: tuple[ProvinceValue, ...] = ()  # the İzmir value of each period where it can be computed


def source_record(file: Path, ind: Indicator) -> SourceRecord:
    """The ``sources`` row of an imported file (its id names the indicator and the file's hash)."""
    file = Path(file)
    digest = sha256_of(file)
    return SourceRecord(
        source_id=f"import_{ind.id}_{digest[:10]}",
        title=Text(f"{ind.source.tr} ({file.name})", f"{ind.source.en} ({file.name})"),
        url=ind.source_url,
        licence=ind.licence,
        attribution=ind.source,
        file_path=file.name,
        sha256=digest,
        bytes=file.stat().st_size,
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
            problems.add(0, lazy.gettext("no indicator to import into"))
        raise problems.rejection(parsed.name)
    ind = choice.indicator
    values = [(v, codes[v.parsed.row]) for v in checked]
    periods = [p for _, p in sorted({(v.parsed.period_sort, v.parsed.period) for v, _ in values})]
    if choice.exists:
        warnings += _replaced_warnings(con, ind.id, periods)
    source = source_record(file, ind)
    levels = tuple(lv for lv in LEVELS if any(v.parsed.level == lv for v, _ in values))
    province, izmir = province_values(ind, values, AreaKinds.from_db(con))
    report = ImportReport(ind.id, len(values), levels, tuple(periods), not choice.exists, source.source_id,
                          tuple(warnings), tuple(izmir))
    write_entry = "update" if choice.update_entry else ("keep" if choice.exists else "insert")
    return ImportPlan(ind, write_entry, source, tuple(values), report, tuple(province))


def _replaced_warnings(con: duckdb.DuckDBPyConnection, indicator_id: str, periods: Sequence[str]) -> list[str]:
    out = []
    for period in periods:
        df = queries.run(con, "count_indicator_values_for_period", {"indicator_id": indicator_id, "period": period})
        n = int(df.at[0, "n"])
        if n:
            out.append(f"replaces the {n} value(s) already stored for {indicator_id} period {period}")
    return out
