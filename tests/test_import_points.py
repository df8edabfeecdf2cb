"""``python -m atlas import-points``: a city's point file (CSV, XLSX, GeoJSON) as a point layer.

The database is a tiny real DuckDB (tests/factories.py) whose two districts are made large
rectangles over central İzmir (26.5–27.2° E and 27.2–27.9° E, 38.0–38.9° N) with five small
mahalle, so real İzmir coordinates fall inside and the access step stays fast. Everything here is
fictional. Every refused file is checked to leave the database byte for byte as it was.
"""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path

import duckdb
import numpy as np
import openpyxl
import pytest
import shapely
from shapely.geometry import box

from atlas.cli import main
from atlas.errors import ImportRejected
from atlas.importing.points import crs as C
from atlas.importing.points import import_points, read_points
from atlas.importing.points.columns import role_of
from atlas.points.catalogue import PointLayer
from atlas.catalogue import Text
from tests.factories import SOURCE_ID, make_tiny_db, sample_indicator

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "docs" / "examples" / "pharmacies_example.csv"
EXAMPLE_ENTRY = ROOT / "docs" / "examples" / "pharmacies_example_entry.toml"

DISTRICT_BOXES = {"9001": box(26.5, 38.0, 27.2, 38.9), "9002": box(27.2, 38.0, 27.9, 38.9)}
MAHALLE_BOXES = {"91001": box(26.75, 38.30, 26.80, 38.35), "91002": box(27.10, 38.40, 27.15, 38.45),
                 "91003": box(27.08, 38.45, 27.13, 38.50), "92001": box(27.20, 38.44, 27.25, 38.49),
                 "92002": box(27.33, 38.13, 27.38, 38.18)}
POPULATION = {"91001": 1000, "91002": 2000, "91003": 3000, "92001": 1500, "92002": 500}

ENTRY = """
[[layer]]
id = "pharmacies"
title.tr = "Eczaneler (örnek)"
title.en = "Pharmacies (example)"
category = "health_service"
kinds = ["pharmacy"]
licence = "CC BY 4.0"
attribution.tr = "Eczaneler: örnek"
attribution.en = "Pharmacies: example"
date = "2025-11"
access_m = [500, 1000]
source = "Örnek kaynak (kurgusal)"
source_url = "https://example.org/eczaneler"
"""


@pytest.fixture
def db(tmp_path) -> Path:
    path = make_tiny_db(tmp_path / "points.duckdb")
    con = duckdb.connect(str(path))
    try:
        for code, geom in {**DISTRICT_BOXES, **MAHALLE_BOXES, "35": box(26.5, 38.0, 27.9, 38.9)}.items():
            wkb = shapely.to_wkb(geom)
            con.execute("UPDATE areas SET geom_wkb = $w, geom_display_wkb = $w WHERE code = $c", {"w": wkb, "c": code})
        pop = sample_indicator(id="pop_total", value_type="count", scale=1.0)
        con.execute("INSERT INTO indicators VALUES ('pop_total', 'population', 'Nüfus', 'Population', 'kişi', "
                    "'people', 'count', 'no_judgement', NULL, 'catalogue', $meta)", {"meta": pop.to_json()})
        for code, n in POPULATION.items():
            con.execute("INSERT INTO indicator_values VALUES ('pop_total', 'mahalle', $c, '2023', 2023, $v, NULL, "
                        "NULL, NULL, NULL, 'ok', NULL, NULL, NULL, $s, NULL, NULL)", {"c": code, "v": float(n), "s": SOURCE_ID})
        from atlas.points.store import write_layer

        write_layer(con, PointLayer(id="bus_stops", title=Text("Duraklar", "Stops"), category="transport",
                                    kinds=("bus_stop",), sources=(SOURCE_ID,), licence=Text("CC0", "CC0"),
                                    attribution=Text("Test", "Test"), date="2025", access_m=(400,)),
                    origin="catalogue")
    finally:
        con.close()
    return path


@pytest.fixture
def entry(tmp_path) -> Path:
    path = tmp_path / "entry.toml"
    path.write_text(ENTRY, encoding="utf-8")
    return path


