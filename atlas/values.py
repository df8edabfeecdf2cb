"""Rows of ``indicator_values``: one place that sets status, CIs and the disclosure rule."""

from __future__ import annotations

import math
import re
from typing import Iterable

import numpy as np
import pandas as pd

from .catalogue import Indicator
from .stats import ratio_interval_from_split, wilson_interval

COLUMNS = ["indicator_id", "level", "area_code", "period", "period_sort", "value", "numerator", "denominator",
           "lower_ci", "upper_ci", "status", "note", "coverage", "source_id"]
STATUSES = ("ok", "suppressed", "missing", "not_applicable")


def period_sort(period: str) -> int:
    """The last year named in a period label ('2021-2025' → 2025)."""
    years = re.findall(r"\d{4}", period)
    if not years:
        raise ValueError(f"period {period!r} names no year (expected e.g. '2023' or '2021-2025')")
    return int(years[-1])


def frame(ind: Indicator, level: str, period: str, source_id: str, rows: Iterable[dict]) -> pd.DataFrame:
    """Build value rows for one indicator × level × period.

    Each input dict has ``area_code`` and some of value, numerator, denominator, lower_ci, upper_ci,
    status, note, coverage. Status defaults to 'ok'; the disclosure rule turns small counts into
    'suppressed'; value and CI are cleared whenever the status is not 'ok'.
    """
    if period not in ind.periods:
        raise ValueError(f"{ind.id}: period {period!r} is not in the catalogue's periods {list(ind.periods)}")
    df = pd.DataFrame(list(rows))
    for col in COLUMNS:
        if col not in df.columns:
            df[col] = None
    df["indicator_id"] = ind.id
    df["level"] = level
    df["period"] = period
    df["period_sort"] = period_sort(period)
    df["source_id"] = source_id
    df["status"] = df["status"].fillna("ok")
    suppress = [
        st == "ok" and ind.disclosure.suppresses(_num(n), _num(d))
        for st, n, d in zip(df["status"], df["numerator"], df["denominator"])
    ]
    if any(suppress):
        rule = ind.disclosure
        df.loc[suppress, "status"] = "suppressed"
        df.loc[suppress, "note"] = (
            f"suppressed: fewer than {rule.min_count} events or a denominator under {rule.min_denominator}"
        )
        df.loc[suppress, ["numerator"]] = None
    not_ok = df["status"] != "ok"
    df.loc[not_ok, ["value", "lower_ci", "upper_ci"]] = None
    bad = sorted(set(df["status"]) - set(STATUSES))
    if bad:
        raise ValueError(f"{ind.id}: unknown status {bad[0]!r}; use one of {', '.join(STATUSES)}")
    out = df[COLUMNS].copy()
    for col in ("value", "numerator", "denominator", "lower_ci", "upper_ci", "coverage"):
        out[col] = pd.to_numeric(out[col], errors="raise").astype("float64")
    return out


def _num(x) -> float | None:
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) else x


def proportion(numerator: float, denominator: float, scale: float) -> dict:
    """Value × scale with a Wilson 95 % CI, for a count out of a total."""
    lo, hi = wilson_interval(numerator, denominator)
    return {"value": numerator / denominator * scale, "numerator": numerator, "denominator": denominator,
            "lower_ci": lo * scale, "upper_ci": hi * scale}


def split_ratio(a: float, b: float, scale: float) -> dict:
    """a per b × scale (e.g. males per 100 females) with a CI from the Wilson interval of a/(a+b)."""
    lo, hi = ratio_interval_from_split(a, b)
    return {"value": a / b * scale, "numerator": a, "denominator": b, "lower_ci": lo * scale,
            "upper_ci": hi * scale}


def concat(frames: Iterable[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=COLUMNS)
    return pd.concat(frames, ignore_index=True)


def finite(x) -> bool:
    return x is not None and bool(np.isfinite(x))
