"""Small areas (issue #19): funnel plot limits and flags, primary and secondary suppression (with an
attacker who tries to recover suppressed cells by subtraction), Empirical-Bayes smoothing.

Reference values: PHEindicatormethods' test tables for funnel plots (testdata_funnel_prop_outputs.csv,
testdata_funnel_ratio_outputs.csv, testdata_funnel_rate_outputs.csv; a few rows each, written out
below), esda's Empirical_Bayes / Spatial_Empirical_Bayes, and hand-worked examples.
"""

import warnings

import numpy as np
import pytest
from libpysal.weights import W

from atlas.catalogue import Disclosure
from atlas.statistics import funnel, smoothing
from atlas.statistics import suppression as sp
from atlas.statistics.intervals import Z95, Z998

# --- funnel plots ---------------------------------------------------------------------------------------

# testdata_funnel_prop_outputs.csv: baseline 80.642448 %; Population, Lower2s, Upper2s, Lower3s, Upper3s
PHE_PROPORTION_ROWS = [
    (3, 35.933491, 100, 10.150815, 100),
    (10, 56.154344, 100, 42.03259, 100),
    (50, 69.691035, 91.593861, 63.375595, 97.909301),
    (1008, 78.203374, 83.081521, 76.796814, 84.488082),
    (110000, 80.408963, 80.875933, 80.274317, 81.010578),
]


@pytest.mark.parametrize("n, lo95, hi95, lo998, hi998", PHE_PROPORTION_ROWS)
def test_proportion_limits_match_phe(n, lo95, hi95, lo998, hi998):
    l95, u95 = funnel.limits("proportion", 80.642448, [n], multiplier=100, z=Z95)
    l998, u998 = funnel.limits("proportion", 80.642448, [n], multiplier=100, z=Z998)
    assert (l95[0], u95[0], l998[0], u998[0]) == pytest.approx((lo95, hi95, lo998, hi998), abs=1e-6)


def test_proportion_limits_by_hand():
    # θ = 0.2, n = 400: 0.2 ± 1.96·√(0.2·0.8/400) = 0.2 ± 1.96·0.02 = (0.16080, 0.23920)
    lo, hi = funnel.proportion_limits(0.2, 400)
    assert (lo, hi) == pytest.approx((0.2 - Z95 * 0.02, 0.2 + Z95 * 0.02))


# testdata_funnel_ratio_outputs.csv: per observed count O, the expected count at which the lower (upper)
# limit passes through O, and the limit as a ratio × 100 (2s = 95 %, 3s = 99.8 %).
PHE_RATIO_ROWS = [
    # O, lower_2s_exp, lower_2s_isr, upper_2s_exp, upper_2s_isr, lower_3s_exp, lower_3s_isr, upper_3s_exp, upper_3s_isr
    (1, 5.571644585, 17.94802207, 0.025317898, 3949.774946, 9.233410143, 10.83023482, 0.001000547, 99945.32721),
    (10, 18.39035799, 54.3763205, 4.795387629, 208.5337156, 24.13397235, 41.43536693, 2.960519925, 337.778507),
    (100, 121.6268111, 82.21871402, 81.36400699, 122.9044681, 134.9243187, 74.11562345, 71.92139974, 139.0406755),
    (716, 770.4222128, 92.93605352, 664.5083011, 107.7488421, 802.60414, 89.20960712, 636.1521174, 112.5516964),
]


@pytest.mark.parametrize("row", PHE_RATIO_ROWS)
def test_ratio_limits_match_phe(row):
    o, le, li, ue, ui, le3, li3, ue3, ui3 = row
    assert funnel.limits("ratio", 100, [le], multiplier=100, z=Z95)[0][0] == pytest.approx(li, rel=1e-5)
    assert funnel.limits("ratio", 100, [ue], multiplier=100, z=Z95)[1][0] == pytest.approx(ui, rel=1e-5)
    assert funnel.limits("ratio", 100, [le3], multiplier=100, z=Z998)[0][0] == pytest.approx(li3, rel=1e-5)
    assert funnel.limits("ratio", 100, [ue3], multiplier=100, z=Z998)[1][0] == pytest.approx(ui3, rel=1e-5)


