"""Indirectly standardised ratios (SMR, SIR) and the indirectly standardised rate.

As PHEindicatormethods ``calculate_ISRatio`` and ``calculate_ISRate`` (Breslow & Day 1987). With an
area's populations n_i by age band and the reference (İzmir's) counts X_i and populations N_i::

    E     = Σ n_i · X_i / N_i              expected events at the reference's age-specific rates
    ratio = O / E × refvalue               (refvalue 1, or 100 for an SMR shown as 100 = as expected)
    limits: the Poisson limits of O (exact below 10 events, Byar's from 10) divided by E, × refvalue

and the indirectly standardised rate::

    ISRate = O / E × (ΣX_i / ΣN_i) × multiplier,   its limits the ratio's limits × the same factor.

The observed count O may be given by age band (added up) or as a total (for areas whose events are
not broken down by age). E is taken as fixed (the reference is large).

Reference: Breslow NE, Day NE (1987). Statistical Methods in Cancer Research, Vol. II: The Design
and Analysis of Cohort Studies. IARC Scientific Publications No. 82, chapter 2.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from .intervals import Z95, Z998, poisson_interval
from .rates import Estimate


def expected_count(populations: Sequence[float], ref_counts: Sequence[float], ref_populations: Sequence[float]) -> float:
    """E = Σ n_i · X_i / N_i: the events expected in the area at the reference's age-specific rates."""
    n = np.asarray(populations, dtype=float)
    xr = np.asarray(ref_counts, dtype=float)
    nr = np.asarray(ref_populations, dtype=float)
    if not (n.shape == xr.shape == nr.shape):
        raise ValueError(f"populations ({n.size}), reference counts ({xr.size}) and reference populations "
                         f"({nr.size}) must have one value per age band")
    if np.any(~np.isfinite(n)) or np.any(n < 0):
        raise ValueError(f"populations must be finite numbers ≥ 0, got {n.tolist()[:10]}")
    if np.any(~np.isfinite(xr)) or np.any(xr < 0):
        raise ValueError(f"reference counts must be finite numbers ≥ 0, got {xr.tolist()[:10]}")
    if np.any(~np.isfinite(nr)) or np.any(nr <= 0):
        raise ValueError(f"reference populations must be finite numbers > 0, got {nr.tolist()[:10]}")
    return float(np.sum(n * xr / nr))


def _observed(observed: float | Sequence[float]) -> float:
    o = float(np.sum(np.asarray(observed, dtype=float)))
    if not np.isfinite(o) or o < 0 or np.any(np.asarray(observed, dtype=float) < 0):
        raise ValueError(f"observed events must be finite numbers ≥ 0, got {observed!r}")
    return o


def ratio_from_expected(observed: float, expected: float, refvalue: float = 1.0,
                        statistic: str = "isratio") -> Estimate:
    """O / E × refvalue with the Poisson limits of O divided by E (exact below 10, Byar's from 10)."""
    o = _observed(observed)
    if not (np.isfinite(expected) and expected > 0):
        raise ValueError(f"the expected count must be a number above 0, got {expected!r}")
    k = refvalue / expected
    lo95, hi95, method = poisson_interval(o, Z95)
    lo998, hi998, _ = poisson_interval(o, Z998)
    return Estimate(statistic, o * k, lo95 * k, hi95 * k, lo998 * k, hi998 * k, o, float(expected), refvalue, method)


def indirectly_standardised_ratio(observed: float | Sequence[float], populations: Sequence[float],
                                  ref_counts: Sequence[float], ref_populations: Sequence[float],
                                  refvalue: float = 1.0) -> Estimate:
    """SMR / SIR: observed over expected events at the reference's age-specific rates (``calculate_ISRatio``).

    ``observed`` is the area's events by age band or their total; ``refvalue`` 100 gives the
    ratio as "100 = as expected". ``denominator`` of the result is E.
    """
    e = expected_count(populations, ref_counts, ref_populations)
    return ratio_from_expected(_observed(observed), e, refvalue)


def indirectly_standardised_rate(observed: float | Sequence[float], populations: Sequence[float],
                                 ref_counts: Sequence[float], ref_populations: Sequence[float],
                                 multiplier: float = 100_000) -> Estimate:
    """The ratio O/E times the reference's crude rate ΣX/ΣN × multiplier (``calculate_ISRate``)."""
    ref_rate = float(np.sum(np.asarray(ref_counts, dtype=float)) / np.sum(np.asarray(ref_populations, dtype=float)))
    e = expected_count(populations, ref_counts, ref_populations)
    est = ratio_from_expected(_observed(observed), e, ref_rate * multiplier, statistic="israte")
    return Estimate("israte", est.value, est.lower_95, est.upper_95, est.lower_998, est.upper_998, est.count,
                    est.denominator, multiplier, est.method)
