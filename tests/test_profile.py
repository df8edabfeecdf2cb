"""The Area profile core (atlas.views.profile) and its spine chart (atlas.views.spine_chart)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import duckdb
import pandas as pd
import pytest

from atlas.catalogue import Text
from atlas.db import connect
from atlas.errors import CatalogueError
from atlas.frames.map_frame import map_frame
from atlas.mapping import COMPARE_COLOURS, classify, compare_label
from atlas.views.profile import (AreaNotFound, Distribution, Estimate, IndicatorProfile, TrendPoint, area_choices, area_profile, find_area, profile_table, trend_frame, turkish_sort_key)
from atlas.views.spine_chart import NOT_COMPARED, spine_chart_svg
from tests.factories import SOURCE_ID, sample_indicator

SVG = "{http://www.w3.org/2000/svg}"

# --- a richer tiny database ---------------------------------------------------------------------

MEAN = sample_indicator(id="test_mean", title=Text("Test ortalaması", "Test mean"), unit=Text("°C", "°C"),
                        value_type="mean", polarity="higher_is_better", decimals=2)
COUNT = sample_indicator(id="test_count", title=Text("Test sayısı", "Test count"), unit=Text("kişi", "people"),
                         value_type="count", polarity="no_judgement", decimals=0, scale=1.0)


def _insert_indicator(con, ind) -> None:
    con.execute(
        "INSERT INTO indicators VALUES ($id, $theme, $ttr, $ten, $utr, $uen, $vt, $pol, NULL, 'catalogue', $meta)",
        {"id": ind.id, "theme": ind.theme, "ttr": ind.title.tr, "ten": ind.title.en, "utr": ind.unit.tr,
         "uen": ind.unit.en, "vt": ind.value_type, "pol": ind.polarity, "meta": ind.to_json()})


def _value(con, ind_id, level, code, period, value, lo=None, hi=None, status="ok", note=None) -> None:
    con.execute(
        "INSERT INTO indicator_values VALUES ($ind, $level, $code, $period, $sort, $v, NULL, NULL, $lo, $hi, "
        "$status, $note, $note, NULL, $src, NULL, NULL)",
        {"ind": ind_id, "level": level, "code": code, "period": period, "sort": int(period[-4:]), "v": value,
         "lo": lo, "hi": hi, "status": status, "note": note, "src": SOURCE_ID})


@pytest.fixture
def rich_db(tiny_db):
    """The tiny fixture plus: CIs, an İzmir value, a second period, mahalle values (one on an island,
    one missing), a mean indicator without CIs and a count."""
    con = duckdb.connect(str(tiny_db))
    con.execute("INSERT INTO themes VALUES ('population', 'Nüfus', 'Population')")
    # Karşıyaka 15 % (13–17), Bornova 10 % (8–12)
    con.execute("UPDATE indicator_values SET lower_ci = value - 2, upper_ci = value + 2")
    con.execute("UPDATE areas SET kind = 'island' WHERE code = '91003'")
    _value(con, "test_share", "province", "35", "2023", 12.0, 11.5, 12.5)
    _value(con, "test_share", "province", "35", "2021", 11.0, 10.5, 11.5)
    _value(con, "test_share", "district", "9001", "2021", 14.0, 12.0, 16.0)
    _value(con, "test_share", "district", "9002", "2021", 9.0, 8.5, 9.5)
    _value(con, "test_share", "mahalle", "91001", "2023", 20.0, 18.0, 22.0)
    _value(con, "test_share", "mahalle", "91002", "2023", 5.0, 4.0, 6.0)
    _value(con, "test_share", "mahalle", "91003", "2023", 50.0, 45.0, 55.0)
    _value(con, "test_share", "mahalle", "92001", "2023", 12.5, 10.0, 15.0)
    _value(con, "test_share", "mahalle", "92002", "2023", None, status="missing", note="grid covers 10%")
    for ind in (MEAN, COUNT):
        _insert_indicator(con, ind)
    _value(con, "test_mean", "province", "35", "2023", 6.0)
    _value(con, "test_mean", "district", "9001", "2023", 5.0)
    _value(con, "test_mean", "district", "9002", "2023", 7.0)
    _value(con, "test_count", "province", "35", "2023", 300.0)
    _value(con, "test_count", "district", "9001", "2023", 100.0)
    _value(con, "test_count", "district", "9002", "2023", 200.0)
    con.close()
    return tiny_db


# --- the area ---------------------------------------------------------------------------------

def test_find_area_district_and_mahalle(tiny_db):
    con = connect(tiny_db)
    d = find_area(con, "9001")
    assert (d.name, d.level, d.kind, d.district_code, d.district_name) == ("Karşıyaka", "district", "district",
                                                                          None, None)
    m = find_area(con, " 91002 ")
    assert (m.name, m.level, m.district_code, m.district_name) == ("Bostanlı", "mahalle", "9001", "Karşıyaka")


def test_unknown_area_names_the_code(tiny_db):
    con = connect(tiny_db)
    with pytest.raises(AreaNotFound, match=r"no district or mahalle has the code '12345'"):
        area_profile(con, "12345")
    with pytest.raises(AreaNotFound, match="'35'"):
        find_area(con, "35")  # the province is the comparator, not a profile
    with pytest.raises(AreaNotFound, match="no mahalle has the code '9001'"):
        find_area(con, "9001", level="mahalle")
    with pytest.raises(ValueError, match="level 'province' is not allowed"):
        find_area(con, "35", level="province")


def test_area_choices_districts_first_in_turkish_order(tiny_db):
    choices = area_choices(connect(tiny_db))
    assert [(c.code, c.district_name) for c in choices[:2]] == [("9002", "Bornova"), ("9001", "Karşıyaka")]
    # mahalle of Bornova first; within Karşıyaka: Atatürk, Bostanlı, İnönü (İ sorts after I, not first)
    assert [c.name for c in choices[2:]] == ["Atatürk", "Kazımdirik", "Atatürk", "Bostanlı", "İnönü"]
    assert turkish_sort_key("Çiğli") > turkish_sort_key("Cumaovası")
    assert turkish_sort_key("Ödemiş") < turkish_sort_key("Pınar")


# --- one district ------------------------------------------------------------------------------

def test_district_profile_values_izmir_distribution_rank_and_verdict(rich_db):
    p = area_profile(connect(rich_db), "9001")
    # ordered by Turkish title: Test ortalaması, Test payı, Test sayısı
    assert [r.indicator.id for r in p.indicators] == ["test_mean", "test_share", "test_count"]
    share = p.get("test_share")
    assert share.theme_title == Text("Nüfus", "Population")
    assert (share.period, share.value, share.lower_ci, share.upper_ci, share.status) == ("2023", 15.0, 13.0, 17.0, "ok")
    assert (share.numerator, share.denominator) == (30.0, 200.0)
    assert share.izmir == Estimate(12.0, 11.5, 12.5, "ok", None)
    assert share.district is None
    assert share.distribution == Distribution(minimum=10.0, q25=11.25, q75=13.75, maximum=15.0, n=2)
    assert (share.rank, share.rank_of) == (2, 2)  # lower is better: Bornova's 10 % is first
    assert share.verdict == "worse" and share.verdict_tested and share.benchmarked  # CI 13–17 is above 12


def test_ci_touching_izmir_is_similar_and_value_only_without_ci(rich_db):
    con = connect(rich_db)
    bornova = area_profile(con, "9002")
    assert bornova.get("test_share").verdict == "similar"  # CI 8–12 touches İzmir's 12
    assert bornova.get("test_share").rank == 1
    # no CI: compared by value only, not tested (the map's rule)
    assert bornova.get("test_mean").verdict == "higher_value" and not bornova.get("test_mean").verdict_tested
    assert area_profile(con, "9001").get("test_mean").verdict == "lower_value"
    assert bornova.get("test_mean").rank == 1  # higher is better


def test_counts_are_not_compared_with_the_izmir_total(rich_db):
    count = area_profile(connect(rich_db), "9002").get("test_count")
    assert count.value == 200.0 and count.izmir.value == 300.0
    assert count.verdict is None and not count.benchmarked
    assert (count.rank, count.rank_of) == (1, 2)  # no judgement: 1 = highest


def test_trend_lists_every_period_with_izmir(rich_db):
    share = area_profile(connect(rich_db), "9001").get("test_share")
    assert share.trend == (
        TrendPoint("2021", 2021, 14.0, 12.0, 16.0, "ok", None, 11.0, None),
        TrendPoint("2023", 2023, 15.0, 13.0, 17.0, "ok", None, 12.0, None),
    )
    assert share.has_trend
    assert not area_profile(connect(rich_db), "9001").get("test_mean").has_trend


# --- mahalle -----------------------------------------------------------------------------------

def test_mahalle_has_its_district_value_and_map_distribution(rich_db):
    p = area_profile(connect(rich_db), "91001")
    assert (p.area.name, p.area.district_name) == ("Atatürk", "Karşıyaka")
    assert [r.indicator.id for r in p.indicators] == ["test_share"]  # the others have no mahalle values
    share = p.indicators[0]
    assert share.value == 20.0 and share.district == Estimate(15.0, 13.0, 17.0, "ok", None)
    # island 91003 (50 %) is left out, as on the map; the missing 92002 has no value
    assert share.distribution == Distribution(minimum=5.0, q25=8.75, q75=16.25, maximum=20.0, n=3)
    assert (share.rank, share.rank_of, share.verdict) == (3, 3, "worse")
    assert area_profile(connect(rich_db), "91002").indicators[0].verdict == "better"  # CI 4–6 below 12


def test_island_is_ranked_among_the_map_areas_plus_itself(rich_db):
    p = area_profile(connect(rich_db), "91003")
    assert p.area.kind == "island" and p.area.hidden_on_map
    share = p.indicators[0]
    assert share.distribution.n == 3 and share.distribution.maximum == 20.0
    assert (share.rank, share.rank_of, share.verdict) == (4, 4, "worse")


def test_missing_value_keeps_its_status_and_note(rich_db):
    share = area_profile(connect(rich_db), "92002").indicators[0]
    assert (share.value, share.status, share.note) == (None, "missing", Text("grid covers 10%", "grid covers 10%"))
    assert share.rank is None and share.verdict is None
    assert share.district.value == 10.0 and share.izmir.value == 12.0


def test_indicator_lookup_must_know_every_indicator(rich_db):
    con = connect(rich_db)
    ind = sample_indicator()
    with pytest.raises(CatalogueError, match="indicator 'test_count' has values at district level but no catalogue"):
        area_profile(con, "9001", indicators={ind.id: ind})
    full = area_profile(con, "9001", indicators={i.id: i for i in (ind, MEAN, COUNT)})
    assert full == area_profile(con, "9001")


def test_rows_order_by_title_in_the_language(rich_db):
    p = area_profile(connect(rich_db), "9001", lang="en")
    assert [r.indicator.title.en for r in p.indicators] == ["Test count", "Test mean", "Test share"]
    with pytest.raises(ValueError, match="language 'de'"):
        area_profile(connect(rich_db), "9001", lang="de")


def test_verdict_at_99_8_only_where_the_95_verdict_was_tested(rich_db):
    con = connect(rich_db)
    share = area_profile(con, "9001").get("test_share")
    # 95 %: CI 13–17 lies above İzmir's 12 → worse; 99.8 %: the Wilson interval of 30/200 is about
    # 9.5–22.6 %, which contains 12 → similar (the stricter level is not just a copy of the 95 % one)
    assert (share.verdict, share.verdict_998) == ("worse", "similar")
    bornova = area_profile(con, "9002")
    assert bornova.get("test_share").verdict_998 == "similar"
    assert bornova.get("test_mean").verdict_998 is None  # no CI: not tested at either level
    assert bornova.get("test_count").verdict_998 is None  # a count is never compared
    en = profile_table(area_profile(con, "9001"), "en").set_index("indicator")
    assert en.loc["Test share", "verdict_998"] == compare_label("similar", "en")
    assert en.loc["Test mean", "verdict_998"] == "—"


# --- table and trend frames --------------------------------------------------------------------

def test_profile_table_in_turkish_and_english(rich_db):
    con = connect(rich_db)
    tr = profile_table(area_profile(con, "91001"), "tr")
    assert list(tr.columns) == ["theme", "indicator", "period", "value", "ci", "izmir", "district", "rank",
                                "rank_of", "range", "verdict", "verdict_998", "note"]
    row = tr.iloc[0]
    assert (row["value"], row["ci"], row["izmir"], row["district"]) == ("%20,0", "%18,0–22,0", "%12,0", "%15,0")
    assert (row["rank"], row["rank_of"], row["range"]) == (3, 3, "%5,0–20,0")
    assert row["verdict"] == "İzmir'den daha kötü"
    en = profile_table(area_profile(con, "9002"), "en").set_index("indicator")
    assert "district" not in en.columns
    assert en.loc["Test count", "value"] == "200 people"
    assert en.loc["Test count", "verdict"] == "not compared (the İzmir value is the total)"
    assert en.loc["Test mean", "verdict"] == compare_label("higher_value", "en")
    assert en.loc["Test share", "counts"] == "10 / 100"
    missing = profile_table(area_profile(con, "92002"), "tr").iloc[0]
    assert (missing["value"], missing["verdict"], missing["note"]) == ("Veri yok", "Veri yok", "grid covers 10%")
    assert missing["rank"] is pd.NA


def test_trend_frame_series(rich_db):
    con = connect(rich_db)
    f = trend_frame(area_profile(con, "9001"), "test_share", "tr")
    assert f[["period", "series", "value"]].values.tolist() == [
        ["2021", "Karşıyaka", 14.0], ["2023", "Karşıyaka", 15.0], ["2021", "İzmir", 11.0], ["2023", "İzmir", 12.0]]
    assert f["value_text"].tolist()[:2] == ["%14,0", "%15,0"]
    m = trend_frame(area_profile(con, "91001"), "test_share", "en")
    assert sorted(set(m["series"])) == ["Atatürk", "Karşıyaka district", "İzmir"]
    c = trend_frame(area_profile(con, "9001"), "test_count", "en")
    assert set(c["series"]) == {"Karşıyaka"}  # a count is not drawn against the İzmir total


# --- spine chart -------------------------------------------------------------------------------

def _row(ind=None, value=15.0, izmir=12.0, verdict="worse", dist=(5.0, 8.0, 16.0, 20.0), district=None,
         status="ok", period="2023") -> IndicatorProfile:
    ind = ind or sample_indicator()
    return IndicatorProfile(
        indicator=ind, theme_title=Text("Nüfus", "Population"), period=period, period_sort=int(period[-4:]),
        value=value, lower_ci=None, upper_ci=None, numerator=None, denominator=None, status=status, note=None,
        coverage=None, izmir=None if izmir is None else Estimate(izmir, None, None, "ok"),
        district=None if district is None else Estimate(district, None, None, "ok"),
        distribution=None if dist is None else Distribution(*dist, n=10), rank=1, rank_of=10, verdict=verdict,
        trend=())


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def _groups(root: ET.Element) -> dict[str, ET.Element]:
    return {g.get("data-indicator"): g for g in root.iter(f"{SVG}g") if g.get("data-indicator")}


def _cx(group: ET.Element) -> float:
    return float(group.find(f"{SVG}circle").get("cx"))


def _bench_x(group: ET.Element) -> float:
    return float(group.find(f"{SVG}line").get("x1"))


def test_spine_svg_is_valid_and_accessible():
    svg = spine_chart_svg([_row()], "tr", area_name="Karşıyaka")
    root = _parse(svg)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title.text == "Karşıyaka: göstergeler İzmir ile karşılaştırmalı (omurga grafiği)"
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert "Test payı (2023): 15,0 %; İzmir 12,0; aralık 5,0–20,0; İzmir'den daha kötü." in desc.text
    g = _groups(root)["test_share"]
    assert g.find(f"{SVG}circle").get("fill") == COMPARE_COLOURS["worse"]
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "15,0" in texts and "12,0" in texts
    assert any("kötü uç soldadır" in t for t in texts)  # the orientation is explained
    assert compare_label("worse", "tr") in texts


def test_spine_worse_end_is_on_the_left():
    lower_better = sample_indicator(id="a", polarity="lower_is_better")
    higher_better = sample_indicator(id="b", polarity="higher_is_better")
    neutral = sample_indicator(id="c", polarity="no_judgement")
    rows = [_row(lower_better, verdict="worse"), _row(higher_better, verdict="better"),
            _row(neutral, verdict="higher")]
    g = _groups(_parse(spine_chart_svg(rows, "en")))
    assert _cx(g["a"]) < _bench_x(g["a"])  # 15 > İzmir 12 is worse: drawn left of the line
    assert _cx(g["b"]) > _bench_x(g["b"])  # 15 > 12 is better: right
    assert _cx(g["c"]) > _bench_x(g["c"])  # no judgement: low left, high right, not flipped
    # the range bar is mirrored too: for lower-is-better the maximum (20) is at the left end
    range_a = next(r for r in g["a"].iter(f"{SVG}rect") if r.get("class") == "range")
    range_b = next(r for r in g["b"].iter(f"{SVG}rect") if r.get("class") == "range")
    assert float(range_a.get("x")) < float(range_b.get("x"))
    # the wider side (20 - 12 = 8) reaches the edge, so İzmir's line sits inside, off-centre
    assert abs((_bench_x(g["a"]) - float(range_a.get("x"))) - (float(range_b.get("x")) + float(range_b.get("width"))
                                                           - _bench_x(g["b"]))) < 0.05


def test_spine_not_compared_missing_and_counts():
    count = sample_indicator(id="n", value_type="count", polarity="no_judgement")
    rows = [_row(sample_indicator(id="x"), verdict=None, izmir=None),
            _row(sample_indicator(id="y"), value=None, status="suppressed", verdict=None),
            _row(count, value=100.0, izmir=300.0, verdict=None, dist=(50.0, 80.0, 150.0, 200.0))]
    root = _parse(spine_chart_svg(rows, "en"))
    g = _groups(root)
    assert g["x"].find(f"{SVG}circle").get("fill") == NOT_COMPARED
    assert g["x"].find(f"{SVG}line") is None  # no İzmir value, no centre line
    assert g["y"].find(f"{SVG}circle") is None
    assert "Suppressed (small numbers)" in [t.text for t in g["y"].iter(f"{SVG}text")]
    assert g["n"].find(f"{SVG}line") is None  # a count is not centred on the İzmir total
    assert "İzmir value is the total: not compared" in [t.text for t in g["n"].iter(f"{SVG}text")]
    xs = [float(r.get("x")) for r in g["n"].iter(f"{SVG}rect") if r.get("class") == "range"]
    assert xs and xs[0] > 500  # the range is drawn inside the spine, not squeezed by the total


def test_spine_district_column_and_marker():
    root = _parse(spine_chart_svg([_row(district=10.0)], "tr"))
    g = _groups(root)["test_share"]
    assert g.find(f"{SVG}polygon").get("class") == "district"
    assert "10,0" in [t.text for t in g.iter(f"{SVG}text")]
    assert "İlçe" in [t.text for t in root.iter(f"{SVG}text")]
    assert "İlçe: 10,0." in root.find(f"{SVG}desc").text
    assert _parse(spine_chart_svg([_row()], "tr")).find(f".//{SVG}polygon") is None


def test_spine_escapes_text_and_is_deterministic():
    evil = sample_indicator(id="evil", title=Text("<b>Kötü</b> & \"tırnak\"", "<script>x</script> & co"),
                            unit=Text("<u>", "<u>"))
    rows = [_row(evil)]
    svg = spine_chart_svg(rows, "en", area_name="A & <B>", id_prefix='p"q')
    assert "<script>" not in svg and "<b>" not in svg
    root = _parse(svg)  # still well-formed XML
    assert root.find(f"{SVG}title").text == "A & <B>: indicators compared with İzmir (spine chart)"
    assert "<script>x</script> & co" in [t.text for t in root.iter(f"{SVG}text")]
    assert spine_chart_svg(rows, "en", area_name="A & <B>", id_prefix='p"q') == svg


def test_spine_empty_and_bad_language():
    root = _parse(spine_chart_svg([], "en"))
    assert "No indicators for this area." in [t.text for t in root.iter(f"{SVG}text")]
    with pytest.raises(ValueError, match="language 'de'"):
        spine_chart_svg([_row()], "de")


def test_spine_of_a_profile_from_the_database(rich_db):
    p = area_profile(connect(rich_db), "9001")
    root = _parse(spine_chart_svg(p.indicators, "tr", area_name=p.area.name))
    g = _groups(root)
    assert set(g) == {"test_share", "test_mean", "test_count"}
    assert g["test_mean"].find(f"{SVG}circle").get("fill") == COMPARE_COLOURS["lower_value"]


# --- real data ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real_con(real_db):
    con = connect(real_db)
    yield con
    con.close()


def test_real_karsiyaka_population_density(real_con):
    con = real_con.cursor()
    p = area_profile(con, "1448")
    assert (p.area.name, p.area.level, p.area.kind) == ("Karşıyaka", "district", "district")
    dens = p.get("pop_density")
    expected = con.execute("SELECT value FROM indicator_values WHERE indicator_id = 'pop_density' "
                           "AND level = 'district' AND area_code = '1448' AND period = '2025'").fetchall()[0][0]
    assert dens.period == "2025" and dens.value == pytest.approx(expected)
    assert 6000 < dens.value < 7500  # about 340,000 people on about 51 km²
    assert dens.izmir.value == pytest.approx(4504185 / 11892, rel=1e-3)  # İzmir: people / official km²
    assert dens.distribution.n == 30 and dens.rank_of == 30
    assert dens.distribution.minimum < dens.izmir.value < dens.distribution.maximum
    assert dens.verdict == "higher_value"  # no CI for a full count: compared by value only
    assert [t.period for t in dens.trend] == ["2021", "2023", "2025"] and all(t.izmir for t in dens.trend)
    assert p.get("pop_total").verdict is None  # a count against the İzmir total is not compared
    sex = p.get("sex_ratio")
    assert sex.verdict_tested and sex.verdict in ("lower", "similar", "higher")


def test_real_mahalle_agrees_with_the_map(real_con):
    con = real_con.cursor()
    p = area_profile(con, "23690")  # Bostanlı, Karşıyaka
    assert (p.area.name, p.area.district_code, p.area.district_name) == ("Bostanlı", "1448", "Karşıyaka")
    dens = p.get("pop_density")
    karsiyaka_2023 = area_profile(con, "1448").get("pop_density").trend[1]
    assert karsiyaka_2023.period == "2023" and dens.district.value == pytest.approx(karsiyaka_2023.value)
    frame = map_frame(con, dens.indicator, dens.period, "mahalle")  # islands etc. hidden, as on the map
    mine = frame[frame["area_code"] == "23690"].iloc[0]
    assert dens.value == pytest.approx(mine["value"])
    assert dens.distribution.n == int(frame["value"].notna().sum()) == dens.rank_of
    assert dens.rank == int(mine["rank"])
    assert dens.distribution.maximum == pytest.approx(frame["value"].max())


@pytest.mark.parametrize("indicator_id", ["adults_65plus_share", "lst_summer_mean", "pop_change"])
def test_real_verdicts_are_the_maps_compare_with_izmir(real_con, indicator_id):
    con = real_con.cursor()
    first = area_profile(con, "1203").get(indicator_id)  # Bornova
    frame = map_frame(con, first.indicator, first.period, "district")
    cls = classify(frame["value"].tolist(), "compare_izmir", 5, lower=frame["lower_ci"].tolist(),
                   upper=frame["upper_ci"].tolist(), benchmark=first.izmir.value,
                   polarity=first.indicator.polarity, statuses=frame["status"].tolist())
    for code, c in list(zip(frame["area_code"], cls.classes))[:8]:
        row = area_profile(con, code).get(indicator_id)
        expected = cls.categories[c] if c >= 0 else None
        assert row.verdict == expected, code


@pytest.mark.parametrize("code", ["1203", "23690"])  # Bornova; Bostanlı (Karşıyaka)
def test_real_verdicts_at_99_8_wherever_the_95_verdict_was_tested(real_con, code):
    from atlas.equity.benchmark import benchmark_level

    con = real_con.cursor()
    p = area_profile(con, code)
    assert p.indicators
    for row in p.indicators:
        assert (row.verdict_998 is not None) == row.verdict_tested, row.indicator.id
        assert row.verdict_998 in (None, "better", "similar", "worse", "higher", "lower")
    table = profile_table(p, "tr")
    assert table["verdict_998"].notna().all() and (table["verdict_998"] != "").all()
    tested = [r for r in p.indicators if r.verdict_tested]
    if p.area.level == "district":
        assert {r.indicator.id for r in tested} >= {"sex_ratio", "adults_65plus_share"}
    for row in tested:  # the same verdict as the equity ranking's 99.8 % column
        bench = benchmark_level(con, row.indicator, row.period, p.area.level).set_index("area_code")
        assert bench.loc[code, "verdict_998"] == row.verdict_998, row.indicator.id
