"""atlas.mapping.bounds: the map opens on the areas with a value, not on the whole province (issue #22)."""

from __future__ import annotations

import duckdb
import geopandas as gpd
import pytest
from shapely.geometry import box

from atlas.mapping.bounds import Coverage, coverage, coverage_note, padded
from atlas.views import map_view as mapview
from tests.factories import SOURCE_ID, make_tiny_db, sample_indicator


def _frame(statuses):
    # four 0.1° squares in a row from 27.0 °E, 38.0–38.1 °N: the "province" spans 27.0–27.4
    geoms = [box(27.0 + 0.1 * i, 38.0, 27.1 + 0.1 * i, 38.1) for i in range(len(statuses))]
    return gpd.GeoDataFrame({"area_code": [str(i) for i in range(len(statuses))], "status": statuses},
                            geometry=geoms, crs="EPSG:4326")


def _encloses(outer, inner) -> bool:
    (s1, w1), (n1, e1) = outer
    (s2, w2), (n2, e2) = inner
    return s1 <= s2 and w1 <= w2 and n1 >= n2 and e1 >= e2


def test_partly_covered_bounds_enclose_the_values_not_the_province():
    cov = coverage(_frame(["ok", "ok", "missing", "suppressed"]))
    # values in squares 0 and 1: 27.0–27.2 × 38.0–38.1; padding 4 % of 0.2° = 0.008° west/east,
    # 4 % of 0.1° = 0.004° < the 0.005° minimum south/north
    assert cov.bounds == [[37.995, 26.992], [38.105, 27.208]]
    assert _encloses(cov.bounds, [[38.0, 27.0], [38.1, 27.2]])
    assert not _encloses(cov.bounds, [[38.0, 27.0], [38.1, 27.4]])  # the whole "province"
    assert (cov.n_ok, cov.n_total, cov.partial) == (2, 4, True)


def test_fully_covered_and_uncovered_views():
    full = coverage(_frame(["ok"] * 4))
    assert full.bounds == [[37.995, 26.984], [38.105, 27.416]]  # 4 % of 0.4° = 0.016°
    assert not full.partial
    none = coverage(_frame(["missing"] * 4))  # nothing to open on: the whole level
    assert none == Coverage([[37.995, 26.984], [38.105, 27.416]], 0, 4)
    assert not none.partial
    assert coverage(_frame([])) == Coverage(None, 0, 0)


def test_padded_rejects_bounds_the_wrong_way_round():
    with pytest.raises(ValueError, match="west ≤ east"):
        padded(27.2, 38.0, 27.0, 38.1)
    with pytest.raises(KeyError, match="status"):
        coverage(_frame(["ok"]).drop(columns=["status"]))


def test_partly_covered_indicator_on_a_database(tmp_path):
    """A real map view of the tiny database: values for two of its five mahalle (squares at
    27.10–27.11 and 27.13–27.14 °E, all at 38.40–38.41 °N)."""
    path = make_tiny_db(tmp_path / "partial.duckdb")
    con = duckdb.connect(str(path))
    for code, value in (("91001", 12.0), ("92001", 20.0)):
        con.execute("INSERT INTO indicator_values (indicator_id, level, area_code, period, period_sort, value, status, "
                    "source_id) VALUES ('test_share', 'mahalle', $code, '2023', 2023, $v, 'ok', $src)",
                    {"code": code, "v": value, "src": SOURCE_ID})
    mv = mapview.build_map_view(con, sample_indicator(), "2023", "mahalle", "quantiles", 3, "en")
    cov = coverage(mv.frame)
    assert (cov.n_ok, cov.n_total) == (2, 5)
    # values: 27.10–27.14 × 38.40–38.41; padding 4 % of 0.04° = 0.0016° → the 0.005° minimum
    assert cov.bounds == [[38.395, 27.095], [38.415, 27.145]]
    whole = mv.frame.total_bounds  # every mahalle: 27.10–27.15
    assert not _encloses(cov.bounds, [[whole[1], whole[0]], [whole[3], whole[2]]])


def test_fit_key_and_note():
    cov = coverage(_frame(["ok", "ok", "missing", "suppressed"]))
    assert cov.fit_key == "37.99,26.99,38.10,27.21"  # 37.995 is 37.99499… as a float
    assert Coverage(None, 0, 0).fit_key == "none"
    assert coverage_note(cov, "district", "en") == "Values cover 2 of 4 districts; the map opens on them."
    assert coverage_note(Coverage(cov.bounds, 1295, 1295), "mahalle", "en") is None
    assert coverage_note(Coverage(cov.bounds, 312, 1295), "mahalle", "en") == (
        "Values cover 312 of 1,295 mahalle; the map opens on them.")
