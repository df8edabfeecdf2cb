"""The 21 HEAT summary measures: hand-worked examples, independent implementations, edge cases,
HEAT's rules (logistic or linear SII/RII, the reference group of PAR/PAF) and CI coverage in a
seeded simulation."""

import math

import numpy as np
import pytest
from inequality.atkinson import atkinson
from inequality.theil import Theil, TheilD

from atlas.catalogue import Text
from atlas.equity import measures as m
from atlas.equity.groups import GroupTable
from atlas.equity.measures import MEASURE_IDS, MEASURES, MeasureNotApplicable, compute
from atlas.equity.summary import NotApplicable, summary_frame, summary_measures
from atlas.errors import AtlasError

# The worked example: four ordered groups (most disadvantaged first) of equal population with
# values 10, 20, 30, 40, which lie exactly on a line, so every number can be done by hand.
Y = [10, 20, 30, 40]
POP = [100, 100, 100, 100]  # shares p = 0.25 each
# Relative ranks X = 0.125, 0.375, 0.625, 0.875; the mean μ = 25.
HAND = {
    "d": 40 - 10,  # most advantaged − most disadvantaged
    "r": 40 / 10,
    # y = 5 + 40·X exactly: fitted(0) = 5, fitted(1) = 45
    "sii": 45 - 5,
    "rii": 45 / 5,
    # ACI = Σ p (2X − 1) y = 0.25·(−0.75·10 − 0.25·20 + 0.25·30 + 0.75·40) = 0.25·25
    "aci": 6.25,
    "rci": 6.25 / 25,
    # BGV = 0.25·(15² + 5² + 5² + 15²) = 0.25·500
    "bgv": 125.0,
    "bgsd": math.sqrt(125),
    "cov": math.sqrt(125) / 25 * 100,
    # |y − μ| = 15, 5, 5, 15
    "mdm_w": 0.25 * (15 + 5 + 5 + 15),
    "mdm_u": (15 + 5 + 5 + 15) / 4,
    # higher is better: best = 40, |y − best| = 30, 20, 10, 0
    "mdb": 0.25 * (30 + 20 + 10 + 0),
    "mdbu": (30 + 20 + 10 + 0) / 4,
    # ordered: the reference is the most advantaged group (40), so |y − ref| = 30, 20, 10, 0
    "mdrw": 0.25 * (30 + 20 + 10 + 0),
    "mdru": (30 + 20 + 10 + 0) / 4,
    "idis": 10 / 25 * 100,
    "idisw": 0.25 * (15 + 5 + 5 + 15) / 25 * 100,
    # y/μ = 0.4, 0.8, 1.2, 1.6
    "theil": 0.25 * sum(r * math.log(r) for r in (0.4, 0.8, 1.2, 1.6)),
    "mld": 0.25 * sum(-math.log(r) for r in (0.4, 0.8, 1.2, 1.6)),
    "par": 40 - 25,
    "paf": 15 / 25 * 100,
}


def test_the_hand_worked_numbers_are_what_they_say():
    # guard the constants above against typos: Theil and MLD to 5 decimals by hand
    assert HAND["theil"] == pytest.approx(0.10644, abs=1e-5)
    assert HAND["mld"] == pytest.approx(0.12178, abs=1e-5)
    assert set(HAND) == set(MEASURE_IDS) and len(MEASURE_IDS) == 21


@pytest.mark.parametrize("mid", MEASURE_IDS)
def test_every_measure_matches_the_hand_worked_example(mid):
    r = compute(mid, Y, POP, ordered=True, polarity="higher_is_better")
    assert r.value == pytest.approx(HAND[mid], rel=1e-12, abs=1e-12)
    assert r.id == mid and r.n_groups == 4
    assert r.ci_method == "none" and r.lower is None  # no standard errors given: no CI invented
    assert r.note is not None and "no standard error" in r.note.get("en")


@pytest.mark.parametrize("mid", MEASURE_IDS)
def test_every_public_function_is_the_measure(mid):
    r = m.FUNCTIONS[mid](Y, POP, ordered=True, polarity="higher_is_better")
    assert r.value == pytest.approx(HAND[mid])
    assert r.name == MEASURES[mid].name


