"""Funnel plot control limits (95 % and 99.8 %) around a target value, and outlier flags.

Each area's value is plotted against its population (proportions, rates) or its expected count
(standardised ratios); the control limits show how far a value may lie from the target (the
İzmir value) by chance alone, at 95 % (about 2 standard deviations) and 99.8 % (about 3).
Spiegelhalter (2005); the limits are those of PHEindicatormethods (``phe_funnels``,
``calculate_funnel_limits``) and Fingertips' funnel plot guidance.

Proportions, target θ and denominator n (normal approximation to the binomial, clipped to 0 … 1)::

    θ ± z · √(θ(1 − θ) / n)

Ratios (SMR/SIR; target 1), expected count E: the exact Poisson limits, made continuous in the
observed count (so the funnel is smooth): the lower limit is O_L / E where O_L solves
P(Poisson(E) ≤ O_L) = α/2, written with the regularised gamma function as Gamma⁻¹(1 − α/2; O_L + 1) = E,
and the upper limit O_U / E where Gamma⁻¹(α/2; O_U) = E. (At whole numbers of events these are the
exact Poisson test limits; PHEindicatormethods tabulates the same curve by events.)

Rates per ``multiplier`` with target rate t and population n: the ratio limits at E = n · t /
multiplier, times t.

Flags: ``high_998`` / ``low_998`` outside the 99.8 % limits, ``high_95`` / ``low_95`` outside the
95 % limits only, ``within`` inside both (``phe_funnel_significance``).

Reference: Spiegelhalter DJ (2005). Funnel plots for comparing institutional performance.
Statistics in Medicine 24:1185-1202.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from .intervals import Z95, Z998, _level_for_z

KINDS = ("proportion", "rate", "ratio")
FLAGS = ("low_998", "low_95", "within", "high_95", "high_998")


def proportion_limits(target: float, denominators: Sequence[float] | float, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper limits (as proportions 0 … 1) of a proportion with denominator n around θ."""
    if not 0 <= target <= 1:
        raise ValueError(f"a target proportion must lie between 0 and 1, got {target!r}")
    n = np.asarray(denominators, dtype=float)
    if np.any(~np.isfinite(n)) or np.any(n <= 0):
        raise ValueError("denominators must be finite numbers > 0")
    half = z * np.sqrt(target * (1 - target) / n)
    return np.clip(target - half, 0.0, 1.0), np.clip(target + half, 0.0, 1.0)


def _shape_for(quantile: float, expected: float) -> float:
    """The gamma shape a with Gamma⁻¹(quantile; a) = expected (increasing in a); found by bisection."""
    from scipy import optimize, stats

    def f(a: float) -> float:
        return float(stats.gamma.ppf(quantile, a)) - expected

    lo, hi = 1e-12, max(10.0, expected + 20 * np.sqrt(expected) + 20)
    while f(hi) < 0:
        hi *= 2
    if f(lo) > 0:
        return lo
    return float(optimize.brentq(f, lo, hi, xtol=1e-12, rtol=1e-13, maxiter=500))


