"""Point layers as the map, profile and export show them (atlas.views.point_layers): the map payload,
nearest points on a hand-made layer with distances you can check, the ``points`` URL parameter."""

from __future__ import annotations

import json

import pandas as pd
import pytest
import shapely
from pyproj import Transformer

from atlas.views import point_layers as pv
from atlas.views.view_state import Availability, View, resolve_view

# A hand-made layer in UTM 35N around (500000 E, 4250000 N) (on the zone's central meridian, 27° E):
# a at 300 m east, b at 300 m west, c at 400 m north, d at (300, 400) = 500 m, e at 1 km south.
ORIGIN = (500_000.0, 4_250_000.0)
OFFSETS = {"a": (300, 0), "b": (-300, 0), "c": (0, 400), "d": (300, 400), "e": (0, -1000)}
_TO_GEO = Transformer.from_crs("EPSG:32635", "EPSG:4326", always_xy=True)


def _lonlat(dx: float, dy: float) -> tuple[float, float]:
    return _TO_GEO.transform(ORIGIN[0] + dx, ORIGIN[1] + dy)


def _layer() -> pd.DataFrame:
    rows = []
    for pid, (dx, dy) in OFFSETS.items():
        lon, lat = _lonlat(dx, dy)
        rows.append({"point_id": pid, "name": f"Durak {pid.upper()}", "kind": "bus_stop",
                     "attributes": json.dumps({"lines": ["12", pid]}), "lon": lon, "lat": lat})
    return pd.DataFrame(rows)


def test_nearest_points_by_straight_line_in_metres():
    origin = _lonlat(0, 0)
    near = pv.nearest_points(_layer(), *origin, k=3)
    # a and b are both 300 m away: the tie is ordered by point id; then c at 400 m
    assert list(near["point_id"]) == ["a", "b", "c"]
    assert near["distance_m"].tolist() == pytest.approx([300.0, 300.0, 400.0], abs=0.01)
    four = pv.nearest_points(_layer(), *origin, k=5)
    assert four["distance_m"].tolist() == pytest.approx([300.0, 300.0, 400.0, 500.0, 1000.0], abs=0.01)
    # from d: c is 300 m west of it, a 400 m south, the origin-side b at hypot(600, 400) = 721.11 m
    from_d = pv.nearest_points(_layer(), *_lonlat(300, 400), k=5)
    assert list(from_d["point_id"]) == ["d", "c", "a", "b", "e"]
    assert from_d["distance_m"].tolist() == pytest.approx([0.0, 300.0, 400.0, 721.11, 1431.78], abs=0.01)


def test_nearest_points_of_an_empty_layer():
    empty = _layer().iloc[0:0]
    assert pv.nearest_points(empty, 27.0, 38.4).empty


def test_map_payload_is_compact_and_rounded():
    places = pd.DataFrame({
        "point_id": ["1", "2", "3"], "name": ["Konak <b>", None, "Çankaya"],
        "kind": ["metro", "izban", "metro"],
        "attributes": [json.dumps({"lines": ["M1"]}), None, json.dumps({"order": 3})],
        "lon": [27.1287654321, 27.0, 27.123456789], "lat": [38.4189012345, 38.5, 38.41],
    })
    p = pv.map_payload(places)
    assert p["n"] == 3
    assert p["lon"] == [27.12877, 27.0, 27.12346] and p["lat"] == [38.4189, 38.5, 38.41]
    assert p["names"] == ["Konak <b>", "", "Çankaya"]  # texts as they are: the browser shows them as text
    assert p["kindList"] == ["metro", "izban"] and p["kinds"] == [0, 1, 0]
    assert p["lines"] == ["M1", "", ""]


def test_lines_and_kind_labels():
    assert pv.lines_of('{"lines": ["32", "35"]}') == ["32", "35"]
    assert pv.lines_of({"lines": []}) == [] and pv.lines_of(None) == [] and pv.lines_of(float("nan")) == []
    assert pv.lines_of('{"osm_id": 5}') == []
    assert pv.kind_label("bus_stop", "en") == "bus stop" and pv.kind_label("bus_stop", "tr") == "otobüs durağı"
    assert pv.kind_label("eczane", "en") == "eczane"  # a kind of an imported layer, as it is
    assert pv.kind_label(None, "en") == ""


def test_layer_style_keeps_a_colour_per_layer():
    ids = ["bus_stops", "parks_playgrounds", "rail_stations"]
    assert pv.layer_style("rail_stations", ids, 65) == {"color": pv.POINT_COLOURS[2], "radius": 5.0}
    assert pv.layer_style("bus_stops", ids, 11605)["radius"] == 3.0


def test_credit_names_attribution_licence_and_share_alike():
    from atlas.catalogue import Text

    osm = pv.ShownLayer("parks", Text("Parklar", "Parks"), ("park",), Text("ODbL 1.0", "ODbL 1.0"),
                        Text("© OpenStreetMap katkıcıları", "© OpenStreetMap contributors"), "2025-10", True,
                        "catalogue", 3)
    line = osm.credit("en")
    assert line.startswith("© OpenStreetMap contributors — Licence: ODbL 1.0 (2025-10)")
    assert "Share-alike (ODbL)" in line
    assert "Share-alike" not in pv.ShownLayer(**{**osm.__dict__, "share_alike": False}).credit("en")


def _avail() -> Availability:
    return Availability(pd.DataFrame({"indicator_id": ["pop_density"], "level": ["district"], "period": ["2025"],
                                      "period_sort": [2025], "has_izmir": [True]}))


def test_points_url_parameter_is_allow_listed():
    view, notices = resolve_view({"points": "bus_stops,<b>x</b>"}, _avail(), point_layers=["bus_stops", "parks"])
    assert view.points == ("bus_stops",)
    assert [(n.param, n.given, n.used, n.allowed) for n in notices] == [("points", "<b>x</b>", "bus_stops",
                                                                          "bus_stops, parks")]
    assert view.to_params()["points"] == "bus_stops"
    # without point layers in the database every id is unknown
    view, notices = resolve_view({"points": "bus_stops"}, _avail())
    assert view.points == () and notices[0].param == "points"
    # no points: no parameter, and a view made positionally (older callers) has none
    assert "points" not in View("pop_density", "2025", "district").to_params()


def test_area_point_is_the_centroid_or_a_point_inside(tiny_db):
    from atlas import db

    con = db.connect(tiny_db)
    try:
        code = con.execute("SELECT code FROM areas WHERE level = 'district' ORDER BY code LIMIT 1").fetchone()[0]
        geom = shapely.from_wkb(bytes(con.execute("SELECT geom_wkb FROM areas WHERE level = 'district' AND code = $c",
                                                  {"c": code}).fetchone()[0]))
        lon, lat = pv.area_point(con, "district", code)
        assert geom.contains(shapely.Point(lon, lat))
        assert pv.area_point(con, "district", "no-such-code") is None
        assert pv.nearest_by_layer(con, "district", "no-such-code", ()) == ()
    finally:
        con.close()
