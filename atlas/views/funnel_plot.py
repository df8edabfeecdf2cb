"""What the Equity page's funnel plot draws (issue #19): each area's value against its population (or
its expected count, for a standardised ratio), with the 95 % and 99.8 % control limits around the
İzmir value (``atlas.statistics.funnel``), the areas outside the 99.8 % limits named.

Offered for proportions, rates (crude and directly age-standardised) and standardised ratios (SMR/SIR)
with the counts behind each value; for anything else :func:`funnel_plot` says why not. Suppressed
values are never used (only areas with status 'ok'). Plain data and words; no Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..catalogue import Indicator
from ..i18n import N_, gettext, ngettext
from ..mapping import format_number, format_value
from ..statistics.funnel import funnel_curve, funnel_flags
from .map_view import MapView

FLAG_LABELS: dict[str, str] = {
    "high_998": N_("Above the 99.8% limit"),
    "high_95": N_("Above the 95% limit"),
    "within": N_("Within the 95% limits"),
    "low_95": N_("Below the 95% limit"),
    "low_998": N_("Below the 99.8% limit"),
}
OUTLIER_FLAGS = ("high_998", "low_998")
LABELS_MAX = 20  # areas named on the chart at most (all outliers are in the table)
CURVE_POINTS = 40  # points of each limit line (a smooth curve on a log axis; each costs a root search)


@dataclass(frozen=True)
class FunnelPlot:
    """``points``: one row per area with a value (label, value, x, flag, flag_label, named);
    ``curve``: x and the limits (lower_95, upper_95, lower_998, upper_998, target) to draw."""

    kind: str  # "proportion", "rate" or "ratio" (atlas.statistics.funnel.KINDS)
    target: float
    points: pd.DataFrame
    curve: pd.DataFrame
    x_title: str
    y_title: str
    caption: str
    description: str  # the chart's text alternative

    @property
    def outliers(self) -> pd.DataFrame:
        return self.points[self.points["flag"].isin(OUTLIER_FLAGS)]


@dataclass(frozen=True)
class NoFunnel:
    """Why the funnel plot is not drawn for this indicator (in the view's language)."""

    reason: str


#: Above this share of areas outside the 99.8 % limits (chance alone: 0.2 %) the caption warns of overdispersion.
#: (Only with enough areas for a share to mean something.)
OVERDISPERSED_SHARE = 0.10
OVERDISPERSED_MIN_AREAS = 20


def funnel_kind(ind: Indicator) -> str | None:
    """The funnel of an indicator: ``ratio`` (SMR/SIR), ``proportion``, ``rate``, or None (not offered)."""
    if ind.measure in ("smr", "sir"):
        return "ratio"
    if ind.measure in ("isr", "eb_global", "eb_spatial"):
        return None
    if ind.value_type in ("proportion", "rate"):
        return ind.value_type
    return None


def _not_offered(ind: Indicator, lang: str) -> str:
    if ind.measure in ("eb_global", "eb_spatial"):
        return gettext("Smoothed rates are not shown in a funnel plot: they are drawn towards the average on "
                       "purpose, so the control limits do not apply. Choose the crude or age-standardised rate.", lang)
    if ind.measure == "isr":
        return gettext("The indirectly standardised rate is compared with İzmir through its standardised ratio "
                       "(SMR): choose that measure for the funnel plot.", lang)
    return gettext("The funnel plot is drawn for rates, proportions and standardised ratios only: it compares each "
                   "area with İzmir given its population, which other kinds of value do not have.", lang)


def funnel_plot(mv: MapView) -> FunnelPlot | NoFunnel:
    """The funnel plot of a map view's indicator, period and level (or why there is none)."""
    ind, lang = mv.indicator, mv.lang
    kind = funnel_kind(ind)
    if kind is None:
        return NoFunnel(_not_offered(ind, lang))
    target = mv.comparator.value
    if target is None or not target > 0:
        return NoFunnel(gettext("There is no İzmir value above zero for this period, so there are no control limits "
                                "to draw around it.", lang))
    f = mv.frame
    ok = (f["status"] == "ok") & f["value"].notna()
    value = f["value"].astype(float)
    if kind == "ratio":  # expected events E = observed × İzmir value / ratio
        x = f["numerator"].astype(float) * target / value.where(value > 0)
    else:
        x = f["denominator"].astype(float)
    use = ok & x.notna() & (x > 0)
    if not use.any():
        return NoFunnel(gettext("No area of this view has its population (or expected events) stored, so the funnel "
                                "cannot be drawn.", lang))
    multiplier = 1.0 if kind == "ratio" else float(ind.scale)
    if kind == "proportion" and not 0 < target < multiplier:
        return NoFunnel(gettext("The İzmir value is not a proportion between 0 and 1, so there are no control "
                                "limits to draw.", lang))
    sub = f[use]
    xs = x[use].to_numpy(dtype=float)
    vs = value[use].to_numpy(dtype=float)
    flags = funnel_flags(kind, target, vs, xs, multiplier=multiplier)
    curve = pd.DataFrame(funnel_curve(kind, target, xs, multiplier=multiplier, points=CURVE_POINTS)).rename(
        columns={"denominator": "x"})
    labels = [f"{n} ({d})" if isinstance(d, str) and d else str(n) for n, d in zip(sub["name"], sub["district_name"])]
    points = pd.DataFrame({"area_code": sub["area_code"].to_numpy(), "label": labels, "value": vs, "x": xs,
                           "flag": flags, "flag_label": [gettext(FLAG_LABELS[fl], lang) for fl in flags]})
    points["value_text"] = [format_value(v, ind.unit, lang, ind.decimals) for v in vs]
    points["x_text"] = [format_number(v, lang, 1 if kind == "ratio" else 0) for v in xs]
    points["named"] = _named(points, target)
    counts_are_events = ind.family is not None and ind.measure != "value"
    x_title = (gettext("Expected events", lang) if kind == "ratio"
               else gettext("Population", lang) if counts_are_events or kind == "rate" else gettext("Denominator", lang))
    y_title = ind.unit.get(lang) or ind.title.get(lang)
    target_text = format_value(target, ind.unit, lang, ind.decimals)
    caption = _caption(ind, kind, x_title, target_text, lang)
    high = int(sum(fl == "high_998" for fl in flags))
    low = int(sum(fl == "low_998" for fl in flags))
    if len(points) >= OVERDISPERSED_MIN_AREAS and (high + low) / len(points) > OVERDISPERSED_SHARE:
        caption += " " + gettext("{outside} of {areas} lie outside the 99.8% limits, where chance alone would put "
                                 "about 1 in 500: these areas differ far more than chance explains (overdispersion), "
                                 "so the limits say little here beyond how far each area is from İzmir.", lang,
                                 outside=format_number(high + low, lang, 0),
                                 areas=ngettext("{n} area", "{n} areas", len(points), lang,
                                                n=format_number(len(points), lang, 0)))
    description = gettext("Funnel plot of {title}: {areas}, İzmir {target}; {high} above and {low} below the 99.8% "
                          "limits.", lang, title=ind.title.get(lang),
                          areas=ngettext("{n} area", "{n} areas", len(points), lang), target=target_text,
                          high=high, low=low)
    return FunnelPlot(kind, float(target), points, curve, x_title, y_title, caption, description)


def _named(points: pd.DataFrame, target: float) -> list[bool]:
    """The outliers named on the chart: all of them, or at most LABELS_MAX of the furthest from İzmir, one per
    cell of the chart (a quarter of a decade across, a twelfth of the value range up), so that names do not
    pile up where many areas share a value (e.g. 0 %)."""
    out = points["flag"].isin(OUTLIER_FLAGS).to_numpy()
    if out.sum() <= LABELS_MAX:
        return out.tolist()
    values = points["value"].to_numpy(dtype=float)
    distance = np.abs(np.log(np.maximum(values, 1e-12) / target))
    span = float(np.nanmax(values) - np.nanmin(values)) or 1.0
    cells = zip(np.floor(np.log10(np.maximum(points["x"].to_numpy(dtype=float), 1e-12)) * 4).astype(int),
                np.floor((values - np.nanmin(values)) / span * 12).astype(int))
    cells = list(cells)
    keep: set[int] = set()
    taken: set[tuple[int, int]] = set()
    for i in np.argsort(-np.where(out, distance, -1.0)):
        if not out[i] or len(keep) == LABELS_MAX:
            break
        if cells[i] not in taken:
            taken.add(cells[i])
            keep.add(int(i))
    return [i in keep for i in range(len(points))]


def _caption(ind: Indicator, kind: str, x_title: str, target: str, lang: str) -> str:
    if kind == "proportion":
        method = gettext("the normal approximation to the binomial around the İzmir proportion", lang)
    elif kind == "rate":
        method = gettext("exact Poisson limits of the events expected at the İzmir rate", lang)
    else:
        method = gettext("exact Poisson limits of the observed events given the expected events", lang)
    text = gettext("Each dot is an area: its value against its {x} (log scale). The line is the İzmir value "
                   "({target}); the dashed curves are the 95% control limits and the solid curves the 99.8% limits, "
                   "made with {method} (Spiegelhalter 2005; as PHEindicatormethods). Areas outside the 99.8% limits "
                   "are named.", lang, x=x_title.lower(), target=target, method=method)
    if ind.measure == "dsr":
        text += " " + gettext("For an age-standardised rate the limits are those of a crude rate of the same "
                              "population (an approximation).", lang)
    return text
