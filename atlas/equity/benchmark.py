"""Each area against the İzmir value at 95 % and 99.8 %, Fingertips style (REFERENCE.md §2).

An area is significantly higher than the İzmir value B when its CI lies wholly above B
(lower > B), significantly lower when wholly below (upper < B), otherwise *similar* (the CI
touches or contains B). Through the indicator's polarity: *better / similar / worse*; with no
polarity (no judgement): *higher / similar / lower*. The area is tested against the İzmir
*value*, not its interval (as in Fingertips and :func:`atlas.mapping.classify.classify`'s
``compare_izmir``, with which the 95 % verdicts agree whenever every area has a CI).

Per area, not per map: an area without a CI is ``not_compared`` (reason ``no_ci``) while its
neighbours with CIs are still tested. (The map's "compared with İzmir" classes switch the whole
map to an untested higher/lower-value reading as soon as one area lacks a CI, so one legend
never mixes tested and untested classes.) Counts (:data:`atlas.frames.map_frame.NOT_BENCHMARKED`) are
never compared: İzmir's count is the sum of the areas.

The 95 % CI is the stored one, or computed from numerator and denominator
(:func:`~atlas.statistics.intervals.fill_missing_cis`). The 99.8 % CI is the stored one when the
value has it (``lower_998`` / ``upper_998``, e.g. Dobson's limits of a DSR written by the count-data
import: ``stored``); else computed from the counts with the same method when the 95 % one was (and
for a proportion's stored Wilson interval); otherwise each half of the 95 % CI is stretched by
3.0902 / 1.96 (``scaled_from_95``). A smoothed rate (measure ``eb_global`` / ``eb_spatial``) is an
estimate without a confidence interval and is never compared (reason ``no_ci``).
"""

from __future__ import annotations

import math
from typing import Any

import duckdb
import pandas as pd

from .. import queries
from ..catalogue import Indicator
from ..frames.map_frame import NOT_BENCHMARKED, Comparator, izmir_value
from ..statistics.intervals import Z998, fill_missing_cis, recompute_interval

VERDICTS = ("better", "similar", "worse", "higher", "lower", "not_compared", "no_value")
REASONS = ("count", "no_izmir_value", "no_ci", "no_value")
#: Measures whose values are smoothed estimates without a CI (atlas.catalogue.MEASURES): not compared.
SMOOTHED = ("eb_global", "eb_spatial")
#: How the 99.8 % CI of a compared row was made: a ``ci_method`` recomputed at 99.8 %, the stored
#: limits, or the 95 % CI stretched.
CI998_METHODS = ("wilson", "byar", "exact_poisson", "stored", "scaled_from_95")
COLUMNS = ("area_code", "value", "lower_ci", "upper_ci", "ci_method", "lower_998", "upper_998", "ci998_method",
           "verdict_95", "verdict_998", "reason")


def compare(lower: float, upper: float, benchmark: float, polarity: str) -> str:
    """The verdict of one CI against the benchmark value (module docstring)."""
    if polarity not in ("higher_is_better", "lower_is_better", "no_judgement"):
        raise ValueError(f"polarity {polarity!r} is not allowed; use higher_is_better, lower_is_better or "
                         f"no_judgement")
    if lower > upper:
        raise ValueError(f"confidence interval lower bound {lower} is above its upper bound {upper}")
    if lower > benchmark:
        direction = "higher"
    elif upper < benchmark:
        direction = "lower"
    else:
        return "similar"
    if polarity == "no_judgement":
        return direction
    if polarity == "higher_is_better":
        return "better" if direction == "higher" else "worse"
    return "worse" if direction == "higher" else "better"


def _num(x: Any) -> float | None:
    if x is None or x is pd.NA:
        return None
    f = float(x)
    return None if math.isnan(f) else f


def benchmark_areas(frame: pd.DataFrame, indicator: Indicator, izmir: float | Comparator | None) -> pd.DataFrame:
    """The verdict of every row of ``frame`` against ``izmir`` at 95 % and 99.8 %.

    ``frame`` has ``area_code``, ``value``, ``lower_ci``, ``upper_ci``, ``numerator``,
    ``denominator``, ``status`` and optionally ``lower_998`` / ``upper_998`` (the stored 99.8 % limits,
    used when both are there; e.g. ``queries/list_level_values.sql``); ``izmir`` is the İzmir
    value (a number or :class:`atlas.frames.map_frame.Comparator`; None when there is none). Returns one
    row per input row with :data:`COLUMNS`: the 95 % and 99.8 % CIs used and how they were made,
    ``verdict_95`` / ``verdict_998`` (one of :data:`VERDICTS`) and ``reason`` (one of
    :data:`REASONS`, or None when tested).
    """
    bench = izmir.value if isinstance(izmir, Comparator) else _num(izmir)
    filled = fill_missing_cis(frame, indicator)
    is_count = indicator.value_type in NOT_BENCHMARKED
    rows = []
    statuses = filled["status"] if "status" in filled.columns else pd.Series(["ok"] * len(filled))
    for r, status in zip(filled.itertuples(index=False), statuses):
        value, lo, hi = _num(r.value), _num(r.lower_ci), _num(r.upper_ci)
        out = {"area_code": r.area_code, "value": value, "lower_ci": lo, "upper_ci": hi, "ci_method": r.ci_method,
               "lower_998": None, "upper_998": None, "ci998_method": None}
        if status != "ok" or value is None:
            reason = "no_value"
        elif is_count:
            reason = "count"
        elif bench is None:
            reason = "no_izmir_value"
        elif lo is None or hi is None or indicator.measure in SMOOTHED:
            reason = "no_ci"
        else:
            reason = None
        stored = (_num(getattr(r, "lower_998", None)), _num(getattr(r, "upper_998", None)))
        if reason is None and None not in stored and r.ci_method == "supplied":
            (lo998, hi998), how = stored, "stored"
        elif reason is None:
            lo998, hi998, how = recompute_interval(r.ci_method, indicator.value_type, r.numerator, r.denominator,
                                                   indicator.scale, value, lo, hi, Z998)
        if reason is None:
            out.update(lower_998=lo998, upper_998=hi998, ci998_method=how,
                       verdict_95=compare(lo, hi, bench, indicator.polarity),
                       verdict_998=compare(lo998, hi998, bench, indicator.polarity), reason=None)
        else:
            verdict = "no_value" if reason == "no_value" else "not_compared"
            out.update(verdict_95=verdict, verdict_998=verdict, reason=reason)
        rows.append(out)
    df = pd.DataFrame.from_records(rows, columns=list(COLUMNS))
    for col in ("value", "lower_ci", "upper_ci", "lower_998", "upper_998"):
        df[col] = pd.to_numeric(df[col]).astype(float)
    for col in ("ci998_method", "reason"):  # None (not NaN) where there is none
        df[col] = pd.Series([r[col] for r in rows], index=df.index, dtype=object)
    return df


def benchmark_level(con: duckdb.DuckDBPyConnection, indicator: Indicator, period: str, level: str) -> pd.DataFrame:
    """:func:`benchmark_areas` for every area of ``level`` (district or mahalle) in ``period``,
    against the İzmir value of the same period (``queries/get_izmir_value.sql``)."""
    frame = queries.run(con, "list_level_values", {"indicator_id": indicator.id, "period": period, "level": level})
    return benchmark_areas(frame, indicator, izmir_value(con, indicator.id, period))


def verdict_counts(result: pd.DataFrame, column: str = "verdict_95") -> dict[str, int]:
    """How many areas got each verdict (zeros left out)."""
    counts = result[column].value_counts()
    return {str(k): int(v) for k, v in counts.items() if v}