def state(db: Path) -> tuple[str, tuple[str, ...]]:
    """The database's bytes (hashed) and the files beside it: a refused import changes neither."""
    return (hashlib.sha256(db.read_bytes()).hexdigest(), tuple(sorted(p.name for p in db.parent.iterdir())))


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def refused(file: Path, db: Path, entry: Path | None, *, layer: str = "pharmacies", crs: str | None = None) -> str:
    """Import ``file`` expecting a refusal; assert the database is unchanged; return the message."""
    before = state(db)
    with pytest.raises(ImportRejected) as err:
        import_points(file, db, layer, entry, crs=crs)
    assert state(db) == before
    assert "nothing was written" in str(err.value)
    return str(err.value)


def point_rows(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT point_id, name, kind, lon, lat, district_code, mahalle_code, placement "
                           "FROM points WHERE layer_id = 'pharmacies' ORDER BY point_id").fetchall()
    finally:
        con.close()


# --- columns and numbers ----------------------------------------------------------------------------

@pytest.mark.parametrize("header, role", [
    ("enlem", "north"), ("ENLEM", "north"), ("Enlem ", "north"), ("lat", "north"), ("Latitude", "north"),
    ("boylam", "east"), ("BOYLAM", "east"), ("lon", "east"), ("lng", "east"), ("LONGITUDE", "east"),
    ("x", "x"), ("X", "x"), ("koordinat_x", "x"), ("KOORDİNAT_X", "x"), ("Koordinat X", "x"),
    ("y", "y"), ("koordinat_y", "y"), ("KOORDINAT_Y", "y"),
    ("ad", "name"), ("adı", "name"), ("ADI", "name"), ("Adı", "name"), ("AD I", None), ("name", "name"),
    ("Eczane Adı", "name"), ("ECZANE_ADI", "name"), ("eczane adi", "name"),
    ("id", "id"), ("ID", "id"), ("İD", "id"), ("kod", "id"), ("KODU", "id"), ("tür", "kind"), ("TÜRÜ", "kind"),
    ("adres", None), ("telefon", None),
])
def test_turkish_column_names(header, role):
    """Headers are compared case- and accent-insensitively, with İ/ı folded to i."""
    assert role_of(header) == role


def test_decimal_comma_and_point_give_the_same_numbers(tmp_path):
    comma = read_points(write(tmp_path, "a.csv", "ad;enlem;boylam\nÖrnek 1;38,4189;27,1287\nÖrnek 2;38,5;27\n"))
    point = read_points(write(tmp_path, "b.csv", "ad,enlem,boylam\nÖrnek 1,38.4189,27.1287\nÖrnek 2,38.5,27\n"))
    quoted = read_points(write(tmp_path, "c.csv", 'ad,enlem,boylam\nÖrnek 1,"38,4189","27,1287"\nÖrnek 2,"38,5",27\n'))
    for pf in (comma, point, quoted):
        assert not pf.problems
        assert [(p.first, p.second) for p in pf.points] == [(38.4189, 27.1287), (38.5, 27.0)]
        assert [p.name for p in pf.points] == ["Örnek 1", "Örnek 2"]
    assert comma.decimal_mark == "," and point.decimal_mark == "."


def test_three_decimals_are_a_decimal_point_not_thousands(tmp_path):
    """``27.128`` in a ;-separated file is a longitude (the indicator importer would read 27128)."""
    pf = read_points(write(tmp_path, "a.csv", "ad;enlem;boylam\nÖrnek 1;38.419;27.128\n"))
    assert (pf.points[0].first, pf.points[0].second) == (38.419, 27.128)


def test_projected_metres_with_decimal_comma(tmp_path):
    pf = read_points(write(tmp_path, "a.csv", "id;x;y\n1;511227,09;4252294,57\n"))
    assert (pf.points[0].second, pf.points[0].first) == (511227.09, 4252294.57)


# --- reprojection --------------------------------------------------------------------------------

