"""The equity report, the `equity` command and the map's hot-spot mode, on the real build."""

from __future__ import annotations

import json

import pytest

from atlas import db, mapview, queries
from atlas.catalogue import indicator_from_json
from atlas.cli import main
from atlas.equity.maps import gain_layer, lisa_layer
from atlas.equity.measures import Measure
from atlas.equity.report import EquityError, difference_unit, equity_report
from atlas.equity.summary import NotApplicable


@pytest.fixture(scope="module")
def con(real_db):
    c = db.connect(real_db)
    yield c
    c.close()


@pytest.fixture(scope="module")
def inds(con):
    meta = queries.run(con, "list_indicator_metadata")
    return {i: indicator_from_json(m) for i, m in zip(meta["indicator_id"], meta["metadata_json"])}


@pytest.fixture(scope="module")
def lst(con, inds):
    return equity_report(con, inds["lst_summer_mean"], "2014-2024", "mahalle")


def test_heat_across_vulnerability_quintiles(lst):
    g = lst.groups
    assert g.ordered and g.n_groups == 5 and lst.stratifier == "svi_mean"
    shares = [p / sum(g.populations) for p in g.populations]
    assert all(0.17 < s < 0.23 for s in shares)  # population-weighted fifths
    d = lst.measure("d")
    assert d is not None and d.value == pytest.approx(g.values[-1] - g.values[0])
    assert lst.measure("theil").value >= 0 and lst.measure("mld").value >= 0
    assert len(lst.measures) == 17
    # the summary quotes the numbers, in both languages
    q1 = f"{g.values[0]:.1f}"
    assert f"{q1} °C" in lst.summary.en and q1.replace(".", ",") + " °C" in lst.summary.tr
    assert "Social vulnerability score" in lst.summary.en and "Sosyal kırılganlık skoru" in lst.summary.tr
    assert "no confidence interval" in lst.summary.en  # grid means carry no CI: said, not invented


def test_hot_spots_and_potential_gain(lst):
    counts = lst.lisa.counts()
    assert counts["HH"] > 0 and counts["LL"] > 0
    assert f"{counts['HH']} mahalle" in lst.summary.en
    assert lst.gain_target is not None and (lst.gain["gain"] >= 0).all()
    assert lst.gain["gain"].max() > 0
    worst = lst.gain.iloc[0]  # lower is better: the hottest mahalle has the largest gain
    assert worst["value"] == lst.ranking["value"].max()


def test_district_groups_are_unordered_and_say_why_measures_do_not_apply(con, inds):
    r = equity_report(con, inds["pop_change"], "2021-2025", "district")
    assert not r.groups.ordered and r.groups.n_groups == 30
    na = {m.id: m for m in r.measures if isinstance(m, NotApplicable)}
    assert na["sii"].rule == "needs_order" and "order" in na["sii"].reason.en
    assert "r" in na and na["r"].rule == "non_positive_value"  # some districts shrank
    assert r.lisa is None and "mahalle level" in r.lisa_problem.en
    assert "Balçova" in r.summary.en and "Seferihisar" in r.summary.en


def test_ci_and_benchmark_reach_the_summary(con, inds):
    r = equity_report(con, inds["adults_65plus_share"], "2018", "district")
    d = r.measure("d")
    assert isinstance(d, Measure) and d.has_ci and d.lower > 0
    assert "the gap is beyond chance" in r.summary.en and "fark şansla açıklanamaz" in r.summary.tr
    assert "20 districts are higher than İzmir" in r.summary.en


def test_gaps_of_a_percentage_are_in_percentage_points(con, inds):
    r = equity_report(con, inds["adults_65plus_share"], "2018", "district")
    assert "%9,6 (Menemen)" in r.summary.tr and "9.6% (Menemen)" in r.summary.en  # levels stay percentages
    assert "fark 19,1 yüzde puan" in r.summary.tr and "a gap of 19.1 percentage points" in r.summary.en
    assert difference_unit(inds["adults_65plus_share"]).en == "percentage points"
    assert difference_unit(inds["lst_summer_mean"]) == inds["lst_summer_mean"].unit