def test_weighted_and_unweighted_mdm_differ_with_unequal_populations():
    # y = 10, 20, 30 with populations 1, 2, 1: p = 0.25, 0.5, 0.25, μ = 2.5 + 10 + 7.5 = 20
    y, pop = [10, 20, 30], [1, 2, 1]
    assert compute("mdm_w", y, pop).value == pytest.approx(0.25 * 10 + 0.5 * 0 + 0.25 * 10)  # 5
    assert compute("mdm_u", y, pop).value == pytest.approx((10 + 0 + 10) / 3)  # 6.667
    assert compute("idis", y, pop).value == pytest.approx((20 / 3) / 20 * 100)
    # SII with unequal shares: X = 0.125, 0.5, 0.875, still exactly linear: slope = 10/0.375
    assert compute("sii", y, pop, ordered=True).value == pytest.approx(10 / 0.375)


def test_lower_is_better_changes_best_group_and_sign_of_par():
    # lower is better: best = 10; MDB = 0.25·(0 + 10 + 20 + 30); PAR = 10 − 25
    assert compute("mdb", Y, POP, polarity="lower_is_better").value == pytest.approx(15)
    par = compute("par", Y, POP, polarity="lower_is_better")
    assert par.value == pytest.approx(-15) and par.reference == (0,)
    assert compute("paf", Y, POP, polarity="lower_is_better").value == pytest.approx(-60)
    assert compute("par", Y, POP, polarity="higher_is_better").reference == (3,)


def test_ordered_d_keeps_its_sign_and_reads_it_through_polarity():
    falling = [40, 30, 20, 10]  # highest in the most disadvantaged group
    d = compute("d", falling, ordered=True, polarity="lower_is_better")
    assert d.value == -30 and d.reference == (3, 0)
    assert "against the disadvantaged" in d.note.get("en")  # adverse outcome concentrated among the disadvantaged
    d = compute("d", falling, ordered=True, polarity="higher_is_better")
    assert "against the advantaged" in d.note.get("en")
    assert compute("r", falling, ordered=True).value == pytest.approx(0.25)


def test_unordered_d_and_r_compare_highest_with_lowest():
    d = compute("d", [20, 35, 5, 12])
    assert d.value == 30 and d.reference == (1, 2)
    assert compute("r", [20, 35, 5, 12]).value == pytest.approx(7)


def test_analytic_ci_of_d_and_r_by_hand():
    se = [1, 1, 1, 2]
    d = compute("d", Y, POP, se, ordered=True)
    half = 1.959963984540054 * math.sqrt(1 ** 2 + 2 ** 2)  # √(se_low² + se_high²)
    assert (d.lower, d.upper) == pytest.approx((30 - half, 30 + half))
    assert d.ci_method == "analytic"
    r = compute("r", Y, POP, se, ordered=True)
    s = math.sqrt((1 / 10) ** 2 + (2 / 40) ** 2)  # SE of ln R
    assert (r.lower, r.upper) == pytest.approx((4 * math.exp(-1.959963984540054 * s), 4 * math.exp(1.959963984540054 * s)))


def test_d_ci_needs_only_the_two_groups_it_compares():
    d = compute("d", Y, POP, [1, None, None, 2], ordered=True)
    assert d.ci_method == "analytic"
    sii = compute("sii", Y, POP, [1, None, None, 2], ordered=True)
    assert sii.ci_method == "none" and sii.lower is None


def test_analytic_ci_of_the_linear_sii_is_its_exact_normal_interval():
    # SII is linear in y: SII = Σ c_j y_j with c_j = p_j (X_j − X̄) / Σ p (X − X̄)², so its exact
    # normal 95 % CI is SII ± 1.96·√(Σ c_j² se_j²): Σ p (X − X̄)² = 0.25·2·(0.375² + 0.125²) = 0.078125,
    # c_1 = 0.25·(−0.375)/0.078125 = −1.2, so c = (−1.2, −0.4, 0.4, 1.2) and
    # SE² = 1.44·1 + 0.16·4 + 0.16·2.25 + 1.44·0.25 = 2.8
    p = np.array([0.25] * 4)
    x = np.array([0.125, 0.375, 0.625, 0.875])
    c = p * (x - 0.5) / (p @ (x - 0.5) ** 2)
    assert c == pytest.approx([-1.2, -0.4, 0.4, 1.2])
    se = np.array([1.0, 2.0, 1.5, 0.5])
    half = 1.959963984540054 * math.sqrt(2.8)
    r = compute("sii", Y, POP, se, ordered=True)
    assert r.ci_method == "analytic" and r.model == "linear" and r.se == pytest.approx(math.sqrt(2.8))
    assert (r.lower, r.upper) == pytest.approx((40 - half, 40 + half))


