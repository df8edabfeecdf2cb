"""atlas.views.map_view, atlas.views.map_geometry and the legend HTML on a tiny fictional database."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET

import duckdb
import pandas as pd
import pytest

from atlas import db
from atlas.views import map_geometry as geo_assets
from atlas.views import map_view as mapview
from atlas.mapping.legend_html import legend_html
from atlas.catalogue import Text
from atlas.i18n import gettext
from tests.factories import make_tiny_db, sample_indicator
from tests.payloads import areas_of

IND = sample_indicator()


@pytest.fixture
def rich_db(tmp_path):
    """The tiny database plus mahalle values of every status, CIs, an İzmir value and an island."""
    path = make_tiny_db(tmp_path / "rich.duckdb")
    con = duckdb.connect(str(path))
    rows = [  # code, value, lower, upper, status, note
        ("91001", 10.0, 8.0, 12.0, "ok", None),
        ("91002", 20.0, 18.0, 22.0, "ok", "<b>bold</b> & note"),
        ("91003", None, None, None, "suppressed", "fewer than 5 events"),
        ("92001", 40.0, 35.0, 45.0, "ok", None),
        # 92002 has no row: it must come back as 'missing'
    ]
    for code, v, lo, hi, status, note in rows:
        con.execute("INSERT INTO indicator_values VALUES ('test_share', 'mahalle', $c, '2023', 2023, $v, NULL, NULL, "
                    "$lo, $hi, $s, $n, $n, NULL, 'test_fixture', NULL, NULL)",
                    {"c": code, "v": v, "lo": lo, "hi": hi, "s": status, "n": note})
    con.execute("INSERT INTO indicator_values VALUES ('test_share', 'province', '35', '2023', 2023, 20.0, NULL, NULL, "
                "19.0, 21.0, 'ok', NULL, NULL, NULL, 'test_fixture', NULL, NULL)")
    con.execute("UPDATE areas SET name = 'Kuş <Adası>' WHERE code = '92001'")
    con.close()
    return path


@pytest.fixture
def con(rich_db):
    c = db.connect(rich_db)
    yield c
    c.close()


def test_mahalle_view_classes_statuses_and_ranks(con):
    mv = mapview.build_map_view(con, IND, "2023", "mahalle", "quantiles", 3, "tr")
    f = mv.frame.set_index("area_code")
    assert list(f.index) == ["91001", "91002", "91003", "92001", "92002"]
    assert f.loc["91003", "style_key"] == "suppressed"
    assert f.loc["92002", "style_key"] == "missing"
    # lower is better: 10 is best (rank 1), 40 worst; three ranked areas
    assert f.loc["91001", "rank"] == 1 and f.loc["92001", "rank"] == 3
    assert set(f.loc[["91001", "91002", "92001"], "style_key"]) == {"0", "1", "2"}
    # worst class is the darkest red of YlOrRd
    assert mv.styles[f.loc["92001", "style_key"]]["fillColor"] == "#f03b20"
    statuses = [(i.key, i.count) for i in mv.legend if i.kind == "status"]
    assert statuses == [("suppressed", 1), ("missing", 1)]
    assert mv.benchmark == "İzmir: %20,0 (%19,0–21,0)"
    assert f.loc["92001", "diff_izmir"] == pytest.approx(20.0)


def _payload_areas(con, mv):
    gf = geo_assets.level_geojson(con, mv.level)
    return areas_of(mapview.layer_payload(mv, gf.codes), gf.codes)


def test_tooltip_parts_are_escaped_and_formatted(con):
    mv = mapview.build_map_view(con, IND, "2023", "mahalle", "quantiles", 3, "tr")
    areas = _payload_areas(con, mv)
    assert areas["92001"]["v"] == "%40,0" and areas["92001"]["ci"] == "%35,0–45,0"
    assert areas["92001"]["r"] == "3" and areas["92001"]["d"] == "+20,0"
    assert areas["91002"]["note"] == "&lt;b&gt;bold&lt;/b&gt; &amp; note"
    assert areas["91003"]["v"] == "" and areas["91003"]["s"] == "suppressed" and areas["91003"]["key"] == "suppressed"
    assert areas["92002"]["s"] == "missing"
    text = mv.tip_text
    assert text["rankSuffix"] == " / 3 (1 = en iyi)" and text["izmir"] == "İzmir: %20,0 · fark "
    assert text["districtOf"] == "ilçesi" and text["statusLabels"]["suppressed"] == "Gizlendi (küçük sayı)"
    en = mapview.build_map_view(con, IND, "2023", "mahalle", "quantiles", 3, "en")
    assert _payload_areas(con, en)["92001"]["v"] == "40.0%" and en.tip_text["ci"] == "95% CI"
    assert en.tip_text["rankSuffix"] == " / 3 (1 = best)"


def test_names_reach_the_browser_through_the_geometry_file_only(con):
    """The payload carries no names (the browser escapes the file's names when it writes a tooltip)."""
    mv = mapview.build_map_view(con, IND, "2023", "mahalle", "quantiles", 3, "tr")
    gf = geo_assets.level_geojson(con, "mahalle")
    assert "Adası" not in json.dumps(mapview.layer_payload(mv, gf.codes), ensure_ascii=False)
    names = {f["id"]: f["properties"]["name"] for f in json.loads(gf.data)["features"]}
    assert names["92001"] == "Kuş <Adası>"


def test_a_pipe_in_a_unit_or_note_cannot_shift_the_columns(rich_db):
    w = duckdb.connect(str(rich_db))
    w.execute("UPDATE indicator_values SET note_tr = 'a | b', note_en = 'a | b' WHERE area_code = '91001'")
    w.close()
    piped = sample_indicator(unit=Text("x|y", "x|y"))
    c = db.connect(rich_db)
    try:
        areas = _payload_areas(c, mapview.build_map_view(c, piped, "2023", "mahalle", "quantiles", 3, "tr"))
    finally:
        c.close()
    assert areas["91001"]["note"] == "a | b"  # notes travel as a list
    assert areas["92001"]["v"] == "40,0 x&#124;y" and areas["92001"]["r"] == "3"


def test_payload_from_another_database_is_refused(con):
    mv = mapview.build_map_view(con, IND, "2023", "mahalle", "quantiles", 3, "tr")
    with pytest.raises(ValueError, match="not in the geometry file"):
        mapview.layer_payload(mv, ["91001"])


def test_compare_izmir_uses_the_confidence_intervals(con):
    mv = mapview.build_map_view(con, IND, "2023", "mahalle", "compare_izmir", 5, "en")
    labels = dict(zip(mv.frame["area_code"], mv.frame["class_label"]))
    assert labels["91001"] == "Better than İzmir"   # 8–12 below 20
    assert labels["91002"] == "Similar to İzmir"    # 18–22 contains 20
    assert labels["92001"] == "Worse than İzmir"    # 35–45 above 20


def test_islands_are_hidden_by_default_and_ranks_follow(rich_db):
    w = duckdb.connect(str(rich_db))
    w.execute("UPDATE areas SET kind = 'island' WHERE code = '91001'")
    w.close()
    c = db.connect(rich_db)
    try:
        hidden = mapview.build_map_view(c, IND, "2023", "mahalle", "quantiles", 3, "tr")
        shown = mapview.build_map_view(c, IND, "2023", "mahalle", "quantiles", 3, "tr", show_hidden=True)
    finally:
        c.close()
    assert hidden.hidden == 1 and "91001" not in set(hidden.frame["area_code"])
    assert shown.hidden == 0 and "91001" in set(shown.frame["area_code"])
    assert hidden.frame.set_index("area_code").loc["91002", "rank"] == 1  # 91001 no longer ranked


def test_bad_arguments_fail_with_the_allowed_values(con):
    with pytest.raises(ValueError, match="language 'de'"):
        mapview.build_map_view(con, IND, "2023", "mahalle", "quantiles", 3, "de")
    with pytest.raises(ValueError, match="from 2 to 9"):
        mapview.build_map_view(con, IND, "2023", "mahalle", "quantiles", 12, "tr")
    with pytest.raises(ValueError, match="unknown classification scheme 'jenks'"):
        mapview.build_map_view(con, IND, "2023", "mahalle", "jenks", 3, "tr")


def test_layer_payload_is_aligned_and_small(con):
    mv = mapview.build_map_view(con, IND, "2023", "mahalle", "quantiles", 3, "tr")
    gf = geo_assets.level_geojson(con, "mahalle")
    order = list(reversed(gf.codes)) + ["99999"]  # any order; a feature the view does not show
    payload = mapview.layer_payload(mv, order)
    assert payload["n"] == len(order) == len(payload["keys"]) and payload["keys"][-1] == "."
    areas = areas_of(payload, order)
    assert set(areas) == set(mv.frame["area_code"])
    assert {a["key"] for a in areas.values()} == set(mv.frame["style_key"]) <= set(payload["styles"])
    assert "geometry" not in json.dumps(payload)


def test_table_is_numeric_and_translated(con):
    tr = mapview.table(mapview.build_map_view(con, IND, "2023", "mahalle", "quantiles", 3, "tr"))
    assert list(tr.columns)[:4] == ["Kod", "Bölge", "İlçe", "Değer"]
    assert tr["Değer"].dtype.kind == "f"
    assert tr.set_index("Kod").loc["91003", "Durum"] == "Gizlendi (küçük sayı)"
    en = mapview.table(mapview.build_map_view(con, IND, "2023", "district", "quantiles", 3, "en"))
    assert "District" not in en.columns and list(en.columns)[:3] == ["Code", "Area", "Value"]


def test_csv_and_geojson_downloads_carry_codes_and_source(con):
    mv = mapview.build_map_view(con, IND, "2023", "mahalle", "quantiles", 3, "tr")
    raw = mapview.to_csv(mv)
    assert raw.startswith("\ufeff".encode("utf-8"))
    df = pd.read_csv(io.BytesIO(raw), dtype={"area_code": str, "district_code": str}, encoding="utf-8-sig")
    assert list(df["area_code"]) == ["91001", "91002", "91003", "92001", "92002"]
    assert set(df["status"]) == {"ok", "suppressed", "missing"}
    assert (df["licence"] == IND.licence.tr).all() and (df["indicator_id"] == "test_share").all()
    doc = json.loads(mapview.to_geojson(mv))
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == 5
    first = doc["features"][0]
    assert first["properties"]["area_code"] == "91001" and first["geometry"]["type"] == "Polygon"
    assert doc["atlas"]["licence"] == IND.licence.tr


def test_area_at_and_focus_bounds(con):
    mv = mapview.build_map_view(con, IND, "2023", "mahalle", "quantiles", 3, "tr")
    # mahalle squares: code i at x 27.10 + 0.01 i .. (factories._square)
    assert mapview.area_at(mv, 27.105, 38.405) == "91001"
    assert mapview.area_at(mv, 27.125, 38.405) == "91003"
    assert mapview.area_at(mv, 26.0, 38.0) is None
    assert mapview.focus_bounds(mv, "91002") == [[38.4, pytest.approx(27.11)], [38.41, pytest.approx(27.12)]]
    south_west, north_east = mapview.focus_bounds(mv, "9002")  # a district on the mahalle map
    assert south_west[1] == pytest.approx(27.13) and north_east[1] == pytest.approx(27.15)
    assert mapview.focus_bounds(mv, "nope") is None and mapview.focus_bounds(mv, None) is None


def test_search_options_label_districts_and_mahalle(con):
    from atlas import queries
    areas = queries.run(con, "list_area_names")
    opts = mapview.search_options(areas, "mahalle", "tr")
    assert opts["91001"] == "Atatürk — Karşıyaka" and opts["9002"] == "Bornova (ilçe)"
    assert list(opts.values()).index("Bornova (ilçe)") < list(opts.values()).index("Bostanlı — Karşıyaka")
    district_only = mapview.search_options(areas, "district", "en")
    assert district_only == {"9002": "Bornova (district)", "9001": "Karşıyaka (district)"}


def test_search_matches_fold_turkish_and_put_prefixes_first():
    options = {"1": "Alsancak — Konak", "2": "Güneşli — Bornova", "3": "Bornova (ilçe)",
               "4": "İzmir Caddesi — Buca", "5": "Yeşilyurt — Konak", "6": "Işıklar — Bornova"}
    folded = mapview.fold_options(options)
    found, total = mapview.search_matches(options, folded, "  bornova ", 10)
    assert list(found) == ["3", "2", "6"] and total == 3  # the name starting with it first
    assert list(mapview.search_matches(options, folded, "gunes", 10)[0]) == ["2"]
    assert list(mapview.search_matches(options, folded, "IZMIR", 10)[0]) == ["4"]
    assert list(mapview.search_matches(options, folded, "ışık", 10)[0]) == ["6"]
    found, total = mapview.search_matches(options, folded, "a", 2)
    assert len(found) == 2 and total == 6  # at most the limit, and how many in all
    assert mapview.search_matches(options, folded, "   ", 10) == ({}, 0)
    assert mapview.search_matches(options, folded, "'; DROP TABLE areas; --", 10) == ({}, 0)


def test_geometry_file_is_compact_geojson_with_ids(con, tmp_path):
    gf = geo_assets.level_geojson(con, "mahalle")
    doc = json.loads(gf.data)
    assert gf.n_features == 5 and [f["id"] for f in doc["features"]][:2] == ["91001", "91002"]
    assert doc["features"][0]["properties"] == {"name": "Atatürk", "kind": "mahalle", "district": "Karşıyaka"}
    coords = doc["features"][0]["geometry"]["coordinates"][0]
    assert all(round(x, 5) == x for pt in coords for x in pt)
    assert gf.name.startswith("mahalle-") and gf.name.endswith(".geojson")
    path = geo_assets.write_geometry_file(tmp_path / "geo", gf)
    assert path.read_bytes() == gf.data
    assert geo_assets.write_geometry_file(tmp_path / "geo", gf) == path  # idempotent
    assert [p.name for p in (tmp_path / "geo").iterdir()] == [gf.name]  # no temp files left
    with pytest.raises(ValueError, match="level 'province' has no map geometry"):
        geo_assets.level_geojson(con, "province")


def test_legend_html_escapes_and_shows_counts(con):
    mv = mapview.build_map_view(con, IND, "2023", "mahalle", "quantiles", 3, "tr")
    out = legend_html(mv.legend, "Test <payı>", "tr", benchmark=mv.benchmark, notes=["a & b"])
    ET.fromstring(out)  # well-formed
    assert "Test &lt;payı&gt;" in out and "a &amp; b" in out
    assert "(1 bölge)" in out and "Gizlendi (küçük sayı)" in out and "repeating-linear-gradient" in out


def test_legend_counts_agree_in_number_and_group_thousands():
    from dataclasses import replace as dc_replace

    from atlas.mapping.legend import LegendItem

    one = LegendItem("class", "0", "Low", "#ffffff", 1)
    many = dc_replace(one, key="1", label="High", count=1083)
    en, tr = legend_html([one, many], "T", "en"), legend_html([one, many], "T", "tr")
    assert "(1 area)" in en and "(1,083 areas)" in en
    assert "(1 bölge)" in tr and "(1.083 bölge)" in tr


def test_counts_are_never_compared_with_the_izmir_total(con):
    count = sample_indicator(value_type="count", unit=Text("kişi", "people"), decimals=0)
    mv = mapview.build_map_view(con, count, "2023", "mahalle", "compare_izmir", 4, "en")
    assert mv.scheme == "quantiles" and mv.classification.scheme == "quantiles"
    assert mv.comparator.value is None and mv.benchmark is None
    assert mv.frame["diff_izmir"].isna().all()
    assert mv.tip_text["izmir"] is None and not any(mv.frame["tip_diff"])
    assert any("cannot be compared with İzmir's total" in note.en for note in mv.notes)


@pytest.mark.parametrize("lang", ["tr", "en"])
def test_notes_reach_the_map_and_the_table_in_the_users_language(rich_db, lang):
    w = duckdb.connect(str(rich_db))
    w.execute("UPDATE indicator_values SET note_tr = 'ızgara alanın %40 kadarını kapsıyor', "
              "note_en = 'the grid covers 40% of the area' WHERE area_code = '91001'")
    w.execute("UPDATE indicator_values SET note_tr = 'yalnızca tek dilde not', note_en = NULL "
              "WHERE area_code = '91002'")  # a note given in one language is shown in both
    w.close()
    c = db.connect(rich_db)
    try:
        mv = mapview.build_map_view(c, IND, "2023", "mahalle", "quantiles", 3, lang)
        areas = _payload_areas(c, mv)
    finally:
        c.close()
    want = {"tr": "ızgara alanın %40 kadarını kapsıyor", "en": "the grid covers 40% of the area"}[lang]
    assert areas["91001"]["note"] == want
    assert areas["91002"]["note"] == "yalnızca tek dilde not"
    table = mapview.table(mv)
    assert want in set(table[gettext(mapview.TABLE_COLUMNS["note"], lang)])
    assert "note_tr" not in mv.frame.columns and "note_en" not in mv.frame.columns