def test_the_summary_says_why_areas_are_not_compared(con, inds):
    lst = equity_report(con, inds["lst_summer_mean"], "2014-2024", "district")
    assert "no confidence interval, so the districts are not compared with İzmir" in lst.summary.en
    assert "ilçeler İzmir ile karşılaştırılmadı" in lst.summary.tr
    pop = equity_report(con, inds["pop_total"], "2025", "district")
    assert "Counts are not compared with the İzmir total." in pop.summary.en


def test_bad_requests_name_what_is_allowed(con, inds):
    with pytest.raises(EquityError, match="periods with values: 2023"):
        equity_report(con, inds["pop_density"], "1999", "mahalle")
    with pytest.raises(EquityError, match="5 \\(quintiles\\) or 10"):
        equity_report(con, inds["pop_density"], "2023", "mahalle", n_groups=7)
    with pytest.raises(EquityError, match="level 'province'"):
        equity_report(con, inds["pop_density"], "2023", "province")


def test_equity_layers(con, lst):
    areas = queries.run(con, "get_map_values", {"indicator_id": "lst_summer_mean", "period": "2014-2024",
                                                "level": "mahalle"})
    lisa = lisa_layer(lst.lisa, areas, "tr")
    assert len(lisa.codes) == len(areas) and set(lisa.keys) <= set(lisa.styles)
    assert lisa.keys.count("HH") == lst.lisa.counts()["HH"]
    assert any(item.label == "Yüksek-yüksek (sıcak nokta)" for item in lisa.legend)
    gain = gain_layer(lst, areas, "en")
    assert gain is not None and "Potential gain" in gain.tips[lisa.codes.index(str(lst.gain.iloc[0]["area_code"]))]


def test_map_hot_spot_mode(con, inds):
    mv = mapview.build_map_view(con, inds["lst_summer_mean"], "2014-2024", "mahalle", "hot_spots", 5, "en")
    assert mv.scheme == "hot_spots"
    assert {"HH", "LL", "ns", "missing"} <= set(mv.frame["style_key"])
    assert any("Local Moran" in n.en for n in mv.notes)
    district = mapview.build_map_view(con, inds["lst_summer_mean"], "2014-2024", "district", "hot_spots", 5, "en")
    assert district.scheme == "quantiles" and any("mahalle level only" in n.en for n in district.notes)


def test_equity_command_prints_json(real_db, capsys):
    code = main(["equity", "--indicator", "lst_summer_mean", "--period", "2014-2024", "--level", "mahalle",
                 "--stratifier", "svi_mean", "--groups", "5", "--json", "--db", str(real_db)])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert {m["id"] for m in data["measures"]} >= {"d", "sii", "theil"}
    assert len(data["measures"]) + len(data["unsupported"]) == 17
    assert [g["label"] for g in data["groups"]["groups"]][0] == "Q1 (most disadvantaged)"
    assert all(g["population"] > 0 for g in data["groups"]["groups"])
    assert data["hot_spots"]["counts"]["HH"] > 0 and data["hot_spots"]["seed"]


def test_equity_command_lists_unsupported_measures_and_fails_clearly(real_db, capsys):
    assert main(["equity", "--indicator", "pop_change", "--period", "2021-2025", "--level", "district", "--json",
                 "--db", str(real_db)]) == 0
    data = json.loads(capsys.readouterr().out)
    reasons = {m["id"]: m["reason"] for m in data["unsupported"]}
    assert "sii" in reasons and "order" in reasons["sii"]
    assert main(["equity", "--indicator", "nope", "--period", "1", "--level", "district", "--db", str(real_db)]) == 1
    assert "unknown indicator 'nope'" in capsys.readouterr().err
    assert main(["equity", "--indicator", "pop_density", "--period", "2023", "--level", "mahalle",
                 "--stratifier", "xx", "--db", str(real_db)]) == 1
    assert "unknown stratifier 'xx'" in capsys.readouterr().err