def test_simulated_ci_is_seeded_and_reflected_around_the_estimate():
    # MDRW with the reference at the top and every group below it is linear in y:
    # MDRW = Σ p_j (y_ref − y_j) = y_ref − μ, SE² = (1 − 0.25)²·0.5² + 0.25²·(1 + 4 + 2.25) = 0.593750
    se = np.array([1.0, 2.0, 1.5, 0.5])
    half = 1.959963984540054 * math.sqrt(0.59375)
    r = compute("mdrw", Y, POP, se, ordered=True)
    assert r.ci_method == "simulation"
    assert r.lower == pytest.approx(15 - half, rel=0.02) and r.upper == pytest.approx(15 + half, rel=0.02)
    again = compute("mdrw", Y, POP, se, ordered=True)
    assert (again.lower, again.upper) == (r.lower, r.upper)  # fixed seed
    other = compute("mdrw", Y, POP, se, ordered=True, seed=7)
    assert other.lower != r.lower


def test_level_changes_the_interval():
    r95 = compute("d", Y, POP, [1, 1, 1, 1], ordered=True)
    r998 = compute("d", Y, POP, [1, 1, 1, 1], ordered=True, level=0.998)
    assert r998.lower < r95.lower < r95.upper < r998.upper and r998.level == 0.998


# --- independent implementations -------------------------------------------------------------

VALUES = np.array([12.0, 7.5, 30.0, 18.0, 9.0])
POPS = np.array([3, 1, 2, 4, 5])  # small whole numbers so each group can be expanded into people


def _people(values, pops):
    """One entry per person: group j's value repeated N_j times, with its group label."""
    return np.repeat(values, pops), np.repeat(np.arange(len(values)), pops)


def test_theil_equals_pysal_between_group_theil_of_the_people():
    # HEAT's T = Σ p_j (y_j/μ) ln(y_j/μ) is the between-group part of Theil's T over people who
    # carry their group's value (PySAL inequality.theil.TheilD).
    people, part = _people(VALUES, POPS)
    expected = float(TheilD(people, part).bg[0])
    assert compute("theil", VALUES, POPS).value == pytest.approx(expected, rel=1e-10)
    # and, with equal populations, PySAL's plain Theil over the groups
    assert compute("theil", VALUES, [1] * 5).value == pytest.approx(float(Theil(VALUES).T), rel=1e-10)


def test_mld_equals_minus_log_one_minus_pysal_atkinson_at_epsilon_one():
    # Atkinson(ε = 1) = 1 − geometric mean / mean, so −ln(1 − A) = ln μ − mean(ln y) = MLD
    people, _ = _people(VALUES, POPS)
    expected = -math.log(1 - atkinson(people, 1))
    assert compute("mld", VALUES, POPS).value == pytest.approx(expected, rel=1e-10)


def test_sii_and_rii_equal_numpy_weighted_least_squares():
    p = POPS / POPS.sum()
    x = np.cumsum(p) - p / 2
    sw = np.sqrt(p)
    design = np.column_stack([np.ones_like(x), x]) * sw[:, None]
    (a, b), *_ = np.linalg.lstsq(design, VALUES * sw, rcond=None)
    assert compute("sii", VALUES, POPS, ordered=True).value == pytest.approx(b, rel=1e-10)
    assert compute("rii", VALUES, POPS, ordered=True).value == pytest.approx((a + b) / a, rel=1e-10)


def test_bgv_equals_numpy_weighted_population_variance():
    expected = float(np.cov(VALUES, aweights=POPS, bias=True))
    assert compute("bgv", VALUES, POPS).value == pytest.approx(expected, rel=1e-12)
    assert compute("bgsd", VALUES, POPS).value == pytest.approx(math.sqrt(expected), rel=1e-12)


def test_aci_equals_covariance_form_of_the_concentration_index():
    # ACI = 2·cov_p(y, X) for shares p (Kakwani, Wagstaff & van Doorslaer 1997), an independent form
    p = POPS / POPS.sum()
    x = np.cumsum(p) - p / 2
    mu = p @ VALUES
    cov = p @ ((VALUES - mu) * (x - p @ x))
    assert compute("aci", VALUES, POPS, ordered=True).value == pytest.approx(2 * cov, rel=1e-10)
    assert compute("rci", VALUES, POPS, ordered=True).value == pytest.approx(2 * cov / mu, rel=1e-10)


# --- edge cases and rules ---------------------------------------------------------------------


@pytest.mark.parametrize("mid", MEASURE_IDS)
def test_one_group_is_never_enough(mid):
    with pytest.raises(MeasureNotApplicable) as e:
        compute(mid, [5], [10], ordered=True, polarity="higher_is_better")
    assert e.value.rule == "too_few_groups" and e.value.measure_id == mid
    assert isinstance(e.value, AtlasError) and "1" in e.value.reason.get("en") and e.value.reason.get("tr")


