"""Benchmarking against İzmir at 95 % and 99.8 %, and agreement with the map's compare_izmir rule."""

import numpy as np
import pandas as pd
import pytest

from atlas.equity.benchmark import benchmark_areas, benchmark_level, compare, verdict_counts
from atlas.frames.map_frame import Comparator
from atlas.mapping.classify import classify
from tests.factories import sample_indicator


@pytest.mark.parametrize("lo, hi, polarity, expected", [
    (11, 12, "higher_is_better", "better"),
    (11, 12, "lower_is_better", "worse"),
    (11, 12, "no_judgement", "higher"),
    (8, 9, "higher_is_better", "worse"),
    (8, 9, "lower_is_better", "better"),
    (8, 9, "no_judgement", "lower"),
    (9, 11, "higher_is_better", "similar"),
    (10, 11, "higher_is_better", "similar"),  # touching the İzmir value is similar
    (9, 10, "no_judgement", "similar"),
])
def test_compare_rules(lo, hi, polarity, expected):
    assert compare(lo, hi, 10, polarity) == expected


def test_compare_rejects_bad_input():
    with pytest.raises(ValueError, match="above its upper"):
        compare(3, 2, 1, "no_judgement")
    with pytest.raises(ValueError, match="polarity"):
        compare(1, 2, 1, "up")


def _frame(values, lower, upper, numerator=None, denominator=None, status=None):
    n = len(values)
    return pd.DataFrame({"area_code": [f"a{i}" for i in range(n)], "value": values, "lower_ci": lower,
                         "upper_ci": upper, "numerator": numerator or [np.nan] * n,
                         "denominator": denominator or [np.nan] * n, "status": status or ["ok"] * n})


def test_verdicts_at_95_and_99_8():
    ind = sample_indicator(value_type="mean", scale=1.0, polarity="lower_is_better")
    # İzmir 10. a0 is well above (worse at both levels); a1 is just above at 95 % only
    # (SE 0.5: 95 % CI 10.52–12.48, 99.8 % CI 9.95–13.05); a2 has no CI; a3 suppressed.
    df = _frame([20, 11.5, 12, np.nan], [19, 11.5 - 0.98, np.nan, np.nan], [21, 11.5 + 0.98, np.nan, np.nan],
                status=["ok", "ok", "ok", "suppressed"])
    out = benchmark_areas(df, ind, 10.0)
    assert list(out["verdict_95"]) == ["worse", "worse", "not_compared", "no_value"]
    assert list(out["verdict_998"]) == ["worse", "similar", "not_compared", "no_value"]
    assert list(out["reason"]) == [None, None, "no_ci", "no_value"]
    assert out.loc[1, "ci998_method"] == "scaled_from_95"
    assert out.loc[1, "lower_998"] == pytest.approx(11.5 - 0.98 * 3.0902 / 1.96, abs=1e-3)
    assert verdict_counts(out) == {"worse": 2, "not_compared": 1, "no_value": 1}


def test_proportion_cis_come_from_the_counts_at_both_levels():
    ind = sample_indicator()  # proportion ×100, lower is better
    # 30/200 = 15 %: Wilson 95 % 10.7–20.6 excludes 21 → better; Wilson 99.8 % reaches ~22.6 → similar
    out = benchmark_areas(_frame([15.0], [np.nan], [np.nan], [30], [200]), ind, Comparator(21.0, None, None, None))
    row = out.iloc[0]
    assert row["ci_method"] == "wilson" and row["ci998_method"] == "wilson"
    assert (row["verdict_95"], row["verdict_998"]) == ("better", "similar")
    assert row["upper_998"] > 21 > row["upper_ci"]


def test_counts_and_missing_izmir_are_not_compared():
    df = _frame([5.0, 7.0], [4.0, 6.0], [6.0, 8.0])
    out = benchmark_areas(df, sample_indicator(value_type="count", scale=1.0), 5.0)
    assert set(out["verdict_95"]) == {"not_compared"} and set(out["reason"]) == {"count"}
    out = benchmark_areas(df, sample_indicator(value_type="mean", scale=1.0), None)
    assert set(out["reason"]) == {"no_izmir_value"}


@pytest.mark.parametrize("polarity", ["higher_is_better", "lower_is_better", "no_judgement"])
def test_agrees_with_the_maps_compare_izmir_at_95(polarity):
    rng = np.random.default_rng(11)
    for _ in range(20):
        n = 40
        values = rng.normal(50, 10, n)
        half = rng.uniform(0.5, 15, n)
        lower, upper = values - half * rng.uniform(0.5, 1.5, n), values + half
        lower[:3], upper[:3] = 50.0, 55.0  # CIs touching the benchmark exactly
        lower[3:6], upper[3:6] = 45.0, 50.0
        bench = 50.0
        ind = sample_indicator(value_type="mean", scale=1.0, polarity=polarity)
        ours = benchmark_areas(_frame(list(values), list(lower), list(upper)), ind, bench)
        cls = classify(list(values), "compare_izmir", 3, lower=list(lower), upper=list(upper), benchmark=bench,
                       polarity=polarity)
        theirs = [cls.categories[c] for c in cls.classes]
        assert list(ours["verdict_95"]) == theirs


def test_benchmark_level_reads_the_database(tiny_db):
    import duckdb

    con = duckdb.connect(str(tiny_db), read_only=True)
    out = benchmark_level(con, sample_indicator(), "2023", "district")
    # no İzmir value in the tiny database: values exist but nothing is compared
    assert list(out["area_code"]) == ["9001", "9002"]
    assert list(out["ci_method"]) == ["wilson", "wilson"]
    assert set(out["reason"]) == {"no_izmir_value"}
