"""Point layers (issue #17, items 1–2): the catalogue, reading the real files' quirks, checking,
assignment to district and mahalle, writing with replace semantics, and the build's report.

Everything but the last section uses tiny files and polygons the tests write themselves (fictional).
The last section checks the layers built from ../shared/data.
"""

from __future__ import annotations

import csv
import json
import math

import duckdb
import geopandas as gpd
import pandas as pd
import pytest
import shapely
from shapely.geometry import Point, box

from atlas import queries
from atlas.build.sources import load_manifest
from atlas.catalogue import Text
from atlas.errors import BuildError, CatalogueError
from atlas.points.assign import AreaPolygons, locate_points
from atlas.points.catalogue import PointLayer, load_point_layers
from atlas.points.clean import clean, parse_coordinate
from atlas.points.layers import build_points
from atlas.points.read import (read_eshot_bus_stops, read_gtfs_stations, read_metro_stations, read_osm_points,
                               split_lines)
from atlas.points.store import PointsError, write_layer, write_points
from tests.factories import SOURCE_ID, make_tiny_db

# --- the catalogue ------------------------------------------------------------------------------

GOOD = """
[[layer]]
id = "bus_stops"
title.tr = "Otobüs durakları"
title.en = "Bus stops"
category = "transport"
kinds = ["bus_stop"]
sources = ["eshot_bus_stops"]
licence = "CC BY 4.0"
attribution.tr = "Duraklar: ESHOT"
attribution.en = "Stops: ESHOT"
date = "2025-12"
access_m = [400]
"""


def _catalogue(tmp_path, text):
    path = tmp_path / "point_layers.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_catalogue_loads_into_frozen_layers(tmp_path):
    (layer,) = load_point_layers(_catalogue(tmp_path, GOOD), source_ids=["eshot_bus_stops"])
    assert layer.id == "bus_stops" and layer.kinds == ("bus_stop",) and layer.access_m == (400,)
    assert layer.licence == Text("CC BY 4.0", "CC BY 4.0") and layer.title.en == "Bus stops"
    assert layer.share_alike is False and layer.note is None
    with pytest.raises(AttributeError):
        layer.id = "other"  # frozen
    row = layer.row()
    assert json.loads(row["kinds"]) == ["bus_stop"] and json.loads(row["access_m"]) == [400]
    assert row["origin"] == "catalogue"


@pytest.mark.parametrize("change, key", [
    (lambda t: t.replace('title.en = "Bus stops"\n', ""), "'title'"),          # missing en inside title
    (lambda t: t.replace('category = "transport"\n', ""), "missing key 'category'"),
    (lambda t: t.replace('date = "2025-12"\n', ""), "missing key 'date'"),
    (lambda t: t.replace('access_m = [400]\n', ""), "missing key 'access_m'"),
    (lambda t: t + 'colour = "red"\n', "key 'colour': unknown key"),
    (lambda t: t.replace('"transport"', '"transportation"'), "key 'category'"),
    (lambda t: t.replace('["eshot_bus_stops"]', '["no_such_source"]'), "key 'sources'"),
    (lambda t: t.replace("[400]", "[-5]"), "key 'access_m'"),
    (lambda t: t.replace("[400]", "[400, 400]"), "key 'access_m'"),
    (lambda t: t.replace('"2025-12"', '"Dec 2025"'), "key 'date'"),
    (lambda t: t.replace('["bus_stop"]', "[]"), "key 'kinds'"),
    (lambda t: t.replace('id = "bus_stops"', 'id = "Bus Stops"'), "key 'id'"),
    (lambda t: t + t, "'bus_stops' is listed twice"),
    (lambda t: t.replace("[[layer]]", "[[layers]]"), "unknown top-level key 'layers'"),
])
def test_a_wrong_catalogue_fails_naming_the_key(tmp_path, change, key):
    with pytest.raises(CatalogueError) as err:
        load_point_layers(_catalogue(tmp_path, change(GOOD)), source_ids=["eshot_bus_stops"])
    assert key in str(err.value)


