"""Writing point layers and their points into the atlas database.

``write_layer`` records a layer's row in ``point_layers``; ``write_points`` replaces the points of
one layer, in one transaction. The build calls both for every catalogue layer; ``python -m atlas
import-points`` calls them for a city's own file.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

import duckdb
import pandas as pd
import shapely

from .. import queries
from ..db import insert_frame
from ..errors import AtlasError
from .assign import DEFAULT_TOLERANCE_M, AreaPolygons, load_areas, locate_points
from .catalogue import PointLayer
from .clean import Problem, describe

FRAME_COLUMNS = ("point_id", "name", "kind", "attributes", "lon", "lat")
ATTRIBUTE_KEYS = {
    "lines": "bus stops: the line numbers serving the stop (list of text; empty when the source lists none)",
    "line": "rail stations: the line (M1, İZBAN)",
    "order": "metro stations: the station's place along the line",
    "osm_type": "OSM features: node, way or relation",
    "osm_id": "OSM features: the OSM id",
}
"""Attribute keys the build writes (others may come with an imported layer)."""


class PointsError(AtlasError):
    """A point frame, layer or source that cannot be written; the message names what and which value."""


@dataclass
class WriteReport:
    """What ``write_points`` wrote: ``written`` points; ``outside`` (not written: farther than the
    tolerance from every district), ``outside_kept`` (outside every district polygon, written with
    the nearest district) and ``no_mahalle`` (written without a mahalle), each with examples."""

    layer_id: str
    written: int = 0
    problems: dict[str, Problem] = field(default_factory=dict)
    mahalle_in_other_district: int = 0
    districts: int = 0  # districts with at least one written point


def _quoted(value: object, limit: int = 40) -> str:
    text = str(value)
    return repr(text if len(text) <= limit else text[:limit - 1] + "…")


def write_layer(con: duckdb.DuckDBPyConnection, layer: PointLayer, origin: str = "catalogue") -> None:
    """Insert ``layer`` into ``point_layers``, or refresh its row (its points are kept).
    ``origin``: ``catalogue`` (geodata/point_layers.toml) or ``import`` (a user's layer)."""
    if origin not in ("catalogue", "import"):
        raise PointsError(f"origin {_quoted(origin)} is not allowed; use catalogue or import")
    queries.execute(con, "upsert_point_layer", layer.row(origin))


def check_frame(frame: pd.DataFrame, kinds: tuple[str, ...] = ()) -> None:
    """Raise PointsError naming the first problem of a point frame (see ``write_points``)."""
    missing = [c for c in FRAME_COLUMNS if c not in frame.columns]
    if missing:
        raise PointsError(f"the point frame lacks the column(s) {', '.join(missing)}; "
                          f"expected {', '.join(FRAME_COLUMNS)}")
    for n, (pid, name, kind, attrs, lon, lat) in enumerate(frame[list(FRAME_COLUMNS)].itertuples(index=False), 1):
        where = f"row {n} (point_id {_quoted(pid)})"
        if not isinstance(pid, str) or not pid.strip():
            raise PointsError(f"row {n}: point_id must be non-empty text, got {_quoted(pid)}")
        if name is not None and not isinstance(name, str):
            raise PointsError(f"{where}: name must be text or None, got {_quoted(name)}")
        if kind is not None and not isinstance(kind, str):
            raise PointsError(f"{where}: kind must be text or None, got {_quoted(kind)}")
        if kind is not None and kinds and kind not in kinds:
            raise PointsError(f"{where}: kind {_quoted(kind)} is not a kind of the layer; allowed: {', '.join(kinds)}")
        if attrs is not None and not isinstance(attrs, dict):
            raise PointsError(f"{where}: attributes must be a dict or None, got {type(attrs).__name__}")
        for label, value, limit in (("lon", lon, 180), ("lat", lat, 90)):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
                    or abs(value) > limit:
                raise PointsError(f"{where}: {label} must be a number of degrees within ±{limit}, got {_quoted(value)}")
    dupes = frame["point_id"][frame["point_id"].duplicated()]
    if len(dupes):
        raise PointsError(f"point_id {_quoted(dupes.iloc[0])} is given {int((frame['point_id'] == dupes.iloc[0]).sum())} "
                          f"times ({len(dupes)} duplicate rows in all); every point_id of a layer must be unique")


def _plain(value: object) -> object:
    """numpy numbers and arrays in attributes as plain JSON values; anything else is refused."""
    if hasattr(value, "tolist"):
        return value.tolist()
    raise PointsError(f"an attribute value {_quoted(value)} ({type(value).__name__}) cannot be stored as JSON; "
                      "use text, numbers, true/false, lists or dicts")


def _missing_as_none(frame: pd.DataFrame) -> pd.DataFrame:
    """NaN/NA (what pandas puts in an empty text cell) in name, kind and attributes read as None."""
    out = frame.copy()
    for col in ("name", "kind", "attributes", "source_id"):
        if col in out.columns:
            out[col] = pd.Series([None if not isinstance(v, (str, dict)) and pd.isna(v) else v for v in out[col]],
                                 index=out.index, dtype=object)
    return out


def write_points(con: duckdb.DuckDBPyConnection, layer_id: str, frame: pd.DataFrame, source_id: str, *,
                 tolerance_m: float = DEFAULT_TOLERANCE_M, areas: AreaPolygons | None = None) -> WriteReport:
    """Replace the points of layer ``layer_id`` with those of ``frame``, in one transaction.

    ``frame`` (a pandas DataFrame; other columns are ignored):

    =============  ==========================================================================
    ``point_id``   str, non-empty, unique within the frame (the layer's key of the point)
    ``name``       str or None (as the source spells it)
    ``kind``       str or None; when the layer lists kinds, one of them
    ``attributes`` dict or None, stored as JSON text (e.g. ``{"lines": ["32", "35"]}``)
    ``lon``        float, WGS84 longitude in degrees (EPSG:4326)
    ``lat``        float, WGS84 latitude in degrees
    ``where``      optional: str, where the row is in its file (``line 12``), used in the report
    ``source_id``  optional: str, the row's own source when a layer combines files (rail: metro
                   and İZBAN); rows without it (or a column without it) get ``source_id``
    =============  ==========================================================================

    The layer must already be in ``point_layers`` (``write_layer``) and ``source_id`` in ``sources``.
    Each point gets the district and mahalle it falls in (:func:`atlas.points.assign.locate_points`
    on the database's polygons, or on ``areas`` when given). A point outside every district polygon
    but within ``tolerance_m`` is written with the nearest district; a point farther away is NOT
    written. Both are in the returned report with counts and examples, so the caller must report
    them (an importer that wants to refuse such points checks with ``locate_points`` first).

    All the layer's previous points are deleted and the new ones inserted in one transaction: on
    any error nothing changes. The connection must not be inside a transaction already.
    Raises PointsError (nothing written) for a bad frame, an unknown layer or an unknown source.
    """
    found = queries.run(con.cursor(), "get_point_layer_kinds", {"layer_id": layer_id})
    if found.empty:
        known = queries.run(con.cursor(), "list_point_layer_ids")["layer_id"].tolist()
        raise PointsError(f"point layer {_quoted(layer_id)} is not in the database; "
                          f"known layers: {', '.join(known) or '(none)'} (write the layer first)")
    if int(queries.run(con.cursor(), "count_source", {"source_id": source_id})["n"].iloc[0]) == 0:
        raise PointsError(f"source {_quoted(source_id)} is not in the sources table; record the source first")
    kinds = tuple(json.loads(found["kinds"].iloc[0]))
    frame = _missing_as_none(frame)
    check_frame(frame, kinds)
    row_sources = ([s if isinstance(s, str) and s else source_id for s in frame["source_id"]]
                   if "source_id" in frame.columns else [source_id] * len(frame))
    for other in sorted(set(row_sources) - {source_id}):
        if int(queries.run(con.cursor(), "count_source", {"source_id": other})["n"].iloc[0]) == 0:
            raise PointsError(f"source {_quoted(other)} (column source_id) is not in the sources table; "
                              "record the source first")
    frame = frame.assign(source_id=row_sources)
    frame = frame.reset_index(drop=True)
    polygons = areas if areas is not None else load_areas(con)
    located = locate_points(frame, polygons, tolerance_m=tolerance_m)
    report = WriteReport(layer_id)
    examples = frame if "where" in frame.columns else frame.assign(where=[f"row {n}" for n in range(1, len(frame) + 1)])
    for reason, hit in (("outside", located["placement"] == "outside"),
                        ("outside_kept", located["placement"] == "nearest"),
                        ("no_mahalle", (located["placement"] != "outside") & located["mahalle_code"].isna())):
        if hit.any():
            report.problems[reason] = Problem.of([
                describe(r, f" at {r.lon:.5f}, {r.lat:.5f}, {located.at[r.Index, 'outside_m']:,.0f} m "
                            "from the nearest district")
                if reason != "no_mahalle" else describe(r, f" at {r.lon:.5f}, {r.lat:.5f}")
                for r in examples[hit].itertuples()])
    keep = located["placement"] != "outside"
    rows, where = frame[keep], located[keep]
    staged = pd.DataFrame({
        "layer_id": layer_id,
        "point_id": rows["point_id"].astype(str).to_numpy(),
        "name": rows["name"].to_numpy(dtype=object),
        "kind": rows["kind"].to_numpy(dtype=object),
        "attributes": [None if a is None else json.dumps(a, ensure_ascii=False, sort_keys=True, default=_plain)
                       for a in rows["attributes"]],
        "lon": rows["lon"].astype(float).to_numpy(),
        "lat": rows["lat"].astype(float).to_numpy(),
        "geom_wkb": list(shapely.to_wkb(shapely.points(rows["lon"].astype(float), rows["lat"].astype(float)))),
        "district_code": where["district_code"].to_numpy(dtype=object),
        "mahalle_code": where["mahalle_code"].to_numpy(dtype=object),
        "placement": where["placement"].map({"inside": "inside", "nearest": "nearest"}).to_numpy(dtype=object),
        "source_id": rows["source_id"].to_numpy(dtype=object),
    })
    parent_of = dict(zip(polygons.mahalle["code"], polygons.mahalle["parent_code"]))
    report.mahalle_in_other_district = int(sum(
        m is not None and parent_of.get(m) != d for m, d in zip(staged["mahalle_code"], staged["district_code"])))
    con.begin()
    try:
        queries.execute(con, "delete_layer_points", {"layer_id": layer_id})
        if not staged.empty:
            insert_frame(con, "points", staged)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    report.written = len(staged)
    report.districts = int(staged["district_code"].nunique())
    return report
