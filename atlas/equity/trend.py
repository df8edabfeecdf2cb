"""Fingertips' recent-trend test, for an area's values or a gap measure over periods.

Method (OHID Fingertips recent trends; REFERENCE.md §2): take the last 5 points; each point's
standard error is SE_i = (UCI_i − LCI_i) / 3.92 (its 95 % CI) and its weight w_i = 1 / SE_i².
Fit the inverse-variance weighted regression y_i = a + b·t_i (t = the period's year):

    t̄ = Σ w t / Σ w,   b = Σ w (t − t̄)(y − ȳ) / Σ w (t − t̄)²,   Var(b) = 1 / Σ w (t − t̄)²

and test χ² = b² / Var(b) on 1 degree of freedom against 9.5495 (the 99.8 % point, 3.0902²).
The change is called significant only when χ² > 9.5495 **and** the slope keeps its sign when any
one of the 5 points is left out (each 4-point refit). Verdicts: ``increasing``, ``decreasing``,
``no_significant_change``, or ``could_not_be_calculated`` (fewer than 5 points, a point without a
CI or with a zero-width CI, or two points in the same year) with the reason.

Wording through polarity: an increase is *getting better* when higher is better and *getting
worse* when lower is better; with no polarity only the direction is given. For a gap measure
(:func:`gap_trend`) the polarity is that of the gap's size: a series wholly above the measure's
no-inequality value (0, or 1 for R and RII) gets worse as it rises, a series wholly below gets
worse as it falls (*widening* / *narrowing*); a series that crosses it gets no judgement.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from ..catalogue import POLARITIES
from ..i18n import lazy
from ..i18n.lazy import Message
from ..statistics.intervals import Z95
from .measures import Measure

N_POINTS = 5
CHI2_998 = 9.5495  # χ²(1) at p = 0.002 (3.0902²)
VERDICTS = ("increasing", "decreasing", "no_significant_change", "could_not_be_calculated")


@dataclass(frozen=True)
class TrendResult:
    """The outcome of the recent-trend test.

    ``verdict`` is one of :data:`VERDICTS`; ``direction`` is ``"better"``/``"worse"`` when the
    change is significant and the polarity says which is good, else None; ``label`` the verdict
    in words and ``reason`` why it could not be calculated or was not significant, both lazy
    messages (``label.get(lang)``).
    ``periods`` are the years of the points used.
    """

    verdict: str
    label: Message
    direction: str | None = None
    slope: float | None = None
    se_slope: float | None = None
    chi2: float | None = None
    robust: bool | None = None
    periods: tuple[float, ...] = ()
    reason: Message | None = None
    subject: str = "value"


_LABELS = {
    ("value", "increasing", None): lazy.pgettext("recent trend", "Increasing"),
    ("value", "decreasing", None): lazy.pgettext("recent trend", "Decreasing"),
    ("value", "increasing", "better"): lazy.pgettext("recent trend", "Increasing and getting better"),
    ("value", "increasing", "worse"): lazy.pgettext("recent trend", "Increasing and getting worse"),
    ("value", "decreasing", "better"): lazy.pgettext("recent trend", "Decreasing and getting better"),
    ("value", "decreasing", "worse"): lazy.pgettext("recent trend", "Decreasing and getting worse"),
    ("gap", "increasing", None): lazy.pgettext("recent trend", "Increasing"),
    ("gap", "decreasing", None): lazy.pgettext("recent trend", "Decreasing"),
    ("gap", "increasing", "better"): lazy.pgettext("recent trend", "Inequality narrowing"),
    ("gap", "increasing", "worse"): lazy.pgettext("recent trend", "Inequality widening"),
    ("gap", "decreasing", "better"): lazy.pgettext("recent trend", "Inequality narrowing"),
    ("gap", "decreasing", "worse"): lazy.pgettext("recent trend", "Inequality widening"),
}
_NO_CHANGE = lazy.pgettext("recent trend", "No significant change")
_NOT_CALCULATED = lazy.pgettext("recent trend", "Could not be calculated")


def _fit(t: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    """Slope and its variance of the inverse-variance weighted regression of y on t."""
    tbar = (w @ t) / w.sum()
    ybar = (w @ y) / w.sum()
    sxx = w @ ((t - tbar) ** 2)
    return float(w @ ((t - tbar) * (y - ybar)) / sxx), float(1 / sxx)


def _floats(values: Any, name: str) -> np.ndarray:
    out = []
    for i, v in enumerate(values):
        if v is None or type(v).__name__ == "NAType":
            out.append(math.nan)
        elif isinstance(v, (str, bytes, bool)):
            raise ValueError(f"{name}[{i}] must be a number or None, got {v!r}")
        else:
            out.append(float(v))
    return np.array(out, dtype=float)


def _cannot(reason: Message, subject: str) -> TrendResult:
    return TrendResult("could_not_be_calculated", _NOT_CALCULATED, reason=reason, subject=subject)


def recent_trend(periods: Sequence[Any], values: Sequence[Any], lower: Sequence[Any], upper: Sequence[Any], *,
                 polarity: str = "no_judgement", n_points: int = N_POINTS, threshold: float = CHI2_998,
                 subject: str = "value") -> TrendResult:
    """The recent-trend verdict of a series (module docstring).

    ``periods`` are years (e.g. ``period_sort``), one per value; points without a value are left
    out before the last ``n_points`` are taken. ``lower``/``upper`` are the 95 % CI bounds.
    ``subject`` is ``"value"`` or ``"gap"`` (wording only). Raises ValueError for inputs of
    different lengths, an unknown polarity or subject.
    """
    if polarity not in POLARITIES:
        raise ValueError(f"polarity {polarity!r} is not allowed; use one of {', '.join(POLARITIES)}")
    if subject not in ("value", "gap"):
        raise ValueError(f"subject must be 'value' or 'gap', got {subject!r}")
    t, y, lo, hi = (_floats(a, n) for a, n in ((periods, "periods"), (values, "values"), (lower, "lower"),
                                                (upper, "upper")))
    if not (t.size == y.size == lo.size == hi.size):
        raise ValueError(f"periods, values, lower and upper must have the same length; got {t.size}, {y.size}, "
                         f"{lo.size}, {hi.size}")
    keep = np.isfinite(t) & np.isfinite(y)
    t, y, lo, hi = t[keep], y[keep], lo[keep], hi[keep]
    order = np.argsort(t, kind="stable")
    t, y, lo, hi = t[order][-n_points:], y[order][-n_points:], lo[order][-n_points:], hi[order][-n_points:]
    if t.size < n_points:
        return _cannot(lazy.ngettext("needs {points} periods with a value; there is {n}.",
                                     "needs {points} periods with a value; there are {n}.", t.size, points=n_points),
                       subject)
    if np.unique(t).size < t.size:
        return _cannot(lazy.gettext("two points fall in the same year."), subject)
    if not (np.isfinite(lo) & np.isfinite(hi)).all():
        return _cannot(lazy.gettext("one of the last points has no confidence interval."), subject)
    se = (hi - lo) / (2 * Z95)
    if (se <= 0).any():
        return _cannot(lazy.gettext("a point has a zero-width confidence interval."), subject)
    w = 1 / se ** 2
    slope, var = _fit(t, y, w)
    chi2 = slope * slope / var
    robust = all(np.sign(_fit(np.delete(t, i), np.delete(y, i), np.delete(w, i))[0]) == np.sign(slope) != 0
                 for i in range(t.size))
    common = dict(slope=slope, se_slope=math.sqrt(var), chi2=chi2, robust=robust, periods=tuple(t.tolist()),
                  subject=subject)
    if not (chi2 > threshold and robust):
        why = (lazy.gettext("χ² = {chi2}, below the threshold {threshold}.", chi2=f"{chi2:.2f}",
                            threshold=f"{threshold}")
               if chi2 <= threshold else lazy.gettext("The slope changes sign when one point is left out."))
        return TrendResult("no_significant_change", _NO_CHANGE, reason=why, **common)
    verdict = "increasing" if slope > 0 else "decreasing"
    direction = None
    if polarity != "no_judgement":
        up_good = polarity == "higher_is_better"
        direction = "better" if (slope > 0) == up_good else "worse"
    return TrendResult(verdict, _LABELS[(subject, verdict, direction)], direction=direction, **common)


def gap_trend(periods: Sequence[Any], measures: Sequence[Measure | None], *, n_points: int = N_POINTS,
              threshold: float = CHI2_998) -> TrendResult:
    """The recent trend of one summary measure over periods (``measures[i]`` for ``periods[i]``;
    None for a period where it was not applicable). CIs come from the measures; the polarity from
    the side of the no-inequality value the series is on (module docstring)."""
    if len(periods) != len(measures):
        raise ValueError(f"periods ({len(periods)}) and measures ({len(measures)}) must have the same length")
    ids = {m.id for m in measures if m is not None}
    if len(ids) > 1:
        raise ValueError(f"gap_trend needs one measure over time, got {', '.join(sorted(ids))}")
    vals = [m.value if m is not None else None for m in measures]
    lows = [m.lower if m is not None else None for m in measures]
    highs = [m.upper if m is not None else None for m in measures]
    dated = sorted(((float(t), m) for t, m in zip(periods, measures) if m is not None), key=lambda tm: tm[0])
    present = [(m.value, m.null_value) for _, m in dated[-n_points:]]
    polarity = "no_judgement"
    if present and all(v > null for v, null in present):
        polarity = "lower_is_better"
    elif present and all(v < null for v, null in present):
        polarity = "higher_is_better"
    return recent_trend(periods, vals, lows, highs, polarity=polarity, n_points=n_points, threshold=threshold,
                        subject="gap")
