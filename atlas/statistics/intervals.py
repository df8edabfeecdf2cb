"""Confidence intervals for area values (Fingertips practice, ../shared/REFERENCE.md §2).

Proportions — Wilson score interval (Wilson 1927), p = successes / n::

    centre = (p + z²/2n) / (1 + z²/n)
    half   = z / (1 + z²/n) · √(p(1−p)/n + z²/4n²)

Counts, and rates or ratios whose numerator is a count of events — Byar's approximation to the
Poisson interval for the count O (Breslow & Day 1987, as used by Fingertips / PHEindicatormethods)::

    lower = O · (1 − 1/(9O) − z/(3√O))³
    upper = (O+1) · (1 − 1/(9(O+1)) + z/(3√(O+1)))³

and, when O < 10, the exact Poisson interval (Garwood 1936), written with gamma quantiles
(equivalently χ²/2 quantiles with 2O and 2O+2 degrees of freedom)::

    lower = Gamma⁻¹(α/2; shape O)        (0 when O = 0)
    upper = Gamma⁻¹(1 − α/2; shape O+1)

A rate's interval is the count's interval divided by the denominator, times the indicator's
scale. The denominator is taken as fixed (a population at risk, not a random count).

:func:`fill_missing_cis` applies these to a frame of area values: only where a row is 'ok',
has a numerator and a denominator and no supplied CI, and only for value types with a method
(:data:`CI_METHODS`); everything else is left as it was and the ``ci_method`` column says why.
"""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import Any

import numpy as np
import pandas as pd

Z95 = 1.959963984540054  # two-sided 95 %
Z998 = 3.090232306167813  # two-sided 99.8 %
EXACT_BELOW = 10  # Fingertips: exact Poisson interval for fewer than 10 events, Byar's otherwise

#: How a 95 % CI is computed from a numerator and a denominator, by value type
#: (atlas.catalogue.VALUE_TYPES). Value types not listed get no computed CI: a count, a
#: density (people per km², no sampling error in a full register), a mean or a score over a
#: grid, a percent change of two register counts.
CI_METHODS: dict[str, str] = {"proportion": "wilson", "rate": "poisson", "ratio": "poisson"}

#: Values of the ``ci_method`` column written by :func:`fill_missing_cis`.
#: Measures whose value is not numerator / denominator (Empirical-Bayes smoothed rates): no CI from the counts.
SMOOTHED_MEASURES = ("eb_global", "eb_spatial")
CI_METHOD_VALUES = ("supplied", "wilson", "byar", "exact_poisson", "none")


def z_for_level(level: float) -> float:
    """Two-sided standard normal quantile for a confidence level in (0, 1): 0.95 → 1.95996."""
    if not 0 < level < 1:
        raise ValueError(f"confidence level must be between 0 and 1 (e.g. 0.95), got {level!r}")
    return NormalDist().inv_cdf(0.5 + level / 2)


def _level_for_z(z: float) -> float:
    if not z > 0:
        raise ValueError(f"z must be positive, got {z!r}")
    return 2 * NormalDist().cdf(z) - 1


