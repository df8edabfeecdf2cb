"""Everything the Equity page, the command line and the export say about one indicator's gaps.

``equity_report(con, indicator, period, level, stratifier=None, n_groups=5)`` answers, for one
indicator × period × level: how unequal is İzmir (the summary measures over groups), where are the
worst-off areas (ranking with benchmark verdicts, LISA hot/cold spots at mahalle level), is the gap
real (CIs, 95 % / 99.8 % benchmarks), is it closing (the gap over periods with the recent-trend
test) and how much would the city gain if every area reached the best (potential gain per area,
PAR/PAF). Plain data and a plain-language summary in Turkish and English; no Streamlit.

Groups: at district level, one unordered group per district unless a stratifier is chosen; at
mahalle level, population-weighted quantile groups (quintiles by default) of a stratifier, by
default the social-vulnerability score (``svi_mean``).

Potential gain per area: the distance, in the indicator's units, from the area's value to the
value the best-off tenth of areas reach (the 90th percentile when higher is better, the 10th when
lower is better). The best tenth, not the single best area, so one outlier does not set the target.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from ..catalogue import Indicator, Text, indicator_from_json
from ..errors import AtlasError
from ..frames.map_frame import HIDDEN_BY_DEFAULT, NOT_BENCHMARKED, Comparator, izmir_value, map_frame
from ..mapping import format_number, format_value
from .. import queries
from .benchmark import benchmark_areas
from .groups import GroupTable
from .lisa import LisaNotPossible, LisaResult, indicator_lisa
from .measures import Measure
from .stratify import StratificationError, district_groups, quantile_groups
from .summary import NotApplicable, summary_measures
from .trend import TrendResult, gap_trend
from .words import ExplainedError, en_count, en_word

DEFAULT_STRATIFIER = "svi_mean"
GROUP_CHOICES = (5, 10)
BEST_SHARE = 0.10  # potential gain is measured to the value the best tenth of areas reach


PERCENT_POINTS = Text("yüzde puan", "percentage points")


def difference_unit(ind: Indicator) -> Text:
    """The unit of a difference between two values of ``ind``: percentage points for a percentage
    (the gap between 10 % and 30 % is 20 percentage points, not 20 %), otherwise the indicator's unit."""
    if ind.unit is not None and ind.unit.tr.strip() == "%" and ind.unit.en.strip() == "%":
        return PERCENT_POINTS
    return ind.unit


class EquityError(AtlasError):
    """The equity report cannot be made for this request (the message says why and what is allowed)."""


@dataclass(frozen=True)
class EquityReport:
    indicator: Indicator
    period: str
    level: str
    stratifier: str | None
    n_groups: int
    izmir: Comparator
    groups: GroupTable | None
    groups_problem: Text | None
    measures: tuple[Measure | NotApplicable, ...]
    ranking: pd.DataFrame  # area_code, name, district_name, value, lower_ci, upper_ci, verdict_95, verdict_998,
    # reason (why an area was not compared with İzmir: count, no_ci, no_izmir_value; None when compared)
    gain: pd.DataFrame  # area_code, name, district_name, value, gain
    gain_target: float | None
    lisa: LisaResult | None
    lisa_problem: Text | None
    gap_series: tuple[tuple[str, Measure | None], ...]
    gap_trend: TrendResult | None
    summary: Text
    stratifier_title: Text | None = None

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


def _because(exc: ExplainedError, tr: str, en: str) -> Text:
    """``tr``/``en`` followed by the reason ``exc`` gives, each in its own language (a sentence)."""
    if exc.text is None:  # no Turkish wording: say only that it failed, never quote English in Turkish
        return Text(f"{tr}.", f"{en}: {str(exc).rstrip('.')}.")
    return Text(f"{tr}: {exc.text.tr.rstrip('.')}.", f"{en}: {exc.text.en.rstrip('.')}.")


_NO_DEFAULT_STRATIFIER = Text(
    f"Gruplar oluşturulamadı: varsayılan gruplama göstergesi ({DEFAULT_STRATIFIER}, sosyal kırılganlık skoru) bu "
    f"veritabanında yok; başka bir gruplama göstergesi seçilebilir.",
    f"The groups could not be made: the default grouping indicator ({DEFAULT_STRATIFIER}, the social-vulnerability "
    f"score) is not in this database; another grouping indicator can be chosen.")


