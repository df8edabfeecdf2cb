"""Everything the Equity page, the command line and the export say about one indicator's gaps.

``equity_report(con, indicator, period, level, stratifier=None, n_groups=5)`` answers, for one
indicator × period × level: how unequal is İzmir (the summary measures over groups), where are the
worst-off areas (ranking with benchmark verdicts, LISA hot/cold spots at mahalle level), is the gap
real (CIs, 95 % / 99.8 % benchmarks), is it closing (the gap over periods with the recent-trend
test) and how much would the city gain if every area reached the best (potential gain per area,
PAR/PAF). Plain data and a plain-language summary written in the reader's language
(``report.summary.get(lang)``); no Streamlit.

Groups: at district level, one unordered group per district unless a stratifier is chosen; at
mahalle level, population-weighted quantile groups (quintiles by default) of a stratifier, by
default the social-vulnerability score (``svi_mean``).

Potential gain per area: the distance, in the indicator's units, from the area's value to the
value the best-off tenth of areas reach (the 90th percentile when higher is better, the 10th when
lower is better). The best tenth, not the single best area, so one outlier does not set the target.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from ..catalogue import Indicator, Text, indicator_from_json
from ..frames.map_frame import HIDDEN_BY_DEFAULT, NOT_BENCHMARKED, Comparator, izmir_value, map_frame
from ..mapping import format_number, format_value
from .. import queries
from ..i18n import N_, check_lang, gettext, lazy, ngettext, npgettext, pgettext
from ..i18n.lazy import Message
from .benchmark import benchmark_areas
from .groups import GroupTable
from .lisa import LisaNotPossible, LisaResult, indicator_lisa
from .measures import Measure, proportion_scale
from .stratify import LEVEL_NAMES, StratificationError, category_groups, district_groups, quantile_groups
from .summary import NotApplicable, summary_measures
from .texts import ExplainedError, Words
from .trend import TrendResult, gap_trend

DEFAULT_STRATIFIER = "svi_mean"
GROUP_CHOICES = (5, 10)
BEST_SHARE = 0.10  # potential gain is measured to the value the best tenth of areas reach


PERCENT_POINTS = lazy.gettext("percentage points")


def difference_unit(ind: Indicator) -> Text | Message:
    """The unit of a difference between two values of ``ind``: percentage points for a percentage
    (the gap between 10 % and 30 % is 20 percentage points, not 20 %), otherwise the indicator's unit."""
    if ind.unit is not None and ind.unit.tr.strip() == "%" and ind.unit.en.strip() == "%":
        return PERCENT_POINTS
    return ind.unit


class EquityError(ExplainedError):
    """The equity report cannot be made for this request (the message says why and what is allowed;
    ``str(exc)`` is English, ``exc.text.get(lang)`` any language)."""


@dataclass(frozen=True)
class EquityReport:
    indicator: Indicator
    period: str
    level: str
    stratifier: str | None
    n_groups: int
    izmir: Comparator
    groups: GroupTable | None
    groups_problem: Message | None
    measures: tuple[Measure | NotApplicable, ...]
    ranking: pd.DataFrame  # area_code, name, district_name, value, lower_ci, upper_ci, verdict_95, verdict_998,
    # reason (why an area was not compared with İzmir: count, no_ci, no_izmir_value; None when compared)
    gain: pd.DataFrame  # area_code, name, district_name, value, gain
    gain_target: float | None
    lisa: LisaResult | None
    lisa_problem: Message | None
    gap_series: tuple[tuple[str, Measure | None], ...]
    gap_trend: TrendResult | None
    summary: Words | None  # the plain-language summary (``summary.get(lang)``)
    stratifier_title: Text | None = None
    # the grouping indicator's catalogue entry (its caveat, source and licence are shown with the groups)
    stratifier_indicator: Indicator | None = None
    # the code of the reference group chosen for MDRW, MDRU, PAR and PAF (None: HEAT's default)
    reference: str | None = None

    def measure(self, measure_id: str) -> Measure | None:
        for m in self.measures:
            if isinstance(m, Measure) and m.id == measure_id:
                return m
        return None