def transverse_mercator(lat: float, lon: float, lon0: float, k0: float, a: float, f: float,
                        false_easting: float = 500_000.0) -> tuple[float, float]:
    """Snyder, Map Projections — A Working Manual (USGS PP 1395, 1987), eqs. 3-21, 4-20, 8-9, 8-10,
    8-12, 8-13: the ellipsoidal Transverse Mercator, forward. Written out here so the test does not
    take its expected values from pyproj."""
    e2 = 2 * f - f * f
    ep2 = e2 / (1 - e2)
    phi, lam = math.radians(lat), math.radians(lon - lon0)
    n = a / math.sqrt(1 - e2 * math.sin(phi) ** 2)
    t, c, aa = math.tan(phi) ** 2, ep2 * math.cos(phi) ** 2, lam * math.cos(phi)
    e4, e6 = e2 ** 2, e2 ** 3
    m = a * ((1 - e2 / 4 - 3 * e4 / 64 - 5 * e6 / 256) * phi
             - (3 * e2 / 8 + 3 * e4 / 32 + 45 * e6 / 1024) * math.sin(2 * phi)
             + (15 * e4 / 256 + 45 * e6 / 1024) * math.sin(4 * phi) - (35 * e6 / 3072) * math.sin(6 * phi))
    x = k0 * n * (aa + (1 - t + c) * aa ** 3 / 6 + (5 - 18 * t + t * t + 72 * c - 58 * ep2) * aa ** 5 / 120)
    y = k0 * (m + n * math.tan(phi) * (aa * aa / 2 + (5 - t + 9 * c + 4 * c * c) * aa ** 4 / 24
                                       + (61 - 58 * t + t * t + 600 * c - 330 * ep2) * aa ** 6 / 720))
    return false_easting + x, y


def test_the_written_out_projection_matches_snyders_worked_example():
    """Snyder p. 269: φ 40°30′ N, λ 73°30′ W, λ0 75° W, k0 0.9996, Clarke 1866 (a 6,378,206.4 m,
    e² 0.00676866) → x 127,106.5 m, y 4,484,124.4 m."""
    f = 1 - math.sqrt(1 - 0.00676866)
    x, y = transverse_mercator(40.5, -73.5, -75.0, 0.9996, 6_378_206.4, f, false_easting=0.0)
    assert x == pytest.approx(127_106.5, abs=0.1)
    assert y == pytest.approx(4_484_124.4, abs=0.1)


KONAK_CLOCK_TOWER = (38.41883, 27.12861)  # lat, lon (WGS84), a well-known point of İzmir
WGS84 = (6_378_137.0, 1 / 298.257223563)
GRS80 = (6_378_137.0, 1 / 298.257222101)  # TUREF/ITRF96 uses GRS80; it differs from WGS84 by < 0.1 mm


@pytest.mark.parametrize("code, lon0, k0, ellipsoid", [
    ("EPSG:32635", 27.0, 0.9996, WGS84),  # UTM zone 35N
    ("EPSG:5253", 27.0, 1.0, GRS80),  # TUREF / TM27
    ("EPSG:5254", 30.0, 1.0, GRS80),  # TUREF / TM30
])
def test_reprojection_to_wgs84_within_a_metre(code, lon0, k0, ellipsoid):
    lat, lon = KONAK_CLOCK_TOWER
    east, north = transverse_mercator(lat, lon, lon0, k0, *ellipsoid)
    got_lon, got_lat = C.to_wgs84(code, np.array([east]), np.array([north]))
    metres_north = (got_lat[0] - lat) * 111_000
    metres_east = (got_lon[0] - lon) * 111_000 * math.cos(math.radians(lat))
    assert math.hypot(metres_north, metres_east) < 1.0


def test_a_utm_file_is_imported_at_the_right_place(tmp_path, db, entry):
    lat, lon = KONAK_CLOCK_TOWER
    east, north = transverse_mercator(lat, lon, 27.0, 0.9996, *WGS84)
    file = write(tmp_path, "utm.csv", f"id;ad;x;y\n1;Örnek Eczane 1;{east:.2f};{north:.2f}\n".replace(".", ","))
    report = import_points(file, db, "pharmacies", entry, crs="EPSG:32635")
    assert report.crs.startswith("EPSG:32635") and not report.crs_detected
    (pid, name, kind, got_lon, got_lat, district, mahalle, placement), = point_rows(db)
    assert (pid, name, kind, district, mahalle, placement) == ("1", "Örnek Eczane 1", "pharmacy", "9001", "91002",
                                                               "inside")
    assert got_lat == pytest.approx(lat, abs=1e-5) and got_lon == pytest.approx(lon, abs=1e-5)