def test_ratio_limits_at_whole_events_are_the_exact_poisson_limits():
    # the lower limit passes through O = 1 where E is the exact upper 97.5 % limit of 1 event, 5.5716
    lo, _ = funnel.ratio_limits([5.571643], Z95)
    assert lo[0] * 5.571643 == pytest.approx(1.0, abs=1e-6)
    # below E = 3.689 (the exact upper limit of 0 events) no lower limit above 0 exists
    assert funnel.ratio_limits([3.0])[0][0] == 0.0


# testdata_funnel_rate_outputs.csv (rate per 100,000, baseline 116.1720835, three years of population:
# the population column is per year, so the denominator is 3 × it)
PHE_RATE_ROWS = [
    (1598.675694, 20.85059119, 7.264481402, 4588.535848),
    (5276.757672, 63.17010446, 1375.943768, 242.2579623),
    (411529.9259, 110.158048, 369759.5622, 122.6021934),
]


@pytest.mark.parametrize("lower_pop, lower, upper_pop, upper", PHE_RATE_ROWS)
def test_rate_limits_match_phe(lower_pop, lower, upper_pop, upper):
    t = 116.1720835
    assert funnel.rate_limits(t, [3 * lower_pop])[0][0] == pytest.approx(lower, rel=1e-5)
    assert funnel.rate_limits(t, [3 * upper_pop])[1][0] == pytest.approx(upper, rel=1e-5)


def test_funnel_flags_and_curve():
    # target 10 %; at n = 400 the 95 % limits are 10 ± 1.96·√(0.1·0.9/400)·100 = 10 ± 2.94,
    # the 99.8 % limits 10 ± 3.09·1.5 = 10 ± 4.64
    flags = funnel.funnel_flags("proportion", 10, [10, 13.5, 6.5, 15, 4.9, 12.9], [400] * 6, multiplier=100)
    assert flags == ["within", "high_95", "low_95", "high_998", "low_998", "within"]
    curve = funnel.funnel_curve("rate", 116.17, [1000, 50_000, 300_000], multiplier=100_000)
    assert len(curve["denominator"]) == 100
    assert np.all(curve["lower_998"] <= curve["lower_95"]) and np.all(curve["upper_95"] <= curve["upper_998"])
    assert np.all(np.diff(curve["upper_95"]) < 0)  # the funnel narrows as populations grow
    with pytest.raises(ValueError, match="funnel kind 'mean' is not known"):
        funnel.limits("mean", 1, [10])


# --- primary suppression --------------------------------------------------------------------------------

def test_primary_rule_reasons():
    rule = sp.SuppressionRule.from_disclosure(Disclosure(min_count=5, min_denominator=50))
    assert rule.reason(5, 100) is None
    assert rule.reason(4, 100).get("en") == "suppressed by the disclosure rule: fewer than 5 events"
    assert rule.reason(20, 40).get("en") == "suppressed by the disclosure rule: a denominator under 50"
    # a DSR needs 10 events (Fingertips) even where a count of 5 may be shown
    assert rule.reason(9, 1000) is None
    assert "at least 10 events" in rule.reason(9, 1000, statistic="dsr").get("en")
    assert rule.reason(4, 100).get("tr") != rule.reason(4, 100).get("en")


# --- secondary suppression: an attacker subtracts -------------------------------------------------------

