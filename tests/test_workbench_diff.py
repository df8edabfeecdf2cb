"""What a staged database changes against the published one (atlas.workbench.diff), on two hand-made tiny
databases: the tiny fixture (test_share, districts 9001 = 30/200 = 15.0 and 9002 = 10/100 = 10.0, 2023) and a
copy changed by hand."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
import shapely
from shapely.geometry import Point

from atlas.workbench.diff import Diff, GroupChange, IndicatorChange, LayerChange, LostValue, ValueChange, diff_databases
from tests.factories import SOURCE_ID, sample_indicator


@pytest.fixture
def pair(tiny_db: Path, tmp_path: Path) -> tuple[Path, Path]:
    staged = tmp_path / "staged.duckdb"
    shutil.copyfile(tiny_db, staged)
    return tiny_db, staged


def sql(db: Path, *statements: str, **params) -> None:
    con = duckdb.connect(str(db))
    try:
        for s in statements:
            con.execute(s, {k: v for k, v in params.items() if f"${k}" in s})
    finally:
        con.close()


def value_row(indicator: str, level: str, code: str, value: float | None, status: str = "ok") -> str:
    v = "NULL" if value is None else repr(value)
    return ("INSERT INTO indicator_values (indicator_id, level, area_code, period, period_sort, value, status, "
            f"source_id) VALUES ('{indicator}', '{level}', '{code}', '2023', 2023, {v}, '{status}', '{SOURCE_ID}')")


def test_identical_databases_differ_in_nothing(pair):
    diff = diff_databases(*pair)
    assert diff == Diff((), (), (), (), ()) and diff.empty
    assert diff.summary() == {"rows": {"added": 0, "changed": 0, "removed": 0}, "groups": [], "largest": [],
                              "lost": [], "lost_count": 0, "indicators": [], "layers": []}


def test_added_changed_removed_largest_and_lost(pair):
    published, staged = pair
    new = sample_indicator(id="test_new")
    sql(staged,
        "UPDATE indicator_values SET value = 18.0, numerator = 36 WHERE area_code = '9001'",   # 15.0 → 18.0
        "UPDATE indicator_values SET value = NULL, status = 'suppressed' WHERE area_code = '9002'",  # 10.0 → hidden
        value_row("test_share", "mahalle", "91002", 12.5),
        "INSERT INTO indicators VALUES ('test_new', 'population', 'Yeni', 'New', '%', '%', 'proportion', "
        "'lower_is_better', NULL, 'import', $meta)",
        value_row("test_new", "district", "9001", 40.0),
        meta=new.to_json())
    diff = diff_databases(published, staged)
    assert diff.groups == (GroupChange("test_new", "district", "2023", 1, 0, 0),
                           GroupChange("test_share", "district", "2023", 0, 2, 0),
                           GroupChange("test_share", "mahalle", "2023", 1, 0, 0))
    assert (diff.added, diff.changed, diff.removed) == (2, 2, 0)
    assert diff.largest == (ValueChange("test_share", "district", "2023", "9001", "Karşıyaka", 15.0, 18.0, 3.0),)
    assert diff.lost == (LostValue("test_share", "district", "2023", "9002", "Bornova", 10.0, "suppressed"),)
    assert diff.indicators == (IndicatorChange("test_new", "added"),)
    summary = diff.summary()
    assert json.loads(json.dumps(summary)) == summary  # JSON as it is
    assert summary["rows"] == {"added": 2, "changed": 2, "removed": 0} and summary["lost_count"] == 1
    assert summary["largest"] == [{"indicator_id": "test_share", "level": "district", "period": "2023",
                                   "area_code": "9001", "area": "Karşıyaka", "old": 15.0, "new": 18.0,
                                   "difference": 3.0}]


def test_removed_values_mahalle_names_and_the_largest_per_indicator(pair):
    published, staged = pair
    sql(published, value_row("test_share", "mahalle", "91001", 20.0), value_row("test_share", "mahalle", "92001", 30.0),
        value_row("test_share", "mahalle", "91003", 5.0))
    sql(staged, value_row("test_share", "mahalle", "91001", 26.0), value_row("test_share", "mahalle", "92001", 29.0),
        "UPDATE indicator_values SET value = 9.0 WHERE area_code = '9002'",
        "DELETE FROM indicator_values WHERE area_code = '9001'")
    diff = diff_databases(published, staged)
    assert diff.groups == (GroupChange("test_share", "district", "2023", 0, 1, 1),
                           GroupChange("test_share", "mahalle", "2023", 0, 2, 1))
    # by the size of the change: +6 (Atatürk in Karşıyaka), −1 (Bornova 10 → 9), −1 (Atatürk in Bornova)
    assert [(c.area, c.difference) for c in diff.largest] == [("Atatürk (Karşıyaka)", 6.0), ("Bornova", -1.0),
                                                             ("Atatürk (Bornova)", -1.0)]
    assert [(v.area, v.old, v.now) for v in diff.lost] == [("Karşıyaka", 15.0, "removed"),
                                                           ("İnönü (Karşıyaka)", 5.0, "removed")]


def test_a_changed_entry_and_a_removed_indicator(pair):
    published, staged = pair
    sql(staged, "UPDATE indicators SET metadata_json = $meta WHERE indicator_id = 'test_share'",
        meta=sample_indicator(decimals=2).to_json())
    assert diff_databases(published, staged).indicators == (IndicatorChange("test_share", "entry_changed"),)
    sql(staged, "DELETE FROM indicator_values", "DELETE FROM indicators")
    diff = diff_databases(published, staged)
    assert diff.indicators == (IndicatorChange("test_share", "removed"),)
    assert diff.groups == (GroupChange("test_share", "district", "2023", 0, 0, 2),) and len(diff.lost) == 2


def test_point_layers_added_changed_removed(pair):
    published, staged = pair
    layer = ("INSERT INTO point_layers VALUES ('eczane', 'Eczaneler', 'Pharmacies', 'health', '[\"pharmacy\"]', "
             f"'[\"{SOURCE_ID}\"]', 'CC0', 'CC0', 'Test (kurgusal)', 'Test (fictional)', '2026', '[400]', false, "
             "NULL, NULL, 'import')")
    wkb = shapely.to_wkb(Point(27.0, 38.4))

    def point(pid: str, lon: float) -> str:
        return (f"INSERT INTO points VALUES ('eczane', '{pid}', 'E {pid}', 'pharmacy', NULL, {lon}, 38.4, $wkb, "
                f"'9001', NULL, 'inside', '{SOURCE_ID}')")

    sql(published, layer, point("1", 27.0), point("2", 27.0), point("3", 27.0), wkb=wkb)
    sql(staged, layer, point("1", 27.0), point("2", 27.001), point("4", 27.0), point("5", 27.0), wkb=wkb)
    assert diff_databases(published, staged).layers == (LayerChange("eczane", 2, 1, 1),)