def test_tm30_is_detected_from_the_numbers(tmp_path, db, entry):
    east, north = transverse_mercator(*KONAK_CLOCK_TOWER, 30.0, 1.0, *GRS80)
    file = write(tmp_path, "tm30.csv", f"id,x,y\n1,{east:.2f},{north:.2f}\n")
    report = import_points(file, db, "pharmacies", entry, dry_run=True)
    assert report.crs.startswith("EPSG:5254") and report.crs_detected


def test_utm_35n_and_tm27_cannot_be_told_apart(tmp_path, db, entry):
    east, north = transverse_mercator(*KONAK_CLOCK_TOWER, 27.0, 0.9996, *WGS84)
    file = write(tmp_path, "utm.csv", f"id,x,y\n1,{east:.2f},{north:.2f}\n")
    message = refused(file, db, entry)
    assert "EPSG:32635" in message and "EPSG:5253" in message and "--crs" in message


def test_x_holding_northings_is_the_turkish_survey_order(tmp_path, db, entry):
    """Turkish surveying writes X = northing, Y = easting: accepted, and said."""
    east, north = transverse_mercator(*KONAK_CLOCK_TOWER, 30.0, 1.0, *GRS80)
    file = write(tmp_path, "survey.csv", f"id,x,y\n1,{north:.2f},{east:.2f}\n")
    report = import_points(file, db, "pharmacies", entry)
    assert any("X = northing" in n for n in report.notes)
    assert point_rows(db)[0][5] == "9001"


def test_unknown_crs_is_refused(tmp_path, db, entry):
    web_mercator = write(tmp_path, "merc.csv", "id,x,y\n1,3019947,4636296\n")  # Konak in EPSG:3857
    message = refused(web_mercator, db, entry)
    assert "unknown coordinate reference system" in message and "EPSG:4326" in message
    good = write(tmp_path, "good.csv", "id,enlem,boylam\n1,38.4189,27.1287\n")
    message = refused(good, db, entry, crs="EPSG:2320")  # ED50 / TM30: not supported
    assert "--crs: unknown coordinate reference system 'EPSG:2320'" in message and "EPSG:5254" in message
    message = refused(good, db, entry, crs="EPSG:5254")  # degrees read as TM30 metres
    assert "no point lies in İzmir as EPSG:5254" in message and "EPSG:4326" in message


# --- swapped coordinates ---------------------------------------------------------------------------

def test_swapped_latitude_and_longitude_are_refused(tmp_path, db, entry):
    file = write(tmp_path, "swap.csv", "id;enlem;boylam\n1;27,1287;38,4189\n2;27,22;38,466\n")
    message = refused(file, db, entry)
    assert "latitude and longitude look swapped" in message
    assert "in 2 of 2 rows the 'enlem' column (latitude) holds values in İzmir's longitude range" in message


def test_one_swapped_row_is_named(tmp_path, db, entry):
    file = write(tmp_path, "swap.csv", "id,lat,lon\n1,38.4189,27.1287\n2,27.22,38.466\n3,38.466,27.22\n")
    message = refused(file, db, entry)
    assert "row 3: latitude and longitude are swapped in this row (lat 27.22, lon 38.466)" in message


def test_swapped_geojson_is_refused(tmp_path, db, entry):
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"ad": "Örnek Eczane 1"}, "geometry": {"type": "Point",
                                                                               "coordinates": [38.4189, 27.1287]}}]}
    message = refused(write(tmp_path, "swap.geojson", json.dumps(doc)), db, entry)
    assert "latitude and longitude look swapped" in message


# --- the province, duplicates, bad cells --------------------------------------------------------

def test_points_outside_the_province_are_refused(tmp_path, db, entry):
    # row 3: inside İzmir's envelope but ~50 km from the (test) districts; row 4: in Ankara
    file = write(tmp_path, "out.csv", "id,enlem,boylam\n1,38.4189,27.1287\n2,39.2,28.4\n3,39.93,32.86\n")
    message = refused(file, db, entry)
    assert "row 3: the point (longitude 28.40000, latitude 39.20000 in WGS84) is outside İzmir:" in message
    assert "row 4: enlem 39.93, boylam 32.86 is outside İzmir" in message
    assert "row 2" not in message