def test_the_project_catalogue_names_real_sources_and_credits_osm():
    layers = {layer.id: layer for layer in load_point_layers(source_ids=load_manifest())}
    assert set(layers) == {"bus_stops", "rail_stations", "parks_playgrounds", "sports_pitches"}
    assert layers["rail_stations"].kinds == ("metro", "izban")
    assert (layers["bus_stops"].access_m, layers["rail_stations"].access_m,
            layers["parks_playgrounds"].access_m) == ((400,), (800,), (300,))
    for osm in ("parks_playgrounds", "sports_pitches"):
        assert layers[osm].share_alike
        for lang in ("tr", "en"):
            assert "© OpenStreetMap contributors" in layers[osm].attribution.get(lang)
            assert "ODbL" in layers[osm].licence.get(lang)
    assert not any("forest" in layer.kinds for layer in layers.values())  # forests left out
    manifest = load_manifest()
    assert "© OpenStreetMap contributors" in manifest["osm_green_recreation"].attribution.en
    assert "share-alike" in manifest["osm_green_recreation"].licence.en.lower()
    assert "ESHOT / İzmir Büyükşehir Belediyesi Açık Veri Portalı" in manifest["eshot_bus_stops"].attribution.tr
    assert "not verified first-hand" in manifest["eshot_bus_stops"].licence.en


# --- reading the real files' quirks ---------------------------------------------------------------


def test_eshot_lines_split_on_dashes_and_empty_cells_list_no_line(tmp_path):
    path = tmp_path / "stops.csv"
    path.write_bytes(
        "DURAK_ID,DURAK_ADI,ENLEM,BOYLAM,DURAKTAN_GECEN_HATLAR,ilce_by_polygon_hdx\r\n"
        "10005,Bahribaba,38.41526836260150,27.12763952722090,32,Konak\r\n"
        "10007,Bahribaba,38.415144105211,27.12772009127190,29-30,Konak\r\n"
        "10009,Köy Girişi,38.4,27.1,,Konak\r\n".encode("utf-8"))
    raw = read_eshot_bus_stops(path)
    assert raw["point_id"].tolist() == ["10005", "10007", "10009"]
    assert [a["lines"] for a in raw["attributes"]] == [["32"], ["29", "30"], []]
    assert raw["lat_raw"].iloc[0] == "38.41526836260150"  # decimal text, parsed later
    assert raw["where"].tolist() == ["line 2", "line 3", "line 4"]
    assert split_lines(" 5 - 7 -") == ["5", "7"]


def test_eshot_portal_file_semicolons_decimal_comma_and_windows_1254(tmp_path):
    path = tmp_path / "eshot-otobus-duraklari.csv"
    path.write_bytes("DURAK_ID;DURAK_ADI;ENLEM;BOYLAM;DURAKTAN_GECEN_HATLAR\n"
                     "1;Şirinyer;38,3951;27,1410;12-13\n\n".encode("cp1254"))
    raw = read_eshot_bus_stops(path)
    assert raw["name"].tolist() == ["Şirinyer"] and raw["attributes"].iloc[0] == {"lines": ["12", "13"]}
    kept, problems = clean(raw)
    assert (kept["lat"].iloc[0], kept["lon"].iloc[0]) == (38.3951, 27.141) and problems == {}


def test_eshot_missing_column_is_named(tmp_path):
    path = tmp_path / "stops.csv"
    path.write_text("DURAK_ID,DURAK_ADI,ENLEM,BOYLAM\n1,a,38.4,27.1\n", encoding="utf-8")
    with pytest.raises(BuildError, match="missing DURAKTAN_GECEN_HATLAR"):
        read_eshot_bus_stops(path)


def test_metro_active_flag_starts_with_a_non_breaking_space(tmp_path):
    path = tmp_path / "metro.csv"
    path.write_text('ISTASYON_ID,ISTASYON_ADI,ISTASYON_SIRASI,AKTIF_MI,BOYLAM,ENLEM\n'
                    '1,KAYMAKAMLIK,1,"\u00a0True",26.991,38.3949\n'
                    '2,ESKİ,2,"\u00a0False",27.0,38.39\n', encoding="utf-8")
    raw = read_metro_stations(path)
    assert raw["status"].tolist() == ["ok", "inactive"]
    assert raw["point_id"].tolist() == ["metro:1", "metro:2"] and raw["kind"].tolist() == ["metro", "metro"]
    assert raw["attributes"].iloc[0] == {"line": "M1", "order": 1}
    kept, problems = clean(raw)
    assert kept["point_id"].tolist() == ["metro:1"] and problems["inactive"].count == 1


