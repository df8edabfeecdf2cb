"""Access indicators (issue #17): resident placement, distance measures, the build step.

The hand-worked grid used throughout (metres, EPSG:32635 — UTM 35N, near İzmir):

    area A: the 1 km square x 500,000–501,000, y 4,250,000–4,251,000, 400 residents.
    Lattice spacing 500 m: points at (i + ½)·500, so inside A:
        SW (500,250; 4,250,250)   SE (500,750; 4,250,250)
        NW (500,250; 4,250,750)   NE (500,750; 4,250,750)
    each carrying 400 / 4 = 100 residents.
    One stop S at SW (500,250; 4,250,250). With a ruler:
        SW → S = 0 m; SE → S = 500 m; NW → S = 500 m; NE → S = √(500² + 500²) = 707.1 m.
"""

from __future__ import annotations

import json
import math

import duckdb
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import box

from atlas import queries
from atlas.access import measures as M
from atlas.access import residents as R
from atlas.access.spec import Measure, load_measures, parse_measure
from atlas.build import access as BA
from atlas.catalogue import load_catalogue
from atlas.errors import CatalogueError

X0, Y0 = 500_000.0, 4_250_000.0
SQUARE = box(X0, Y0, X0 + 1000, Y0 + 1000)
SW, SE, NW, NE = (X0 + 250, Y0 + 250), (X0 + 750, Y0 + 250), (X0 + 250, Y0 + 750), (X0 + 750, Y0 + 750)


def _residents_a() -> pd.DataFrame:
    return R.place_evenly([SQUARE], ["A"], [400], spacing=500)


def _stops(*xy, lines=None, area="A") -> pd.DataFrame:
    df = pd.DataFrame({"x": [p[0] for p in xy], "y": [p[1] for p in xy], "area_code": area})
    if lines is not None:
        df["lines"] = lines
    return df


# --- residents -------------------------------------------------------------------------------

def test_even_lattice_puts_four_points_of_100_residents_in_the_square():
    res = _residents_a()
    assert sorted(zip(res["x"], res["y"])) == sorted([SW, SE, NW, NE])
    assert res["weight"].tolist() == [100.0] * 4  # 400 residents / 4 points
    assert set(res["area_code"]) == {"A"}


def test_default_lattice_is_100_m():
    res = R.place_evenly([SQUARE], ["A"], [1000])
    assert len(res) == 100  # 10 × 10 points at 50, 150, …, 950 m
    assert res["weight"].sum() == pytest.approx(1000)


def test_small_polygon_gets_its_representative_point():
    tiny = box(X0 + 10, Y0 + 10, X0 + 60, Y0 + 60)  # 50 m square, no 100 m lattice point inside
    res = R.place_evenly([tiny], ["T"], [37])
    assert len(res) == 1 and res["weight"].iloc[0] == 37
    assert tiny.contains(shapely.Point(res["x"].iloc[0], res["y"].iloc[0]))


def test_areas_without_residents_get_no_points():
    res = R.place_evenly([SQUARE, box(X0 + 2000, Y0, X0 + 3000, Y0 + 1000), box(X0 + 4000, Y0, X0 + 5000, Y0 + 1000)],
                         ["A", "Z", "N"], [400, 0, None], spacing=500)
    assert set(res["area_code"]) == {"A"}


def test_degrees_are_refused():
    with pytest.raises(ValueError, match="degrees"):
        R.place_evenly([box(27.0, 38.4, 27.01, 38.41)], ["A"], [10])


def test_built_share_weights_points_by_their_grid_cell():
    # 250 m cells under SW (f_built 1.0) and NE (0.5): 2 of 4 lattice points in the grid = 50 % ≥ 50 %,
    # so the area is weighted: SW 400 × 1.0 / 1.5 = 266.7, NE 400 × 0.5 / 1.5 = 133.3, SE and NW carry none.
    cells = pd.DataFrame({"x": [X0 + 375, X0 + 875], "y": [Y0 + 375, Y0 + 875], "f_built": [1.0, 0.5]})
    res = R.place_by_built_share([SQUARE], ["A"], [400], cells, spacing=500)
    got = {(x, y): w for x, y, w in zip(res["x"], res["y"], res["weight"])}
    assert got == pytest.approx({SW: 400 / 1.5, NE: 200 / 1.5})
    assert set(res["method"]) == {"built"}


