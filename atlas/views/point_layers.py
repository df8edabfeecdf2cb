"""Point layers as the map, the area profile and the print export show them (issue #17, item 4).

* ``list_layers(con) -> tuple[ShownLayer, ...]`` — the layers that hold points, with titles,
  licence, attribution and the number of points (``queries/list_point_layers_shown.sql``).
* ``layer_places(con, layer_id) -> DataFrame`` — one layer's points: point_id, name, kind,
  attributes (JSON text), lon, lat (``queries/list_layer_places.sql``).
* ``map_payload(places) -> dict`` — the compact, language-free data the map's canvas draws:
  ``n``, ``lon``/``lat`` (degrees rounded to 5 decimals, ≈ 1 m), ``names`` ("" when none),
  ``kindList`` and ``kinds`` (index into ``kindList`` per point), ``lines`` (", "-joined line
  numbers of a bus stop, "" otherwise). Texts are sent as they are; the browser shows them as
  text (never as HTML).
* ``nearest_points(places, lon, lat, k=3) -> DataFrame`` — the ``k`` points nearest to (lon, lat)
  by straight-line distance in UTM 35N (EPSG:32635), with ``distance_m``; ties (to the cm) by point id.
* ``area_point(con, level, code) -> (lon, lat)`` — the point an area's distances are measured
  from: its centroid when the centroid lies inside the area, else shapely's representative point
  (a point always inside the polygon).
* ``nearest_by_layer(con, level, code, layers, k=3) -> tuple[NearestList, ...]`` — for the area
  profile: per layer, the ``k`` nearest points to the area's point.
* ``layer_style(layer_id, layer_ids, n)`` (marker colour and radius, the same on screen and in
  print) and ``tooltip_words(layer, lang)`` (the tooltip's words, sent with the map's spec).
* ``print_overlay(con, layer_id) -> PointOverlay`` — a layer for the print export
  (``atlas.export.render``); UnknownPointLayer (with the known ids) when the database has no such layer.
* ``kind_label(kind, lang)``, ``lines_of(attributes)`` and ``ShownLayer.credit(lang)`` (the
  attribution and licence line shown wherever the layer appears; the ODbL share-alike note for
  OpenStreetMap layers).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any, Sequence

import duckdb
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from .. import queries
from ..catalogue import Text
from ..i18n import N_, gettext

METRIC_CRS = "EPSG:32635"  # UTM 35N, as the build measures access distances
NEAREST_K = 3
COORD_DECIMALS = 5
KIND_LABELS = {
    "bus_stop": N_("bus stop"),
    "metro": N_("metro station"),
    "izban": N_("İZBAN station"),
    "park": N_("park"),
    "garden": N_("garden"),
    "playground": N_("playground"),
    "pitch": N_("sports pitch"),
}
_TO_METRIC = Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)
# Marker colours, given to the layers in the order of their ids (the same on the map and in print);
# each marker has a white rim so it stands out on every class colour.
POINT_COLOURS = ("#111111", "#d7191c", "#6a3d9a", "#e66101", "#1b7837", "#0571b0", "#7f3b08")
DENSE_ABOVE = 2000  # layers with more points get smaller markers


@dataclass(frozen=True)
class ShownLayer:
    """A point layer of the database, as the app shows it."""

    id: str
    title: Text
    kinds: tuple[str, ...]
    licence: Text
    attribution: Text
    data_date: str
    share_alike: bool
    origin: str
    n: int

    def credit(self, lang: str) -> str:
        """The attribution and licence line (plain text; escape it for Markdown)."""
        line = gettext("{attribution} — Licence: {licence} ({date})", lang, attribution=self.attribution.get(lang),
                       licence=self.licence.get(lang), date=self.data_date)
        if self.share_alike:
            line += " " + gettext("Share-alike (ODbL): a database derived from this layer that is shared must be "
                                  "offered under the same licence.", lang)
        return line


def list_layers(con: duckdb.DuckDBPyConnection) -> tuple[ShownLayer, ...]:
    df = queries.run(con, "list_point_layers_shown")
    return tuple(
        ShownLayer(id=str(r.layer_id), title=Text(r.title_tr, r.title_en), kinds=tuple(json.loads(r.kinds)),
                   licence=Text(r.licence_tr, r.licence_en), attribution=Text(r.attribution_tr, r.attribution_en),
                   data_date=str(r.data_date), share_alike=bool(r.share_alike), origin=str(r.origin),
                   n=int(r.n_points))
        for r in df.itertuples(index=False))


def layer_style(layer_id: str, layer_ids: Sequence[str], n: int = 0) -> dict[str, Any]:
    """Colour and radius (px) of a layer's markers. ``layer_ids``: every layer id of the database in
    order (a layer keeps its colour whichever others are shown); ``n``: its number of points."""
    i = list(layer_ids).index(layer_id) if layer_id in layer_ids else 0
    return {"color": POINT_COLOURS[i % len(POINT_COLOURS)], "radius": marker_radius(n)}


def marker_radius(n: int) -> float:
    """Marker radius in px: 3 for a dense layer (thousands of bus stops), 5 for a sparse one."""
    return 3.0 if n > DENSE_ABOVE else 5.0


def tooltip_words(layer: ShownLayer, lang: str) -> dict[str, Any]:
    """The words of a layer's tooltip in ``lang``: each kind's label, the "Lines: {lines}" template,
    the text for a point without a name and the layer's title."""
    # "lines": a template whose {lines} the browser replaces with the stop's line numbers
    return {"kinds": {k: kind_label(k, lang) for k in layer.kinds},
            "lines": gettext("Lines: {lines}", lang, lines="{lines}"),
            "unnamed": gettext("(no name)", lang), "title": layer.title.get(lang)}


