"""Crude rates, directly age-standardised rates (DSR) and pooled periods, with 95 % and 99.8 % limits.

The definitions are those of OHID Fingertips and its R package PHEindicatormethods (``phe_rate``,
``calculate_dsr``), so that the atlas's numbers agree with what public-health analysts get there.

Crude rate (PHEindicatormethods ``phe_rate``)::

    rate = O / n × multiplier

its interval is the count's Poisson interval divided by n (``intervals.rate_interval``: exact
Poisson below 10 events, Byar's approximation from 10; Breslow & Day 1987).

Directly standardised rate, Dobson et al. (1991), as ``calculate_dsr``. With the age-band counts
x_i, populations n_i and standard weights w_i::

    DSR      = Σ(w_i x_i / n_i) / Σw_i × multiplier
    var(DSR) = Σ x_i (w_i / n_i)² / (Σw_i)²
    O        = Σ x_i, with O_L, O_U the Poisson limits of O (Byar's from 10 events)
    DSR_L/U  = DSR + √(var / O) · (O_L/U − O) × multiplier

Fingertips does not publish a DSR of fewer than 10 events (:data:`DSR_MIN_COUNT`): such a DSR has
no value and its ``note`` says why. A DSR of a population whose age structure is the standard's
equals its crude rate (tests check it).

Pooled periods (:func:`pool_periods`): counts and populations of several years are added up per
area (and age band, sex) and the rate is computed once from the sums: events per person-year over
the whole period, the usual way to give small areas enough events (e.g. 2019-2023).

References: Dobson AJ, Kuulasmaa K, Eberle E, Scherer J (1991). Confidence intervals for weighted
sums of Poisson parameters. Statistics in Medicine 10:457-462. Breslow NE, Day NE (1987).
Statistical Methods in Cancer Research, Vol. II. IARC. Eurostat (2013) and Ahmad et al. (2001) for
the standard populations (see ``standards.py``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd

from ..i18n import lazy
from ..i18n.lazy import Message
from .intervals import Z95, Z998, poisson_interval
from .standards import DEFAULT_STANDARD, AgeBand, StandardPopulation, align_to_standard, standard_population

#: Fingertips: a directly standardised rate is not calculated from fewer than 10 events.
DSR_MIN_COUNT = 10
#: The two confidence levels Fingertips benchmarks with, and their two-sided z.
LEVELS: dict[str, float] = {"95": Z95, "99.8": Z998}


@dataclass(frozen=True)
class Estimate:
    """A statistic with its 95 % and 99.8 % limits and what it was made from.

    ``value`` and the limits are None when the statistic was not computed (``note`` says why).
    ``count`` is the observed number of events; ``denominator`` the population (rates), the expected
    count (ratios); ``method`` names the interval: ``byar``, ``exact_poisson``, ``dobson``;
    ``standard`` the standard population's id for a DSR.
    """

    statistic: str
    value: float | None
    lower_95: float | None
    upper_95: float | None
    lower_998: float | None
    upper_998: float | None
    count: float
    denominator: float
    multiplier: float
    method: str
    standard: str | None = None
    note: Message | None = None

    def row(self) -> dict:
        """The value as a row for :func:`atlas.values.frame`: ``value``, ``numerator`` (the count),
        ``denominator``, the 95 % CI as ``lower_ci`` / ``upper_ci``, ``status`` ('ok', or
        'suppressed' when not computed) and ``note``. (The 99.8 % limits have no column yet: take them
        from the estimate, since recomputing them from numerator and denominator would treat a DSR
        as a crude rate.)"""
        ok = self.value is not None
        return {"value": self.value, "numerator": self.count, "denominator": self.denominator,
                "lower_ci": self.lower_95 if ok else None, "upper_ci": self.upper_95 if ok else None,
                "status": "ok" if ok else "suppressed", "note": self.note}

    def limits(self, level: str = "95") -> tuple[float | None, float | None]:
        """``(lower, upper)`` at ``"95"`` or ``"99.8"`` %."""
        if level == "95":
            return self.lower_95, self.upper_95
        if level == "99.8":
            return self.lower_998, self.upper_998
        raise ValueError(f"level must be '95' or '99.8', got {level!r}")


def _check_counts(counts: Sequence[float], populations: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(counts, dtype=float)
    n = np.asarray(populations, dtype=float)
    if x.shape != n.shape:
        raise ValueError(f"there are {x.size} counts and {n.size} populations; give one of each per age band")
    if not np.all(np.isfinite(x)) or np.any(x < 0):
        raise ValueError(f"counts must be finite numbers ≥ 0, got {x.tolist()[:10]}")
    if not np.all(np.isfinite(n)) or np.any(n <= 0):
        raise ValueError(f"populations must be finite numbers > 0, got {n.tolist()[:10]}")
    return x, n


def dsr_not_calculated(min_count: int = DSR_MIN_COUNT) -> Message:
    """The note of a DSR left out for too few events (Fingertips: fewer than 10)."""
    return lazy.ngettext("not calculated: a directly standardised rate needs at least {n} event, and there are fewer",
                         "not calculated: a directly standardised rate needs at least {n} events, and there are fewer",
                         min_count)


def crude_rate(count: float, population: float, multiplier: float = 100_000) -> Estimate:
    """O / n × multiplier with exact Poisson limits below 10 events and Byar's from 10 (``phe_rate``)."""
    x, n = _check_counts([count], [population])
    o, pop = float(x[0]), float(n[0])
    lo95, hi95, method = poisson_interval(o, Z95)
    lo998, hi998, _ = poisson_interval(o, Z998)
    k = multiplier / pop
    return Estimate("crude_rate", o * k, lo95 * k, hi95 * k, lo998 * k, hi998 * k, o, pop, multiplier, method)


