"""The frame behind a map view."""

import math

import duckdb
import pandas as pd

from atlas.db import connect
from atlas.frames.map_frame import izmir_value, map_frame, ranks
from tests.factories import sample_indicator


def test_ranks_follow_polarity_and_skip_missing():
    values = pd.Series([3.0, 1.0, float("nan"), 2.0, 1.0])
    assert ranks(values, "lower_is_better").tolist() == [4, 1, pd.NA, 3, 1]
    assert ranks(values, "higher_is_better").tolist() == [1, 3, pd.NA, 2, 3]
    assert ranks(values, "no_judgement").tolist() == [1, 3, pd.NA, 2, 3]


def test_map_frame_lists_every_area_with_status_and_rank(tiny_db):
    con = connect(tiny_db)
    g = map_frame(con, sample_indicator(), "2023", "district")
    assert list(g["name"]) == ["Karşıyaka", "Bornova"]
    assert list(g["value"]) == [15.0, 10.0]
    assert list(g["rank"]) == [2, 1]  # lower is better: Bornova 10 % ranks first
    assert set(g["rank_of"]) == {2}
    assert all(math.isnan(d) for d in g["diff_izmir"])  # no İzmir value in the fixture
    assert g.crs.to_epsg() == 4326 and g.geometry.is_valid.all()


def test_areas_without_a_value_are_missing_not_dropped(tiny_db):
    con = connect(tiny_db)
    g = map_frame(con, sample_indicator(), "2023", "mahalle")
    assert len(g) == 5 and set(g["status"]) == {"missing"}
    assert set(g["district_name"]) == {"Karşıyaka", "Bornova"}


def test_izmir_value_and_difference(tiny_db, tmp_path):
    c = duckdb.connect(str(tiny_db))
    c.execute("INSERT INTO indicator_values VALUES ('test_share', 'province', '35', '2023', 2023, 12.0, 12, 100, "
              "NULL, NULL, 'ok', NULL, NULL, NULL, 'test_fixture', NULL, NULL)")
    c.execute("UPDATE areas SET kind = 'island' WHERE code = '91003'")
    c.close()
    con = connect(tiny_db)
    assert izmir_value(con, "test_share", "2023").value == 12.0
    g = map_frame(con, sample_indicator(), "2023", "district")
    assert list(g["diff_izmir"]) == [3.0, -2.0]
    m = map_frame(con, sample_indicator(), "2023", "mahalle")
    assert "91003" not in set(m["area_code"])  # islands hidden by default
    assert "91003" in set(map_frame(con, sample_indicator(), "2023", "mahalle", hide_kinds=())["area_code"])