def test_a_point_just_off_the_coast_is_taken_with_the_nearest_district(tmp_path, db, entry):
    """Within 250 m of a district (the coast drawn at 1:1 M) a point is taken; farther it is refused."""
    near = 27.9 + 150 / (111_320 * math.cos(math.radians(38.5)))  # 150 m east of district 9002
    far = 27.9 + 400 / (111_320 * math.cos(math.radians(38.5)))
    message = refused(write(tmp_path, "far.csv", f"id,enlem,boylam\n1,38.5,{far:.6f}\n"), db, entry)
    assert "0.40 km from the nearest district" in message
    report = import_points(write(tmp_path, "near.csv", f"id,enlem,boylam\n1,38.5,{near:.6f}\n"), db, "pharmacies",
                           entry)
    assert any("just outside every district polygon" in n for n in report.notes)
    assert "1 point(s) lie in no mahalle polygon (nor within 250 m of one): loaded with their district only" in (
        report.notes)
    assert point_rows(db)[0][5:] == ("9002", None, "nearest")


def test_duplicate_ids_and_places_are_refused(tmp_path, db, entry):
    file = write(tmp_path, "dup.csv", "kod;ad;enlem;boylam\nA1;Örnek Eczane 1;38,4189;27,1287\n"
                                      "A1;Örnek Eczane 2;38,45;27,11\nA3;Örnek Eczane 1;38,4189;27,1287\n")
    message = refused(file, db, entry)
    assert "row 3: duplicate id 'A1': row 2 has it too" in message
    assert "row 4: duplicate point: the same name ('Örnek Eczane 1') and coordinates as row 2" in message


def test_missing_and_non_numeric_coordinates_are_refused(tmp_path, db, entry):
    file = write(tmp_path, "bad.csv", "id;enlem;boylam\n1;38,4189;27,1287\n2;;27,1\n3;otuz sekiz;27,1\n"
                                      "4;38°25'08\";27,1\n5;38,42;\n")
    message = refused(file, db, entry)
    assert "row 3: enlem is empty; every point needs both coordinates" in message
    assert "row 4: enlem: 'otuz sekiz' is not a number" in message
    assert "row 5: enlem: '38°25\\'08\"' is in degrees, minutes and seconds" in message
    assert "row 6: boylam is empty" in message


def test_missing_coordinate_columns_are_refused(tmp_path, db, entry):
    message = refused(write(tmp_path, "a.csv", "id,ad,adres\n1,Örnek,Sokak\n"), db, entry)
    assert "no coordinate columns; name them enlem and boylam" in message
    message = refused(write(tmp_path, "b.csv", "id,enlem\n1,38.4\n"), db, entry)
    assert "missing the longitude (boylam) column" in message


def test_unknown_layer_lists_the_allowed_ones(tmp_path, db, entry):
    file = write(tmp_path, "a.csv", "id,enlem,boylam\n1,38.4189,27.1287\n")
    message = refused(file, db, None, layer="eczaneler")
    assert "unknown point layer 'eczaneler'; no layer has been imported yet" in message
    assert "give --entry ENTRY.toml to register a new layer" in message
    message = refused(file, db, None, layer="bus_stops")
    assert "'bus_stops' is one of the atlas's own layers" in message and "use a new layer id" in message
    import_points(file, db, "pharmacies", entry)
    message = refused(file, db, None, layer="eczaneler")
    assert "layers imported before, which a file may replace: pharmacies" in message
    message = refused(file, db, entry, layer="eczaneler")
    assert "--layer 'eczaneler' differs from the entry's id 'pharmacies'" in message


