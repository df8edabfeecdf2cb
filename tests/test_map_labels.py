"""atlas.views.map_labels: the place names drawn on the map (issue #22)."""

from __future__ import annotations

import json

import duckdb
import pytest
import shapely
from shapely.geometry import Point, box

from atlas.mapping.contrast import TEXT_MIN, contrast_ratio
from atlas.views import map_labels
from tests.factories import SOURCE_ID, make_tiny_db


def test_label_point_lies_inside_a_bent_area():
    # a U: the 3 × 3 square without the notch x 1–2, y 1–3; area 7, centroid (1.5, 9.5/7 = 1.357…)
    u = box(0, 0, 3, 3).difference(box(1, 1, 2, 3))
    assert not u.contains(u.centroid)  # the centroid falls into the notch
    x, y = map_labels.label_point(u)
    assert u.contains(Point(x, y))
    # the widest free circle of the U has radius 0.5 (its arms and its base are 1 wide);
    # polylabel finds one within 2 % of √7 ≈ 0.053 of that
    assert u.exterior.distance(Point(x, y)) >= 0.5 - 0.06


def test_label_point_of_a_multipolygon_is_in_its_largest_part_and_empty_has_none():
    parts = shapely.MultiPolygon([box(0, 0, 1, 1), box(5, 5, 9, 9)])
    x, y = map_labels.label_point(parts)
    assert box(5, 5, 9, 9).contains(Point(x, y))
    assert map_labels.label_point(shapely.Polygon()) is None


def test_level_labels_largest_first_islands_marked(tmp_path):
    path = make_tiny_db(tmp_path / "labels.duckdb")
    con = duckdb.connect(str(path))
    # an island four times the size of the tiny database's mahalle (0.01° squares)
    con.execute("INSERT INTO areas (level, code, name, name_key, parent_code, kind, area_km2, centroid_lon, "
                "centroid_lat, geom_wkb, geom_display_wkb, source_id) VALUES ('mahalle', '93001', 'Ada', 'ada', "
                "'9001', 'island', 4.0, 26.9, 38.3, $wkb, $wkb, $src)",
                {"wkb": shapely.to_wkb(box(26.88, 38.28, 26.90, 38.30)), "src": SOURCE_ID})
    gf = map_labels.level_labels(con, "mahalle")
    doc = json.loads(gf.data)
    assert doc["names"] == ["Ada", "Atatürk", "Bostanlı", "İnönü", "Atatürk", "Kazımdirik"]  # then by code
    assert doc["hidden"] == [0]
    assert gf.codes == ("93001", "91001", "91002", "91003", "92001", "92002")
    # label points at 4 decimals: the middle of each square (27.10–27.11 × 38.40–38.41 for 91001)
    assert doc["points"][:4] == [26.89, 38.29, 27.105, 38.405]
    assert gf.name.startswith("labels-mahalle-") and gf.name.endswith(".json")
    with pytest.raises(ValueError, match="district, mahalle"):
        map_labels.level_labels(con, "province")


def test_label_text_is_legible_on_its_halo():
    assert contrast_ratio(map_labels.LABEL_COLOUR, map_labels.HALO_COLOUR) >= TEXT_MIN
    assert contrast_ratio(map_labels.LABEL_COLOUR, map_labels.HALO_COLOUR) == pytest.approx(18.88, abs=0.01)