def dsr_from_weights(counts: Sequence[float], populations: Sequence[float], weights: Sequence[float],
                     multiplier: float = 100_000, *, min_count: int = DSR_MIN_COUNT,
                     standard: str | None = None) -> Estimate:
    """Directly standardised rate with Dobson's limits from counts, populations and standard weights,
    all on the same bands (see :func:`directly_standardised_rate` for bands as offices send them)."""
    x, n = _check_counts(counts, populations)
    w = np.asarray(weights, dtype=float)
    if w.shape != x.shape or np.any(~np.isfinite(w)) or np.any(w <= 0):
        raise ValueError(f"there must be one standard weight > 0 per age band ({x.size}), got {w.tolist()[:10]}")
    o = float(x.sum())
    pop = float(n.sum())
    if o < min_count:
        note = dsr_not_calculated(min_count)
        return Estimate("dsr", None, None, None, None, None, o, pop, multiplier, "dobson", standard, note)
    total_w = float(w.sum())
    dsr = float(np.sum(w * x / n) / total_w)
    var = float(np.sum(x * (w / n) ** 2) / total_w**2)
    limits = []
    for z in (Z95, Z998):
        if o == 0:
            limits += [0.0, None]  # no events: no spread to scale (only with min_count = 0)
            continue
        o_lo, o_hi, _ = poisson_interval(o, z)
        k = math.sqrt(var / o)
        limits += [(dsr + k * (o_lo - o)) * multiplier, (dsr + k * (o_hi - o)) * multiplier]
    return Estimate("dsr", dsr * multiplier, *limits, o, pop, multiplier, "dobson", standard)


def directly_standardised_rate(bands: Sequence[str | int | AgeBand], counts: Sequence[float],
                               populations: Sequence[float],
                               standard: StandardPopulation | str = DEFAULT_STANDARD,
                               multiplier: float = 100_000, *, min_count: int = DSR_MIN_COUNT) -> Estimate:
    """DSR (Dobson's limits) of counts and populations by the office's age bands, standardised to
    ``standard`` (an id of ``standard_populations.toml`` or a :class:`StandardPopulation`, e.g. from
    :func:`standards.own_population_standard`). The bands are mapped onto the standard's by
    :func:`standards.align_to_standard` (checked for gaps and overlaps)."""
    std = standard_population(standard) if isinstance(standard, str) else standard
    aligned = align_to_standard(bands, counts, populations, std)
    return dsr_from_weights(aligned.counts, aligned.populations, aligned.weights, multiplier,
                            min_count=min_count, standard=std.id)


def period_label(periods: Sequence[int]) -> str:
    """``"2019-2023"`` (as periods are stored, ``atlas.values``) for consecutive years, ``"2019"`` for one; other sets are refused."""
    years = sorted(int(p) for p in periods)
    if not years:
        raise ValueError("a pooled period needs at least one year")
    if years != list(range(years[0], years[-1] + 1)):
        raise ValueError(f"a pooled period must be consecutive years without repeats, got {years}")
    return str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"


def pool_periods(frame: pd.DataFrame, periods: Sequence[int], *, by: Sequence[str], period: str = "period",
                 count: str = "count", population: str = "population") -> pd.DataFrame:
    """Counts and populations added up over ``periods`` for each group of ``by`` (area, age band, sex…).

    Every group must have every period exactly once: a group missing a year (or having one twice)
    raises ValueError naming the group and the years, since a sum over fewer years would be
    compared with sums over more. Returns one row per group with ``by``, ``count``, ``population``
    (person-years) and ``period`` set to the label (``"2019-2023"``).
    """
    label = period_label(periods)
    wanted = set(int(p) for p in periods)
    missing_cols = [c for c in (*by, period, count, population) if c not in frame.columns]
    if missing_cols:
        raise ValueError(f"pool_periods needs the columns {', '.join(missing_cols)}")
    sub = frame[frame[period].astype(int).isin(wanted)]
    sizes = sub.groupby(list(by), dropna=False)[period].agg(lambda s: sorted(s.astype(int)))
    for key, years in sizes.items():
        if years != sorted(wanted):
            raise ValueError(f"group {key!r} has the years {years}; pooling {label} needs each of "
                             f"{sorted(wanted)} exactly once")
    out = sub.groupby(list(by), dropna=False, as_index=False)[[count, population]].sum()
    out[period] = label
    return out
