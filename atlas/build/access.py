"""The access step of ``python -m atlas build``: access indicators from the point layers.

After the point layers are in the ``points`` table, for every ``[[measure]]`` of
``geodata/access_measures.toml`` (:mod:`atlas.access.spec`) whose layer has points:

1. residents: each mahalle's 2023 population (the ``pop_total`` values already in the database)
   spread evenly over a 100 m lattice inside it (:func:`atlas.access.residents.place_evenly`),
   once per build;
2. per layer: straight-line distances from every resident point to the nearest point of the layer
   (and, for bus stops, the distinct lines within the radius) (:mod:`atlas.access.measures`);
3. per measure: a value for every mahalle, district and İzmir, written to ``indicator_values``
   with the indicator's catalogue entry.

A district's and İzmir's residents are the resident points of their mahalle (so mahalle not
matched to a TÜİK row are not in them). A mahalle without residents keeps the status and note of
its population value (an island or an industrial zone: not applicable; unmatched: missing); a
mahalle with a population of 0 is not applicable. Counts (``count``) are given for every area.

:func:`compute_layer_access` does the same for one layer in an existing database; ``python -m atlas
import-points`` calls it after importing a layer.
"""

from __future__ import annotations

import json
import math
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Iterable

import duckdb
import numpy as np
import pandas as pd
import shapely

from .. import queries
from .. import values as V
from ..access import measures as M
from ..access import residents as R
from ..access.spec import Measure, for_layer, load_measures
from ..catalogue import Catalogue, Indicator, load_catalogue
from ..db import insert_frame
from ..errors import BuildError
from ..i18n import lazy
from .areas import PROVINCE_CODE

POPULATION_PERIOD = "2023"
ZERO_POPULATION_NOTE = lazy.gettext("no residents: TÜİK lists a population of 0 for this area")
NO_POPULATION_NOTE = lazy.gettext("no population figure for this area, so no residents to place")
NO_POINTS_NOTE = lazy.gettext("the layer has no points to measure a distance to")

Progress = Callable[[str], None]


@dataclass
class Residents:
    """The resident points of a build and the population of every area they come from."""

    points: pd.DataFrame            # x, y (EPSG:32635), weight, area_code (mahalle)
    mahalle: pd.DataFrame           # code, parent_code, population, status, note (Text | None)
    districts: list[str]
    district_of: pd.Series          # mahalle code → district code

    def __post_init__(self) -> None:
        self.population_state = {c: (s, n) for c, s, n in zip(self.mahalle["code"], self.mahalle["status"],
                                                              self.mahalle["note"])}

    @property
    def n_points(self) -> int:
        return len(self.points)


@dataclass
class AccessReport:
    seconds: float = 0.0
    resident_points: int = 0
    layers: dict[str, int] = field(default_factory=dict)        # layer → values written
    skipped: dict[str, str] = field(default_factory=dict)       # layer → why no values

    def facts(self) -> dict[str, str]:
        return {"access_seconds": f"{self.seconds:.1f}",
                "access_resident_points": str(self.resident_points),
                "access_layers": json.dumps({"computed": self.layers, "skipped": self.skipped}, sort_keys=True)}


def prepare_residents(areas: pd.DataFrame, spacing: float = R.DEFAULT_SPACING_M) -> Residents:
    """Resident points from the rows of ``queries/list_access_areas.sql``."""
    mahalle = areas[areas["level"] == "mahalle"].reset_index(drop=True)
    districts = sorted(areas.loc[areas["level"] == "district", "code"].astype(str))
    status = mahalle["population_status"].where(mahalle["population_status"].notna(), None)
    pop = pd.to_numeric(mahalle["population"], errors="coerce")
    notes = [V.note_text(tr, en) for tr, en in zip(mahalle["note_tr"], mahalle["note_en"])]
    table = pd.DataFrame({"code": mahalle["code"].astype(str), "parent_code": mahalle["parent_code"].astype(str),
                          "population": pop.where(status == "ok"), "status": status, "note": notes})
    placed = table["population"].fillna(0.0) > 0
    geoms = shapely.from_wkb([bytes(b) for b in mahalle.loc[placed, "geom_wkb"]])
    points = R.place_evenly(R.to_metric(geoms), table.loc[placed, "code"], table.loc[placed, "population"], spacing)
    return Residents(points=points, mahalle=table, districts=districts,
                     district_of=table.set_index("code")["parent_code"])


def layer_service_points(points: pd.DataFrame, served_only: bool = False) -> pd.DataFrame:
    """The rows of ``queries/list_layer_points.sql`` as service points in metres (x, y, lines,
    mahalle_code, district_code); ``served_only`` keeps the points listing at least one line."""
    lines = [_lines_of(a) for a in points["attributes"]]
    x, y = R.lonlat_to_metric(points["lon"], points["lat"])
    out = pd.DataFrame({"x": x, "y": y, "lines": lines, "mahalle_code": points["mahalle_code"].to_numpy(),
                        "district_code": points["district_code"].to_numpy()})
    if served_only:
        out = out[[len(ln) > 0 for ln in lines]].reset_index(drop=True)
    return out