def test_built_share_falls_back_to_even_where_the_grid_covers_little():
    # only SW in the grid: 1 of 4 points = 25 % < 50 % → spread evenly, 100 each
    cells = pd.DataFrame({"x": [X0 + 375], "y": [Y0 + 375], "f_built": [1.0]})
    res = R.place_by_built_share([SQUARE], ["A"], [400], cells, spacing=500)
    assert res["weight"].tolist() == [100.0] * 4 and set(res["method"]) == {"even"}


def test_the_grid_file_is_not_the_whole_province(real_data_dir):
    """Why 'built' cannot be the default: the 250 m grid holds selected cells of central İzmir only."""
    path = real_data_dir / "izmir_heat_vulnerability_grid" / "cell_indicators.csv"
    cells = pd.read_csv(path, usecols=["x", "y", "f_built"])
    cell_km2 = len(cells) * 0.25 * 0.25
    assert cell_km2 < 0.05 * 11_879  # İzmir is 11,879 km²: the grid covers under 5 % of it
    assert cells["f_built"].min() > 0  # only built-up cells were kept


# --- measures ----------------------------------------------------------------------------------

def test_share_within_and_mean_distance_by_hand():
    out = M.area_measures(_residents_a(), _stops(SW), distances=(400, 600)).set_index("area_code")
    a = out.loc["A"]
    assert a["points"] == 1 and a["residents"] == 400
    assert a["within_400"] == 100  # only SW (0 m) is within 400 m: 100 of 400 = 25 %
    assert a["within_600"] == 300  # SW, SE, NW (0, 500, 500 m): 300 of 400 = 75 %
    # (100·0 + 100·500 + 100·500 + 100·707.107) / 400 = 426.78 m
    assert a["mean_distance_m"] == pytest.approx((0 + 500 + 500 + 500 * math.sqrt(2)) / 4)
    assert M.per_10000(a["points"], a["residents"]) == 25.0  # 1 stop / 400 residents × 10,000


def test_the_nearest_stop_may_lie_in_another_area():
    # the stop lies in area B, 250 m east of A's border (x 501,250): SE and NE are 500 m from it,
    # SW and NW 1,000 m; A counts no stop of its own
    out = M.area_measures(_residents_a(), _stops((X0 + 1250, Y0 + 250), area="B"), distances=(500,),
                          area_codes=["A", "B"]).set_index("area_code")
    assert out.loc["A", "points"] == 0 and out.loc["B", "points"] == 1
    assert out.loc["A", "within_500"] == 100  # SE only: exactly 500 m; NE is √(500² + 500²)
    assert out.loc["B", "residents"] == 0 and math.isnan(out.loc["B", "mean_distance_m"])


def test_distinct_lines_within_by_hand():
    # stop S1 at SW serves lines 1 and 2; stop S2 at SE serves 2 and 3 (a '-'-separated string, as ESHOT)
    stops = _stops(SW, SE, lines=[["1", "2"], "2-3"])
    # radius 400: SW sees S1 → {1, 2} = 2; SE sees S2 → {2, 3} = 2; NW, NE see no stop (500 m) → 0
    # mean = (2 + 2 + 0 + 0) / 4 = 1.0
    out = M.area_measures(_residents_a(), stops, lines_radius=400).set_index("area_code")
    assert out.loc["A", "mean_lines"] == pytest.approx(1.0)
    # radius 600: SW, SE see both → {1, 2, 3} = 3; NW sees S1 (500 m; S2 is 707 m) → 2; NE sees S2 → 2
    # mean = (3 + 3 + 2 + 2) / 4 = 2.5
    out = M.area_measures(_residents_a(), stops, lines_radius=600).set_index("area_code")
    assert out.loc["A", "mean_lines"] == pytest.approx(2.5)


