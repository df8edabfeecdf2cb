"""Ordered stratifier (population-weighted quantiles) and district groups."""

import duckdb
import numpy as np
import pytest

from atlas.equity.stratify import (StratificationError, district_groups, nearest_period, population_quantiles,
                                   quantile_groups)
from atlas.equity.summary import summary_measures
from tests.factories import SOURCE_ID, sample_indicator


def test_quantiles_by_population_midpoints_by_hand():
    # sorted from the most disadvantaged (highest score): populations 100, 200, 100, 300, 300
    # cumulative 100, 300, 400, 700, 1000 → midpoints 0.05, 0.20, 0.35, 0.55, 0.85
    # two groups: midpoint ≤ 0.5 → group 1, else group 2
    scores = [5, 4, 3, 2, 1]
    pops = [100, 200, 100, 300, 300]
    assert population_quantiles(scores, pops, 2).tolist() == [1, 1, 1, 2, 2]
    # 'low' is disadvantaged: the order reverses (cumulative from score 1: 300, 600, 700, 900, 1000)
    assert population_quantiles(scores, pops, 2, disadvantaged="low").tolist() == [2, 2, 2, 1, 1]


def test_each_quintile_holds_a_fifth_of_the_population():
    rng = np.random.default_rng(3)
    scores = rng.normal(size=500)
    pops = rng.integers(500, 5000, size=500)
    groups = population_quantiles(scores, pops, 5)
    shares = np.bincount(groups, weights=pops)[1:] / pops.sum()
    assert np.allclose(shares, 0.2, atol=0.01)
    # group 1 has the highest scores (most disadvantaged when high is bad)
    assert scores[groups == 1].min() > scores[groups == 2].max()
    deciles = population_quantiles(scores, pops, 10)
    assert sorted(set(deciles.tolist())) == list(range(1, 11))


def test_tied_values_stay_together():
    groups = population_quantiles([3, 2, 2, 2, 1, 0], [1, 1, 1, 1, 1, 1], 2)
    assert len(set(groups[1:4].tolist())) == 1


@pytest.mark.parametrize("values, pops, k, message", [
    ([1, 2], [1, 1], 5, "2 areas cannot make 5 groups"),
    ([1], [1], 2, "1 area cannot make 2 groups"),
    ([1, 2, 3], [100, 1, 1], 3, r"leave group 3 empty \(3 areas;"),
    ([1, np.nan, 3], [1, 1, 1], 2, "stratifier value"),
    ([1, 2, 3], [1, 0, 1], 2, "population above 0"),
    ([1, 2, 3], [1, 1, 1], 1, "number of groups"),
])
def test_quantile_errors(values, pops, k, message):
    with pytest.raises(StratificationError, match=message) as exc:
        population_quantiles(values, pops, k)
    assert exc.value.text.get("en") == str(exc.value) and exc.value.text.get("tr")  # the same reason in Turkish too


# --- against a small database -------------------------------------------------------------------


def _add(con, ind, rows):
    con.execute(
        "INSERT INTO indicators VALUES ($id, $theme, $ttr, $ten, $utr, $uen, $vt, $pol, NULL, 'catalogue', $meta)",
        {"id": ind.id, "theme": ind.theme, "ttr": ind.title.tr, "ten": ind.title.en, "utr": ind.unit.tr,
         "uen": ind.unit.en, "vt": ind.value_type, "pol": ind.polarity, "meta": ind.to_json()})
    for level, code, period, value, num, den, lo, hi, status in rows:
        con.execute("INSERT INTO indicator_values VALUES ($i, $level, $code, $period, $sort, $v, $n, $d, $lo, $hi, "
                    "$status, NULL, NULL, NULL, $src, NULL, NULL)",
                    {"i": ind.id, "level": level, "code": code, "period": period, "sort": int(period[-4:]),
                     "v": value, "n": num, "d": den, "lo": lo, "hi": hi, "status": status, "src": SOURCE_ID})