def wilson_interval(successes: float, total: float, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for ``successes`` out of ``total``, as proportions in [0, 1].

    Raises ValueError for a non-positive total or successes outside [0, total].
    """
    if not total > 0:
        raise ValueError(f"total must be positive, got {total}")
    if not 0 <= successes <= total:
        raise ValueError(f"successes must be between 0 and total ({total}), got {successes}")
    p = successes / total
    z2 = z * z
    denom = 1 + z2 / total
    centre = (p + z2 / (2 * total)) / denom
    half = z / denom * math.sqrt(p * (1 - p) / total + z2 / (4 * total * total))
    return max(0.0, centre - half), min(1.0, centre + half)


def ratio_interval_from_split(a: float, b: float, z: float = Z95) -> tuple[float, float]:
    """CI for the ratio a/b when a and b split one total (e.g. males per female).

    The Wilson interval of p = a/(a+b) is carried through the monotone map p ↦ p/(1−p).
    """
    lo, hi = wilson_interval(a, a + b, z)
    to_ratio = (lambda p: p / (1 - p) if p < 1 else math.inf)
    return to_ratio(lo), to_ratio(hi)


def _check_count(count: float) -> float:
    if isinstance(count, bool) or not isinstance(count, (int, float, np.integer, np.floating)):
        raise ValueError(f"count must be a number, got {count!r}")
    count = float(count)
    if not math.isfinite(count) or count < 0:
        raise ValueError(f"count must be a finite number of events ≥ 0, got {count!r}")
    return count


def exact_poisson_interval(count: float, z: float = Z95) -> tuple[float, float]:
    """Exact (Garwood) Poisson interval for an observed count, from gamma quantiles.

    lower = Gamma⁻¹(α/2; O) (0 for O = 0), upper = Gamma⁻¹(1 − α/2; O + 1), α = 1 − level.
    """
    from scipy import stats  # imported here: scipy.stats takes ~1 s to import and the build never needs it

    o = _check_count(count)
    alpha = 1 - _level_for_z(z)
    lower = 0.0 if o == 0 else float(stats.gamma.ppf(alpha / 2, o))
    upper = float(stats.gamma.ppf(1 - alpha / 2, o + 1))
    return lower, upper


def byar_interval(count: float, z: float = Z95) -> tuple[float, float]:
    """Byar's approximation to the Poisson interval of a count O > 0 (any size; see the module)."""
    o = _check_count(count)
    if o == 0:
        raise ValueError("Byar's interval needs a count above 0; use exact_poisson_interval for 0 events")
    lower = o * (1 - 1 / (9 * o) - z / (3 * math.sqrt(o))) ** 3
    o1 = o + 1
    upper = o1 * (1 - 1 / (9 * o1) + z / (3 * math.sqrt(o1))) ** 3
    return max(0.0, lower), upper


def poisson_interval(count: float, z: float = Z95) -> tuple[float, float, str]:
    """The Fingertips interval for a count: exact below 10 events, Byar's from 10.

    Returns ``(lower, upper, method)`` with method ``"exact_poisson"`` or ``"byar"``.
    """
    o = _check_count(count)
    if o < EXACT_BELOW:
        return (*exact_poisson_interval(o, z), "exact_poisson")
    return (*byar_interval(o, z), "byar")


def rate_interval(count: float, denominator: float, scale: float = 1.0,
                  z: float = Z95) -> tuple[float, float, str]:
    """Interval of the rate count / denominator × scale: the count's :func:`poisson_interval`
    divided by the (fixed) denominator. Returns ``(lower, upper, method)``."""
    if not (isinstance(denominator, (int, float, np.integer, np.floating)) and denominator > 0):
        raise ValueError(f"denominator must be a positive number, got {denominator!r}")
    lo, hi, method = poisson_interval(count, z)
    return lo / denominator * scale, hi / denominator * scale, method


def proportion_interval(successes: float, total: float, scale: float = 1.0,
                        z: float = Z95) -> tuple[float, float, str]:
    """Wilson interval of successes / total × scale. Returns ``(lower, upper, "wilson")``."""
    lo, hi = wilson_interval(successes, total, z)
    return lo * scale, hi * scale, "wilson"


def interval_from_counts(value_type: str, numerator: float, denominator: float, scale: float = 1.0,
                         z: float = Z95) -> tuple[float, float, str] | None:
    """The CI of a value from its numerator and denominator by :data:`CI_METHODS`, or None when the
    value type has no method. Raises ValueError for impossible counts (named)."""
    method = CI_METHODS.get(value_type)
    if method is None:
        return None
    if method == "wilson":
        return proportion_interval(numerator, denominator, scale, z)
    return rate_interval(numerator, denominator, scale, z)


def se_from_ci(lower: float | None, upper: float | None, z: float = Z95) -> float | None:
    """Standard error implied by a symmetric CI: (upper − lower) / (2z); (U − L)/3.92 at 95 %.

    None when a bound is missing. For an asymmetric interval (Wilson, Poisson) this is the usual
    normal approximation (Fingertips' recent-trend method uses it the same way).
    """
    if lower is None or upper is None:
        return None
    lo, hi = float(lower), float(upper)
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return None
    if lo > hi:
        raise ValueError(f"confidence interval lower bound {lo} is above its upper bound {hi}")
    return (hi - lo) / (2 * z)


def _finite(x: Any) -> bool:
    if x is None or x is pd.NA:
        return False
    try:
        return math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def fill_missing_cis(frame: pd.DataFrame, indicator: Any) -> pd.DataFrame:
    """A copy of ``frame`` with 95 % CIs computed where numerator and denominator exist and no CI was given.

    ``frame`` has the columns of ``queries/get_map_values.sql`` that matter here: ``value``,
    ``numerator``, ``denominator``, ``lower_ci``, ``upper_ci`` and (optional) ``status``;
    ``indicator`` is an :class:`atlas.catalogue.Indicator` (its ``value_type`` picks the method,
    its ``scale`` multiplies the bounds, e.g. 100 for a percentage). Adds ``ci_method``:

    ``supplied``       both bounds were already there (never changed);
    ``wilson``         proportion: Wilson score interval of numerator / denominator;
    ``byar``           rate or ratio with ≥ 10 events: Byar's interval of the numerator / denominator;
    ``exact_poisson``  rate or ratio with < 10 events: exact Poisson interval;
    ``none``           no CI: the row is not 'ok', has no value, no numerator or denominator, its
                       value type (count, density, mean, score, percent change) has no CI method, or
                       the value is a smoothed rate (``measure`` eb_global / eb_spatial: its counts are
                       the observed ones, and an interval of those would not be the smoothed value's).

    Raises ValueError naming the area for impossible counts (numerator above the denominator of a
    proportion, negative numbers, a zero denominator).
    """
    required = ("value", "numerator", "denominator", "lower_ci", "upper_ci")
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise ValueError(f"fill_missing_cis needs the columns {', '.join(required)}; missing {', '.join(missing)}")
    out = frame.copy()
    lower = out["lower_ci"].to_numpy(dtype=float, na_value=np.nan).copy()
    upper = out["upper_ci"].to_numpy(dtype=float, na_value=np.nan).copy()
    methods: list[str] = []
    statuses = out["status"].tolist() if "status" in out.columns else ["ok"] * len(out)
    codes = out["area_code"].tolist() if "area_code" in out.columns else list(range(len(out)))
    smoothed = getattr(indicator, "measure", "value") in SMOOTHED_MEASURES
    for i, (status, value, num, den) in enumerate(zip(statuses, out["value"], out["numerator"],
                                                      out["denominator"])):
        if _finite(lower[i]) and _finite(upper[i]):
            methods.append("supplied")
            continue
        if smoothed or status != "ok" or not _finite(value) or not (_finite(num) and _finite(den)):
            methods.append("none")
            continue
        try:
            got = interval_from_counts(indicator.value_type, float(num), float(den), indicator.scale)
        except ValueError as exc:
            raise ValueError(f"{indicator.id}: area {codes[i]}: numerator {num:g} and denominator {den:g} "
                             f"give no {indicator.value_type} interval: {exc}") from None
        if got is None:
            methods.append("none")
            continue
        lower[i], upper[i], method = got
        methods.append(method)
    out["lower_ci"] = lower
    out["upper_ci"] = upper
    out["ci_method"] = methods
    return out


def recompute_interval(row_method: str, value_type: str, numerator: Any, denominator: Any, scale: float,
                       value: float, lower95: float, upper95: float, z: float) -> tuple[float, float, str]:
    """The CI of one value at another level (e.g. 99.8 %, ``z`` = :data:`Z998`).

    From the counts again with the same method when the 95 % CI was computed from counts (or is a
    proportion's stored Wilson interval); otherwise each half of the supplied 95 % CI is stretched
    by z / 1.96 around the value (``"scaled_from_95"``; exact for a symmetric normal interval, an
    approximation otherwise).
    """
    recompute = row_method in ("wilson", "byar", "exact_poisson") or (
        row_method == "supplied" and value_type == "proportion" and _finite(numerator) and _finite(denominator))
    if recompute:
        got = interval_from_counts(value_type, float(numerator), float(denominator), scale, z)
        if got is not None:
            return got
    k = z / Z95
    return value - (value - lower95) * k, value + (upper95 - value) * k, "scaled_from_95"