def test_a_line_serving_two_stops_counts_once_and_empty_lists_count_none():
    stops = _stops(SW, (X0 + 300, Y0 + 250), lines=[["5", "5"], []])
    got = M.distinct_lines_within(np.array([SW]), stops[["x", "y"]].to_numpy(), M.line_lists(stops["lines"]), 400)
    assert got.tolist() == [1.0]


def test_empty_layer():
    empty = pd.DataFrame({"x": [], "y": [], "area_code": []})
    out = M.area_measures(_residents_a(), empty, distances=(400,), area_codes=["A"]).set_index("area_code")
    assert out.loc["A", "points"] == 0 and out.loc["A", "within_400"] == 0
    assert math.isnan(out.loc["A", "mean_distance_m"])  # no stop anywhere: no distance
    assert M.nearest_distance(np.array([SW]), np.empty((0, 2))).tolist() == [math.inf]


def test_zero_population_area_has_no_share_and_no_rate():
    res = R.place_evenly([SQUARE, box(X0 + 2000, Y0, X0 + 3000, Y0 + 1000)], ["A", "Z"], [400, 0], spacing=500)
    out = M.area_measures(res, _stops(SW, (X0 + 2500, Y0 + 500), area=["A", "Z"]), distances=(400,),
                          area_codes=["A", "Z"]).set_index("area_code")
    assert out.loc["Z", "points"] == 1 and out.loc["Z", "residents"] == 0
    assert math.isnan(out.loc["Z", "mean_distance_m"]) and math.isnan(M.per_10000(1, 0))


def test_summing_mahalle_into_districts():
    # A (400 residents, 100 within 400 m) and B (the same square 2 km east, 100 residents, no stop
    # within 400 m) both lie in district D: D has 500 residents, 100 within → 20 %
    res = R.place_evenly([SQUARE, box(X0 + 2000, Y0, X0 + 3000, Y0 + 1000)], ["A", "B"], [400, 100], spacing=500)
    out = M.area_measures(res, _stops(SW, area="D"), distances=(400,),
                          by=pd.Series({"A": "D", "B": "D"})).set_index("area_code")
    assert out.loc["D", "residents"] == 500 and out.loc["D", "within_400"] == 100 and out.loc["D", "points"] == 1


def test_bad_lines_are_named():
    with pytest.raises(ValueError, match="lines of a stop"):
        M.line_lists([12])


# --- spec and catalogue ------------------------------------------------------------------------

def test_every_measure_names_a_catalogue_indicator_of_the_access_theme():
    cat = load_catalogue()
    measures = load_measures(indicator_ids=cat.ids)
    assert {m.indicator for m in measures} == {i.id for i in cat.indicators if i.theme == "access"}
    for m in measures:
        ind = cat.get(m.indicator)
        assert "EPSG:32635" in ind.method.en or m.measure == "per_10000", m.indicator
        if m.measure == "share_within":
            assert ind.value_type == "proportion" and ind.scale == 100
            assert "straight-line" in ind.method.en and "rural" in ind.method.en
            assert "kuş uçuşu" in ind.method.tr and "kırsal" in ind.method.tr


def test_measure_spec_fails_loudly():
    with pytest.raises(CatalogueError, match="'distance_m'.*needs a distance"):
        parse_measure({"indicator": "x_share", "layer": "l", "measure": "share_within"}, "t #1")
    with pytest.raises(CatalogueError, match="'measure'.*'nearest' is not allowed"):
        parse_measure({"indicator": "x", "layer": "l", "measure": "nearest"}, "t #1")
    with pytest.raises(CatalogueError, match="unknown key"):
        parse_measure({"indicator": "x", "layer": "l", "measure": "count", "colour": "red"}, "t #1")