def ratio_limits(expected: Sequence[float] | float, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper limits of an observed/expected ratio (target 1) for expected counts E."""
    e = np.atleast_1d(np.asarray(expected, dtype=float))
    if np.any(~np.isfinite(e)) or np.any(e <= 0):
        raise ValueError("expected counts must be finite numbers > 0")
    alpha = 1 - _level_for_z(z)
    lower = np.empty_like(e)
    upper = np.empty_like(e)
    from scipy import stats

    for i, ei in enumerate(e):
        # lower: O_L + 1 = shape with Gamma⁻¹(1 − α/2; shape) = E; none above 0 when E is small
        if float(stats.gamma.ppf(1 - alpha / 2, 1.0)) >= ei:
            lower[i] = 0.0
        else:
            lower[i] = (_shape_for(1 - alpha / 2, ei) - 1.0) / ei
        upper[i] = _shape_for(alpha / 2, ei) / ei
    return lower, upper


def rate_limits(target: float, populations: Sequence[float] | float, multiplier: float = 100_000,
                z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper limits of a rate per ``multiplier`` with population n around the target rate."""
    if not target > 0:
        raise ValueError(f"a target rate must be above 0, got {target!r}")
    n = np.asarray(populations, dtype=float)
    lo, hi = ratio_limits(n * target / multiplier, z)
    return lo * target, hi * target


def limits(kind: str, target: float, denominators: Sequence[float] | float, *, multiplier: float = 1.0,
           z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """The control limits of ``kind`` (``proportion``, ``rate``, ``ratio``) in the value's own units.

    Proportions: ``target`` and the limits are × ``multiplier`` (100 for percentages),
    ``denominators`` the populations. Rates: per ``multiplier``, denominators the populations.
    Ratios: ``target`` is the reference value (1, or 100 with ``multiplier`` 100), denominators
    the expected counts.
    """
    if kind == "proportion":
        lo, hi = proportion_limits(target / multiplier, denominators, z)
        return lo * multiplier, hi * multiplier
    if kind == "rate":
        return rate_limits(target, denominators, multiplier, z)
    if kind == "ratio":
        lo, hi = ratio_limits(denominators, z)
        return lo * target, hi * target
    raise ValueError(f"funnel kind {kind!r} is not known; use one of {', '.join(KINDS)}")


def funnel_curve(kind: str, target: float, denominators: Sequence[float], *, multiplier: float = 1.0,
                 points: int = 100) -> dict[str, np.ndarray]:
    """The limits to draw: ``points`` denominators spread evenly on a log scale over the areas' range
    (from 1), with ``lower_95``, ``upper_95``, ``lower_998``, ``upper_998`` and ``target``."""
    d = np.asarray(denominators, dtype=float)
    lo_d = max(1.0, float(np.min(d)) * 0.9) if kind != "ratio" else max(0.1, float(np.min(d)) * 0.9)
    hi_d = float(np.max(d)) * 1.1
    xs = np.geomspace(lo_d, max(hi_d, lo_d * 1.01), points)
    l95, u95 = limits(kind, target, xs, multiplier=multiplier, z=Z95)
    l998, u998 = limits(kind, target, xs, multiplier=multiplier, z=Z998)
    return {"denominator": xs, "lower_95": l95, "upper_95": u95, "lower_998": l998, "upper_998": u998,
            "target": np.full_like(xs, target)}


def funnel_flags(kind: str, target: float, values: Sequence[float], denominators: Sequence[float], *,
                 multiplier: float = 1.0) -> list[str]:
    """Each area's place on the funnel: one of :data:`FLAGS` (``phe_funnel_significance``)."""
    v = np.asarray(values, dtype=float)
    d = np.asarray(denominators, dtype=float)
    if v.shape != d.shape:
        raise ValueError(f"there are {v.size} values and {d.size} denominators; give one of each per area")
    if kind in ("rate", "ratio"):  # the same test without solving for each area's limits (fast for 30,000 areas)
        if kind == "rate" and not target > 0:
            raise ValueError(f"a target rate must be above 0, got {target!r}")
        expected = d * target / multiplier if kind == "rate" else d
        if np.any(~np.isfinite(expected)) or np.any(expected <= 0):
            raise ValueError("expected counts must be finite numbers > 0")
        observed = v / target * expected
        low998, high998 = _poisson_outside(observed, expected, Z998)
        low95, high95 = _poisson_outside(observed, expected, Z95)
        return [("low_998" if a else "low_95" if b else "high_998" if e else "high_95" if c else "within")
                for a, b, c, e in zip(low998, low95, high95, high998)]
    l95, u95 = limits(kind, target, d, multiplier=multiplier, z=Z95)
    l998, u998 = limits(kind, target, d, multiplier=multiplier, z=Z998)
    out = []
    for x, a, b, c, e in zip(v, l998, l95, u95, u998):
        if x < a:
            out.append("low_998")
        elif x < b:
            out.append("low_95")
        elif x > e:
            out.append("high_998")
        elif x > c:
            out.append("high_95")
        else:
            out.append("within")
    return out


def _poisson_outside(observed: np.ndarray, expected: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    """Whether each (continuous) observed count O lies below the lower or above the upper limit of
    :func:`ratio_limits` for its expected count E, without solving for the limits: the regularised
    gamma function Gamma⁻¹(q; a) grows with the shape a, so O/E is above the upper limit O_U/E exactly
    when P(Gamma(O) ≤ E) < α/2, and below the lower limit O_L/E exactly when P(Gamma(O + 1) ≤ E) > 1 − α/2."""
    from scipy import stats

    alpha = 1 - _level_for_z(z)
    o = np.asarray(observed, dtype=float)
    e = np.asarray(expected, dtype=float)
    positive = o > 0
    above = np.zeros(o.shape, dtype=bool)
    above[positive] = stats.gamma.cdf(e[positive], o[positive]) < alpha / 2
    below = stats.gamma.cdf(e, np.maximum(o, 0.0) + 1.0) > 1 - alpha / 2
    return below, above