def _groups(con, ind: Indicator, period: str, level: str, stratifier: str | None,
            n_groups: int) -> tuple[GroupTable | None, Text | None]:
    try:
        if stratifier is None:
            if level == "district":
                return district_groups(con, ind, period), None
            stratifier = DEFAULT_STRATIFIER
            if _title(con, stratifier) is None:
                return None, _NO_DEFAULT_STRATIFIER
        return quantile_groups(con, ind, period, stratifier, n_groups=n_groups, level=level), None
    except StratificationError as exc:
        return None, _because(exc, "Gruplar oluşturulamadı", "The groups could not be made")


def _title(con, indicator_id: str | None) -> Text | None:
    if not indicator_id:
        return None
    meta = queries.run(con, "get_indicator_meta", {"indicator_id": indicator_id})
    return indicator_from_json(meta.loc[0, "metadata_json"]).title if not meta.empty else None


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


def _lisa(con, ind: Indicator, period: str, level: str) -> tuple[LisaResult | None, Text | None]:
    if level != "mahalle":
        return None, Text("Sıcak/soğuk noktalar mahalle düzeyinde hesaplanır (30 ilçe bunun için çok az).",
                          "Hot and cold spots are computed at mahalle level (30 districts are too few).")
    try:
        return indicator_lisa(con, ind, period, level), None
    except LisaNotPossible as exc:
        return None, _because(exc, "Sıcak/soğuk noktalar hesaplanamadı", "Hot and cold spots could not be computed")


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
            m = next((r for r in summary_measures(groups, measures=(measure_id,)) if isinstance(r, Measure)), None)
        series.append((str(period), m))
        sorts.append(float(sort))
    return tuple(series), gap_trend(sorts, [m for _, m in series])


def equity_report(con: duckdb.DuckDBPyConnection, ind: Indicator, period: str, level: str, *,
                  stratifier: str | None = None, n_groups: int = 5) -> EquityReport:
    """The equity report of ``ind`` for ``period`` at ``level`` (see the module docstring).

    Raises EquityError for a level other than district/mahalle, a group count other than 5 or 10,
    or a period without values.
    """
    if level not in ("district", "mahalle"):
        raise EquityError(f"level {level!r} is not supported; use district or mahalle")
    if n_groups not in GROUP_CHOICES:
        raise EquityError(f"groups must be 5 (quintiles) or 10 (deciles), got {n_groups}")
    periods = queries.run(con, "list_indicator_level_periods", {"indicator_id": ind.id, "level": level})
    if str(period) not in set(periods["period"].astype(str)):
        allowed = ", ".join(periods["period"].astype(str)) or "none"
        raise EquityError(f"{ind.id} has no values for period {period!r} at {level} level; periods with values: {allowed}")
    comp = izmir_value(con, ind.id, period)
    if ind.value_type in NOT_BENCHMARKED:
        comp = Comparator(None, None, None, comp.note)
    groups, problem = _groups(con, ind, period, level, stratifier, n_groups)
    # μ = the groups' own population-weighted mean (the İzmir value may be on another base, e.g. an
    # area-weighted grid mean, which would make Theil or MLD negative)
    measures = tuple(summary_measures(groups)) if groups is not None else ()
    ranking = _ranking(con, ind, period, level, comp)
    gain, target = _gain(ranking, ind)
    lisa, lisa_problem = _lisa(con, ind, period, level)
    gap_id = "sii" if groups is not None and groups.ordered else "d"
    series, trend = _gap_over_time(con, ind, level, stratifier, n_groups, gap_id)
    used_stratifier = groups.stratifier_id if groups is not None else stratifier
    report = EquityReport(ind, str(period), level, used_stratifier, n_groups, comp, groups, problem, measures,
                          ranking, gain, target, lisa, lisa_problem, series, trend, Text("", ""),
                          _title(con, used_stratifier))
    return _with_summary(report)


# --- plain-language summary ------------------------------------------------------------------

def _fmt(x: Any, ind: Indicator, lang: str, unit: bool = True, diff: bool = False) -> str:
    """``x`` in the indicator's unit (``diff``: a difference, so percentages in percentage points)."""
    if not unit:
        return format_number(x, lang, ind.decimals)
    return format_value(x, difference_unit(ind) if diff else ind.unit, lang, ind.decimals)


