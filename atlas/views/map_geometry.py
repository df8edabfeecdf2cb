"""The geometry of a map level as one compact GeoJSON file, sent to the browser once.

The map page does not put polygons into every rerun: the browser fetches this file (served by
Streamlit's static file serving) the first time it draws a level and keeps it; each view then only
sends a class, a style and a tooltip per area (see ``atlas.views.map_view``). Coordinates are rounded to
5 decimals (about 1 m; 4 decimals would open gaps between neighbours, see ../shared/STACK.md).
The file name carries a hash of the content, so a rebuilt database never meets a stale copy.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import shapely

from .. import queries

COORD_DECIMALS = 5
LEVELS = ("district", "mahalle")


@dataclass(frozen=True)
class GeometryFile:
    level: str
    name: str  # file name, e.g. "mahalle-3f2a9c1b0d4e.geojson"
    data: bytes
    n_features: int
    codes: tuple[str, ...] = ()  # the area code of each feature, in the file's order


def level_geojson(con: duckdb.DuckDBPyConnection, level: str) -> GeometryFile:
    """Every area of ``level`` (all kinds) as a GeoJSON FeatureCollection.

    Each feature has ``id`` = area code and properties ``name``, ``district`` (mahalle only) and
    ``kind``. Raises ValueError for an unknown level.
    """
    if level not in LEVELS:
        raise ValueError(f"level {level!r} has no map geometry; use one of {', '.join(LEVELS)}")
    df = queries.run(con, "list_level_display_geometry", {"level": level})
    geoms = shapely.from_wkb([bytes(b) for b in df["geom_display_wkb"]])
    # rounding and writing every geometry in one vectorised call each (GEOS): for 30,000 polygons
    # 0.1 s instead of 0.8 s one by one; the features around them are put together as text
    rounded = shapely.transform(geoms, lambda xy: np.round(xy, COORD_DECIMALS))
    geometry_json = shapely.to_geojson(rounded)
    codes = [str(c) for c in df["area_code"]]
    features = []
    for code, name, district, kind, geometry in zip(codes, df["name"], df["district_name"], df["kind"],
                                                    geometry_json):
        props = {"name": name, "kind": kind}
        if isinstance(district, str):
            props["district"] = district
        head = json.dumps({"type": "Feature", "id": code, "properties": props}, ensure_ascii=False,
                          separators=(",", ":"))
        features.append(f'{head[:-1]},"geometry":{geometry}}}')
    data = ('{"type":"FeatureCollection","features":[' + ",".join(features) + "]}").encode("utf-8")
    digest = hashlib.sha256(data).hexdigest()[:12]
    return GeometryFile(level, f"{level}-{digest}.geojson", data, len(features), tuple(codes))


def write_geometry_file(directory: Path, gf: GeometryFile) -> Path:
    """Write ``gf`` into ``directory`` (atomically; kept if a file of that name exists) and return its path."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / gf.name
    if target.exists() and target.stat().st_size == len(gf.data):
        return target
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".geojson")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(gf.data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target
