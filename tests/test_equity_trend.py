"""Fingertips' recent-trend test on constructed series."""

import math

import numpy as np
import pytest

from atlas.equity.measures import compute
from atlas.equity.trend import CHI2_998, gap_trend, recent_trend

YEARS = [2019, 2020, 2021, 2022, 2023]


def _ci(values, half):
    return [v - half for v in values], [v + half for v in values]


def test_threshold_is_the_99_8_point_of_chi_square_one():
    assert CHI2_998 == pytest.approx(3.0902 ** 2, abs=1e-3)


def test_clear_increase_is_significant_and_read_through_polarity():
    values = [10, 11, 12, 13, 14]
    lo, hi = _ci(values, 0.98)  # SE = 1.96 / 3.92 = 0.5
    r = recent_trend(YEARS, values, lo, hi, polarity="lower_is_better")
    # equal weights 4; Σw(t − t̄)² = 4·10 = 40, slope 1, Var(b) = 1/40, χ² = 40
    assert r.verdict == "increasing" and r.direction == "worse"
    assert r.slope == pytest.approx(1.0) and r.chi2 == pytest.approx(40.0, rel=1e-3) and r.robust
    assert r.label.get("en") == "Increasing and getting worse" and r.label.get("tr")
    assert recent_trend(YEARS, values, lo, hi, polarity="higher_is_better").direction == "better"
    assert recent_trend(YEARS, values, lo, hi).label.get("en") == "Increasing"
    down = recent_trend(YEARS, values[::-1], lo[::-1], hi[::-1], polarity="lower_is_better")
    assert down.verdict == "decreasing" and down.direction == "better"


def test_slope_equals_numpy_weighted_fit():
    values = [3.0, 3.4, 3.1, 4.2, 4.6]
    half = [0.3, 0.6, 0.2, 0.5, 0.4]
    lo, hi = [v - h for v, h in zip(values, half)], [v + h for v, h in zip(values, half)]
    se = np.array(half) / 1.959963984540054
    # np.polyfit weights multiply the residuals: w = 1/SE gives inverse-variance weighting
    slope = np.polyfit(YEARS, values, 1, w=1 / se)[0]
    r = recent_trend(YEARS, values, lo, hi)
    assert r.slope == pytest.approx(slope, rel=1e-8)
    t = np.array(YEARS, dtype=float)
    w = 1 / se ** 2
    tbar = w @ t / w.sum()
    assert r.chi2 == pytest.approx(slope ** 2 * (w @ (t - tbar) ** 2), rel=1e-8)


def test_flat_noisy_series_is_no_significant_change():
    values = [10, 10.3, 9.8, 10.1, 9.9]
    lo, hi = _ci(values, 1.96)
    r = recent_trend(YEARS, values, lo, hi, polarity="higher_is_better")
    assert r.verdict == "no_significant_change" and r.direction is None
    assert "threshold" in r.reason.get("en")


def test_a_slope_that_flips_when_one_point_is_dropped_is_not_significant():
    # four precise points falling slowly, one rising far: χ² is huge but leaving out the last
    # point makes the slope negative
    values = [0.5, 0.4, 0.3, 0.2, 10]
    lo, hi = _ci(values, 0.1)
    r = recent_trend(YEARS, values, lo, hi)
    assert r.chi2 > 1000 and r.slope > 0
    assert r.robust is False and r.verdict == "no_significant_change"
    assert "changes sign" in r.reason.get("en")


def test_only_the_last_five_points_are_used():
    years = [2014, 2015, 2016] + YEARS
    values = [50, 40, 30] + [10, 11, 12, 13, 14]  # the old points fall, the last five rise
    lo, hi = _ci(values, 0.98)
    r = recent_trend(years, values, lo, hi)
    assert r.verdict == "increasing" and r.periods == tuple(float(y) for y in YEARS)


@pytest.mark.parametrize("values, lo, hi, why", [
    ([1, 2, 3, 4], [0, 1, 2, 3], [2, 3, 4, 5], "needs 5 periods"),
    ([1, 2, 3, 4, None], [0, 1, 2, 3, None], [2, 3, 4, 5, None], "needs 5 periods"),
    ([1, 2, 3, 4, 5], [0, 1, None, 3, 4], [2, 3, None, 5, 6], "no confidence interval"),
    ([1, 2, 3, 4, 5], [1, 1, 2, 3, 4], [1, 3, 4, 5, 6], "zero-width"),
])
def test_could_not_be_calculated(values, lo, hi, why):
    years = YEARS[:len(values)]
    r = recent_trend(years, values, lo, hi)
    assert r.verdict == "could_not_be_calculated" and why in r.reason.get("en") and r.reason.get("tr")


def test_bad_input():
    with pytest.raises(ValueError, match="same length"):
        recent_trend([1, 2], [1], [1], [1])
    with pytest.raises(ValueError, match="polarity"):
        recent_trend(YEARS, [1] * 5, [0] * 5, [2] * 5, polarity="up")
    assert recent_trend([1, 1, 2, 3, 4], [1] * 5, [0] * 5, [2] * 5).verdict == "could_not_be_calculated"


def test_gap_trend_of_a_narrowing_difference():
    # five periods; the quintile gap D shrinks from 5 to 1 with precise group values
    pops = [100] * 5
    ms = []
    for gap in (5, 4, 3, 2, 1):
        y = [10, 10 + gap / 4, 10 + gap / 2, 10 + 3 * gap / 4, 10 + gap]
        ms.append(compute("d", y, pops, [0.1] * 5, ordered=True, polarity="higher_is_better"))
    r = gap_trend(YEARS, ms)
    assert r.verdict == "decreasing" and r.direction == "better" and r.label.get("en") == "Inequality narrowing"
    assert r.subject == "gap"
    # the same gap widening; and a series crossing zero gets no judgement
    assert gap_trend(YEARS, ms[::-1]).label.get("en") == "Inequality widening"
    crossing = []
    for gap in (2, 1, 0.5, -1, -2):
        y = [10, 10 + gap]
        crossing.append(compute("d", y, None, [0.1, 0.1], ordered=True))
    r = gap_trend(YEARS, crossing)
    assert r.verdict == "decreasing" and r.direction is None
    with pytest.raises(ValueError, match="one measure"):
        gap_trend(YEARS[:2], [ms[0], compute("r", [1, 2], se=[0.1, 0.1])])
    assert math.isfinite(r.slope)


def test_gap_trend_with_a_period_not_applicable():
    ms = [compute("d", [10, 10 + g], se=[0.1, 0.1]) for g in (5, 4, 3, 2)]
    r = gap_trend(YEARS, ms + [None])
    assert r.verdict == "could_not_be_calculated" and "needs 5 periods" in r.reason.get("en")