# --- the build step on hand-worked areas ---------------------------------------------------------

_TO_WGS = Transformer.from_crs("EPSG:32635", "EPSG:4326", always_xy=True)


def _wgs(geom):
    return shapely.transform(geom, lambda xy: np.column_stack(_TO_WGS.transform(xy[:, 0], xy[:, 1])))


def _areas_frame() -> pd.DataFrame:
    """Mahalle A (400), B (island, not applicable), C (population 0) in district D."""
    rows = []
    for code, geom, pop, status, note in (
            ("A", SQUARE, 400.0, "ok", None),
            ("B", box(X0 + 2000, Y0, X0 + 3000, Y0 + 1000), None, "not_applicable", ("ada", "island note")),
            ("C", box(X0 + 4000, Y0, X0 + 5000, Y0 + 1000), 0.0, "ok", None)):
        rows.append({"level": "mahalle", "code": code, "parent_code": "D", "kind": "mahalle",
                     "geom_wkb": shapely.to_wkb(_wgs(geom)), "population": pop, "population_status": status,
                     "note_tr": note[0] if note else None, "note_en": note[1] if note else None})
    rows.append({"level": "district", "code": "D", "parent_code": "35", "kind": "district",
                 "geom_wkb": shapely.to_wkb(_wgs(box(X0, Y0, X0 + 5000, Y0 + 1000))), "population": 400.0,
                 "population_status": "ok", "note_tr": None, "note_en": None})
    return pd.DataFrame(rows)


def _points_frame(*xy_lines) -> pd.DataFrame:
    lon, lat = _TO_WGS.transform([p[0] for p, _ in xy_lines], [p[1] for p, _ in xy_lines])
    return pd.DataFrame({"point_id": [str(i) for i in range(len(xy_lines))], "kind": "bus_stop",
                         "attributes": [json.dumps({"lines": ln}) for _, ln in xy_lines],
                         "lon": lon, "lat": lat, "district_code": "D", "mahalle_code": "A", "source_id": "s"})


BUS = (Measure("bus_stop_within_400m", "bus_stops", "share_within", 400, True),
       Measure("bus_stop_mean_distance", "bus_stops", "mean_distance", None, True),
       Measure("bus_stops_per_10k", "bus_stops", "per_10000", None, True),
       Measure("bus_lines_within_400m", "bus_stops", "distinct_lines", 400, True))


def test_layer_values_for_mahalle_district_and_izmir():
    residents = BA.prepare_residents(_areas_frame(), spacing=500)
    assert residents.n_points == 4  # only A has residents
    # the stop at SW serves line 7; a stop at NE lists no line and is left out (served_only)
    values = BA.layer_values(BUS, _points_frame((SW, ["7"]), (NE, [])), residents, load_catalogue(), "s")
    v = values.set_index(["indicator_id", "level", "area_code"])
    share = v.loc[("bus_stop_within_400m", "mahalle", "A")]
    assert (share["value"], share["numerator"], share["denominator"]) == (25.0, 100.0, 400.0)
    assert share["lower_ci"] < 25 < share["upper_ci"]  # Wilson, stored
    assert v.loc[("bus_stop_within_400m", "district", "D"), "value"] == 25.0  # A's points only
    assert v.loc[("bus_stop_within_400m", "province", "35"), "value"] == 25.0
    assert v.loc[("bus_stop_mean_distance", "mahalle", "A"), "value"] == pytest.approx(426.777, abs=1e-3)
    rate = v.loc[("bus_stops_per_10k", "mahalle", "A")]
    assert (rate["value"], rate["numerator"], rate["denominator"]) == (25.0, 1.0, 400.0)  # 1 / 400 × 10,000
    assert v.loc[("bus_lines_within_400m", "mahalle", "A"), "value"] == 0.25  # (1 + 0 + 0 + 0) / 4
    island = v.loc[("bus_stop_within_400m", "mahalle", "B")]
    assert island["status"] == "not_applicable" and island["note_en"] == "island note"  # the population's note
    empty = v.loc[("bus_stop_within_400m", "mahalle", "C")]
    assert empty["status"] == "not_applicable" and "population of 0" in empty["note_en"]
    assert set(values["period"]) == {"2025"}