def _ci_phrase(m: Measure, ind: Indicator, lang: str) -> str:
    if not m.has_ci:
        return {"tr": " (güven aralığı yok: değerler betimleyicidir)",
                "en": " (no confidence interval: the values are descriptive)"}[lang]
    lo, hi = _fmt(m.lower, ind, lang, False), _fmt(m.upper, ind, lang, False)
    real = m.lower > m.null_value or m.upper < m.null_value
    if lang == "tr":
        return f" (%95 GA {lo} – {hi}; {'fark şansla açıklanamaz' if real else 'fark şans eseri olabilir'})"
    return f" (95% CI {lo} to {hi}; {'the gap is beyond chance' if real else 'the gap could be chance'})"


def _summary_groups(r: EquityReport, lang: str) -> str:
    ind, g = r.indicator, r.groups
    if g is None:
        return (r.groups_problem.get(lang) + " ") if r.groups_problem else ""
    title = ind.title.get(lang)
    d = r.measure("d")
    if g.ordered and d is not None:
        low, high = g.values[0], g.values[-1]
        k = g.n_groups
        part = {5: ("beşte birlik", "fifth"), 10: ("onda birlik", "tenth")}.get(k, (f"1/{k}", f"1/{k}"))
        strat = r.stratifier_title.get(lang) if r.stratifier_title else (g.stratifier_id or "")
        if lang == "tr":
            text = (f"{title}: {strat} göstergesine göre en dezavantajlı {part[0]} dilimdeki mahallelerde "
                    f"{_fmt(low, ind, 'tr')}, en avantajlı dilimde {_fmt(high, ind, 'tr')}; aradaki fark "
                    f"{_fmt(abs(d.value), ind, 'tr', diff=True)}{_ci_phrase(d, ind, 'tr')}.")
        else:
            text = (f"{title}: areas in the most disadvantaged {part[1]} by {strat} average {_fmt(low, ind, 'en')}, "
                    f"the most advantaged {part[1]} {_fmt(high, ind, 'en')}: a gap of "
                    f"{_fmt(abs(d.value), ind, 'en', diff=True)}{_ci_phrase(d, ind, 'en')}.")
        if g.stratifier_id == ind.id:
            text += (" Gruplar göstergenin kendi değerlerinden oluşturuldu; fark bir sosyal eğimi değil, göstergenin "
                     "yayılımını gösterir." if lang == "tr" else
                     " The groups are made from this indicator's own values, so the gap shows its spread, not a "
                     "social gradient.")
        sii = r.measure("sii")
        if sii is not None:
            text += (f" Eğim eşitsizlik indeksi (SII) {_fmt(sii.value, ind, 'tr', False)}." if lang == "tr" else
                     f" The slope index of inequality (SII) is {_fmt(sii.value, ind, 'en', False)}.")
        return text + " "
    if d is not None and d.reference:
        hi_i, lo_i = d.reference[0], d.reference[-1]
        names = [lab.get(lang) for lab in g.labels]
        if lang == "tr":
            return (f"{title} {len(names)} ilçe arasında {_fmt(g.values[lo_i], ind, 'tr')} ({names[lo_i]}) ile "
                    f"{_fmt(g.values[hi_i], ind, 'tr')} ({names[hi_i]}) arasında değişiyor; fark "
                    f"{_fmt(abs(d.value), ind, 'tr', diff=True)}{_ci_phrase(d, ind, 'tr')}. ")
        return (f"{title} ranges across {en_count(len(names), 'district')} from {_fmt(g.values[lo_i], ind, 'en')} "
                f"({names[lo_i]}) to {_fmt(g.values[hi_i], ind, 'en')} ({names[hi_i]}): a gap of "
                f"{_fmt(abs(d.value), ind, 'en', diff=True)}{_ci_phrase(d, ind, 'en')}. ")
    return ""