def test_metro_unknown_active_flag_is_named(tmp_path):
    path = tmp_path / "metro.csv"
    path.write_text("ISTASYON_ID,ISTASYON_ADI,ISTASYON_SIRASI,AKTIF_MI,BOYLAM,ENLEM\n1,A,1,belki,27,38.4\n",
                    encoding="utf-8")
    with pytest.raises(BuildError, match=r"metro\.csv line 2: AKTIF_MI is 'belki'; allowed: True or False"):
        read_metro_stations(path)


def test_gtfs_stops_keep_stations_only(tmp_path):
    path = tmp_path / "stops.txt"
    path.write_text("stop_id,stop_name,stop_lon,stop_lat,zone_id,stop_url,location_type,parent_station\n"
                    "1,Aliağa,26.966944444444,38.788888888889,,,,\n"          # a stop without parent
                    "2,Alsancak,27.14,38.44,,,1,\n"                           # a station
                    "2a,Alsancak peron 1,27.14,38.44,,,0,2\n"                 # its platform
                    "2e,Alsancak giriş,27.141,38.441,,,2,2\n", encoding="utf-8")  # its entrance
    raw = read_gtfs_stations(path)
    assert raw["status"].tolist() == ["ok", "ok", "not_station", "not_station"]
    assert raw["point_id"].tolist()[:2] == ["izban:1", "izban:2"] and set(raw["kind"]) == {"izban"}


