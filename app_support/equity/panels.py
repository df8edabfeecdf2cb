"""The Equity page's sections: summary, measures, groups, ranking, maps and the gap over time."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from atlas.equity.explain import EXPLANATIONS
from atlas.equity.maps import LayerData, gain_layer, lisa_layer
from atlas.equity.measures import Measure
from atlas.equity.report import EquityReport, difference_unit
from atlas.mapping import format_number, format_range, format_value
from atlas.mapping.legend_html import legend_html

from . import charts as equity_charts
from ..chrome.charts import show_chart
from ..chrome.page import md_escape, name_maps
from ..chrome.labels import LEVELS
from ..map import data as map_data
from ..map.choropleth import base_map, payload_layer
from atlas.i18n import gettext, label, pgettext

from .labels import CI_METHODS, GROUP_COLUMNS, MEASURE_KINDS


def summary(report: EquityReport, lang: str) -> None:
    st.subheader(gettext("Summary", lang))
    st.info(md_escape(report.summary.get(lang)))  # it names areas, groups and the indicator: text, not Markdown
    notes = [n.get(lang) for n in (report.groups.notes if report.groups else ())]
    if notes:
        st.caption(md_escape(" ".join(notes)))
    stratifier_source(report, lang)


def stratifier_source(report: EquityReport, lang: str) -> None:
    """The grouping indicator's source, licence and caveat (e.g. SEGE-2022's hand transcription)."""
    strat = report.stratifier_indicator
    if strat is None or report.groups is None or report.groups.stratifier_id != strat.id:
        return
    text = gettext("Groups by {stratifier} ({period}): {source}; {licence}.", lang, stratifier=strat.title.get(lang),
                   period=report.groups.stratifier_period or "", source=strat.source.get(lang),
                   licence=strat.licence.get(lang))
    if strat.caveat is not None:
        text += " " + gettext("Caveat: {caveat}", lang, caveat=strat.caveat.get(lang))
    st.caption(md_escape(text))


def _decimals(report: EquityReport, unit: str) -> int:
    return report.indicator.decimals if unit == "indicator" else {"ratio": 2, "percent": 1, "index": 4}.get(
        unit, report.indicator.decimals + 1)


def _unit_text(report: EquityReport, unit: str):
    """The unit printed with a measure: differences of a percentage are percentage points."""
    return difference_unit(report.indicator) if unit == "indicator" else ("%" if unit == "percent" else None)


def _fmt(x, report: EquityReport, lang: str, unit: str) -> str:
    return format_value(x, _unit_text(report, unit), lang, _decimals(report, unit))


def _ci(m: Measure, report: EquityReport, lang: str) -> str:
    """The CI as one range with the unit once (``18,2–20,1 yüzde puan``)."""
    return format_range(m.lower, m.upper, lang, _decimals(report, m.unit), _unit_text(report, m.unit))


# measures whose note names the group they compare with (the best, or the reference group)
REFERENCE_GROUP_MEASURES = ("mdb", "mdbu", "mdrw", "mdru", "par", "paf")


def measures_table(report: EquityReport, lang: str) -> None:
    st.subheader(gettext("Summary measures of inequality", lang))
    st.caption(gettext("The WHO HEAT summary measures with 95% confidence intervals. Measures that cannot be computed are listed with the reason.", lang))
    rows = []
    for m in report.measures:
        is_measure = isinstance(m, Measure)
        value = _fmt(m.value, report, lang, m.unit) if is_measure else "—"
        ci = _ci(m, report, lang) if is_measure and m.has_ci else "—"
        method = m.ci_method if is_measure else "not applicable"
        note = (m.note.get(lang) if is_measure and m.note else "") if is_measure else m.reason.get(lang)
        if is_measure and m.id in REFERENCE_GROUP_MEASURES and m.reference and report.groups is not None:
            ref = gettext("Reference group: {group}.", lang, group=report.groups.labels[m.reference[0]].get(lang))
            note = f"{ref} {note}".strip()
        rows.append({gettext("Measure", lang): m.name.get(lang),
                     gettext("Value", lang): value, gettext("95% CI", lang): ci,
                     gettext("CI method", lang): label(CI_METHODS, method, lang),
                     gettext("Kind", lang): label(MEASURE_KINDS, m.kind, lang),
                     gettext("What it says", lang): EXPLANATIONS[m.id].get(lang),
                     gettext("Note", lang): note})
    st.dataframe(pd.DataFrame(rows), hide_index=True, placeholder="—")


def groups(report: EquityReport, lang: str) -> None:
    if report.groups is None:
        return
    st.subheader(gettext("Groups", lang))
    chart = equity_charts.equiplot(report, lang)
    ind = report.indicator
    frame = report.groups.frame(lang)
    shown = frame.assign(value=[format_value(v, ind.unit, lang, ind.decimals) for v in frame["value"]],
                         population=[format_number(p, lang, 0) for p in frame["population"]])
    if chart is not None and report.groups.ordered:
        show_chart(chart, gettext("Groups", lang) + ": " + "; ".join(
            f"{g}: {v}" for g, v in zip(shown["label"], shown["value"])))
    st.dataframe(shown[list(GROUP_COLUMNS)].rename(columns=lambda c: label(GROUP_COLUMNS, c, lang)), hide_index=True, placeholder="—")


def ranking(report: EquityReport, lang: str) -> None:
    st.subheader(gettext("Ranking", lang))
    st.caption(gettext("Areas from worst to best; bars are 95% confidence intervals, the vertical line is İzmir, colour is the comparison with İzmir.", lang))
    chart, cut = equity_charts.ranking_chart(report, lang)
    if cut:
        st.caption(gettext("The worst {k} and best {k} of {n} areas are shown.", lang, n=len(report.ranking), k=equity_charts.RANKING_MAX // 2))
    show_chart(chart, gettext("Ranking", lang) + ": " + gettext("Areas from worst to best; bars are 95% confidence intervals, the vertical line is İzmir, colour is the comparison with İzmir.", lang))


def _map(layer: LayerData, level: str, key: str, title: str, lang: str, fit: list | None,
         names: list[str] | None = None) -> None:
    """One map with its legend; ``names``: the accessible names of the page's maps so far, this one
    last (``name_maps``)."""
    left, right = st.columns([3, 1])
    geometry = {**map_data.layer_geometry(level), "fit": {"key": f"{key}:{fit}", "bounds": fit} if fit else None}
    with left:
        st_folium(base_map(), key=key, feature_group_to_add=payload_layer(layer.payload(), level, geometry),
                  returned_objects=[], use_container_width=True, height=460)
    with right:
        st.html(legend_html(layer.legend, title, lang))
        if names:  # (last in the column: the script's element must not move the map)
            name_maps(names)


def _map_name(report: EquityReport, title: str, lang: str) -> str:
    return gettext("Map: {title}, {period}, {level}", lang, title=f"{title}: {report.indicator.title.get(lang)}",
                   period=report.period, level=label(LEVELS, report.level, lang))


def maps(report: EquityReport, lang: str) -> None:
    st.subheader(gettext("Maps", lang))
    frame = map_data.map_view(report.indicator.id, report.period, report.level, "quantiles", 5, lang).frame
    areas = pd.DataFrame(frame[["area_code", "name", "district_name"]])  # every area on the map, with or without value
    with_values = frame[frame["status"] == "ok"]
    fit = None
    names: list[str] = []  # each map's accessible name, in page order
    if not with_values.empty:  # zoom to where the data is (the grid covers central İzmir only)
        west, south, east, north = with_values.total_bounds
        fit = [[float(south), float(west)], [float(north), float(east)]]
    if report.lisa is not None:
        st.markdown("**" + pgettext("equity heading", "Hot and cold spots (LISA)", lang) + "**")
        names.append(_map_name(report, pgettext("equity heading", "Hot and cold spots (LISA)", lang), lang))
        _map(lisa_layer(report.lisa, areas, lang), report.level, "equity_lisa_map", pgettext("equity heading", "Hot and cold spots (LISA)", lang), lang, fit, names)
    elif report.lisa_problem is not None:
        st.caption(md_escape(report.lisa_problem.get(lang)))
    st.markdown("**" + gettext("Potential gain", lang) + "**")
    gain = gain_layer(report, areas, lang)
    if gain is None:
        st.caption(gettext("This indicator has no polarity, so there is no 'best'.", lang))
        return
    ind = report.indicator
    st.caption(gettext("How far each area is from the value the best 10% of areas reach ({target}).", lang, target=format_value(report.gain_target, ind.unit, lang, ind.decimals)))
    names.append(_map_name(report, gettext("Potential gain", lang), lang))
    _map(gain, report.level, "equity_gain_map", gettext("Potential gain", lang), lang, fit, names)


def gap_over_time(report: EquityReport, lang: str) -> None:
    st.subheader(gettext("The gap over time", lang))
    chart = equity_charts.gap_chart(report, lang)
    if chart is None:
        st.caption(gettext("This indicator has one period only; the change cannot be followed.", lang))
        return
    show_chart(chart, gettext("The gap over time", lang))
    if report.gap_trend is not None:
        measure = next(m for _, m in report.gap_series if m is not None).name.get(lang)
        text = gettext("Trend ({measure}): {label}", lang, measure=md_escape(measure),
                       label=md_escape(report.gap_trend.label.get(lang)))
        if report.gap_trend.reason is not None:
            text += f" — {md_escape(report.gap_trend.reason.get(lang))}"
        st.markdown(text)
