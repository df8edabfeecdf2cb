"""Geometry: reading, repair, reprojection, areas and display simplification.

All geometry work happens here in shapely/geopandas (DuckDB stores WKB only).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from ..errors import BuildError

WGS84 = "EPSG:4326"
UTM35N = "EPSG:32635"  # İzmir lies in UTM zone 35 (24°–30° E)
DISPLAY_TOLERANCE_DEG = 0.0005  # ≈ 45 m; see docs/data-model.md


def read_layer(path: Path) -> gpd.GeoDataFrame:
    try:
        return gpd.read_file(path)
    except (OSError, ValueError) as exc:  # pyogrio raises DataSourceError (an OSError) for bad files
        raise BuildError(f"cannot read the layer {path}: {exc}") from exc


def to_wgs84(gdf: gpd.GeoDataFrame, name: str) -> gpd.GeoDataFrame:
    """Reproject any CRS to EPSG:4326. A layer without a CRS must already be in degrees."""
    if gdf.crs is None:
        minx, miny, maxx, maxy = gdf.total_bounds
        if -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90:
            return gdf.set_crs(WGS84)
        raise BuildError(
            f"{name}: the layer has no CRS and its coordinates ({minx:.0f}, {miny:.0f}) are not degrees; "
            "add a .prj / CRS to the file"
        )
    if gdf.crs.to_epsg() == 4326:
        return gdf
    return gdf.to_crs(WGS84)


def polygonal(geom: BaseGeometry | None) -> Polygon | MultiPolygon | None:
    """Only the polygon parts of a geometry (make_valid can leave lines and points)."""
    if geom is None or geom.is_empty:
        return None
    if isinstance(geom, (Polygon, MultiPolygon)):
        return geom
    parts = [g for g in shapely.get_parts(geom) if isinstance(g, (Polygon, MultiPolygon))]
    polys = [p for part in parts for p in shapely.get_parts(part)]
    if not polys:
        return None
    return polys[0] if len(polys) == 1 else MultiPolygon(polys)


def repair(geoms: gpd.GeoSeries) -> tuple[gpd.GeoSeries, int]:
    """``make_valid`` (structure method, collapsed parts dropped), polygonal parts kept.

    Returns the repaired series and how many geometries needed repair.
    """
    invalid = ~geoms.is_valid
    fixed = geoms.copy()
    if invalid.any():
        made = shapely.make_valid(geoms[invalid].values, method="structure", keep_collapsed=False)
        fixed[invalid] = [polygonal(g) for g in made]
    fixed = gpd.GeoSeries([polygonal(g) for g in fixed], index=geoms.index, crs=geoms.crs)
    return fixed, int(invalid.sum())


def area_km2(geoms: gpd.GeoSeries) -> np.ndarray:
    """Areas in km², computed in UTM 35N from the given (full-resolution) geometry."""
    return (geoms.to_crs(UTM35N).area / 1e6).to_numpy()


def simplify_coverage(geoms: gpd.GeoSeries, tolerance: float = DISPLAY_TOLERANCE_DEG) -> gpd.GeoSeries:
    """Simplify polygons that tile a region without opening gaps between neighbours."""
    simplified = shapely.coverage_simplify(geoms.values, tolerance, simplify_boundary=True)
    out = gpd.GeoSeries([polygonal(shapely.make_valid(g)) if not g.is_valid else g for g in simplified],
                        index=geoms.index, crs=geoms.crs)
    return out


@dataclass(frozen=True)
class SizeReport:
    vertices: int
    wkb_bytes: int
    geojson_bytes: int

    def as_dict(self) -> dict[str, int]:
        return {"vertices": self.vertices, "wkb_bytes": self.wkb_bytes, "geojson_bytes": self.geojson_bytes}


def size_of(geoms: gpd.GeoSeries, decimals: int = 5) -> SizeReport:
    """Vertex count, WKB bytes and GeoJSON bytes (coordinates rounded to ``decimals``)."""
    wkb = shapely.to_wkb(geoms.values)
    rounded = shapely.set_precision(geoms.values, 10 ** -decimals)
    geojson = json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": json.loads(shapely.to_geojson(g))} for g in rounded
    ]}, separators=(",", ":"))
    return SizeReport(int(shapely.get_num_coordinates(geoms.values).sum()), int(sum(len(b) for b in wkb)),
                      len(geojson.encode()))


def to_wkb(geoms: gpd.GeoSeries) -> list[bytes]:
    return [bytes(b) for b in shapely.to_wkb(geoms.values)]