@pytest.mark.parametrize("change, expected", [
    (("source_url = \"https://example.org/eczaneler\"", ""), "key 'source_url': required"),
    (("source_url = \"https://example.org/eczaneler\"", "source_url = \"javascript:alert(1)\""), "key 'source_url'"),
    (("source = \"Örnek kaynak (kurgusal)\"", "sources = [\"x\"]"), "key 'sources': not given in an entry"),
    (("category = \"health_service\"", "category = \"shops\""), "key 'category'"),
    (("access_m = [500, 1000]", "access_m = [0]"), "key 'access_m'"),
    (("date = \"2025-11\"", "date = \"Kasım 2025\""), "key 'date'"),
    (("kinds = [\"pharmacy\"]", "kinds = [\"pharmacy\"]\ncolour = \"red\""), "key 'colour': unknown key"),
])
def test_a_bad_entry_is_refused(tmp_path, db, change, expected):
    bad = write(tmp_path, "entry.toml", ENTRY.replace(*change))
    file = write(tmp_path, "a.csv", "id,enlem,boylam\n1,38.4189,27.1287\n")
    assert expected in refused(file, db, bad)


def test_a_kind_column_must_name_a_kind_of_the_layer(tmp_path, db, entry):
    file = write(tmp_path, "a.csv", "id,tür,enlem,boylam\n1,Pharmacy,38.4189,27.1287\n2,market,38.45,27.11\n")
    assert "row 3: kind 'market' is not a kind of the layer; allowed: pharmacy" in refused(file, db, entry)


# --- file formats ------------------------------------------------------------------------------

CSV_TEXT = ("Eczane Adı;ENLEM;BOYLAM;İlçe;Kurgusal\nÖrnek Eczane Şifa 1;38,4189;27,1287;Konak;ÖRNEK\n"
            "Örnek Eczane Ilgın 2;38,466;27,22;Bornova;ÖRNEK\n")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1254"])
def test_csv_encodings(tmp_path, encoding):
    pf = read_points(write(tmp_path, "a.csv", CSV_TEXT, encoding))
    assert not pf.problems
    assert [p.name for p in pf.points] == ["Örnek Eczane Şifa 1", "Örnek Eczane Ilgın 2"]
    assert pf.points[0].attributes == {"İlçe": "Konak", "Kurgusal": "ÖRNEK"}
    assert not pf.has_id


def test_xlsx(tmp_path, db, entry):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Sıra No", "Eczane Adı", "Enlem", "Boylam", "Kurgusal"])
    ws.append([1, "Örnek Eczane 1", 38.4189, 27.1287, "ÖRNEK"])
    ws.append([2, "Örnek Eczane 2", "38,466", "27,22", "ÖRNEK"])  # numbers typed as text with a comma
    path = tmp_path / "eczaneler.xlsx"
    wb.save(path)
    report = import_points(path, db, "pharmacies", entry)
    assert report.points == 2 and report.crs_detected
    rows = point_rows(db)
    assert [(r[0], r[1], r[5]) for r in rows] == [("1", "Örnek Eczane 1", "9001"), ("2", "Örnek Eczane 2", "9002")]


def test_geojson(tmp_path, db, entry):
    east, north = transverse_mercator(*KONAK_CLOCK_TOWER, 30.0, 1.0, *GRS80)
    doc = {"type": "FeatureCollection",
           "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::5254"}},
           "features": [{"type": "Feature", "id": "e1", "properties": {"ADI": "Örnek Eczane 1", "adres": "Örnek"},
                         "geometry": {"type": "Point", "coordinates": [east, north]}}]}
    report = import_points(write(tmp_path, "e.geojson", json.dumps(doc)), db, "pharmacies", entry)
    assert report.crs.startswith("EPSG:5254") and not report.crs_detected
    (pid, name, _, lon, lat, district, _, _), = point_rows(db)
    assert (pid, name, district) == ("e1", "Örnek Eczane 1", "9001")
    assert (lat, lon) == (pytest.approx(KONAK_CLOCK_TOWER[0], abs=1e-5), pytest.approx(KONAK_CLOCK_TOWER[1], abs=1e-5))