def stratifier_choices(con: duckdb.DuckDBPyConnection, indicators: dict[str, Indicator], level: str) -> list[str]:
    """Indicators that can order areas at ``level``: with a polarity, not counts, with values there."""
    views = queries.run(con, "list_indicator_views")
    at_level = set(views.loc[views["level"] == level, "indicator_id"])
    return sorted(i for i, ind in indicators.items()
                  if i in at_level and ind.polarity != "no_judgement" and ind.value_type not in NOT_BENCHMARKED)


_NO_DEFAULT_STRATIFIER = lazy.gettext(
    "The groups could not be made: the default grouping indicator ({stratifier}, the social-vulnerability score) is "
    "not in this database; another grouping indicator can be chosen.", stratifier=DEFAULT_STRATIFIER)


def _groups(con, ind: Indicator, period: str, level: str, stratifier: str | None,
            n_groups: int) -> tuple[GroupTable | None, Message | None]:
    try:
        if stratifier is None:
            if level == "district":
                return district_groups(con, ind, period), None
            stratifier = DEFAULT_STRATIFIER
            if _title(con, stratifier) is None:
                return None, _NO_DEFAULT_STRATIFIER
        strat = _meta(con, stratifier)
        if strat is not None and strat.ordinal:  # ordered categories (SEGE tiers): one group per value
            return category_groups(con, ind, period, strat, level=level), None
        return quantile_groups(con, ind, period, stratifier, n_groups=n_groups, level=level), None
    except StratificationError as exc:
        # the reason is a clause without a final full stop (ExplainedError)
        return None, lazy.gettext("The groups could not be made: {reason}.", reason=exc.text)


def _meta(con, indicator_id: str | None) -> Indicator | None:
    if not indicator_id:
        return None
    meta = queries.run(con, "get_indicator_meta", {"indicator_id": indicator_id})
    return indicator_from_json(meta.loc[0, "metadata_json"]) if not meta.empty else None


def _title(con, indicator_id: str | None) -> Text | None:
    strat = _meta(con, indicator_id)
    return strat.title if strat is not None else None


def _ranking(con, ind: Indicator, period: str, level: str, comp: Comparator) -> pd.DataFrame:
    frame = map_frame(con, ind, period, level, hide_kinds=HIDDEN_BY_DEFAULT)
    bench = benchmark_areas(pd.DataFrame(frame.drop(columns="geometry")), ind, comp)
    ok = frame["status"] == "ok"
    out = pd.DataFrame(frame.loc[ok, ["area_code", "name", "district_name"]]).merge(
        bench[["area_code", "value", "lower_ci", "upper_ci", "verdict_95", "verdict_998", "reason"]], on="area_code")
    ascending = ind.polarity != "higher_is_better"  # worst first: highest when lower is better
    return out.sort_values("value", ascending=not ascending, kind="stable").reset_index(drop=True)


def _gain(ranking: pd.DataFrame, ind: Indicator) -> tuple[pd.DataFrame, float | None]:
    cols = ["area_code", "name", "district_name", "value", "gain"]
    if ind.polarity == "no_judgement" or ranking.empty:
        return pd.DataFrame(columns=cols), None
    q = 1 - BEST_SHARE if ind.polarity == "higher_is_better" else BEST_SHARE
    target = float(np.quantile(ranking["value"].astype(float), q))
    diff = target - ranking["value"] if ind.polarity == "higher_is_better" else ranking["value"] - target
    gain = ranking.assign(gain=diff.clip(lower=0.0))[cols]
    return gain.sort_values("gain", ascending=False, kind="stable").reset_index(drop=True), target


def _lisa(con, ind: Indicator, period: str, level: str) -> tuple[LisaResult | None, Message | None]:
    if level != "mahalle":
        return None, lazy.gettext("Hot and cold spots are computed at mahalle level (30 districts are too few).")
    try:
        return indicator_lisa(con, ind, period, level), None
    except LisaNotPossible as exc:
        return None, lazy.gettext("Hot and cold spots could not be computed: {reason}.", reason=exc.text)