def _tiny_db(path) -> duckdb.DuckDBPyConnection:
    """A database with the schema, one source, hand-worked areas, their population and one bus layer."""
    from atlas.db import create_schema

    cat = load_catalogue()
    con = duckdb.connect(str(path))
    create_schema(con)
    con.execute("INSERT INTO sources VALUES ('s', 'Test', 'Test', 'https://example.org/', 'CC0', 'CC0', 'Test', "
                "'Test (fictional)', NULL, NULL, NULL, now(), NULL)")
    areas = _areas_frame()
    con.execute("INSERT INTO areas VALUES ('province', '35', 'İzmir', 'izmir', NULL, 'province', NULL, NULL, 5, "
                "NULL, 27, 38, $w, $w, 's')", {"w": areas["geom_wkb"].iloc[-1]})
    for r in areas.itertuples():
        con.execute("INSERT INTO areas VALUES ($level, $code, $code, lower($code), $parent, $kind, NULL, NULL, 1, NULL, "
                    "27, 38, $w, $w, 's')", {"level": r.level, "code": r.code, "parent": r.parent_code,
                                              "kind": r.kind, "w": r.geom_wkb})
    queries.execute(con, "insert_indicator", {**cat.get("pop_total").row_params(), "origin": "catalogue"})
    for r in areas.itertuples():
        value = r.population if r.population_status == "ok" else None
        con.execute("INSERT INTO indicator_values VALUES ('pop_total', $level, $code, '2023', 2023, $v, NULL, NULL, "
                    "NULL, NULL, $st, $ntr, $nen, NULL, 's', NULL, NULL)",
                    {"level": r.level, "code": r.code, "v": value, "st": r.population_status,
                     "ntr": r.note_tr, "nen": r.note_en})
    con.execute("INSERT INTO point_layers VALUES ('bus_stops', 'Duraklar', 'Stops', 'transport', '[\"bus_stop\"]', "
                "'[\"s\"]', 'CC0', 'CC0', 'Test', 'Test', '2025-12', '[400]', false, NULL, NULL, 'catalogue')")
    return con


def _add_stop(con, point_id: str, xy, lines) -> None:
    lon, lat = _TO_WGS.transform(*xy)
    con.execute("INSERT INTO points VALUES ('bus_stops', $id, NULL, 'bus_stop', $attr, $lon, $lat, $w, 'D', 'A', "
                "'inside', 's')", {"id": point_id, "attr": json.dumps({"lines": lines}), "lon": lon, "lat": lat,
                                   "w": shapely.to_wkb(shapely.Point(lon, lat))})


def test_compute_layer_access_writes_and_replaces_the_layer_values(tmp_path):
    con = _tiny_db(tmp_path / "t.duckdb")
    try:
        cat = load_catalogue()
        _add_stop(con, "1", SW, ["7"])
        report = BA.compute_layer_access(con, "bus_stops", cat=cat, measures=BUS, spacing=500)
        assert report.layers == {"bus_stops": 4 * (3 + 1 + 1)}  # 4 indicators × (3 mahalle + district + İzmir)
        share = con.execute("SELECT value FROM indicator_values WHERE indicator_id = 'bus_stop_within_400m' "
                            "AND level = 'mahalle' AND area_code = 'A'").fetchall()
        assert share == [(25.0,)]
        # a second stop at NE: SW and NE within 400 m now → 200 of 400 = 50 %; values replaced, not added
        _add_stop(con, "2", NE, ["8"])
        BA.compute_layer_access(con, "bus_stops", cat=cat, measures=BUS, spacing=500)
        rows = con.execute("SELECT value FROM indicator_values WHERE indicator_id = 'bus_stop_within_400m' "
                           "AND level = 'mahalle' AND area_code = 'A'").fetchall()
        assert rows == [(50.0,)]
        n = con.execute("SELECT count(*) FROM indicators WHERE indicator_id LIKE 'bus%'").fetchone()[0]
        assert n == 4
        assert BA.compute_layer_access(con, "pharmacies", cat=cat, measures=BUS).skipped  # no measures: nothing
    finally:
        con.close()


