"""Integrity checks of an atlas database (``python -m atlas check``; also run by every build).

SQL checks are the ``queries/check_*.sql`` files: each returns one row per problem, in a column
``problem``, and its first comment line names it. Two checks need Python: geometry validity, and
values whose period or level the indicator's catalogue entry does not list.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import shapely

from .. import queries
from ..catalogue import indicator_from_json

# İzmir lies well inside this box (lon/lat); geometry outside it is in the wrong CRS.
IZMIR_BOUNDS = (25.5, 37.3, 29.0, 39.9)
SAMPLE = 5


@dataclass(frozen=True)
class CheckOutcome:
    name: str
    description: str
    problems: tuple[str, ...]
    count: int

    @property
    def ok(self) -> bool:
        return self.count == 0


@dataclass(frozen=True)
class CheckReport:
    outcomes: tuple[CheckOutcome, ...]

    @property
    def failed(self) -> list[CheckOutcome]:
        return [o for o in self.outcomes if not o.ok]

    def text(self) -> str:
        lines = []
        for o in self.outcomes:
            lines.append(f"{'ok  ' if o.ok else 'FAIL'}  {o.name}: {o.description}")
            lines += [f"        - {p}" for p in o.problems]
            if o.count > len(o.problems):
                lines.append(f"        … and {o.count - len(o.problems)} more")
        passed = len(self.outcomes) - len(self.failed)
        lines.append(f"{passed} of {len(self.outcomes)} checks passed")
        return "\n".join(lines)


# The checks about values, run after an import (the others concern the build's areas and sources).
VALUE_CHECKS = frozenset({"value_status", "value_ci", "value_sources", "indicators_have_values", "periods_levels"})


def run_checks(con: duckdb.DuckDBPyConnection, only: frozenset[str] | None = None) -> CheckReport:
    """Run every check, or the ones named in ``only``."""
    outcomes = []
    for q in queries.all_queries():
        if not q.name.startswith("check_") or (only is not None and q.name.removeprefix("check_") not in only):
            continue
        problems = queries.run(con.cursor(), q.name)["problem"].tolist()
        description = q.doc.splitlines()[0].removeprefix("Check:").strip()
        outcomes.append(CheckOutcome(q.name.removeprefix("check_"), description, tuple(problems[:SAMPLE]),
                                     len(problems)))
    if only is None or "geometry" in only:
        outcomes.append(_geometry(con))
    if only is None or "periods_levels" in only:
        outcomes.append(_periods_and_levels(con))
    return CheckReport(tuple(outcomes))


def _outcome(name: str, description: str, problems: list[str]) -> CheckOutcome:
    return CheckOutcome(name, description, tuple(problems[:SAMPLE]), len(problems))


def _geometry(con: duckdb.DuckDBPyConnection) -> CheckOutcome:
    rows = queries.run(con.cursor(), "list_area_geometries").itertuples(index=False)
    problems = []
    minx, miny, maxx, maxy = IZMIR_BOUNDS
    for level, code, raw, display in rows:
        for label, wkb in (("geometry", raw), ("display geometry", display)):
            geom = shapely.from_wkb(bytes(wkb))
            if geom.is_empty or geom.geom_type not in ("Polygon", "MultiPolygon"):
                problems.append(f"{level} {code}: {label} is {geom.geom_type}, not a polygon")
            elif not geom.is_valid:
                problems.append(f"{level} {code}: {label} is invalid ({shapely.is_valid_reason(geom)})")
            else:
                x0, y0, x1, y1 = geom.bounds
                if x0 < minx or y0 < miny or x1 > maxx or y1 > maxy:
                    problems.append(f"{level} {code}: {label} lies outside İzmir in EPSG:4326 (bounds {geom.bounds})")
    return _outcome("geometry", "every area has valid polygon geometry in EPSG:4326 inside İzmir", problems)


def _periods_and_levels(con: duckdb.DuckDBPyConnection) -> CheckOutcome:
    meta_rows = queries.run(con.cursor(), "list_indicator_metadata")
    meta = {i: indicator_from_json(m) for i, m in zip(meta_rows["indicator_id"], meta_rows["metadata_json"])}
    pairs = queries.run(con.cursor(), "list_value_periods").itertuples(index=False)
    problems = []
    for ind_id, level, period in pairs:
        ind = meta.get(ind_id)
        if ind is None:
            continue  # reported by check_value_sources
        if period not in ind.periods:
            problems.append(f"{ind_id}: values for period {period}, catalogue lists {', '.join(ind.periods)}")
        if level != "province" and level not in ind.levels:
            problems.append(f"{ind_id}: values at level {level}, catalogue lists {', '.join(ind.levels)}")
    return _outcome("periods_levels", "values use only the periods and levels their catalogue entry lists",
                    problems)