@pytest.mark.parametrize("mid", MEASURE_IDS)
def test_no_groups(mid):
    with pytest.raises(MeasureNotApplicable) as e:
        compute(mid, [], [], ordered=True, polarity="higher_is_better")
    assert e.value.rule == "too_few_groups"


def test_two_groups_give_simple_measures_only():
    results = {r.id: r for r in summary_measures(GroupTable.of(["a", "b"], [10, 20], [1, 1], ordered=True,
                                                                polarity="higher_is_better"))}
    assert results["d"].value == 10 and results["r"].value == 2
    for mid in MEASURE_IDS[2:]:
        assert isinstance(results[mid], NotApplicable) and results[mid].rule == "too_few_groups"


@pytest.mark.parametrize("mid", [i for i in MEASURE_IDS if MEASURES[i].ordered])
def test_ordered_measures_need_an_ordered_stratifier(mid):
    with pytest.raises(MeasureNotApplicable) as e:
        compute(mid, Y, POP, ordered=False)
    assert e.value.rule == "needs_order" and "ordered stratifier" in str(e.value)


@pytest.mark.parametrize("mid", [i for i in MEASURE_IDS if MEASURES[i].weighted])
def test_weighted_measures_need_every_population(mid):
    with pytest.raises(MeasureNotApplicable) as e:
        compute(mid, Y, [100, None, 100, 100], ordered=True, polarity="higher_is_better")
    assert e.value.rule == "missing_population" and "group(s) 2" in e.value.reason.get("en")


def test_unweighted_measures_without_populations():
    # D and R need no population; MDM_u and IDIS need μ: from populations or given (e.g. İzmir)
    assert compute("d", Y).value == 30
    with pytest.raises(MeasureNotApplicable) as e:
        compute("mdm_u", Y)
    assert e.value.rule == "missing_population" and "setting average" in e.value.reason.get("en")
    # μ given as 20: |y − 20| = 10, 0, 10, 20 → mean 10; IDIS = 10 / 20 × 100
    assert compute("mdm_u", Y, mu=20).value == pytest.approx(10)
    assert compute("idis", Y, mu=20).value == pytest.approx(50)


@pytest.mark.parametrize("mid", [i for i in MEASURE_IDS if MEASURES[i].kind == "relative"])
def test_relative_measures_refuse_negative_values(mid):
    with pytest.raises(MeasureNotApplicable) as e:
        compute(mid, [-5, 10, 20, 30], POP, ordered=True, polarity="higher_is_better")
    assert e.value.rule == "non_positive_value" and "-5" in e.value.reason.get("en")


def test_a_reason_quotes_the_value_in_each_language():
    with pytest.raises(MeasureNotApplicable) as e:
        compute("theil", [-0.2947561, 10, 20, 30], POP)
    assert "a group has -0.2948." in e.value.reason.get("en")
    assert "bir grubun değeri -0,2948." in e.value.reason.get("tr")  # Turkish decimal comma


@pytest.mark.parametrize("mid", [i for i in MEASURE_IDS if MEASURES[i].kind == "absolute"])
def test_absolute_measures_take_negative_values(mid):
    # shifting every value by −50 leaves absolute measures unchanged, except PAR (μ shifts too: same)
    shifted = compute(mid, [v - 50 for v in Y], POP, ordered=True, polarity="higher_is_better")
    assert shifted.value == pytest.approx(HAND[mid])


def test_zero_values():
    y = [0, 10, 20, 30]
    # D fine; R compares 30 with 0: undefined; Theil takes 0·ln 0 = 0; MLD needs every value > 0
    assert compute("d", y, POP, ordered=True).value == 30
    with pytest.raises(MeasureNotApplicable) as e:
        compute("r", y, POP, ordered=True)
    assert e.value.rule == "non_positive_value"
    # μ = 15; T = 0.25·(0 + (10/15)ln(10/15) + (20/15)ln(20/15) + 2 ln 2)
    expected = 0.25 * ((2 / 3) * math.log(2 / 3) + (4 / 3) * math.log(4 / 3) + 2 * math.log(2))
    assert compute("theil", y, POP).value == pytest.approx(expected)
    with pytest.raises(MeasureNotApplicable):
        compute("mld", y, POP)
    with pytest.raises(MeasureNotApplicable) as e:
        compute("cov", [0, 0, 0, 0], POP)
    assert e.value.rule == "non_positive_mean"


