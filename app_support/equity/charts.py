"""Altair charts of the Equity page (Vega-Lite ships with Streamlit: no network needed)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from atlas.equity.report import EquityReport
from atlas.mapping import COMPARE_COLOURS

from atlas.i18n import label as label_of

from .labels import VERDICTS

VERDICT_COLOURS = {**{k: v for k, v in COMPARE_COLOURS.items() if k in ("better", "similar", "worse", "higher",
                                                                          "lower")},
                   "not_compared": "#9e9e9e", "no_value": "#ffffff"}
RANKING_MAX = 60  # above this many areas the caterpillar shows the worst and best 30


def ranking_chart(report: EquityReport, lang: str) -> tuple[alt.Chart, int]:
    """Caterpillar plot: areas worst → best with CIs, the İzmir line, coloured by the 95 % verdict.
    Returns the chart and the number of areas left out of it (the middle of a long ranking)."""
    df = report.ranking
    cut = 0
    if len(df) > RANKING_MAX:
        half = RANKING_MAX // 2
        cut = len(df) - RANKING_MAX
        df = pd.concat([df.head(half), df.tail(half)])
    unit = report.indicator.unit.get(lang)
    label = [f"{n} ({d})" if isinstance(d, str) else str(n) for n, d in zip(df["name"], df["district_name"])]
    data = df.assign(label=label, verdict=[label_of(VERDICTS, v, lang) for v in df["verdict_95"]],
                     has_ci=df["lower_ci"].notna())
    order = list(data["label"])
    domain = [label_of(VERDICTS, v, lang) for v in VERDICT_COLOURS]
    colour = alt.Color("verdict:N", scale=alt.Scale(domain=domain, range=list(VERDICT_COLOURS.values())),
                       legend=alt.Legend(title=None, orient="bottom"))
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=220, labelOverlap=False, labelFontSize=11))
    base = alt.Chart(data)
    bars = base.transform_filter("datum.has_ci").mark_rule(color="#555").encode(
        y=y, x=alt.X("lower_ci:Q", title=unit), x2="upper_ci:Q")
    points = base.mark_circle(size=70, stroke="#333", strokeWidth=0.5, opacity=1).encode(
        y=y, x=alt.X("value:Q", title=unit, scale=alt.Scale(zero=False)), color=colour,
        tooltip=["label:N", alt.Tooltip("value:Q", format=",.2f"), "verdict:N"])
    layers = [bars, points]
    if report.izmir.value is not None:
        rule = alt.Chart(pd.DataFrame({"x": [report.izmir.value]})).mark_rule(color="#000", strokeDash=[4, 3]).encode(
            x="x:Q")
        layers.append(rule)
    height = max(200, 19 * len(data))
    return alt.layer(*layers).properties(height=height), cut


def equiplot(report: EquityReport, lang: str) -> alt.Chart | None:
    """The groups on one line (equiplot): each group a dot, the line spanning the gap."""
    g = report.groups
    if g is None:
        return None
    data = pd.DataFrame({"group": [lab.get(lang) for lab in g.labels], "value": list(g.values),
                         "order": list(range(1, g.n_groups + 1)), "row": report.indicator.title.get(lang)})
    data = data.dropna(subset=["value"])
    unit = report.indicator.unit.get(lang)
    line = alt.Chart(data).mark_rule(color="#bbb", strokeWidth=3).encode(
        x=alt.X("min(value):Q", title=unit, scale=alt.Scale(zero=False)), x2="max(value):Q",
        y=alt.Y("row:N", title=None))
    dots = alt.Chart(data).mark_circle(size=220, opacity=1, stroke="#333", strokeWidth=0.5).encode(
        x="value:Q", y="row:N",
        color=alt.Color("order:O", scale=alt.Scale(scheme="viridis"), legend=None),
        tooltip=["group:N", alt.Tooltip("value:Q", format=",.2f")])
    labels = alt.Chart(data).mark_text(dy=-16, fontSize=11).encode(x="value:Q", y="row:N", text="group:N")
    if g.ordered:
        labels = labels.transform_filter(f"datum.order == 1 || datum.order == {g.n_groups}")
    return alt.layer(line, dots, labels).properties(height=110)


def gap_chart(report: EquityReport, lang: str) -> alt.Chart | None:
    series = [(p, m) for p, m in report.gap_series if m is not None]
    if len(series) < 2:
        return None
    data = pd.DataFrame({"period": [p for p, _ in series], "value": [m.value for _, m in series],
                         "lower": [m.lower for _, m in series], "upper": [m.upper for _, m in series]})
    name = series[0][1].name.get(lang)
    points = alt.Chart(data).mark_line(point=True).encode(x=alt.X("period:O", title=None),
                                                          y=alt.Y("value:Q", title=name))
    bars = alt.Chart(data.dropna(subset=["lower", "upper"])).mark_rule().encode(x="period:O", y="lower:Q",
                                                                                 y2="upper:Q")
    return alt.layer(bars, points).properties(height=240)