def test_osm_kind_from_leisure_then_landuse_and_missing_geometry(tmp_path):
    path = tmp_path / "osm.geojson"
    features = [
        {"type": "Feature", "properties": {"element_type": "way", "osmid": 5, "leisure": "park", "landuse": None,
                                           "natural": None, "name": "Kültürpark"},
         "geometry": {"type": "Point", "coordinates": [27.1441, 38.4291]}},
        {"type": "Feature", "properties": {"element_type": "relation", "osmid": 6, "leisure": None,
                                           "landuse": "forest", "natural": None, "name": None},
         "geometry": {"type": "Point", "coordinates": [27.3, 38.3]}},
        {"type": "Feature", "properties": {"element_type": "node", "osmid": 7, "leisure": "playground",
                                           "landuse": None, "natural": None, "name": None}, "geometry": None},
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    raw = read_osm_points(path)
    assert raw["point_id"].tolist() == ["way/5", "relation/6", "node/7"]
    assert raw["kind"].tolist() == ["park", "forest", "playground"]
    assert raw["name"].tolist()[:2] == ["Kültürpark", None]
    kept, problems = clean(raw)
    assert problems["unparseable"].count == 1 and "feature 3" in problems["unparseable"].examples[0]


@pytest.mark.parametrize("text, value", [
    ("38.41526836260150", 38.4152683626015), (" 38,4152 ", 38.4152), ("\u00a027.1", 27.1), (27.5, 27.5),
    ("", None), ("abc", None), ("3.843.405", None), ("nan", None), (None, None), (float("inf"), None),
])
def test_coordinates_parse_from_decimal_text(text, value):
    assert parse_coordinate(text) == value


# --- checking: unparseable and duplicates ---------------------------------------------------------


def _raw(rows):
    return pd.DataFrame([{"where": f"line {n}", "point_id": pid, "name": name, "kind": "bus_stop",
                          "attributes": {"lines": []}, "lon_raw": lon, "lat_raw": lat, "status": "ok"}
                         for n, (pid, name, lon, lat) in enumerate(rows, start=2)])


def test_clean_reports_unparseable_and_duplicates_with_examples():
    raw = _raw([("1", "A", "27.0", "38.4"),
                ("2", "B", "27.x", "38.4"),     # unparseable
                ("3", "C", "27.0", "95"),       # latitude beyond 90°
                ("1", "A2", "27.1", "38.5"),    # same id as line 2
                ("4", "A", "27.0", "38.4"),     # same place and name as line 2
                ("5", "Z", "27.0", "38.4")])    # same place, other name: kept
    kept, problems = clean(raw)
    assert kept["point_id"].tolist() == ["1", "5"]
    assert {k: p.count for k, p in problems.items()} == {"unparseable": 2, "duplicate_id": 1, "duplicate_place": 1}
    assert problems["unparseable"].examples[0] == "line 3: '2' 'B': lon '27.x', lat '38.4'"
    assert problems["duplicate_id"].examples == ("line 5: '1' 'A2'",)
    assert problems["duplicate_place"].examples[0].startswith("line 6: '4' 'A' at 27.0, 38.4")


def test_examples_stop_at_five_but_the_count_does_not():
    kept, problems = clean(_raw([(str(i), "x", "bad", "38.4") for i in range(8)]))
    assert kept.empty and problems["unparseable"].count == 8 and len(problems["unparseable"].examples) == 5


# --- assignment on hand-made polygons -------------------------------------------------------------

# Two districts side by side, 0.01° square each, and two mahalle in West. At 38.405° N a degree of
# longitude is 111,320 m × cos(38.405°) = 87,220 m, so 0.005° east of East's edge is ≈ 436 m away.
WEST, EAST = box(27.00, 38.40, 27.01, 38.41), box(27.01, 38.40, 27.02, 38.41)


def _areas():
    districts = gpd.GeoDataFrame({"code": ["1", "2"]}, geometry=[WEST, EAST], crs="EPSG:4326")
    mahalle = gpd.GeoDataFrame({"code": ["11", "12"], "parent_code": ["1", "1"]},
                               geometry=[box(27.00, 38.40, 27.005, 38.41), box(27.005, 38.40, 27.01, 38.41)],
                               crs="EPSG:4326")
    return AreaPolygons(districts, mahalle)


def test_points_get_the_district_and_mahalle_they_fall_in():
    frame = pd.DataFrame({"lon": [27.002, 27.008, 27.015, 27.025, 27.07],
                          "lat": [38.405, 38.405, 38.405, 38.405, 38.405]})
    got = locate_points(frame, _areas(), tolerance_m=1000)
    assert got["district_code"].tolist() == ["1", "1", "2", "2", None]
    assert got["placement"].tolist() == ["inside", "inside", "inside", "nearest", "outside"]
    # 27.015 lies in East, in no mahalle polygon, 0.005° ≈ 436 m from mahalle 12's edge at 27.01: within
    # 1 km → mahalle 12. 27.025 is 0.015° ≈ 1,308 m from that edge → no mahalle; 27.07 is ≈ 4.4 km out.
    assert got["mahalle_code"].tolist() == ["11", "12", "12", None, None]
    assert got["outside_m"].iloc[3] == pytest.approx(436, rel=0.02)
    assert got["outside_m"].iloc[4] == pytest.approx(0.05 * 87_220, rel=0.02)
    assert got["outside_m"].iloc[:3].tolist() == [0.0, 0.0, 0.0]


def test_a_tighter_tolerance_leaves_the_near_point_outside():
    got = locate_points(pd.DataFrame({"lon": [27.025], "lat": [38.405]}), _areas(), tolerance_m=300)
    assert got["placement"].tolist() == ["outside"] and got["district_code"].tolist() == [None]


# --- writing: replace semantics ------------------------------------------------------------------

LAYER = PointLayer(id="test_stops", title=Text("Test durakları", "Test stops"), category="transport",
                   kinds=("bus_stop",), sources=(SOURCE_ID,), licence=Text("CC0", "CC0"),
                   attribution=Text("Test (kurgusal)", "Test (fictional)"), date="2026", access_m=(400,))


def _frame(*rows):
    return pd.DataFrame([{"point_id": pid, "name": name, "kind": "bus_stop", "attributes": {"lines": lines},
                          "lon": lon, "lat": lat} for pid, name, lines, lon, lat in rows])


def _points(con):
    return con.execute("SELECT point_id, name, attributes, district_code, placement FROM points "
                       "ORDER BY point_id").fetchall()


@pytest.fixture
def tiny_con(tmp_path):
    # tiny districts: 9001 = 27.00–27.01 E, 9002 = 27.01–27.02 E, both 38.40–38.41 N; mahalle from 27.10 E
    # (tests/factories.py)
    con = duckdb.connect(str(make_tiny_db(tmp_path / "tiny.duckdb")))
    write_layer(con, LAYER)
    yield con
    con.close()


def test_write_points_replaces_the_layer_in_one_go(tiny_con):
    report = write_points(tiny_con, "test_stops", _frame(("a", "Durak A", ["1"], 27.005, 38.405),
                                                         ("b", "Durak B", [], 27.015, 38.405)), SOURCE_ID)
    assert report.written == 2 and report.districts == 2
    assert _points(tiny_con) == [("a", "Durak A", '{"lines": ["1"]}', "9001", "inside"),
                                 ("b", "Durak B", '{"lines": []}', "9002", "inside")]
    write_points(tiny_con, "test_stops", _frame(("b", "Durak B2", ["5"], 27.015, 38.405),
                                                ("c", None, [], 27.006, 38.406)), SOURCE_ID)
    assert [r[:2] for r in _points(tiny_con)] == [("b", "Durak B2"), ("c", None)]
    (wkb,) = tiny_con.execute("SELECT geom_wkb FROM points WHERE point_id = 'c'").fetchone()
    assert shapely.from_wkb(bytes(wkb)).equals(Point(27.006, 38.406))


def test_write_points_reports_outside_points_and_does_not_write_far_ones(tiny_con):
    # 27.025 is 0.005° (≈ 436 m) east of district 9002; 27.2 is ≈ 16 km away.
    report = write_points(tiny_con, "test_stops", _frame(("near", "Yakın", [], 27.025, 38.405),
                                                         ("far", "Uzak", [], 27.2, 38.405)), SOURCE_ID)
    assert report.written == 1
    assert report.problems["outside_kept"].count == 1 and "'near' 'Yakın'" in report.problems["outside_kept"].examples[0]
    assert report.problems["outside"].count == 1 and "m from the nearest district" in report.problems["outside"].examples[0]
    assert _points(tiny_con) == [("near", "Yakın", '{"lines": []}', "9002", "nearest")]


@pytest.mark.parametrize("frame, message", [
    (_frame(("a", "A", [], 27.005, 38.405), ("a", "A again", [], 27.006, 38.405)), "point_id 'a' is given 2 times"),
    (_frame(("a", "A", [], float("nan"), 38.405)), "row 1 (point_id 'a'): lon must be a number"),
    (_frame(("a", "A", [], 27.005, 138.4)), "lat must be a number of degrees within ±90"),
    (_frame(("a", "A", [], 27.005, 38.405)).drop(columns=["kind"]), "lacks the column(s) kind"),
    (_frame(("a", "A", [], 27.005, 38.405)).assign(kind="tram"), "kind 'tram' is not a kind of the layer"),
])
def test_a_bad_frame_is_refused_and_the_layer_is_unchanged(tiny_con, frame, message):
    write_points(tiny_con, "test_stops", _frame(("old", "Eski", [], 27.005, 38.405)), SOURCE_ID)
    with pytest.raises(PointsError, match=message.replace("(", r"\(").replace(")", r"\)")):
        write_points(tiny_con, "test_stops", frame, SOURCE_ID)
    assert [r[0] for r in _points(tiny_con)] == ["old"]


def test_unknown_layer_or_source_is_named(tiny_con):
    frame = _frame(("a", "A", [], 27.005, 38.405))
    with pytest.raises(PointsError, match="point layer 'pharmacies' is not in the database; known layers: test_stops"):
        write_points(tiny_con, "pharmacies", frame, SOURCE_ID)
    with pytest.raises(PointsError, match="source 'nowhere' is not in the sources table"):
        write_points(tiny_con, "test_stops", frame, "nowhere")


def test_a_failure_inside_the_transaction_rolls_back(tiny_con, monkeypatch):
    write_points(tiny_con, "test_stops", _frame(("old", "Eski", [], 27.005, 38.405)), SOURCE_ID)
    import atlas.points.store as store

    def broken_insert(con, table, df):
        raise duckdb.ConstraintException("simulated failure after the delete")

    monkeypatch.setattr(store, "insert_frame", broken_insert)
    with pytest.raises(duckdb.ConstraintException):
        write_points(tiny_con, "test_stops", _frame(("new", "Yeni", [], 27.005, 38.405)), SOURCE_ID)
    assert [r[0] for r in _points(tiny_con)] == ["old"]


# --- the build step's report ---------------------------------------------------------------------


def test_the_build_reports_outside_duplicate_and_unparseable_points(tmp_path):
    con = duckdb.connect(str(make_tiny_db(tmp_path / "tiny.duckdb")))
    con.execute("INSERT INTO sources SELECT 'eshot_bus_stops', title_tr, title_en, url, licence_tr, licence_en, "
                "attribution_tr, attribution_en, file_path, sha256, bytes, loaded_at, notes FROM sources")
    stops = tmp_path / "stops.csv"
    stops.write_text("DURAK_ID,DURAK_ADI,ENLEM,BOYLAM,DURAKTAN_GECEN_HATLAR\n"
                     "1,Bir,38.405,27.005,1-2\n"
                     "2,İki,38.405,27.015,\n"
                     "2,İki kopya,38.406,27.016,3\n"        # duplicate id
                     "3,Bir,38.405,27.005,4\n"              # same place and name as stop 1
                     "4,Bozuk,38.4O5,27.005,5\n"            # letter O, not a zero
                     "5,Kıyı,38.405,27.025,6\n"             # ≈ 436 m outside: kept, nearest district
                     "6,Uzak,38.405,27.9,7\n", encoding="utf-8")  # far outside: not loaded
    layer = PointLayer(id="bus_stops", title=Text("Duraklar", "Stops"), category="transport", kinds=("bus_stop",),
                       sources=("eshot_bus_stops",), licence=Text("CC0", "CC0"), attribution=Text("T", "T"),
                       date="2026", access_m=(400,))
    areas = AreaPolygons.from_frame(queries.run(con, "list_point_assignment_areas"))
    report = build_points(con, (layer,), {"eshot_bus_stops": stops}, set(), areas)
    lb = report.layer("bus_stops")
    assert {k: p.count for k, p in lb.problems.items()} == {
        "duplicate_id": 1, "duplicate_place": 1, "unparseable": 1, "outside": 1, "outside_kept": 1, "no_mahalle": 3}
    assert (lb.rows, lb.loaded, lb.dropped) == (7, 3, 4) and lb.loaded == lb.rows - lb.dropped
    text = "\n".join(report.lines())
    assert "bus_stops: 3 points loaded of 7 source rows (4 not loaded), in 2 districts" in text
    assert "line 6: '4' 'Bozuk': lon '27.005', lat '38.4O5'" in text
    assert "line 4: '2' 'İki kopya'" in text and "line 8: '6' 'Uzak' at 27.90000, 38.40500" in text
    assert json.loads(report.facts()["points_bus_stops"])["reported"]["outside"] == 1
    assert con.execute("SELECT count(*) FROM point_layers").fetchone() == (1,)
    con.close()


def test_a_layer_whose_sources_are_all_missing_is_left_out_and_said(tmp_path):
    con = duckdb.connect(str(make_tiny_db(tmp_path / "tiny.duckdb")))
    report = build_points(con, (LAYER,), {}, {SOURCE_ID}, AreaPolygons.from_frame(
        queries.run(con, "list_point_assignment_areas")))
    assert report.skipped_layers == ["test_stops"] and "left out" in report.lines()[0]
    con.close()


# --- against the real data -------------------------------------------------------------------------

POINT_FILES = ("izmir_public_transport_stops_eshot_metro/izmir_eshot_bus_stops.csv",
               "izmir_osm_green_recreation_points/izmir_osm_green_recreation_points.geojson")


@pytest.fixture(scope="module")
def points_data(real_data_dir):
    """The real source data, required like every real-data test (tests/conftest.py): never skipped."""
    missing = [f for f in POINT_FILES if not (real_data_dir / f).is_file()]
    assert not missing, f"point source files absent from {real_data_dir}: {', '.join(missing)}"
    return real_data_dir


@pytest.fixture(scope="module")
def real_points(points_data, request):
    path = request.getfixturevalue("real_db")
    con = duckdb.connect(str(path), read_only=True)
    yield con
    con.close()


def test_real_every_district_has_bus_stops(real_points):
    per_district = dict(real_points.execute(
        "SELECT a.name, count(p.point_id) FROM areas a LEFT JOIN points p "
        "ON p.district_code = a.code AND p.layer_id = 'bus_stops' WHERE a.level = 'district' GROUP BY a.name"
    ).fetchall())
    assert len(per_district) == 30 and min(per_district.values()) > 0
    # counts by HDX polygon recorded in the folder's SOURCE.md
    assert (per_district["Konak"], per_district["Kiraz"], per_district["Torbalı"]) == (520, 34, 987)


def test_real_stops_loaded_equal_source_rows_minus_reported(real_points, points_data):
    with (points_data / POINT_FILES[0]).open(encoding="utf-8-sig", newline="") as fh:
        source_rows = sum(1 for row in csv.DictReader(fh) if any(v.strip() for v in row.values()))
    fact = json.loads(dict(real_points.execute("SELECT key, value FROM build_info").fetchall())["points_bus_stops"])
    dropped = sum(n for reason, n in fact["reported"].items() if reason not in ("outside_kept", "no_mahalle"))
    loaded = real_points.execute("SELECT count(*) FROM points WHERE layer_id = 'bus_stops'").fetchone()[0]
    assert source_rows == 11_605 and fact["rows"] == source_rows
    assert loaded == fact["loaded"] == source_rows - dropped
    # the one stop SOURCE.md names as just outside the HDX polygons is kept, given the nearest district
    assert real_points.execute("SELECT name, placement FROM points WHERE layer_id = 'bus_stops' "
                               "AND placement = 'nearest'").fetchall() == [("Çeşmealtı Lojmanları", "nearest")]


def test_real_layers_lines_kinds_and_sources(real_points):
    rows = dict(((layer, kind), n) for layer, kind, n in real_points.execute(
        "SELECT layer_id, kind, count(*) FROM points GROUP BY ALL").fetchall())
    assert rows[("rail_stations", "metro")] == 24 and rows[("rail_stations", "izban")] == 41
    assert rows[("parks_playgrounds", "park")] == 1763 and rows[("sports_pitches", "pitch")] == 1202
    assert not any(kind == "forest" for _, kind in rows)
    no_line = real_points.execute("SELECT count(*) FROM points WHERE layer_id = 'bus_stops' "
                                  "AND attributes = '{\"lines\": []}'").fetchone()[0]
    assert no_line == 94
    orphans = real_points.execute("SELECT count(*) FROM points p LEFT JOIN sources s USING (source_id) "
                                  "WHERE s.source_id IS NULL").fetchone()[0]
    assert orphans == 0
    lon, lat = real_points.execute("SELECT lon, lat FROM points WHERE layer_id = 'bus_stops' "
                                   "AND point_id = '10005'").fetchone()
    assert math.isclose(lon, 27.1276395272209) and math.isclose(lat, 38.4152683626015)


def test_writing_a_layer_again_refreshes_its_row_and_keeps_its_points(tiny_con):
    write_points(tiny_con, "test_stops", _frame(("a", "A", [], 27.005, 38.405)), SOURCE_ID)
    write_layer(tiny_con, PointLayer(**{**LAYER.__dict__, "title": Text("Yeni ad", "New title")}), origin="import")
    assert tiny_con.execute("SELECT title_en, origin FROM point_layers").fetchall() == [("New title", "import")]
    assert [r[0] for r in _points(tiny_con)] == ["a"]
    write_points(tiny_con, "test_stops", _frame(("a", "A", [], 27.005, 38.405)).iloc[0:0], SOURCE_ID)
    assert _points(tiny_con) == []  # an empty frame empties the layer
