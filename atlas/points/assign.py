"""Which district and mahalle each point falls in (point-in-polygon with geopandas ``sjoin``).

A point inside a district polygon gets that district; a point on a border shared by two polygons
gets the first by code. A point outside every district polygon (the coast, a boundary drawn at
1:1 M) gets the nearest district when it lies within ``tolerance_m`` of it, measured in UTM 35N
(EPSG:32635), and is marked ``placement = 'nearest'``; farther away it is ``'outside'`` and gets
no district. The mahalle is found the same way among the mahalle polygons (a separate source,
whose borders do not follow the district polygons exactly, so a point's mahalle may belong to a
neighbouring district; the build counts these).
"""

from __future__ import annotations

from functools import cached_property

import geopandas as gpd
import pandas as pd
import shapely

from .. import queries

METRIC_CRS = "EPSG:32635"
DEFAULT_TOLERANCE_M = 1000.0


class AreaPolygons:
    """District and mahalle polygons (EPSG:4326), with their metric copies made once when needed."""

    def __init__(self, districts: gpd.GeoDataFrame, mahalle: gpd.GeoDataFrame):
        self.districts = districts[["code", "geometry"]].sort_values("code").reset_index(drop=True)
        self.mahalle = mahalle[["code", "parent_code", "geometry"]].sort_values("code").reset_index(drop=True)

    @classmethod
    def from_frame(cls, areas: pd.DataFrame) -> "AreaPolygons":
        """From rows with ``level, code, parent_code, geom_wkb`` (the ``areas`` table or the build's frame)."""
        def layer(level: str) -> gpd.GeoDataFrame:
            rows = areas[areas["level"] == level]
            geoms = shapely.from_wkb([bytes(b) for b in rows["geom_wkb"]])
            return gpd.GeoDataFrame({"code": rows["code"].astype(str).to_numpy(),
                                     "parent_code": rows["parent_code"].to_numpy()},
                                    geometry=geoms, crs="EPSG:4326")
        return cls(layer("district"), layer("mahalle"))

    @cached_property
    def districts_metric(self) -> gpd.GeoDataFrame:
        return self.districts.to_crs(METRIC_CRS)

    @cached_property
    def mahalle_metric(self) -> gpd.GeoDataFrame:
        return self.mahalle.to_crs(METRIC_CRS)


def load_areas(con) -> AreaPolygons:
    """The district and mahalle polygons of an atlas database."""
    return AreaPolygons.from_frame(queries.run(con.cursor(), "list_point_assignment_areas"))


def _within(points: gpd.GeoDataFrame, polygons: gpd.GeoDataFrame) -> pd.Series:
    joined = gpd.sjoin(points, polygons[["code", "geometry"]], how="left", predicate="within")
    joined = joined.sort_values("code", na_position="last")
    return joined[~joined.index.duplicated(keep="first")]["code"].reindex(points.index)


def _nearest(points: gpd.GeoDataFrame, polygons_metric: gpd.GeoDataFrame,
             tolerance_m: float) -> tuple[pd.Series, pd.Series]:
    if points.empty:
        empty = pd.Series(index=points.index, dtype=object)
        return empty, pd.Series(index=points.index, dtype=float)
    metric = points.to_crs(METRIC_CRS)
    joined = gpd.sjoin_nearest(metric, polygons_metric[["code", "geometry"]], how="left",
                               max_distance=tolerance_m, distance_col="distance_m")
    joined = joined.sort_values(["distance_m", "code"], na_position="last")
    joined = joined[~joined.index.duplicated(keep="first")].reindex(points.index)
    return joined["code"], joined["distance_m"]


def _outside_distance(points: gpd.GeoDataFrame, districts_metric: gpd.GeoDataFrame) -> pd.Series:
    metric = points.to_crs(METRIC_CRS)
    joined = gpd.sjoin_nearest(metric, districts_metric[["geometry"]], how="left", distance_col="distance_m")
    return joined.groupby(level=0)["distance_m"].min().reindex(points.index)


def locate_points(frame: pd.DataFrame, areas: AreaPolygons, *,
                  tolerance_m: float = DEFAULT_TOLERANCE_M) -> pd.DataFrame:
    """For each row of ``frame`` (columns ``lon``, ``lat`` in WGS84 degrees), indexed like it:
    ``district_code`` and ``mahalle_code`` (None when none is found), ``outside_m`` (distance to
    the nearest district polygon in metres, 0 inside) and ``placement``: ``inside``,
    ``nearest`` (outside every district polygon, within ``tolerance_m`` of one) or ``outside``."""
    index = frame.index
    points = gpd.GeoDataFrame(index=index, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]),
                              crs="EPSG:4326")
    district = _within(points, areas.districts)
    out = pd.DataFrame({"district_code": district.astype(object), "mahalle_code": None, "outside_m": 0.0,
                        "placement": "inside"}, index=index)
    missing = district.isna()
    if missing.any():
        away = points[missing]
        code, _ = _nearest(away, areas.districts_metric, tolerance_m)
        out.loc[away.index, "district_code"] = code
        out.loc[away.index, "outside_m"] = _outside_distance(away, areas.districts_metric)
        out.loc[away.index, "placement"] = code.notna().map({True: "nearest", False: "outside"})
    mahalle = _within(points, areas.mahalle).astype(object)
    no_mahalle = mahalle.isna()
    if no_mahalle.any():
        code, _ = _nearest(points[no_mahalle], areas.mahalle_metric, tolerance_m)
        mahalle.loc[no_mahalle] = code
    far = out["placement"] == "outside"
    mahalle[far] = None
    out["mahalle_code"] = mahalle.where(mahalle.notna(), None)
    out["district_code"] = out["district_code"].where(out["district_code"].notna(), None)
    return out
