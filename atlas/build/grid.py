"""Aggregate the 250 m heat and vulnerability grid to mahalle, districts and the province.

Each cell is a 250 m square around its centre (EPSG:32635). A cell's value counts for an area
in proportion to the part of the cell inside it.

Coverage: for a mahalle, the share of its area under grid cells. For a district, the share of
its residents who live under the grid: each mahalle's 2023 population times its area coverage,
summed and divided by the district's mahalle population (people are assumed spread evenly within
a mahalle). The grid follows the built-up area, so area coverage would call a district with all
its neighbourhoods covered and its farmland not "poorly covered". Areas covered below
``MIN_COVERAGE`` are stored as 'missing' with their coverage, not guessed.
The province value is the mean over the whole grid (central İzmir), labelled as such.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from . import geometry as geo
from .. import values as V
from .areas import PROVINCE_CODE
from ..catalogue import Catalogue, Text
from ..errors import BuildError
from ..i18n import lazy

CELL_M = 250.0
MIN_COVERAGE = 0.5
# indicator id -> (grid column, period)
GRID_INDICATORS = {
    "lst_summer_mean": ("lst_summer", "2014-2024"),
    "green_fraction": ("f_green", "2021"),
    "svi_mean": ("svi", "2026"),
    "elderly_share_grid": ("elderly_share", "2026"),
}


def read_cells(path: Path) -> gpd.GeoDataFrame:
    df = pd.read_csv(path)
    needed = {"x", "y"} | {col for col, _ in GRID_INDICATORS.values()}
    if not needed <= set(df.columns):
        raise BuildError(f"{path.name}: expected columns {sorted(needed)}, missing {sorted(needed - set(df.columns))}")
    half = CELL_M / 2
    boxes = shapely.box(df["x"] - half, df["y"] - half, df["x"] + half, df["y"] + half)
    return gpd.GeoDataFrame(df, geometry=boxes, crs=geo.UTM35N)


def overlap_weights(cells: gpd.GeoDataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """(area_code, cell index, overlap m²) for every cell that intersects an area."""
    polys = gpd.GeoSeries(shapely.from_wkb(areas["geom_wkb"].to_list()), crs=geo.WGS84).to_crs(geo.UTM35N)
    tree = shapely.STRtree(cells.geometry.values)
    area_idx, cell_idx = tree.query(polys.values, predicate="intersects")
    inter = shapely.area(shapely.intersection(polys.values[area_idx], cells.geometry.values[cell_idx]))
    return pd.DataFrame({"area_code": areas["code"].to_numpy()[area_idx], "cell": cell_idx, "m2": inter})


def aggregate(cells: gpd.GeoDataFrame, areas: pd.DataFrame, column: str) -> pd.DataFrame:
    """Area-weighted mean of ``column`` per area, with coverage and cell count."""
    w = overlap_weights(cells, areas)
    w = w[w["m2"] > 0].assign(v=cells[column].to_numpy()[w["cell"]] if len(w) else [])
    w = w[np.isfinite(w["v"])]
    sums = w.assign(wv=w["m2"] * w["v"]).groupby("area_code").agg(m2=("m2", "sum"), wv=("wv", "sum"),
                                                                  cells=("cell", "nunique"))
    out = areas[["code", "area_km2"]].rename(columns={"code": "area_code"}).set_index("area_code")
    out = out.join(sums, how="left").fillna({"m2": 0.0, "wv": 0.0, "cells": 0})
    out["coverage"] = (out["m2"] / (out["area_km2"] * 1e6)).clip(upper=1.0)
    out["mean"] = np.where(out["m2"] > 0, out["wv"] / out["m2"].where(out["m2"] > 0), np.nan)
    return out.reset_index()


def resident_coverage(mahalle_cov: pd.DataFrame, areas: pd.DataFrame, population: pd.Series) -> pd.Series:
    """Per district: Σ population × area coverage of its mahalle ÷ Σ population (see module doc)."""
    m = areas[areas["level"] == "mahalle"][["code", "parent_code"]].merge(
        mahalle_cov[["area_code", "coverage"]], left_on="code", right_on="area_code")
    m["pop"] = m["code"].map(population).fillna(0.0)
    m["covered"] = m["pop"] * m["coverage"]
    sums = m.groupby("parent_code")[["covered", "pop"]].sum()
    return (sums["covered"] / sums["pop"].where(sums["pop"] > 0)).fillna(0.0)


OUTSIDE_NOTE = lazy.gettext("outside the grid's extent (the grid covers central İzmir only)")


def _pct(x: float) -> lazy.Message:
    """A share as a whole percentage, written as each language writes it (%42 / 42%)."""
    return lazy.gettext("{percent}%", percent=round(x * 100))


def coverage_note(cells: int, coverage: float, level: str) -> Text:
    """The note of a grid value: how much of the area (or of a district's residents) the grid covers."""
    share, least = _pct(coverage), _pct(MIN_COVERAGE)
    if level == "district":
        if coverage < MIN_COVERAGE:
            message = lazy.gettext("the grid covers {share} of the residents (at least {least} needed)",
                                   share=share, least=least)
        else:
            message = lazy.ngettext("{n} grid cell; {share} of the residents covered",
                                    "{n} grid cells; {share} of the residents covered", cells, share=share)
    elif level == "mahalle":
        if coverage < MIN_COVERAGE:
            message = lazy.gettext("the grid covers {share} of the area (at least {least} needed)",
                                   share=share, least=least)
        else:
            message = lazy.ngettext("{n} grid cell; {share} of the area covered",
                                    "{n} grid cells; {share} of the area covered", cells, share=share)
    else:
        raise KeyError(level)
    return V.written_note(message)


def province_note(cells: int) -> Text:
    """The note of the grid's İzmir value: a mean of the grid, which covers central İzmir only."""
    return V.written_note(lazy.ngettext("mean of the {n} grid cell (central İzmir), not the whole province",
                                        "mean of all {n} grid cells (central İzmir), not the whole province", cells))


def _rows(agg: pd.DataFrame, scale: float, level: str) -> list[dict]:
    rows = []
    for r in agg.itertuples():
        cov = float(r.coverage)
        if r.cells == 0:
            rows.append({"area_code": r.area_code, "status": "missing", "coverage": 0.0, "note": OUTSIDE_NOTE})
        elif cov < MIN_COVERAGE:
            rows.append({"area_code": r.area_code, "status": "missing", "coverage": cov,
                         "note": coverage_note(int(r.cells), cov, level)})
        else:
            rows.append({"area_code": r.area_code, "value": r.mean * scale, "coverage": cov,
                         "note": coverage_note(int(r.cells), cov, level)})
    return rows


def grid_indicators(path: Path, areas: pd.DataFrame, cat: Catalogue, source_id: str,
                    mahalle_population: pd.Series) -> pd.DataFrame:
    """All grid indicators at every level; ``mahalle_population`` (code → residents) sets district coverage."""
    cells = read_cells(path)
    frames = []
    for ind_id, (column, period) in GRID_INDICATORS.items():
        ind = cat.get(ind_id)
        by_level = {level: aggregate(cells, areas[areas["level"] == level], column) for level in ind.levels}
        if "district" in by_level:
            if "mahalle" in by_level:
                mahalle_cov = by_level["mahalle"]
            else:
                mahalle_cov = aggregate(cells, areas[areas["level"] == "mahalle"], column)
            cov = resident_coverage(mahalle_cov, areas, mahalle_population)
            by_level["district"]["coverage"] = by_level["district"]["area_code"].map(cov).fillna(0.0)
        for level, agg in by_level.items():
            frames.append(V.frame(ind, level, period, source_id, _rows(agg, ind.scale, level)))
        values = cells[column].to_numpy(dtype=float)
        mean = float(np.nanmean(values)) * ind.scale
        frames.append(V.frame(ind, "province", period, source_id, [{
            "area_code": PROVINCE_CODE, "value": mean, "note": province_note(int(np.isfinite(values).sum()))}]))
    return V.concat(frames)