def _lines_of(attributes) -> list[str]:
    if attributes is None or (isinstance(attributes, float) and math.isnan(attributes)):
        return []
    data = json.loads(attributes) if isinstance(attributes, str) else attributes
    if not isinstance(data, dict):
        raise BuildError(f"point attributes must be a JSON object, got {str(attributes)[:40]!r}")
    raw = data.get("lines")
    return M.line_lists([raw])[0] if raw is not None else []


def layer_values(layer_measures: tuple[Measure, ...], points: pd.DataFrame, residents: Residents, cat: Catalogue,
                 source_id: str) -> pd.DataFrame:
    """The values of ``layer_measures`` (all of one layer) for every mahalle, district and İzmir.

    ``points`` are the layer's rows of ``queries/list_layer_points.sql``."""
    frames = []
    for served_only in sorted({m.served_only for m in layer_measures}):
        group = [m for m in layer_measures if m.served_only == served_only]
        services = layer_service_points(points, served_only)
        radii = sorted({m.distance_m for m in group if m.measure == "distinct_lines"})
        if len(radii) > 1:
            raise BuildError(f"layer {group[0].layer!r}: distinct lines are computed for one radius only, "
                             f"got {radii}")
        access = M.resident_access(residents.points, services, lines_radius=radii[0] if radii else None)
        distances = sorted({m.distance_m for m in group if m.measure == "share_within"})
        sums = M.point_sums(access, distances)  # per mahalle; districts and İzmir sum these
        levels = {
            "mahalle": M.summarise_sums(sums, services.assign(area_code=services["mahalle_code"]),
                                        distances=distances, area_codes=residents.mahalle["code"]),
            "district": M.summarise_sums(sums, services.assign(area_code=services["district_code"]),
                                         distances=distances, area_codes=residents.districts, by=residents.district_of),
            "province": M.summarise_sums(sums, services.assign(area_code=PROVINCE_CODE), distances=distances,
                                         area_codes=[PROVINCE_CODE],
                                         by=pd.Series(PROVINCE_CODE, index=residents.district_of.index)),
        }
        for m in group:
            ind = cat.get(m.indicator)
            period = ind.periods[-1]
            for level, summary in levels.items():
                if level != "province" and level not in ind.levels:
                    continue
                rows = [_row(m, ind, r, _status(level, r, residents)) for r in summary.itertuples(index=False)]
                frames.append(V.frame(ind, level, period, source_id, rows))
    return V.concat(frames)


def _status(level: str, r, residents: Residents) -> tuple[str, object] | None:
    """(status, note) of an area without residents to measure, or None when it has some."""
    if r.residents > 0:
        return None
    if level == "mahalle":
        status, note = residents.population_state.get(r.area_code, (None, None))
        if status is None:
            return "missing", NO_POPULATION_NOTE
        if status != "ok":
            return status, note
    return "not_applicable", ZERO_POPULATION_NOTE


def _row(m: Measure, ind: Indicator, r, no_residents) -> dict:
    code = r.area_code
    if m.measure == "count":
        return {"area_code": code, "value": float(r.points)}
    if no_residents is not None:
        status, note = no_residents
        return {"area_code": code, "status": status, "note": note}
    res = float(r.residents)
    if m.measure == "share_within":
        within = min(float(round(getattr(r, f"within_{m.distance_m:g}"))), res)
        return {"area_code": code, **V.proportion(within, res, ind.scale)}
    if m.measure == "per_10000":
        # no stored CI: the app computes the Poisson interval from the counts (fill_missing_cis), also at 99.8 %
        return {"area_code": code, "value": r.points / res * ind.scale, "numerator": float(r.points),
                "denominator": res}
    if m.measure == "mean_distance":
        if not math.isfinite(r.mean_distance_m):  # every point of the layer was left out (served_only)
            return {"area_code": code, "status": "missing", "note": NO_POINTS_NOTE}
        return {"area_code": code, "value": float(r.mean_distance_m)}
    if m.measure == "distinct_lines":
        return {"area_code": code, "value": float(r.mean_lines)}
    raise BuildError(f"unknown access measure {m.measure!r}")


def _layer_source(con: duckdb.DuckDBPyConnection, layer_id: str, points: pd.DataFrame) -> str:
    """The source a layer's values name: the first of the layer's sources that has points."""
    layer = queries.run(con, "get_point_layer", {"layer_id": layer_id})
    have = Counter(points["source_id"])
    listed = json.loads(layer["source_ids"].iloc[0]) if len(layer) else []
    for source in listed:
        if source in have:
            return source
    return have.most_common(1)[0][0]


