"""The Equity page's funnel plot (issue #19): the chart, its caption and the table of outliers."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from atlas.i18n import gettext
from atlas.views.funnel_plot import FLAG_LABELS, FunnelPlot, NoFunnel, funnel_plot

from ..chrome.charts import show_chart
from ..chrome.page import database_signature, md_escape
from ..map import data as map_data

FLAG_COLOURS = {"high_998": "#b2182b", "high_95": "#ef8a62", "within": "#9e9e9e", "low_95": "#67a9cf",
                "low_998": "#2166ac"}


def chart(plot: FunnelPlot, lang: str) -> alt.LayerChart:
    x_scale = alt.Scale(type="log")
    curve = plot.curve.melt(id_vars=["x"], value_vars=["lower_998", "lower_95", "target", "upper_95", "upper_998"],
                            var_name="line", value_name="y")
    curve["dashed"] = curve["line"].isin(["lower_95", "upper_95"])
    lines = alt.Chart(curve).mark_line(color="#444", strokeWidth=1.2).encode(
        x=alt.X("x:Q", scale=x_scale, title=plot.x_title), y=alt.Y("y:Q", title=plot.y_title),
        detail="line:N",
        strokeDash=alt.condition("datum.dashed", alt.value([5, 4]), alt.value([1, 0])))
    domain = [gettext(FLAG_LABELS[f], lang) for f in FLAG_COLOURS]
    points = alt.Chart(plot.points).mark_circle(size=60, opacity=0.9, stroke="#333", strokeWidth=0.4).encode(
        x=alt.X("x:Q", scale=x_scale), y="value:Q",
        color=alt.Color("flag_label:N", scale=alt.Scale(domain=domain, range=list(FLAG_COLOURS.values())),
                        legend=alt.Legend(title=None, orient="bottom")),
        tooltip=[alt.Tooltip("label:N", title=gettext("Area", lang)),
                 alt.Tooltip("value_text:N", title=gettext("Value", lang)),
                 alt.Tooltip("x_text:N", title=plot.x_title),
                 alt.Tooltip("flag_label:N", title=gettext("Place on the funnel", lang))])
    names = alt.Chart(plot.points[plot.points["named"]]).mark_text(align="left", dx=6, dy=-6, fontSize=11).encode(
        x=alt.X("x:Q", scale=x_scale), y="value:Q", text="label:N")
    return alt.layer(lines, points, names).properties(height=380)


@st.cache_resource(show_spinner=False, max_entries=16)
def _funnel(signature: str, indicator_id: str, period: str, level: str, lang: str) -> FunnelPlot | NoFunnel:
    # a resource: read only, and the limits cost a root search per point of the curves
    return funnel_plot(map_data.map_view(indicator_id, period, level, "quantiles", 5, lang))


def funnel_section(indicator_id: str, period: str, level: str, lang: str) -> None:
    """The funnel plot of the indicator, or a short note saying why it is not offered."""
    st.subheader(gettext("Funnel plot", lang))
    plot = _funnel(database_signature(), indicator_id, period, level, lang)
    if isinstance(plot, NoFunnel):
        st.caption(md_escape(plot.reason))
        return
    show_chart(chart(plot, lang), plot.description)
    st.caption(md_escape(plot.caption))
    out = plot.outliers
    if out.empty:
        st.caption(gettext("No area lies outside the 99.8% limits.", lang))
        return
    table = pd.DataFrame({gettext("Area", lang): out["label"], gettext("Value", lang): out["value_text"],
                          plot.x_title: out["x_text"], gettext("Place on the funnel", lang): out["flag_label"]})
    st.dataframe(table, hide_index=True, placeholder="—")