@pytest.mark.parametrize("mid", MEASURE_IDS)
def test_all_groups_equal_means_no_gap(mid):
    r = compute(mid, [7, 7, 7, 7], POP, [0.5] * 4, ordered=True, polarity="higher_is_better")
    assert r.value == pytest.approx(MEASURES[mid].null_value, abs=1e-12)
    assert r.value == pytest.approx(r.null_value, abs=1e-12)


def test_rii_undefined_when_the_fitted_line_is_below_zero_at_an_end():
    # y = 1, 1, 1, 100: slope 118.8, intercept 25.75 − 59.4 < 0
    with pytest.raises(MeasureNotApplicable) as e:
        compute("rii", [1, 1, 1, 100], POP, ordered=True)
    assert e.value.rule == "non_positive_fit"


@pytest.mark.parametrize("mid", ["mdb", "mdbu", "par", "paf"])
def test_best_group_needs_a_polarity(mid):
    with pytest.raises(MeasureNotApplicable) as e:
        compute(mid, Y, POP, polarity="no_judgement")
    assert e.value.rule == "no_polarity"


def test_a_group_without_value_is_named():
    with pytest.raises(MeasureNotApplicable) as e:
        compute("bgv", [1, None, 3], [1, 1, 1])
    assert e.value.rule == "missing_value" and "group 2" in str(e.value)


@pytest.mark.parametrize("kwargs, message", [
    (dict(measure_id="xyz"), "unknown measure"),
    (dict(populations=[1, 2]), "populations has 2 entries"),
    (dict(populations=[1, -2, 3, 4]), "populations[1]"),
    (dict(se=[1, 1, -1, 1]), "se[2]"),
    (dict(polarity="up"), "polarity"),
    (dict(values=[1, "a", 3, 4]), "values[1]"),
    (dict(level=95), "confidence level"),
    (dict(n_draws=10), "n_draws"),
])
def test_malformed_input_is_a_value_error_naming_it(kwargs, message):
    args = dict(measure_id="bgv", values=Y, populations=POP)
    args.update(kwargs)
    mid, values, pops = args.pop("measure_id"), args.pop("values"), args.pop("populations")
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        compute(mid, values, pops, **args)


def test_draws_where_a_measure_is_undefined_are_counted():
    # values near zero with large SEs: the average μ of many draws is ≤ 0 and IDISW (÷ μ) is
    # undefined on them: μ = 1.625 with SE √(4·0.25²·4²) = 2, so P(μ ≤ 0) ≈ Φ(−0.81) ≈ 21 % > 10 %
    r = compute("idisw", [0.5, 1, 2, 3], POP, [0.1, 0.1, 0.1, 0.1])
    assert r.ci_method == "simulation"
    r = compute("idisw", [0.5, 1, 2, 3], POP, [4, 4, 4, 4])
    assert r.ci_method == "none" and "undefined" in r.note.get("en")


# --- summary of all measures ---------------------------------------------------------------------


def test_summary_keeps_every_measure_in_order_with_reasons():
    groups = GroupTable.of(["A", "B", "C", "D"], [-2.0, 4.0, 1.0, 6.0], [10, 20, 30, 40], [0.5] * 4,
                           polarity="no_judgement")
    results = summary_measures(groups)
    assert [r.id for r in results] == list(MEASURE_IDS)
    rules = {r.id: r.rule for r in results if isinstance(r, NotApplicable)}
    assert rules == {"r": "non_positive_value", "sii": "needs_order", "rii": "needs_order", "aci": "needs_order",
                     "rci": "needs_order", "cov": "non_positive_value", "mdb": "no_polarity",
                     "mdbu": "no_polarity", "mdrw": "no_reference", "mdru": "no_reference",
                     "idis": "non_positive_value", "idisw": "non_positive_value", "theil": "non_positive_value",
                     "mld": "non_positive_value", "par": "no_polarity", "paf": "no_polarity"}
    table = summary_frame(results, "tr")
    assert list(table["id"]) == list(MEASURE_IDS)
    assert table.loc[table["id"] == "sii", "ci_method"].item() == "not applicable"
    assert "sıralı" in table.loc[table["id"] == "sii", "note"].item()
    with pytest.raises(ValueError, match="unknown measure"):
        summary_measures(groups, measures=("d", "gini"))


def test_group_table_checks_lengths():
    with pytest.raises(ValueError, match="values has 2 entries"):
        GroupTable(labels=(Text("a", "a"),), values=(1.0, 2.0), populations=(None,), se=(None,), ordered=False,
                   polarity="no_judgement")


