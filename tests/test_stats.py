import math

import pytest

from atlas.statistics.intervals import Z998, ratio_interval_from_split, wilson_interval


def test_wilson_matches_hand_computed_example():
    # p = 0.15, n = 200, z = 1.96: centre = (0.15 + 1.9208/400) / (1 + 3.8415/200) = 0.15659...
    lo, hi = wilson_interval(30, 200)
    assert lo == pytest.approx(0.10714, abs=1e-5)
    assert hi == pytest.approx(0.20606, abs=1e-5)


def test_wilson_at_the_edges_stays_in_unit_interval():
    assert wilson_interval(0, 10)[0] == 0.0
    assert wilson_interval(0, 10)[1] == pytest.approx(0.27753, abs=1e-5)
    assert wilson_interval(10, 10)[1] <= 1.0


def test_wilson_wider_at_99_8():
    lo95, hi95 = wilson_interval(30, 200)
    lo, hi = wilson_interval(30, 200, Z998)
    assert lo < lo95 and hi > hi95


@pytest.mark.parametrize("s, n", [(1, 0), (-1, 10), (11, 10)])
def test_wilson_rejects_impossible_counts(s, n):
    with pytest.raises(ValueError):
        wilson_interval(s, n)


def test_ratio_interval_contains_ratio_and_is_symmetric_in_log():
    lo, hi = ratio_interval_from_split(500, 500)
    assert lo < 1 < hi
    assert math.log(hi) == pytest.approx(-math.log(lo), rel=1e-9)