def _gap_over_time(con, ind: Indicator, level: str, stratifier: str | None, n_groups: int,
                   measure_id: str) -> tuple[tuple[tuple[str, Measure | None], ...], TrendResult | None]:
    periods = queries.run(con, "list_indicator_level_periods", {"indicator_id": ind.id, "level": level})
    if len(periods) < 2:
        return (), None
    series: list[tuple[str, Measure | None]] = []
    sorts: list[float] = []
    for period, sort in zip(periods["period"], periods["period_sort"]):
        groups, _ = _groups(con, ind, period, level, stratifier, n_groups)
        m = None
        if groups is not None:
            m = next((r for r in summary_measures(groups, measures=(measure_id,), scale=proportion_scale(ind))
                      if isinstance(r, Measure)), None)
        series.append((str(period), m))
        sorts.append(float(sort))
    return tuple(series), gap_trend(sorts, [m for _, m in series])


def equity_report(con: duckdb.DuckDBPyConnection, ind: Indicator, period: str, level: str, *,
                  stratifier: str | None = None, n_groups: int = 5, reference: str | None = None) -> EquityReport:
    """The equity report of ``ind`` for ``period`` at ``level`` (see the module docstring).

    SII and RII are logistic for a percentage and linear otherwise (HEAT; ``proportion_scale``);
    ``reference`` is the code of a group to use as the reference of MDRW, MDRU, PAR and PAF.

    Raises EquityError for a level other than district/mahalle, a group count other than 5 or 10,
    or a period without values.
    """
    if level not in ("district", "mahalle"):
        raise EquityError(lazy.gettext("level {level} is not supported; use district or mahalle", level=repr(level)))
    if n_groups not in GROUP_CHOICES:
        raise EquityError(lazy.gettext("groups must be 5 (quintiles) or 10 (deciles), got {given}", given=n_groups))
    periods = queries.run(con, "list_indicator_level_periods", {"indicator_id": ind.id, "level": level})
    if str(period) not in set(periods["period"].astype(str)):
        allowed = ", ".join(periods["period"].astype(str))
        where = dict(indicator=ind.id, period=repr(period), level=LEVEL_NAMES[level])
        if allowed:
            raise EquityError(lazy.gettext("{indicator} has no values for period {period} at {level} level; periods "
                                           "with values: {periods}", periods=allowed, **where))
        raise EquityError(lazy.gettext("{indicator} has no values for period {period} at {level} level; periods "
                                       "with values: none", **where))
    comp = izmir_value(con, ind.id, period)
    if ind.value_type in NOT_BENCHMARKED:
        comp = Comparator(None, None, None, comp.note)
    groups, problem = _groups(con, ind, period, level, stratifier, n_groups)
    # μ = the groups' own population-weighted mean (the İzmir value may be on another base, e.g. an
    # area-weighted grid mean, which would make Theil or MLD negative)
    measures = (tuple(summary_measures(groups, scale=proportion_scale(ind), reference=reference))
                if groups is not None else ())
    ranking = _ranking(con, ind, period, level, comp)
    gain, target = _gain(ranking, ind)
    lisa, lisa_problem = _lisa(con, ind, period, level)
    gap_id = "sii" if groups is not None and groups.ordered else "d"
    series, trend = _gap_over_time(con, ind, level, stratifier, n_groups, gap_id)
    used_stratifier = groups.stratifier_id if groups is not None else stratifier
    report = EquityReport(ind, str(period), level, used_stratifier, n_groups, comp, groups, problem, measures,
                          ranking, gain, target, lisa, lisa_problem, series, trend, None,
                          _title(con, used_stratifier), _meta(con, used_stratifier), reference=reference)
    return _with_summary(report)


# --- plain-language summary ------------------------------------------------------------------

def _fmt(x: Any, ind: Indicator, lang: str, unit: bool = True, diff: bool = False) -> str:
    """``x`` in the indicator's unit (``diff``: a difference, so percentages in percentage points)."""
    if not unit:
        return format_number(x, lang, ind.decimals)
    return format_value(x, difference_unit(ind) if diff else ind.unit, lang, ind.decimals)


def _ci_phrase(m: Measure, ind: Indicator, lang: str, *, absolute: bool = False) -> str:
    """The CI of ``m`` in words; ``absolute``: the sentence gives |value|, so a negative gap's interval
    is mirrored with it (a gap of 2.5 has the CI 2.1 to 2.9, not −2.9 to −2.1)."""
    if not m.has_ci:
        return gettext("(no confidence interval: the values are descriptive)", lang)
    lower, upper = (-m.upper, -m.lower) if absolute and m.value < 0 else (m.lower, m.upper)
    lo, hi = _fmt(lower, ind, lang, False), _fmt(upper, ind, lang, False)
    if m.lower > m.null_value or m.upper < m.null_value:
        return gettext("(95% CI {lower} to {upper}; the gap is beyond chance)", lang, lower=lo, upper=hi)
    return gettext("(95% CI {lower} to {upper}; the gap could be chance)", lang, lower=lo, upper=hi)


