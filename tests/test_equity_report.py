"""The equity report, the `equity` command and the map's hot-spot mode, on the real build; the wording of
the summary, reasons and notes on the tiny fictional database (tests/factories.py)."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import duckdb
import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from atlas import db, queries
from atlas.views import map_view as mapview
from atlas.catalogue import indicator_from_json
from atlas.cli import main
from atlas.equity.maps import gain_layer, lisa_layer
from atlas.equity.measures import Measure
from atlas.equity.report import DEFAULT_STRATIFIER, EquityError, _with_summary, difference_unit, equity_report
from atlas.equity.summary import NotApplicable
from tests.factories import SOURCE_ID, sample_indicator


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
    assert len(lst.measures) == 21
    # the summary quotes the numbers, in both languages
    q1 = f"{g.values[0]:.1f}"
    assert f"{q1} °C" in lst.summary.get("en") and q1.replace(".", ",") + " °C" in lst.summary.get("tr")
    assert ("Social vulnerability score" in lst.summary.get("en")
            and "Sosyal kırılganlık skoru" in lst.summary.get("tr"))
    assert "no confidence interval" in lst.summary.get("en")  # grid means carry no CI: said, not invented


def test_hot_spots_and_potential_gain(lst):
    counts = lst.lisa.counts()
    assert counts["HH"] > 0 and counts["LL"] > 0
    assert f"{counts['HH']} mahalle" in lst.summary.get("en")
    assert lst.gain_target is not None and (lst.gain["gain"] >= 0).all()
    assert lst.gain["gain"].max() > 0
    worst = lst.gain.iloc[0]  # lower is better: the hottest mahalle has the largest gain
    assert worst["value"] == lst.ranking["value"].max()


def test_district_groups_are_unordered_and_say_why_measures_do_not_apply(con, inds):
    r = equity_report(con, inds["pop_change"], "2021-2025", "district")
    assert not r.groups.ordered and r.groups.n_groups == 30
    na = {m.id: m for m in r.measures if isinstance(m, NotApplicable)}
    assert na["sii"].rule == "needs_order" and "order" in na["sii"].reason.get("en")
    assert "r" in na and na["r"].rule == "non_positive_value"  # some districts shrank
    assert r.lisa is None and "mahalle level" in r.lisa_problem.get("en")
    assert "Balçova" in r.summary.get("en") and "Seferihisar" in r.summary.get("en")


def test_ci_and_benchmark_reach_the_summary(con, inds):
    r = equity_report(con, inds["adults_65plus_share"], "2018", "district")
    d = r.measure("d")
    assert isinstance(d, Measure) and d.has_ci and d.lower > 0
    assert "the gap is beyond chance" in r.summary.get("en") and "fark şansla açıklanamaz" in r.summary.get("tr")
    assert "20 districts are higher than İzmir" in r.summary.get("en")


def test_gaps_of_a_percentage_are_in_percentage_points(con, inds):
    r = equity_report(con, inds["adults_65plus_share"], "2018", "district")
    # levels stay percentages
    assert "%9,6 (Menemen)" in r.summary.get("tr") and "9.6% (Menemen)" in r.summary.get("en")
    assert "fark 19,1 yüzde puan" in r.summary.get("tr") and "a gap of 19.1 percentage points" in r.summary.get("en")
    assert difference_unit(inds["adults_65plus_share"]).get("en") == "percentage points"
    assert difference_unit(inds["lst_summer_mean"]) == inds["lst_summer_mean"].unit


def test_the_summary_says_why_areas_are_not_compared(con, inds):
    lst = equity_report(con, inds["lst_summer_mean"], "2014-2024", "district")
    assert "no confidence interval, so the districts are not compared with İzmir" in lst.summary.get("en")
    assert "ilçeler İzmir ile karşılaştırılmadı" in lst.summary.get("tr")
    pop = equity_report(con, inds["pop_total"], "2025", "district")
    assert "Counts are not compared with the İzmir total." in pop.summary.get("en")


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
    note = next(n for n in mv.notes if "Local Moran" in n.en)
    assert re.search(r"Moran I = 0,\d\d \(p = 0,\d{3}\)", note.tr)  # Turkish decimals in the Turkish note
    assert re.search(r"Moran's I = 0\.\d\d", note.en) and "1 areas" not in note.en
    district = mapview.build_map_view(con, inds["lst_summer_mean"], "2014-2024", "district", "hot_spots", 5, "en")
    assert district.scheme == "quantiles" and any("mahalle level only" in n.en for n in district.notes)


def test_equity_command_prints_json(real_db, capsys):
    code = main(["equity", "--indicator", "lst_summer_mean", "--period", "2014-2024", "--level", "mahalle",
                 "--stratifier", "svi_mean", "--groups", "5", "--json", "--db", str(real_db)])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert {m["id"] for m in data["measures"]} >= {"d", "sii", "theil"}
    assert len(data["measures"]) + len(data["unsupported"]) == 21
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


# --- wording, on the tiny fictional database (tests/factories.py; nothing here is real) -------------------------

def _add(con, ind, rows):
    """Store ``ind`` and its 2023 rows: (level, area_code, value, numerator, denominator, lower, upper, status)."""
    con.execute("INSERT INTO indicators VALUES ($id, $theme, $ttr, $ten, $utr, $uen, $vt, $pol, NULL, 'catalogue', "
                "$meta)", {"id": ind.id, "theme": ind.theme, "ttr": ind.title.tr, "ten": ind.title.en,
                           "utr": ind.unit.tr, "uen": ind.unit.en, "vt": ind.value_type, "pol": ind.polarity,
                           "meta": ind.to_json()})
    _values(con, ind.id, rows)


def _values(con, indicator_id, rows):
    for level, code, value, num, den, lo, hi, status in rows:
        con.execute("INSERT INTO indicator_values VALUES ($i, $level, $code, '2023', 2023, $v, $n, $d, $lo, $hi, "
                    "$status, NULL, NULL, NULL, $src, NULL, NULL)", {"i": indicator_id, "level": level, "code": code, "v": value,
                                                   "n": num, "d": den, "lo": lo, "hi": hi, "status": status,
                                                   "src": SOURCE_ID})


TINY_MAHALLE = ("91001", "91002", "91003", "92001", "92002")


@pytest.fixture
def tiny(tiny_db):
    """The tiny database (which has no ``svi_mean``) plus, for 2023: ``pop_total`` (100 per mahalle, both
    districts), a score ``vuln`` (lower is better) at mahalle level, a proportion ``share`` (no value in
    mahalle 91002 nor in district 9002), ``lone`` with a value in one mahalle only, an İzmir value of 8 % for
    the factory's ``test_share`` (districts 15 % and 10 %) and ``test_share_nj``, the same values without
    polarity."""
    con = duckdb.connect(str(tiny_db))
    _add(con, sample_indicator(id="pop_total", value_type="count", scale=1.0, polarity="no_judgement"),
         [("mahalle", c, 100, None, None, None, None, "ok") for c in TINY_MAHALLE]
         + [("district", c, 500, None, None, None, None, "ok") for c in ("9001", "9002")])
    _add(con, sample_indicator(id="vuln", value_type="score", scale=1.0),
         [("mahalle", c, v, None, None, None, None, "ok") for c, v in zip(TINY_MAHALLE, (5, 4, 3, 2, 1))])
    share = {"91001": (10, 100), "91003": (20, 100), "92001": (10, 100), "92002": (5, 100)}
    _add(con, sample_indicator(id="share"),
         [("mahalle", c, 100 * share[c][0] / share[c][1], *share[c], None, None, "ok") if c in share else
          ("mahalle", c, None, None, None, None, None, "missing") for c in TINY_MAHALLE]
         + [("district", "9001", 12.5, 25, 200, None, None, "ok"),
            ("district", "9002", None, None, None, None, None, "suppressed")])
    _add(con, sample_indicator(id="lone"), [("mahalle", "91001", 10.0, 10, 100, None, None, "ok")])
    _values(con, "test_share", [("province", "35", 8.0, None, None, 7.0, 9.0, "ok")])
    _add(con, sample_indicator(id="test_share_nj", polarity="no_judgement"),
         [("district", c, 100 * n / d, n, d, None, None, "ok") for c, n, d in (("9001", 30, 200), ("9002", 10, 100))]
         + [("province", "35", 8.0, None, None, 7.0, 9.0, "ok")])
    con.close()
    c = duckdb.connect(str(tiny_db), read_only=True)
    yield c
    c.close()


def _ind(con, indicator_id):
    return indicator_from_json(queries.run(con, "get_indicator_meta", {"indicator_id": indicator_id})
                               .loc[0, "metadata_json"])


_ENGLISH_WORDS = re.compile(r"\b(the|an?|is|are|has|have|not|no|could|cannot|unknown|values?|level|needs?|only|"
                            r"database|indicator|of|and|with)\b", re.I)
_TURKISH_WORDS = re.compile(r"\b(ve|bir|yok|için|gösterge\w*|değer\w*|oluşturulamadı|hesaplanamadı|bölge\w*|"
                            r"düzey\w*|gerekir)\b", re.I)


def test_without_the_default_stratifier_each_summary_speaks_one_language(tiny):
    r = equity_report(tiny, _ind(tiny, "lone"), "2023", "mahalle")
    assert r.groups is None and r.lisa is None
    assert DEFAULT_STRATIFIER in r.summary.get("tr") and DEFAULT_STRATIFIER in r.summary.get("en")
    assert "varsayılan gruplama göstergesi" in r.summary.get("tr") and "bu veritabanında yok" in r.summary.get("tr")
    assert "the default grouping indicator" in r.summary.get("en") and "is not in this database" in r.summary.get("en")
    assert not _ENGLISH_WORDS.findall(r.summary.get("tr")), r.summary.get("tr")
    assert not _TURKISH_WORDS.findall(r.summary.get("en")), r.summary.get("en")
    # the reason hot spots could not be found, in each language (and its count agrees in English)
    assert r.lisa_problem.get("tr") == ("Sıcak/soğuk noktalar hesaplanamadı: yerel Moran için değeri olan en az 3 "
                                        "bölge gerekir; 1 bölgenin değeri var.")
    assert r.lisa_problem.get("en") == ("Hot and cold spots could not be computed: local Moran needs at least 3 areas "
                                        "with a value; 1 has one.")


def test_a_stratifier_that_cannot_be_used_is_explained_in_each_language(tiny):
    r = equity_report(tiny, _ind(tiny, "share"), "2023", "mahalle", stratifier="nope")
    assert r.groups is None
    assert ("'nope' göstergesi veritabanında yok" in r.summary.get("tr")
            and "unknown indicator 'nope'" in r.summary.get("en"))
    assert not _ENGLISH_WORDS.findall(r.summary.get("tr")), r.summary.get("tr")
    assert not _TURKISH_WORDS.findall(r.summary.get("en")), r.summary.get("en")


@pytest.mark.parametrize("indicator, en, tr", [
    ("test_share", "At 95% confidence, 1 district is worse than İzmir and 0 are better.",
     "%95 güvenle 1 ilçe İzmir'den kötü, 0 ilçe iyi durumda."),
    ("test_share_nj", "At 95% confidence, 1 district is higher than İzmir and 0 are lower.",
     "%95 güvenle 1 ilçe İzmir değerinden yüksek, 0 ilçe düşük."),
])
def test_english_counts_agree_in_the_benchmark_sentence(tiny, indicator, en, tr):
    # districts 15 % (95 % CI about 10.7–20.6) and 10 % (5.5–17.4) against a fictional İzmir value of 8 %
    r = equity_report(tiny, _ind(tiny, indicator), "2023", "district")
    assert en in r.summary.get("en") and tr in r.summary.get("tr")
    assert "across 2 districts" in r.summary.get("en")


def test_english_counts_agree_in_the_hot_spot_sentence(tiny):
    r = equity_report(tiny, _ind(tiny, "share"), "2023", "mahalle", stratifier="vuln")
    assert r.lisa is not None
    n = len(r.lisa.frame)
    for hh, verb in ((1, "is"), (2, "are"), (0, "are")):
        clusters = ["HH"] * hh + ["LL"] + ["ns"] * (n - hh - 1)  # made-up clusters, for the wording only
        s = _with_summary(replace(r, lisa=replace(r.lisa, frame=r.lisa.frame.assign(cluster=clusters)))).summary
        assert f"{hh} mahalle {verb} part of a cluster of high values (hot spot) and 1 of a cluster" in s.get("en")
        assert f"{hh} mahalle yüksek değerli bir kümenin (sıcak nokta), 1 mahalle düşük" in s.get("tr")


def test_english_counts_agree_in_group_and_hot_spot_notes(tiny):
    r = equity_report(tiny, _ind(tiny, "share"), "2023", "mahalle", stratifier="vuln")
    notes = [n.get("en") for n in r.groups.notes]
    assert any("4 mahalle used" in n and "; 1 area left out (no value or no population)." in n for n in notes)
    assert any("4 mahalle kullanıldı" in n.get("tr") and "1 bölge dışarıda" in n.get("tr")
               for n in r.groups.notes)
    assert r.lisa is not None and r.lisa.notes
    d = equity_report(tiny, _ind(tiny, "share"), "2023", "district")
    notes = [n.get("en") for n in d.groups.notes]
    assert notes[0].startswith("One group per district (1 district);") and "1 district has no value." in notes
    assert d.groups.notes[0].get("tr").startswith("Her ilçe bir grup (1 ilçe);")
    assert "needs at least 2 groups; there is 1." in d.measures[0].reason.get("en")


def test_english_counts_agree_in_hot_spot_notes():
    # a 4 × 4 block of unit squares and one square far away (made-up values): one island, which is then the
    # only area with a single neighbour
    from atlas.equity.lisa import local_moran

    cells = [(r, c, float(4 * r + c + 1)) for r in range(4) for c in range(4)] + [(9, 9, 4.5)]
    gdf = gpd.GeoDataFrame(pd.DataFrame({"area_code": [f"{r}-{c}" for r, c, _ in cells],
                                         "value": [v for _, _, v in cells],
                                         "geometry": [box(c, r, c + 1, r + 1) for r, c, _ in cells]}),
                           geometry="geometry")
    linked = [n.get("en") for n in local_moran(gdf, permutations=99).notes]
    assert "1 area without a neighbour was linked to its nearest area." in linked
    assert "1 area has a single neighbour: its local value rests on one area." in linked
    left_out = [n.get("en") for n in local_moran(gdf, permutations=99, islands="exclude").notes]
    assert "1 area without a neighbour was left out." in left_out


def test_a_negative_gap_is_written_as_a_positive_gap_with_its_interval_mirrored():
    # D = -2.5 (95 % CI -2.9 to -2.1): the sentence says "a gap of 2.5", so its CI reads 2.1 to 2.9
    from atlas.equity.report import _ci_phrase
    from atlas.i18n import lazy

    ind = sample_indicator()
    d = Measure(id="d", name=lazy.gettext("Difference (D)"), value=-2.5, lower=-2.9, upper=-2.1,
                ci_method="analytic", kind="absolute", ordered=False, complex=False, weighted=False,
                unit="indicator", n_groups=5)
    mirrored = _ci_phrase(d, ind, "en", absolute=True)
    assert re.search(r"95% CI 2\.1\d* to 2\.9", mirrored) and "beyond chance" in mirrored, mirrored
    assert re.search(r"95% CI -2\.9\d* to -2\.1", _ci_phrase(d, ind, "en").replace("−", "-"))