@pytest.fixture
def strat_db(tiny_db):
    """The tiny database plus, at mahalle level: a population (two periods), a vulnerability score
    (lower is better) and a proportion with numerators and denominators."""
    con = duckdb.connect(str(tiny_db))
    codes = ["91001", "91002", "91003", "92001", "92002"]
    pops = [100, 200, 100, 300, 300]
    _add(con, sample_indicator(id="pop_total", value_type="count", scale=1.0, polarity="no_judgement",
                               periods=("2021", "2023")),
         [("mahalle", c, "2023", p, None, None, None, None, "ok") for c, p in zip(codes, pops)]
         + [("mahalle", c, "2021", 1, None, None, None, None, "ok") for c in codes]
         + [("district", "9001", "2023", 400, None, None, None, None, "ok")])
    _add(con, sample_indicator(id="vuln", value_type="score", scale=1.0, polarity="lower_is_better",
                               periods=("2024",)),
         [("mahalle", c, "2024", s, None, None, None, None, "ok") for c, s in zip(codes, [5, 4, 3, 2, 1])])
    share = [(10, 100), (30, 200), (20, 100), (30, 300), (15, 300)]
    _add(con, sample_indicator(id="share", polarity="lower_is_better"),
         [("mahalle", c, "2023", 100 * n / d, n, d, None, None, "ok") for c, (n, d) in zip(codes, share)])
    con.close()
    return duckdb.connect(str(tiny_db), read_only=True)


def test_nearest_period(strat_db):
    assert nearest_period(strat_db, "pop_total", "mahalle", 2024) == "2023"
    assert nearest_period(strat_db, "pop_total", "mahalle", 2020) == "2021"
    assert nearest_period(strat_db, "pop_total", "mahalle", 2022) == "2023"  # tie: the later one


def test_quantile_groups_by_hand(strat_db):
    g = quantile_groups(strat_db, "share", "2023", "vuln", n_groups=2)
    # groups as in test_quantiles_by_population_midpoints_by_hand: {91001, 91002, 91003}, {92001, 92002}
    assert g.ordered and g.level == "mahalle" and g.population_period == "2023" and g.stratifier_period == "2024"
    assert g.value_method == "counts"
    assert g.populations == (400.0, 600.0) and g.n_areas == (3, 2)
    # group 1: (10 + 30 + 20) / (100 + 200 + 100) = 15 %; group 2: 45 / 600 = 7.5 %
    assert g.values == pytest.approx((15.0, 7.5))
    # binomial SE × 100: √(0.15·0.85/400)·100, √(0.075·0.925/600)·100
    assert g.se == pytest.approx((np.sqrt(0.15 * 0.85 / 400) * 100, np.sqrt(0.075 * 0.925 / 600) * 100))
    assert dict(g.area_groups) == {"91001": "1", "91002": "1", "91003": "1", "92001": "2", "92002": "2"}
    assert g.labels[0].get("en").endswith("(most disadvantaged)") and g.polarity == "lower_is_better"
    d = {r.id: r for r in summary_measures(g)}["d"]
    assert d.value == pytest.approx(7.5 - 15.0) and d.ci_method == "analytic"


def test_weighted_mean_when_there_are_no_counts(strat_db):
    # the score itself across groups of the score: a population-weighted mean, no SE (no CIs)
    g = quantile_groups(strat_db, "vuln", "2024", "vuln", n_groups=2)
    assert g.value_method == "weighted_mean"
    # group 1: (5·100 + 4·200 + 3·100) / 400 = 4; group 2: (2·300 + 1·300) / 600 = 1.5
    assert g.values == pytest.approx((4.0, 1.5)) and g.se == (None, None)


def test_quantile_groups_errors(strat_db):
    with pytest.raises(StratificationError, match="period '1999'.*2023"):
        quantile_groups(strat_db, "share", "1999", "vuln")
    with pytest.raises(StratificationError, match="no polarity"):
        quantile_groups(strat_db, "share", "2023", "pop_total", n_groups=2)
    g = quantile_groups(strat_db, "share", "2023", "pop_total", n_groups=2, disadvantaged="low")
    assert g.stratifier_id == "pop_total"
    with pytest.raises(StratificationError, match="unknown indicator 'nope'"):
        quantile_groups(strat_db, "share", "2023", "nope")
    with pytest.raises(StratificationError, match="5 areas cannot make 6 groups"):
        quantile_groups(strat_db, "share", "2023", "vuln", n_groups=5 + 1)


def test_district_groups(strat_db):
    g = district_groups(strat_db, "test_share", "2023")
    # the tiny database's two districts: 30/200 and 10/100; only Karşıyaka (9001) has a population
    assert not g.ordered and g.codes == ("9001", "9002") and g.values == pytest.approx((15.0, 10.0))
    assert g.populations == (400.0, None) and g.value_method == "counts"
    assert any("Bornova" in n.get("en") for n in g.notes)
    results = {r.id: r for r in summary_measures(g)}
    assert results["d"].value == pytest.approx(5.0)
    assert results["bgv"].rule == "too_few_groups"