def _quantile_part(k: int, lang: str) -> str:
    """What one of ``k`` quantile groups is called: a fifth, a tenth (else 1/k)."""
    if k == 5:
        return pgettext("one of the quantile groups", "fifth", lang)
    if k == 10:
        return pgettext("one of the quantile groups", "tenth", lang)
    return f"1/{k}"


def _summary_groups(r: EquityReport, lang: str) -> str:
    ind, g = r.indicator, r.groups
    if g is None:
        return r.groups_problem.get(lang) if r.groups_problem else ""
    title = ind.title.get(lang)
    d = r.measure("d")
    if g.ordered and d is not None:
        strat = r.stratifier_title.get(lang) if r.stratifier_title else (g.stratifier_id or "")
        if r.stratifier_indicator is not None and r.stratifier_indicator.ordinal:  # one group per category
            sentences = [gettext(
                "{title}: by {stratifier}, the areas of {first} average {low}, those of {last} {high}: a gap of "
                "{gap} {ci}.", lang, title=title, stratifier=strat,
                first=g.labels[0].get(lang), last=g.labels[-1].get(lang), low=_fmt(g.values[0], ind, lang),
                high=_fmt(g.values[-1], ind, lang), gap=_fmt(abs(d.value), ind, lang, diff=True),
                ci=_ci_phrase(d, ind, lang, absolute=True))]
        else:
            sentences = [gettext(
                "{title}: areas in the most disadvantaged {part} by {stratifier} average {low}, the most advantaged "
                "{part} {high}: a gap of {gap} {ci}.", lang, title=title, part=_quantile_part(g.n_groups, lang),
                stratifier=strat, low=_fmt(g.values[0], ind, lang), high=_fmt(g.values[-1], ind, lang),
                gap=_fmt(abs(d.value), ind, lang, diff=True), ci=_ci_phrase(d, ind, lang, absolute=True))]
        if g.stratifier_id == ind.id:
            sentences.append(gettext("The groups are made from this indicator's own values, so the gap shows its "
                                     "spread, not a social gradient.", lang))
        sii = r.measure("sii")
        if sii is not None:
            sentences.append(gettext("The slope index of inequality (SII) is {value}.", lang,
                                     value=_fmt(sii.value, ind, lang, False)))
        return " ".join(sentences)
    if d is not None and d.reference:
        hi_i, lo_i = d.reference[0], d.reference[-1]
        names = [lab.get(lang) for lab in g.labels]
        return ngettext(
            "{title} ranges across {n} district from {low} ({low_area}) to {high} ({high_area}): a gap of {gap} {ci}.",
            "{title} ranges across {n} districts from {low} ({low_area}) to {high} ({high_area}): a gap of {gap} "
            "{ci}.", len(names), lang, title=title, low=_fmt(g.values[lo_i], ind, lang), low_area=names[lo_i],
            high=_fmt(g.values[hi_i], ind, lang), high_area=names[hi_i], gap=_fmt(abs(d.value), ind, lang, diff=True),
            ci=_ci_phrase(d, ind, lang, absolute=True))
    return ""


_NOT_COMPARED = {  # why no area was compared with İzmir (benchmark reason, level), for the summary
    ("count", "district"): N_("Counts are not compared with the İzmir total."),
    ("count", "mahalle"): N_("Counts are not compared with the İzmir total."),
    ("no_ci", "district"): N_("The values have no confidence interval, so the districts are not compared with "
                              "İzmir."),
    ("no_ci", "mahalle"): N_("The values have no confidence interval, so the mahalle are not compared with İzmir."),
    ("no_izmir_value", "district"): N_("There is no İzmir value, so the districts are not compared with İzmir."),
    ("no_izmir_value", "mahalle"): N_("There is no İzmir value, so the mahalle are not compared with İzmir."),
}


