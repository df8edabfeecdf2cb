"""The area profile's "Nearest points" section: per point layer (bus stops, rail stations, parks,
…), the points nearest to the area with their straight-line distance, and the layer's attribution."""

from __future__ import annotations

import streamlit as st

from atlas.i18n import gettext
from atlas.mapping import format_number
from atlas.views.point_layers import NEAREST_K, NearestList, NearPoint, kind_label

from ..chrome.page import md_escape


def point_line(p: NearPoint, lang: str) -> str:
    """One point as a Markdown list item: distance, name, kind and lines (texts from data escaped)."""
    parts = [md_escape(p.name) if p.name else gettext("(no name)", lang)]
    if p.kind:
        parts.append(md_escape(kind_label(p.kind, lang)))
    if p.lines:
        parts.append(gettext("Lines: {lines}", lang, lines=md_escape(", ".join(p.lines))))
    distance = gettext("{metres} m", lang, metres=format_number(round(p.distance_m), lang, 0))
    return f"- **{distance}** · " + " · ".join(parts)


def nearest_section(lists: tuple[NearestList, ...], lang: str) -> None:
    """Draw the section (nothing when the database holds no point layer)."""
    if not lists:
        return
    st.subheader(gettext("Nearest points", lang))
    st.caption(gettext("For each point layer, the {k} points nearest to the area, by straight-line distance from the "
                       "area's centre (its centroid, or a point inside the area when the centroid lies outside it), "
                       "measured in UTM zone 35N. A walk is longer than the straight line.", lang, k=NEAREST_K))
    for near in lists:
        layer = near.layer
        st.markdown("**" + md_escape(layer.title.get(lang)) + "**")
        if not near.points:
            st.caption(gettext("No point in this layer.", lang))
            continue
        st.markdown("\n".join(point_line(p, lang) for p in near.points))
        st.caption(md_escape(layer.credit(lang)))