def layer_places(con: duckdb.DuckDBPyConnection, layer_id: str) -> pd.DataFrame:
    return queries.run(con, "list_layer_places", {"layer_id": layer_id})


def lines_of(attributes: Any) -> list[str]:
    """The line numbers of a bus stop from its attributes (JSON text or dict); [] when none."""
    if attributes is None or (isinstance(attributes, float) and math.isnan(attributes)):
        return []
    data = json.loads(attributes) if isinstance(attributes, str) else attributes
    lines = data.get("lines") if isinstance(data, dict) else None
    if not isinstance(lines, list):
        return []
    return [str(x) for x in lines]


def kind_label(kind: str | None, lang: str) -> str:
    """A kind of point in words (``bus_stop`` → "bus stop"); a kind of an imported layer as it is."""
    if not kind:
        return ""
    msg = KIND_LABELS.get(kind)
    return gettext(msg, lang) if msg else str(kind)


def _text(x: Any) -> str:
    return "" if x is None or (isinstance(x, float) and math.isnan(x)) else str(x)


def map_payload(places: pd.DataFrame) -> dict[str, Any]:
    """The compact data of one layer for the map (see the module docstring)."""
    kinds = [_text(k) for k in places["kind"]]
    kind_list = list(dict.fromkeys(kinds))
    index = {k: i for i, k in enumerate(kind_list)}
    return {
        "n": int(len(places)),
        "lon": [round(float(x), COORD_DECIMALS) for x in places["lon"]],
        "lat": [round(float(y), COORD_DECIMALS) for y in places["lat"]],
        "names": [_text(n) for n in places["name"]],
        "kindList": kind_list,
        "kinds": [index[k] for k in kinds],
        "lines": [", ".join(lines_of(a)) for a in places["attributes"]],
    }


def to_metric(lon: Any, lat: Any) -> tuple[np.ndarray, np.ndarray]:
    """WGS84 degrees to UTM 35N metres."""
    x, y = _TO_METRIC.transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    return np.asarray(x, dtype=float), np.asarray(y, dtype=float)


def nearest_points(places: pd.DataFrame, lon: float, lat: float, k: int = NEAREST_K) -> pd.DataFrame:
    """The ``k`` points of ``places`` nearest to (lon, lat), nearest first, with ``distance_m``
    (straight line in UTM 35N, metres); distances equal to the centimetre are ordered by point id."""
    if len(places) == 0:
        return places.assign(distance_m=pd.Series(dtype=float)).reset_index(drop=True)
    px, py = to_metric(places["lon"], places["lat"])
    cx, cy = to_metric([lon], [lat])
    dist = np.hypot(px - cx[0], py - cy[0])
    out = places.assign(distance_m=dist, _cm=np.round(dist, 2))  # ties: equal to the centimetre
    out = out.sort_values(["_cm", "point_id"], kind="mergesort").head(k)
    return out.drop(columns="_cm").reset_index(drop=True)


def area_point(con: duckdb.DuckDBPyConnection, level: str, code: str) -> tuple[float, float] | None:
    """The point an area's distances are measured from (module docstring); None if no such area."""
    df = queries.run(con, "get_area_point", {"level": level, "code": code})
    if df.empty:
        return None
    row = df.iloc[0]
    geom = shapely.from_wkb(bytes(row["geom_wkb"]))
    centroid = shapely.Point(float(row["centroid_lon"]), float(row["centroid_lat"]))
    if geom.contains(centroid):
        return centroid.x, centroid.y
    rep = geom.representative_point()
    return rep.x, rep.y


@dataclass(frozen=True)
class NearPoint:
    name: str
    kind: str
    lines: tuple[str, ...]
    distance_m: float


@dataclass(frozen=True)
class NearestList:
    layer: ShownLayer
    points: tuple[NearPoint, ...]


def nearest_by_layer(con: duckdb.DuckDBPyConnection, level: str, code: str, layers: Sequence[ShownLayer],
                     k: int = NEAREST_K) -> tuple[NearestList, ...]:
    """Per layer, the ``k`` points nearest to the area's point (empty when the area is unknown)."""
    where = area_point(con, level, code)
    if where is None:
        return ()
    out = []
    for layer in layers:
        near = nearest_points(layer_places(con, layer.id), where[0], where[1], k)
        out.append(NearestList(layer, tuple(
            NearPoint(_text(r.name), _text(r.kind), tuple(lines_of(r.attributes)), float(r.distance_m))
            for r in near.itertuples(index=False))))
    return tuple(out)


@dataclass(frozen=True)
class PointOverlay:
    """One point layer to draw on a printed map: the layer, its points (WGS84) and marker colour."""

    layer: ShownLayer
    lon: tuple[float, ...]
    lat: tuple[float, ...]
    color: str


class UnknownPointLayer(LookupError):
    """The point layer asked for is not in the database (``known``: the ids that are)."""

    def __init__(self, layer_id: str, known: tuple[str, ...]):
        super().__init__(layer_id)
        self.layer_id, self.known = layer_id, known


def print_overlay(con: duckdb.DuckDBPyConnection, layer_id: str) -> PointOverlay:
    """The overlay of ``layer_id``; UnknownPointLayer when the database has no points in that layer."""
    layers = list_layers(con)
    ids = tuple(layer.id for layer in layers)
    if layer_id not in ids:
        raise UnknownPointLayer(layer_id, ids)
    layer = layers[ids.index(layer_id)]
    places = layer_places(con, layer_id)
    return PointOverlay(layer, tuple(float(x) for x in places["lon"]), tuple(float(y) for y in places["lat"]),
                        layer_style(layer_id, ids, layer.n)["color"])
