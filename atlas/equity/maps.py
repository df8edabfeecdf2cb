"""Map layers of the equity report: LISA clusters and potential gain, as plain data.

Each function returns a :class:`LayerData` (per area a style key and an escaped tooltip, the styles,
and legend rows) in the same shape as ``atlas.views.map_view.layer_payload``, so the same browser layer
(``static/atlas/choropleth.js``) draws them and the same legend code lists them.

Cluster colours follow GeoDa's LISA cluster map (high-high red, low-low blue, high-low light red,
low-high light blue, not significant light grey).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from ..i18n import N_, gettext, label
from ..mapping import LegendItem, class_style, classify, colours_for, format_value, legend_items
from ..mapping.palette import STATUS_STYLES
from .lisa import LisaResult
from .report import EquityReport, difference_unit

CLUSTER_COLOURS = {"HH": "#d7191c", "LL": "#2c7bb6", "HL": "#fdae61", "LH": "#abd9e9", "ns": "#f0f0f0",
                   "island": "#bdbdbd"}
#: The legend label of each LISA cluster (messages: ``label(CLUSTER_LABELS, cluster, lang)``).
CLUSTER_LABELS: dict[str, str] = {
    "HH": N_("High-high (hot spot)"),
    "LL": N_("Low-low (cold spot)"),
    "HL": N_("High-low (outlier)"),
    "LH": N_("Low-high (outlier)"),
    "ns": N_("Not significant"),
    "island": N_("No neighbour (left out)"),
    "no_value": N_("No data"),
}


@dataclass(frozen=True)
class LayerData:
    codes: tuple[str, ...]
    keys: tuple[str, ...]
    tips: tuple[str, ...]
    styles: dict[str, dict]
    legend: tuple[LegendItem, ...]

    def payload(self) -> dict[str, Any]:
        return {"codes": list(self.codes), "keys": list(self.keys), "tips": list(self.tips), "styles": self.styles}


def _names(frame: pd.DataFrame) -> dict[str, str]:
    out = {}
    for code, name, district in zip(frame["area_code"], frame["name"], frame["district_name"]):
        label = f"<b>{html.escape(str(name))}</b>"
        if isinstance(district, str):
            label += f" · {html.escape(district)}"
        out[str(code)] = label
    return out


def lisa_layer(lisa: LisaResult, areas: pd.DataFrame, lang: str) -> LayerData:
    """The LISA cluster of every area in ``areas`` (columns area_code, name, district_name)."""
    res = lisa.frame.set_index("area_code")
    names = _names(areas)
    codes, keys, tips = [], [], []
    for code in areas["area_code"].astype(str):
        cluster = str(res["cluster"].get(code, "no_value")) if code in res.index else "no_value"
        key = cluster if cluster in CLUSTER_COLOURS else "missing"
        tip = [names[code], html.escape(gettext(CLUSTER_LABELS.get(cluster, CLUSTER_LABELS["no_value"]), lang))]
        if code in res.index and cluster not in ("no_value", "island"):
            tip.append(f"p = {res.loc[code, 'p_sim']:.3f}")
        codes.append(code)
        keys.append(key)
        tips.append("<br>".join(tip))
    styles = {key: class_style(colour) for key, colour in CLUSTER_COLOURS.items()}
    styles["missing"] = dict(STATUS_STYLES["missing"])
    counts = pd.Series(keys).value_counts()
    legend = []
    for key in ("HH", "LL", "HL", "LH", "ns", "island", "missing"):
        n = int(counts.get(key, 0))
        if n or key in ("HH", "LL"):
            text = label(CLUSTER_LABELS, "no_value" if key == "missing" else key, lang)
            legend.append(LegendItem(kind="class" if key != "missing" else "status", key=key, label=text,
                                     colour=styles[key]["fillColor"], count=n, style=styles[key]))
    return LayerData(tuple(codes), tuple(keys), tuple(tips), styles, tuple(legend))


def gain_layer(report: EquityReport, areas: pd.DataFrame, lang: str, k: int = 5) -> LayerData | None:
    """Potential gain per area (distance to the best tenth's value), classed in quantiles; the
    largest gains darkest. None when the indicator has no polarity (no 'best')."""
    ind = report.indicator
    if report.gain_target is None or report.gain.empty:
        return None
    gain = report.gain.set_index("area_code")["gain"]
    codes = [str(c) for c in areas["area_code"]]
    values = [float(gain[c]) if c in gain.index else None for c in codes]
    cls = classify(values, "quantiles", k, polarity="lower_is_better")
    colours = colours_for(cls)
    statuses = ["ok" if v is not None else "missing" for v in values]
    gain_unit = difference_unit(ind)  # a gain is a difference: percentages gain percentage points
    legend = legend_items(cls, colours, replace(ind, unit=gain_unit), lang,
                          pd.Series(statuses).value_counts().to_dict())
    styles = {str(i): class_style(c) for i, c in enumerate(colours)}
    styles["missing"] = dict(STATUS_STYLES["missing"])
    names = _names(areas)
    target = html.escape(gettext("target (best 10%): {value}", lang,
                                 value=format_value(report.gain_target, ind.unit, lang, ind.decimals)))
    keys, tips = [], []
    for code, v, c in zip(codes, values, cls.classes):
        keys.append(str(c) if v is not None and c >= 0 else "missing")
        if v is not None:
            line = gettext("Potential gain: {value}", lang, value=format_value(v, gain_unit, lang, ind.decimals))
        else:
            line = gettext(CLUSTER_LABELS["no_value"], lang)
        line = html.escape(line)
        tips.append(f"{names[code]}<br>{line}<br><small>{target}</small>")
    return LayerData(tuple(codes), tuple(keys), tuple(tips), styles, tuple(legend))
