"""``python -m atlas build``: the atlas database from the source files.

The database is written to a temporary file beside the target, checked, and only then moved
over the target with an atomic rename: a failed build leaves the previous database untouched.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import duckdb
import pandas as pd

from .. import __version__, queries
from . import access as build_access
from . import areas as A
from . import grid as build_grid
from . import population as build_population
from . import sege as build_sege
from . import carry_imports
from ..catalogue import Catalogue, load_catalogue
from .checks import run_checks
from ..config import INDICATORS_DIR, SOURCES_MANIFEST, data_dir as resolve_data_dir, db_path as resolve_db
from ..db import create_schema, insert_frame
from ..errors import BuildError
from ..points.assign import AreaPolygons
from ..points.catalogue import load_point_layers
from ..points.layers import PointsReport, build_points
from .sources import SourceFile, check_present, load_manifest, sha256_of

Progress = Callable[[str], None]


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass
class BuildReport:
    db: Path
    seconds: float = 0.0
    db_bytes: int = 0
    facts: dict[str, str] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    skipped_indicators: list[str] = field(default_factory=list)
    carried_indicators: list[str] = field(default_factory=list)
    dropped_imported_values: tuple[str, ...] = ()
    unmatched: pd.DataFrame | None = None
    points: PointsReport | None = None  # the point layers: loaded, and every point reported (atlas.points)


class _Steps:
    def __init__(self, progress: Progress, total: int):
        self.progress, self.total, self.n, self.t0 = progress, total, 0, time.perf_counter()

    def __call__(self, what: str) -> None:
        self.n += 1
        self.progress(f"[{self.n}/{self.total}] {what}  ({time.perf_counter() - self.t0:.1f} s)")


def build(data_dir: str | os.PathLike | None = None, db: str | os.PathLike | None = None, *,
          progress: Progress = _stderr, catalogue_dir: Path = INDICATORS_DIR,
          manifest_path: Path = SOURCES_MANIFEST) -> BuildReport:
    started = time.perf_counter()
    data = resolve_data_dir(data_dir)
    target = resolve_db(db)
    manifest = load_manifest(manifest_path)
    absent = check_present(manifest, data)
    cat = load_catalogue(catalogue_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{target.name}.tmp-{os.getpid()}")
    _remove(tmp)
    report = BuildReport(db=target, skipped=[s.id for s in absent])
    try:
        con = duckdb.connect(str(tmp))
        try:
            areas = _fill(con, data, manifest, absent, cat, report, _Steps(progress, 10))
            _carry_imports(con, target, areas, report, progress)
            report.seconds = time.perf_counter() - started
            queries.execute(con, "insert_build_info", {"key": "build_seconds", "value": f"{report.seconds:.1f}"})
            problems = run_checks(con)
            if problems.failed:
                raise BuildError("the new database failed its checks:\n" + problems.text())
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.replace(tmp, target)
    except BaseException:
        _remove(tmp)
        raise
    report.db_bytes = target.stat().st_size
    progress(f"built {target} ({report.db_bytes / 1e6:.1f} MB) in {time.perf_counter() - started:.1f} s")
    return report


def _remove(path: Path) -> None:
    for p in (path, Path(f"{path}.wal")):
        if p.exists():
            p.unlink()


def _fill(con, data: Path, manifest: dict[str, SourceFile], absent: list[SourceFile], cat: Catalogue,
          report: BuildReport, step: _Steps) -> None:
    path = {s.id: s.location(data) for s in manifest.values()}
    step("schema and sources (checksums)")
    create_schema(con)
    insert_frame(con, "sources", _source_rows(manifest, data, absent))

    step("districts: read, repair, simplify")
    crosswalk = A.read_crosswalk(path["district_crosswalk"])
    districts, dstats = A.build_districts(path["hdx_districts"], crosswalk, "hdx_districts",
                                          build_population.official_areas(path["tuik_district_population"]))
    province = A.build_province(districts, "hdx_districts")
    step("mahalle: read, repair, simplify")
    mahalle, mstats = A.build_mahalle(path["tgj_mahalle"], crosswalk, "tgj_mahalle")
    areas = pd.concat([province, districts, mahalle], ignore_index=True)
    insert_frame(con, "areas", areas)

    step("population indicators")
    frames = [
        build_population.district_population(path["tuik_district_population"], areas, cat,
                                             "tuik_district_population"),
        build_population.sex_ratio(path["tuik_population_by_sex_2021"], areas, cat, "tuik_population_by_sex_2021"),
        build_population.adults_65plus(path["tuik_voters_age_sex_2018"], areas, cat, "tuik_voters_age_sex_2018"),
    ]
    step("mahalle population: name matching within districts")
    mahalle_values, matches = build_population.mahalle_population(
        path["tuik_mahalle_population_2023"], areas, cat, "tuik_mahalle_population_2023")
    frames.append(mahalle_values)

    step("grid indicators (area-weighted, with coverage)")
    if any(s.id == "heat_vulnerability_grid" for s in absent):
        report.skipped_indicators = list(build_grid.GRID_INDICATORS)
    else:
        pop = mahalle_values[(mahalle_values["indicator_id"] == "pop_total") & (mahalle_values["status"] == "ok")]
        frames.append(build_grid.grid_indicators(path["heat_vulnerability_grid"], areas, cat,
                                                 "heat_vulnerability_grid",
                                                 pop.set_index("area_code")["value"]))
    if any(s.id == "sege_2022_districts" for s in absent):
        report.skipped_indicators += list(build_sege.INDICATORS)
        step.progress(f"SEGE-2022 file missing, {', '.join(build_sege.INDICATORS)} left out: "
                      f"{path['sege_2022_districts']} (geodata/sources.toml, source 'sege_2022_districts')")
    else:
        frames.append(build_sege.sege_indicators(path["sege_2022_districts"], areas, cat, "sege_2022_districts"))
    values = pd.concat(frames, ignore_index=True)

    step("catalogue, values and match report")
    built_ids = set(values["indicator_id"])
    _insert_catalogue(con, cat, built_ids)
    insert_frame(con, "indicator_values", values)
    insert_frame(con, "name_matches", matches)

    step("point layers: read, check, assign to district and mahalle")
    report.points = build_points(con, load_point_layers(source_ids=manifest), path, {s.id for s in absent},
                                 AreaPolygons.from_frame(areas))
    build_access.build_access(con, cat, step.progress,  # access indicators of every layer (atlas.build.access)
                              layer_catalogue=[layer.id for layer in load_point_layers()])

    step("build facts")
    unmatched = matches[matches["area_code"].isna()]
    report.unmatched = unmatched
    matched_pop = matches.loc[matches["area_code"].notna(), "weight"].sum()
    facts = {
        "built_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "atlas_version": __version__,
        "data_dir": str(data),
        "skipped_sources": ", ".join(s.id for s in absent) or "none",
        "districts": str(len(districts)),
        "mahalle_features": str(len(mahalle)),
        "mahalle_kinds": json.dumps(mahalle["kind"].value_counts().to_dict(), sort_keys=True),
        "geometry_repaired": json.dumps({"district": dstats.repaired, "mahalle": mstats.repaired}),
        "geometry_district": json.dumps({"raw": dstats.raw.as_dict(), "display": dstats.display.as_dict()}),
        "geometry_mahalle": json.dumps({"raw": mstats.raw.as_dict(), "display": mstats.display.as_dict()}),
        "mahalle_join_rows": f"{len(matches) - len(unmatched)}/{len(matches)}",
        "mahalle_join_population_share": f"{matched_pop / matches['weight'].sum():.6f}",
        "indicator_values": str(len(values)),
        **report.points.facts(),
    }
    for key, value in facts.items():
        queries.execute(con, "insert_build_info", {"key": key, "value": value})
    report.facts = facts
    return areas


def _carry_imports(con, target: Path, areas: pd.DataFrame, report: BuildReport, progress: Progress) -> None:
    """Copy the previous database's imported indicators into the new one (see atlas.build.carry_imports)."""
    previous = carry_imports.read_previous(target)
    if previous is None or previous.indicators.empty:
        progress(f"[10/10] no imported indicators to keep from {target}")
        return
    kept = carry_imports.keep_known_areas(previous, areas)
    insert_frame(con, "sources", kept.sources)
    insert_frame(con, "indicators", kept.indicators)
    insert_frame(con, "indicator_values", kept.values)
    report.carried_indicators = kept.indicators["indicator_id"].tolist()
    report.dropped_imported_values = kept.dropped
    progress(f"[10/10] kept imported indicators {', '.join(report.carried_indicators)} "
             f"({len(kept.values)} values; {len(kept.dropped)} dropped: area not in the new build)")


def _source_rows(manifest: dict[str, SourceFile], data: Path, absent: list[SourceFile]) -> pd.DataFrame:
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    rows = []
    skip = {s.id for s in absent}
    for s in manifest.values():
        if s.id in skip:
            continue
        loc = s.location(data)
        rows.append({"source_id": s.id, **s.row(), "url": s.url, "file_path": s.path, "sha256": sha256_of(loc),
                     "bytes": loc.stat().st_size, "loaded_at": now, "notes": None})
    return pd.DataFrame(rows)


def _insert_catalogue(con, cat: Catalogue, built_ids: set[str]) -> None:
    for t in cat.themes:
        queries.execute(con, "insert_theme", {"theme_id": t.id, "title_tr": t.title.tr, "title_en": t.title.en})
    for w in cat.who:
        queries.execute(con, "insert_who_indicator",
                        {"code": w.code, "grp": w.group, "title_tr": w.title.tr, "title_en": w.title.en})
    for ind in cat.indicators:
        if ind.id not in built_ids:
            continue
        queries.execute(con, "insert_indicator", {**ind.row_params(), "origin": "catalogue"})