def _areas_are(level: str, n: int, lang: str) -> str:
    """The subject of a benchmark sentence: "1 district is", "2 districts are", "3 mahalle are"."""
    if level == "district":
        return ngettext("{n} district is", "{n} districts are", n, lang)
    return ngettext("{n} mahalle is", "{n} mahalle are", n, lang)


def _are(level: str, n: int, lang: str) -> str:
    """The second subject of a benchmark sentence, its noun left out in English: "1 is", "0 are"."""
    if level == "district":
        return npgettext("a number of districts", "{n} is", "{n} are", n, lang)
    return npgettext("a number of mahalle", "{n} is", "{n} are", n, lang)


def _summary_benchmark(r: EquityReport, lang: str) -> str:
    counts = r.ranking["verdict_95"].value_counts()
    tested = int(sum(counts.get(v, 0) for v in ("better", "similar", "worse", "higher", "lower")))
    if not tested:
        reasons = r.ranking["reason"].dropna() if "reason" in r.ranking.columns else pd.Series(dtype=object)
        if reasons.empty:
            return ""
        message = _NOT_COMPARED.get((str(reasons.value_counts().index[0]), r.level))
        return gettext(message, lang) if message else ""
    if r.indicator.polarity == "no_judgement":
        a, b = int(counts.get("higher", 0)), int(counts.get("lower", 0))
        return gettext("At 95% confidence, {higher} higher than İzmir and {lower} lower.", lang,
                       higher=_areas_are(r.level, a, lang), lower=_are(r.level, b, lang))
    worse, better = int(counts.get("worse", 0)), int(counts.get("better", 0))
    return gettext("At 95% confidence, {worse} worse than İzmir and {better} better.", lang,
                   worse=_areas_are(r.level, worse, lang), better=_are(r.level, better, lang))


def _summary_lisa(r: EquityReport, lang: str) -> str:
    if r.lisa is None:
        return ""
    c = r.lisa.counts()
    return ngettext("{n} mahalle is part of a cluster of high values (hot spot) and {cold} of a cluster of low values "
                    "(cold spot).",
                    "{n} mahalle are part of a cluster of high values (hot spot) and {cold} of a cluster of low values "
                    "(cold spot).", c["HH"], lang, cold=c["LL"])


def _summary_gain(r: EquityReport, lang: str) -> str:
    par = r.measure("par")
    if par is None or r.gain_target is None or par.value == 0 or r.groups is None:
        return ""
    gain = _fmt(abs(par.value), r.indicator, lang, diff=True)
    if r.reference is not None and par.reference:
        return gettext("If every group reached the level of the reference group ({group}), the city average would "
                       "improve by {gain}.", lang, group=r.groups.labels[par.reference[0]].get(lang), gain=gain)
    if r.groups.ordered:
        return gettext("If every group reached the most advantaged group's level, the city average would improve "
                       "by {gain}.", lang, gain=gain)
    return gettext("If every group reached the best group's level, the city average would improve by {gain}.", lang,
                   gain=gain)


def _summary_trend(r: EquityReport, lang: str) -> str:
    if r.gap_trend is None:
        return gettext("With one period only, the change of the gap cannot be followed.", lang)
    label = r.gap_trend.label.get(lang)
    if r.gap_trend.reason is None:
        return gettext("Recent trend of the gap: {trend}.", lang, trend=label)
    return gettext("Recent trend of the gap: {trend} ({reason}).", lang, trend=label,
                   reason=r.gap_trend.reason.get(lang).rstrip("."))


@dataclass(frozen=True, eq=False)
class Summary:
    """The plain-language summary of an equity report, written in the reader's language when asked
    (``get(lang)``): how unequal İzmir is, where, whether the areas differ from İzmir beyond
    chance, the hot spots, the potential gain and the trend of the gap."""

    report: EquityReport = field(repr=False)

    def get(self, lang: str) -> str:
        check_lang(lang)
        r = self.report
        parts = (_summary_groups(r, lang), _summary_benchmark(r, lang), _summary_lisa(r, lang),
                 _summary_gain(r, lang), _summary_trend(r, lang))
        return " ".join(p for p in parts if p)

    def __str__(self) -> str:
        return self.get("en")


def _with_summary(r: EquityReport) -> EquityReport:
    return replace(r, summary=Summary(r))