def test_compute_layer_access_on_an_empty_layer_removes_its_values(tmp_path):
    con = _tiny_db(tmp_path / "t.duckdb")
    try:
        cat = load_catalogue()
        _add_stop(con, "1", SW, ["7"])
        BA.compute_layer_access(con, "bus_stops", cat=cat, measures=BUS, spacing=500)
        con.execute("DELETE FROM points")
        report = BA.compute_layer_access(con, "bus_stops", cat=cat, measures=BUS, spacing=500)
        assert report.skipped == {"bus_stops": "the layer has no points"}
        assert con.execute("SELECT count(*) FROM indicator_values WHERE indicator_id LIKE 'bus%'").fetchone() == (0,)
    finally:
        con.close()


# --- integration against ../shared/data ----------------------------------------------------------

@pytest.fixture(scope="module")
def real_con(real_db):
    """The real build (required like every real-data test, tests/conftest.py: never skipped)."""
    con = duckdb.connect(str(real_db), read_only=True)
    yield con
    con.close()


def test_real_share_within_400m_of_a_bus_stop(real_con):
    rows = real_con.execute(
        "SELECT a.name, v.value, v.numerator, v.denominator, v.status FROM indicator_values v "
        "JOIN areas a ON a.level = v.level AND a.code = v.area_code "
        "WHERE v.indicator_id = 'bus_stop_within_400m' AND v.level = 'district'").df().set_index("name")
    assert len(rows) == 30 and (rows["status"] == "ok").all()
    assert rows["value"].between(0, 100).all()
    assert (rows["numerator"] <= rows["denominator"]).all()
    assert rows.loc["Konak", "value"] > rows.loc["Kiraz", "value"]


def test_real_access_values_cover_every_mahalle(real_con):
    got = real_con.execute(
        "SELECT indicator_id, count(*) AS n, count(*) FILTER (WHERE status = 'ok') AS ok FROM indicator_values "
        "WHERE level = 'mahalle' AND indicator_id IN (SELECT indicator_id FROM indicators WHERE theme = 'access') "
        "GROUP BY indicator_id").df()
    mahalle = real_con.execute("SELECT count(*) FROM areas WHERE level = 'mahalle'").fetchone()[0]
    assert len(got) >= 9 and (got["n"] == mahalle).all() and (got["ok"] > 0.9 * mahalle).all()


def test_every_measure_names_a_layer_of_the_point_catalogue():
    from atlas.points.catalogue import load_point_layers

    layers = {layer.id for layer in load_point_layers()}
    assert {m.layer for m in load_measures()} <= layers


def test_a_measure_of_an_unknown_layer_fails_the_build_step(tmp_path):
    con = _tiny_db(tmp_path / "t.duckdb")
    try:
        with pytest.raises(Exception, match="bus_stops.*point_layers.toml does not have"):
            BA.build_access(con, load_catalogue(), measures=BUS, layer_catalogue=["rail_stations"])
    finally:
        con.close()


def test_a_layer_whose_every_stop_lists_no_line_has_no_distance():
    residents = BA.prepare_residents(_areas_frame(), spacing=500)
    values = BA.layer_values(BUS[:2], _points_frame((SW, [])), residents, load_catalogue(), "s")
    v = values.set_index(["indicator_id", "level", "area_code"])
    assert v.loc[("bus_stop_within_400m", "mahalle", "A"), "value"] == 0.0  # no served stop: nobody within
    mean = v.loc[("bus_stop_mean_distance", "mahalle", "A")]
    assert mean["status"] == "missing" and "no points" in mean["note_en"]