def _write(con: duckdb.DuckDBPyConnection, cat: Catalogue, layer_measures: tuple[Measure, ...],
           values: pd.DataFrame) -> None:
    for m in layer_measures:
        queries.execute(con, "delete_indicator_values", {"indicator_id": m.indicator})
        if not values.empty and (values["indicator_id"] == m.indicator).any():
            if int(queries.run(con, "count_indicator", {"indicator_id": m.indicator})["n"].iloc[0]) == 0:
                queries.execute(con, "insert_indicator", {**cat.get(m.indicator).row_params(), "origin": "catalogue"})
    if not values.empty:
        insert_frame(con, "indicator_values", values)


def _compute(con, cat: Catalogue, measures: tuple[Measure, ...], layer_ids: list[str], residents: Residents,
             report: AccessReport) -> None:
    for layer_id in layer_ids:
        layer_measures = for_layer(measures, layer_id)
        if not layer_measures:
            report.skipped[layer_id] = "no access measure in geodata/access_measures.toml"
            continue
        points = queries.run(con, "list_layer_points", {"layer_id": layer_id})
        if points.empty:
            report.skipped[layer_id] = "the layer has no points"
            _write(con, cat, layer_measures, V.concat([]))
            continue
        values = layer_values(layer_measures, points, residents, cat, _layer_source(con, layer_id, points))
        _write(con, cat, layer_measures, values)
        report.layers[layer_id] = len(values)


def build_access(con: duckdb.DuckDBPyConnection, cat: Catalogue, progress: Progress | None = None,
                 measures: tuple[Measure, ...] | None = None,
                 layer_catalogue: Iterable[str] | None = None) -> AccessReport:
    """Every access indicator of every point layer in the database (the build's access step).
    ``layer_catalogue``: the ids of ``geodata/point_layers.toml``; a measure naming another layer
    fails the build (a typo would otherwise silently drop its indicator).
    Writes build facts ``access_seconds``, ``access_resident_points`` and ``access_layers``."""
    t0 = time.perf_counter()
    measures = load_measures(indicator_ids=cat.ids) if measures is None else measures
    if layer_catalogue is not None:
        unknown = sorted({m.layer for m in measures} - set(layer_catalogue))
        if unknown:
            raise BuildError(f"geodata/access_measures.toml names the point layer(s) {', '.join(unknown)}, which "
                             f"geodata/point_layers.toml does not have (it has: {', '.join(sorted(layer_catalogue))})")
    report = AccessReport()
    residents = prepare_residents(queries.run(con, "list_access_areas", {"period": POPULATION_PERIOD}))
    report.resident_points = residents.n_points
    layer_ids = list(queries.run(con, "list_point_layer_ids")["layer_id"])
    for layer_id in sorted({m.layer for m in measures} - set(layer_ids)):
        report.skipped[layer_id] = "the layer is not in the database (its sources are missing)"
    _compute(con, cat, measures, layer_ids, residents, report)
    report.seconds = time.perf_counter() - t0
    for key, value in report.facts().items():
        queries.execute(con, "insert_build_info", {"key": key, "value": value})
    if progress is not None:
        done = ", ".join(f"{k} ({v:,} values)" for k, v in report.layers.items()) or "none"
        progress(f"access indicators: {report.resident_points:,} resident points; {done}"
                 f"{'; skipped ' + ', '.join(f'{k}: {v}' for k, v in report.skipped.items()) if report.skipped else ''}"
                 f"  ({report.seconds:.1f} s)")
    return report


def compute_layer_access(con: duckdb.DuckDBPyConnection, layer_id: str, *, cat: Catalogue | None = None,
                         measures: tuple[Measure, ...] | None = None,
                         spacing: float = R.DEFAULT_SPACING_M) -> AccessReport:
    """(Re)compute the access indicators of one layer in an open, writable database: its values are
    replaced (none are left when the layer has no points). ``python -m atlas import-points`` calls
    this after importing a layer. A layer without a ``[[measure]]`` in ``geodata/access_measures.toml``
    gets none (reported in ``skipped``)."""
    t0 = time.perf_counter()
    cat = load_catalogue() if cat is None else cat
    measures = load_measures(indicator_ids=cat.ids) if measures is None else measures
    report = AccessReport()
    if not for_layer(measures, layer_id):
        report.skipped[layer_id] = "no access measure in geodata/access_measures.toml"
        return report
    residents = prepare_residents(queries.run(con, "list_access_areas", {"period": POPULATION_PERIOD}), spacing)
    report.resident_points = residents.n_points
    _compute(con, cat, measures, [layer_id], residents, report)
    report.seconds = time.perf_counter() - t0
    return report

