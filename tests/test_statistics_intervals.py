"""Confidence intervals: Wilson, Byar, exact Poisson, and filling missing CIs in a frame."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from atlas.statistics import intervals as iv
from tests.factories import sample_indicator


def test_wilson_known_values():
    # 30 of 200, z = 1.96: centre (0.15 + 1.9208/400)/(1 + 3.8415/200) = 0.15659..., half 0.04946...
    assert iv.wilson_interval(30, 200) == pytest.approx((0.10714, 0.20606), abs=1e-5)
    # 0 of 10: lower 0, upper z²/(n + z²) = 3.8415/13.8415
    assert iv.wilson_interval(0, 10) == pytest.approx((0.0, 3.8415 / 13.8415), abs=1e-4)
    # 5 of 10 is symmetric around 0.5
    lo, hi = iv.wilson_interval(5, 10)
    assert lo + hi == pytest.approx(1.0)


def test_z_for_level():
    assert iv.z_for_level(0.95) == pytest.approx(iv.Z95, abs=1e-12)
    assert iv.z_for_level(0.998) == pytest.approx(iv.Z998, abs=1e-9)
    with pytest.raises(ValueError, match="between 0 and 1"):
        iv.z_for_level(95)


def test_exact_poisson_known_values():
    # Garwood: O = 0 → (0, 3.689); O = 5 → (1.6235, 11.6683) at 95 %
    assert iv.exact_poisson_interval(0) == pytest.approx((0.0, 3.6889), abs=1e-4)
    assert iv.exact_poisson_interval(5) == pytest.approx((1.6235, 11.6683), abs=1e-4)


def test_exact_poisson_equals_chi_square_form():
    # the same interval written with χ² quantiles: χ²(α/2; 2O)/2 and χ²(1−α/2; 2O+2)/2
    for o in (1, 3, 9, 25):
        lo, hi = iv.exact_poisson_interval(o)
        assert lo == pytest.approx(stats.chi2.ppf(0.025, 2 * o) / 2, rel=1e-10)
        assert hi == pytest.approx(stats.chi2.ppf(0.975, 2 * o + 2) / 2, rel=1e-10)


@pytest.mark.parametrize("o", [10, 20, 50, 100, 1000])
def test_byar_agrees_with_exact_poisson_from_ten_events(o):
    lo_b, hi_b = iv.byar_interval(o)
    lo_e, hi_e = iv.exact_poisson_interval(o)
    assert lo_b == pytest.approx(lo_e, rel=0.01)
    assert hi_b == pytest.approx(hi_e, rel=0.01)


def test_byar_by_hand_for_100_events():
    # lower = 100·(1 − 1/900 − 1.96/30)³, upper = 101·(1 − 1/909 + 1.96/(3√101))³
    lo, hi = iv.byar_interval(100)
    assert lo == pytest.approx(100 * (1 - 1 / 900 - iv.Z95 / 30) ** 3)
    assert hi == pytest.approx(101 * (1 - 1 / 909 + iv.Z95 / (3 * math.sqrt(101))) ** 3)
    assert (lo, hi) == pytest.approx((81.36, 121.63), abs=0.01)


def test_poisson_interval_switches_method_at_ten():
    assert iv.poisson_interval(9)[2] == "exact_poisson"
    assert iv.poisson_interval(10)[2] == "byar"
    assert iv.poisson_interval(0)[:2] == pytest.approx((0.0, 3.6889), abs=1e-4)
    with pytest.raises(ValueError, match="count"):
        iv.poisson_interval(-1)


def test_rate_interval_divides_by_the_denominator():
    lo, hi, method = iv.rate_interval(100, 50_000, scale=100_000)
    b_lo, b_hi = iv.byar_interval(100)
    assert (lo, hi) == pytest.approx((b_lo * 2, b_hi * 2))
    assert method == "byar"
    with pytest.raises(ValueError, match="denominator"):
        iv.rate_interval(5, 0)


def test_se_from_ci():
    assert iv.se_from_ci(8.04, 11.96) == pytest.approx(1.0, abs=1e-3)  # width 3.92 → SE 1
    assert iv.se_from_ci(None, 3) is None
    with pytest.raises(ValueError, match="above"):
        iv.se_from_ci(3, 1)


def _frame(**cols):
    n = len(next(iter(cols.values())))
    base = {"area_code": [str(i) for i in range(n)], "value": [np.nan] * n, "numerator": [np.nan] * n,
            "denominator": [np.nan] * n, "lower_ci": [np.nan] * n, "upper_ci": [np.nan] * n, "status": ["ok"] * n}
    base.update(cols)
    return pd.DataFrame(base)


def test_fill_missing_cis_by_value_type():
    prop = sample_indicator()  # proportion, scale 100
    df = _frame(value=[15.0, 20.0, 50.0, np.nan], numerator=[30, 20, np.nan, np.nan],
                denominator=[200, 100, np.nan, np.nan], lower_ci=[np.nan, 18.0, np.nan, np.nan],
                upper_ci=[np.nan, 22.0, np.nan, np.nan], status=["ok", "ok", "ok", "suppressed"])
    out = iv.fill_missing_cis(df, prop)
    assert list(out["ci_method"]) == ["wilson", "supplied", "none", "none"]
    assert (out.loc[0, "lower_ci"], out.loc[0, "upper_ci"]) == pytest.approx((10.714, 20.606), abs=1e-3)
    assert (out.loc[1, "lower_ci"], out.loc[1, "upper_ci"]) == (18.0, 22.0)  # never changed
    assert df["lower_ci"].isna().sum() == 3  # the input is not modified

    rate = sample_indicator(value_type="rate", scale=1000.0)
    out = iv.fill_missing_cis(_frame(value=[2.0, 0.5], numerator=[200, 5], denominator=[100_000, 10_000]), rate)
    assert list(out["ci_method"]) == ["byar", "exact_poisson"]
    lo, hi = iv.exact_poisson_interval(5)
    assert (out.loc[1, "lower_ci"], out.loc[1, "upper_ci"]) == pytest.approx((lo / 10, hi / 10))

    for vt in ("percent_change", "density", "mean", "score", "count"):
        out = iv.fill_missing_cis(_frame(value=[5.0], numerator=[105], denominator=[100]),
                                  sample_indicator(value_type=vt))
        assert list(out["ci_method"]) == ["none"] and out["lower_ci"].isna().all()


def test_fill_missing_cis_names_impossible_counts():
    with pytest.raises(ValueError, match="area 0.*numerator 30 and denominator 20"):
        iv.fill_missing_cis(_frame(value=[150.0], numerator=[30], denominator=[20]), sample_indicator())
    with pytest.raises(ValueError, match="needs the columns"):
        iv.fill_missing_cis(pd.DataFrame({"value": [1]}), sample_indicator())


def test_recompute_interval_at_99_8():
    # a computed Wilson CI is recomputed from the counts; a supplied non-proportion CI is stretched
    lo, hi, how = iv.recompute_interval("wilson", "proportion", 30, 200, 100, 15.0, 10.7, 20.6, iv.Z998)
    assert how == "wilson" and (lo, hi) == pytest.approx(tuple(b * 100 for b in iv.wilson_interval(30, 200, iv.Z998)))
    lo, hi, how = iv.recompute_interval("supplied", "mean", None, None, 1, 10.0, 8.0, 13.0, iv.Z998)
    k = iv.Z998 / iv.Z95
    assert how == "scaled_from_95" and (lo, hi) == pytest.approx((10 - 2 * k, 10 + 3 * k))


def test_a_smoothed_rate_gets_no_interval_from_its_observed_counts():
    import pandas as pd
    from dataclasses import replace as _replace
    from atlas.catalogue import Disclosure, Indicator, Text
    from atlas.statistics.intervals import fill_missing_cis
    t = Text("x", "x")
    crude = Indicator(id="d__crude", theme="health", title=t, definition=t, unit=t, scale=100000.0,
                      value_type="rate", decimals=1, polarity="lower_is_better", source=t,
                      source_url="https://example.org", licence=t, method=t, periods=("2023",),
                      levels=("mahalle",), disclosure=Disclosure(), family="d", measure="crude_rate")
    frame = pd.DataFrame({"area_code": ["1"], "value": [480.0], "numerator": [12.0], "denominator": [2000.0],
                          "lower_ci": [None], "upper_ci": [None], "status": ["ok"]})
    # the observed 12 / 2,000 = 600 per 100,000 has Byar's interval; the smoothed 480 must not borrow it
    assert fill_missing_cis(frame, crude)["ci_method"].tolist() == ["byar"]
    smoothed = fill_missing_cis(frame, _replace(crude, id="d__eb_spatial", measure="eb_spatial"))
    assert smoothed["ci_method"].tolist() == ["none"]
    assert smoothed["lower_ci"].isna().all() and smoothed["upper_ci"].isna().all()