def subtraction_attack(values, equations, hidden):
    """What someone with the published table can work out: repeatedly, any equation with exactly one
    unknown cell gives that cell by subtraction (total − Σ other parts, or Σ parts for a total)."""
    known = {k: v for k, v in values.items() if k not in hidden}
    progress = True
    while progress:
        progress = False
        for eq in equations:
            cells = [eq.total, *eq.parts]
            unknown = [c for c in cells if c not in known]
            if len(unknown) != 1:
                continue
            u = unknown[0]
            if u == eq.total:
                known[u] = sum(known[p] for p in eq.parts)
            else:
                known[u] = known[eq.total] - sum(known[p] for p in eq.parts if p != u)
            progress = True
    return {c for c in hidden if c in known}


def test_suppressed_mahalle_cannot_be_recovered_from_the_district_total():
    counts = {"m1": 3, "m2": 40, "m3": 25, "m4": 60}
    values = {**counts, "D": sum(counts.values())}
    equations = sp.hierarchy_equations({m: "D" for m in counts})
    # with primary suppression only, the district total gives m1 away: 128 − 40 − 25 − 60 = 3
    assert subtraction_attack(values, equations, {"m1"}) == {"m1"}
    out = sp.secondary_suppression(values, equations, ["m1"])
    assert out == {"m1": sp.PRIMARY, "m3": sp.SECONDARY}  # the smallest other mahalle
    assert subtraction_attack(values, equations, set(out)) == set()
    assert sp.recoverable(list(values), equations, out) == set()


def test_mahalle_by_sex_cannot_be_recovered_by_any_subtraction():
    # two districts of three mahalle each, female / male / total, İzmir on top; one small female count
    female = {"a1": 2, "a2": 30, "a3": 44, "b1": 17, "b2": 25, "b3": 31}
    male = {"a1": 6, "a2": 28, "a3": 40, "b1": 15, "b2": 29, "b3": 3}
    parent = {"a1": "A", "a2": "A", "a3": "A", "b1": "B", "b2": "B", "b3": "B", "A": "İzmir", "B": "İzmir"}
    values = {}
    for m in female:
        values[(m, "female")], values[(m, "male")] = female[m], male[m]
        values[(m, "total")] = female[m] + male[m]
    for area in ("A", "B", "İzmir"):
        kids = [m for m in female if parent[m] == area or parent.get(parent[m]) == area]
        for s, src in (("female", female), ("male", male)):
            values[(area, s)] = sum(src[m] for m in kids)
        values[(area, "total")] = values[(area, "female")] + values[(area, "male")]
    equations = sp.hierarchy_equations(parent, sexes=("female", "male"))
    rule = sp.SuppressionRule(min_count=5)
    primary = [k for k, v in values.items() if rule.reason(v) is not None]
    assert sorted(primary) == [("a1", "female"), ("b3", "male")]
    assert subtraction_attack(values, equations, set(primary)) == set(primary)  # unprotected: both fall
    out = sp.secondary_suppression(values, equations, primary)
    hidden = set(out)
    assert subtraction_attack(values, equations, hidden) == set()
    assert sp.recoverable(list(values), equations, hidden) == set()  # no combination of equations either
    assert all(out[k] == sp.PRIMARY for k in primary) and len(hidden) > len(primary)
    # each small cell is protected by a rectangle: its other sex, another mahalle's same sex and that
    # mahalle's other sex (3 more cells each), not by hiding the whole table
    assert len(hidden) == 8
    assert ("İzmir", "total") not in hidden  # the city total stays published


def test_secondary_suppression_errors():
    with pytest.raises(ValueError, match="has no value"):
        sp.secondary_suppression({"a": 1}, [], ["b"])
    with pytest.raises(KeyError, match="names the cell 'x'"):
        sp.recoverable(["a", "D"], [sp.Equation("D", ("a", "x"))], ["a"])


# --- Empirical-Bayes smoothing -------------------------------------------------------------------------

