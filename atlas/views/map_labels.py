"""The place names drawn on the map: one small file per level, made once per database.

For each area of a level: its name and a label point inside it (the pole of inaccessibility of its
largest part, ``shapely.ops.polylabel``: the point farthest from the outline, so a name sits in the
body of a long or bent area rather than at a centroid outside it), rounded to 4 decimals (~10 m).
The areas come largest first: the browser places names in that order and hides a name whose box
would overlap one placed before (static/atlas/labels.js), so at a glance the larger areas are named.

Only names and points go to the browser, in a file it fetches once (like the geometry file,
``atlas.views.map_geometry``); a view sends the file's URL, never the names.

File (JSON): ``{"level", "names": [...], "points": [lon, lat, lon, lat, ...], "hidden": [indices
of islands, industrial and free zones (hidden on the map by default)]}``.
"""

from __future__ import annotations

import hashlib
import json

import duckdb
import numpy as np
import shapely
from shapely.ops import polylabel

from .. import queries
from .map_geometry import LEVELS, GeometryFile, write_geometry_file  # noqa: F401 (the glue writes the file)

POINT_DECIMALS = 4
#: polylabel's precision, as a share of the square root of the part's area (degrees²)
PRECISION_SHARE = 0.02
HIDDEN_KINDS = ("island", "industrial_zone", "free_zone")
#: the names' text and halo colours (static/atlas/labels.js): 18.9:1, so a name stays legible over any
#: class colour (the halo is what the text is read against; tests/test_map_labels.py checks it)
LABEL_COLOUR = "#111111"
HALO_COLOUR = "#ffffff"


def label_point(geom: shapely.Geometry) -> tuple[float, float] | None:
    """(lon, lat) of a point inside ``geom`` to write its name at (None for an empty geometry)."""
    if geom is None or geom.is_empty:
        return None
    parts = list(getattr(geom, "geoms", [geom]))
    part = max(parts, key=lambda g: g.area)
    if part.area <= 0:
        point = geom.representative_point()
    else:
        try:
            point = polylabel(part, tolerance=max(float(np.sqrt(part.area)) * PRECISION_SHARE, 1e-6))
        except shapely.errors.GEOSException:  # an invalid ring: a point on the surface is still inside
            point = part.representative_point()
    return float(point.x), float(point.y)


def level_labels(con: duckdb.DuckDBPyConnection, level: str) -> GeometryFile:
    """The label file of ``level`` (``"district"`` or ``"mahalle"``), largest areas first. Raises
    ValueError for another level."""
    if level not in LEVELS:
        raise ValueError(f"level {level!r} has no map labels; use one of {', '.join(LEVELS)}")
    df = queries.run(con, "list_level_display_geometry", {"level": level})
    geoms = shapely.from_wkb([bytes(b) for b in df["geom_display_wkb"]])
    order = np.argsort(-shapely.area(geoms), kind="stable")
    names, points, hidden, codes = [], [], [], []
    for i in order:
        point = label_point(geoms[i])
        if point is None:
            continue
        if df["kind"].iloc[i] in HIDDEN_KINDS:
            hidden.append(len(names))
        names.append(str(df["name"].iloc[i]))
        codes.append(str(df["area_code"].iloc[i]))
        points += [round(point[0], POINT_DECIMALS), round(point[1], POINT_DECIMALS)]
    doc = {"level": level, "names": names, "points": points, "hidden": hidden}
    data = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    digest = hashlib.sha256(data).hexdigest()[:12]
    return GeometryFile(level, f"labels-{level}-{digest}.json", data, len(names), tuple(codes))