def test_geojson_problems_are_numbered_by_feature(tmp_path, db, entry):
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": 1}, "geometry": {"type": "Point", "coordinates": [27.1287, 38.4189]}},
        {"type": "Feature", "properties": {"id": 2}, "geometry": {"type": "Polygon", "coordinates": []}},
        {"type": "Feature", "properties": {"id": 1}, "geometry": {"type": "Point", "coordinates": [27.22, 38.466]}},
    ]}
    message = refused(write(tmp_path, "e.geojson", json.dumps(doc)), db, entry)
    assert "feature 2: 'Polygon' geometry; only Point features are read" in message
    assert "feature 3: duplicate id '1': feature 1 has it too" in message
    other = dict(doc, crs={"type": "name", "properties": {"name": "EPSG:3857"}})
    assert "the file's crs member: unknown coordinate reference system 'EPSG:3857'" in refused(
        write(tmp_path, "m.geojson", json.dumps(other)), db, entry)


# --- end to end -------------------------------------------------------------------------------

def test_import_writes_the_layer_its_points_and_access_indicators(tmp_path, db, entry, capsys):
    file = write(tmp_path, "eczaneler.csv", CSV_TEXT)
    assert main(["import-points", str(file), "--layer", "pharmacies", "--entry", str(entry), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "imported: 2 points of eczaneler.csv into layer pharmacies (new layer)" in out
    assert "points per district (2 districts): Bornova 1, Karşıyaka 1" in out
    assert ("access indicators computed (4): pharmacies_within_500m, pharmacies_within_1000m, "
            "pharmacies_mean_distance, pharmacies_per_10k") in out
    con = duckdb.connect(str(db), read_only=True)
    try:
        layer = con.execute("SELECT origin, title_tr, source_ids FROM point_layers WHERE layer_id = 'pharmacies'").fetchone()
        assert layer[:2] == ("import", "Eczaneler (örnek)")
        source_id, = json.loads(layer[2])
        assert source_id.startswith("import_points_pharmacies_")
        assert con.execute("SELECT url FROM sources WHERE source_id = $s", {"s": source_id}).fetchone() == (
            "https://example.org/eczaneler",)
        titles = dict(con.execute("SELECT indicator_id, title_tr FROM indicators WHERE origin = 'import'").fetchall())
        assert titles["pharmacies_within_500m"] == "Eczaneler (örnek): 500 m içinde oturanların payı"
        # per 10,000: Karşıyaka has one pharmacy and 6,000 residents (its mahalle 1,000 + 2,000 + 3,000)
        count = con.execute("SELECT numerator, denominator, value, period, source_id FROM indicator_values "
                            "WHERE indicator_id = 'pharmacies_per_10k' AND level = 'district' AND area_code = '9001'"
                            ).fetchone()
        assert count == (1.0, pytest.approx(6000.0), pytest.approx(10_000 / 6000), "2025", source_id)
        share = con.execute("SELECT numerator, denominator, value FROM indicator_values WHERE indicator_id = "
                            "'pharmacies_within_1000m' AND level = 'province'").fetchone()
        assert share[1] == pytest.approx(8000.0) and 0 <= share[0] <= share[1] and 0 <= share[2] <= 100
    finally:
        con.close()
    # a new file replaces the points; the access indicators follow (no --entry needed)
    again = write(tmp_path, "eczaneler2.csv", "kod,ad,enlem,boylam\nE9,Örnek Eczane 9,38.16,27.36\n")
    report = import_points(again, db, "pharmacies")
    assert not report.new_layer and report.by_district == (("Bornova", 1),)
    assert [r[0] for r in point_rows(db)] == ["E9"]


def test_the_documented_example_imports(tmp_path, db):
    """docs/examples/pharmacies_example.csv with its entry (every row marked fictional)."""
    text = EXAMPLE.read_text(encoding="utf-8")
    assert all("KURGUSAL" in line for line in text.splitlines()[1:] if line.strip())
    report = import_points(EXAMPLE, db, "pharmacies", EXAMPLE_ENTRY)
    assert report.points == len([line for line in text.splitlines()[1:] if line.strip()])
    assert report.new_layer and len(report.indicators) == 4


def test_dry_run_writes_nothing(tmp_path, db, entry):
    file = write(tmp_path, "a.csv", CSV_TEXT)
    before = state(db)
    report = import_points(file, db, "pharmacies", entry, dry_run=True)
    assert report.dry_run and report.points == 2 and state(db) == before