def test_eb_global_by_hand():
    # counts 2, 10, 30; populations 100, 1000, 1000: m = 42/2100 = 0.02, rates 0.02, 0.01, 0.03
    # s² = (100·0 + 1000·0.01² + 1000·0.01²)/2100 − 0.02/700 = 1/10500 − 1/35000 = 1/15000
    # w = s²/(s² + m/n): 1/4 for n = 100, 10/13 for n = 1000
    # EB = 0.02; 10/13·0.01 + 3/13·0.02 = 0.16/13; 10/13·0.03 + 3/13·0.02 = 0.36/13
    s = smoothing.eb_global([2, 10, 30], [100, 1000, 1000], multiplier=1000)
    assert s.prior_mean == pytest.approx(20.0) and s.prior_variance == pytest.approx(1 / 15000)
    assert s.rates == pytest.approx(np.array([0.02, 0.16 / 13, 0.36 / 13]) * 1000)
    assert s.observed == pytest.approx([20, 10, 30]) and s.method == "eb_global"


def test_eb_global_matches_esda_and_shrinks_small_areas_most():
    from esda.smoothing import Empirical_Bayes

    rng = np.random.default_rng(19)
    pops = rng.integers(200, 20_000, 60).astype(float)
    counts = rng.poisson(pops * rng.gamma(4, 0.005 / 4, 60))
    ours = smoothing.eb_global(counts, pops)
    assert ours.prior_variance > 0
    assert ours.rates == pytest.approx(Empirical_Bayes(counts, pops).r.ravel(), rel=1e-12)
    pull = np.abs(ours.rates - ours.observed) / np.maximum(np.abs(ours.observed - ours.prior_mean), 1e-15)
    small, large = np.argmin(pops), np.argmax(pops)
    assert pull[small] > pull[large]


def test_eb_global_with_no_extra_variation_gives_the_mean():
    # rates 0.010, 0.0105, 0.0095 vary less than chance would: s² < 0 → 0, every rate = m
    s = smoothing.eb_global([10, 21, 19], [1000, 2000, 2000])
    assert s.prior_variance == 0 and s.rates == pytest.approx([0.01] * 3)


def test_eb_spatial_by_hand_and_against_esda():
    from esda.smoothing import Spatial_Empirical_Bayes

    # a line a–b–c and an island d; counts 2, 10, 30, 1; populations 100, 1000, 1000, 50
    # a: neighbourhood {a, b}: m = 12/1100; s² = (100(0.02 − m)² + 1000(0.01 − m)²)/1100 − m/(1100/2) < 0 → 0 → m
    # b: {a, b, c}: as the global case above, 0.16/13
    # c: {b, c}: m = 0.02, s² = 0.2/2000 − 0.02/1000 = 8e-5, w = 8e-5/(8e-5 + 2e-5) = 0.8 → 0.02 + 0.8·0.01 = 0.028
    # d: no neighbour: its own rate, 1/50 = 0.02
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w = W({0: [1], 1: [0, 2], 2: [1], 3: []})
        w.transform = "r"  # the caller's transform does not matter: neighbours count once each
        s = smoothing.eb_spatial([2, 10, 30, 1], [100, 1000, 1000, 50], w)
        ref = Spatial_Empirical_Bayes(np.array([2., 10, 30, 1]), np.array([100., 1000, 1000, 50]),
                                      W({0: [1], 1: [0, 2], 2: [1], 3: []}, id_order=[0, 1, 2, 3])).r.ravel()
    assert s.rates == pytest.approx([12 / 1100, 0.16 / 13, 0.028, 0.02])
    assert s.rates == pytest.approx(ref, rel=1e-12)
    assert w.transform == "R"  # unchanged
    with pytest.raises(ValueError, match="the weights have 4 areas but there are 3 counts"):
        smoothing.eb_spatial([1, 2, 3], [10, 20, 30], w)


def test_smoothing_input_errors():
    with pytest.raises(ValueError, match="populations must be finite numbers > 0"):
        smoothing.eb_global([1, 2], [10, 0])
    with pytest.raises(ValueError, match="2 counts and 3 populations"):
        smoothing.eb_global([1, 2], [10, 20, 30])