_NOT_COMPARED = {  # why no area was compared with İzmir (benchmark reasons), for the summary
    "count": Text("Sayılar İzmir toplamıyla karşılaştırılmaz.", "Counts are not compared with the İzmir total."),
    "no_ci": Text("Değerlerin güven aralığı olmadığından {unit} İzmir ile karşılaştırılmadı.",
                  "The values have no confidence interval, so the {unit} are not compared with İzmir."),
    "no_izmir_value": Text("İzmir değeri olmadığından {unit} İzmir ile karşılaştırılmadı.",
                           "There is no İzmir value, so the {unit} are not compared with İzmir."),
}


def _summary_benchmark(r: EquityReport, lang: str) -> str:
    counts = r.ranking["verdict_95"].value_counts()
    tested = int(sum(counts.get(v, 0) for v in ("better", "similar", "worse", "higher", "lower")))
    unit = {"district": ("ilçe", "district", "districts"), "mahalle": ("mahalle", "mahalle", "mahalle")}[r.level]
    if not tested:
        reasons = r.ranking["reason"].dropna() if "reason" in r.ranking.columns else pd.Series(dtype=object)
        if reasons.empty:
            return ""
        text = _NOT_COMPARED.get(str(reasons.value_counts().index[0]))
        plural = {"district": Text("ilçeler", "districts"), "mahalle": Text("mahalleler", "mahalle")}[r.level]
        return (text.get(lang).format(unit=plural.get(lang)) + " ") if text else ""
    if r.indicator.polarity == "no_judgement":
        a, b = int(counts.get("higher", 0)), int(counts.get("lower", 0))
        return (f"%95 güvenle {a} {unit[0]} İzmir değerinden yüksek, {b} {unit[0]} düşük. " if lang == "tr" else
                f"At 95% confidence, {en_count(a, unit[1], unit[2])} {en_word(a, 'is', 'are')} higher than İzmir "
                f"and {b} {en_word(b, 'is', 'are')} lower. ")
    worse, better = int(counts.get("worse", 0)), int(counts.get("better", 0))
    return (f"%95 güvenle {worse} {unit[0]} İzmir'den kötü, {better} {unit[0]} iyi durumda. " if lang == "tr" else
            f"At 95% confidence, {en_count(worse, unit[1], unit[2])} {en_word(worse, 'is', 'are')} worse than İzmir "
            f"and {better} {en_word(better, 'is', 'are')} better. ")


def _summary_lisa(r: EquityReport, lang: str) -> str:
    if r.lisa is None:
        return ""
    c = r.lisa.counts()
    return (f"{c['HH']} mahalle yüksek değerli bir kümenin (sıcak nokta), {c['LL']} mahalle düşük değerli bir kümenin "
            f"(soğuk nokta) parçası. " if lang == "tr" else
            f"{c['HH']} mahalle {en_word(c['HH'], 'is', 'are')} part of a cluster of high values (hot spot) and "
            f"{c['LL']} of a cluster of low values (cold spot). ")


def _summary_gain(r: EquityReport, lang: str) -> str:
    par = r.measure("par")
    if par is None or r.gain_target is None:
        return ""
    return (f"Her grup en iyi grubun düzeyine ulaşsaydı kentin ortalaması {_fmt(abs(par.value), r.indicator, 'tr', diff=True)} "
            f"iyileşirdi. " if lang == "tr" else
            f"If every group reached the best group's level, the city average would improve by "
            f"{_fmt(abs(par.value), r.indicator, 'en', diff=True)}. ")


def _summary_trend(r: EquityReport, lang: str) -> str:
    if r.gap_trend is None:
        return ("Tek dönem olduğu için farkın değişimi izlenemiyor." if lang == "tr" else
                "With one period only, the change of the gap cannot be followed.")
    label = r.gap_trend.label.get(lang)
    reason = f" ({r.gap_trend.reason.get(lang).rstrip('.')})" if r.gap_trend.reason else ""
    return (f"Farkın son dönemlerdeki eğilimi: {label}{reason}." if lang == "tr" else
            f"Recent trend of the gap: {label}{reason}.")


def _with_summary(r: EquityReport) -> EquityReport:
    from dataclasses import replace

    texts = {lang: (_summary_groups(r, lang) + _summary_benchmark(r, lang) + _summary_lisa(r, lang)
                    + _summary_gain(r, lang) + _summary_trend(r, lang)).strip() for lang in ("tr", "en")}
    return replace(r, summary=Text(texts["tr"], texts["en"]))
