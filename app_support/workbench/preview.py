"""The preview of a staged database before it is published: the map with its legend, the table,
the equity summary and the comparison with what is published now; for a point layer, its points
on the map.

The staged database is the session's own file (``atlas.workbench.stage.Staged.path``); it is
opened read-only for each drawing and closed again, never through the app's shared connection.
Nothing of it goes to the public static folder: a staged point layer's data is sent inside the
map's spec, not as a file other sessions could fetch.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from atlas import db as atlas_db
from atlas import queries
from atlas.catalogue import Indicator, indicator_from_json
from atlas.i18n import gettext, label, ngettext
from atlas.mapping import format_number
from atlas.views.map_view import MapView, build_map_view, layer_payload
from atlas.views.view_state import DEFAULT_K, DEFAULT_SCHEME

from ..chrome.labels import LEVELS
from ..chrome.page import md_escape, name_maps
from ..map import data as map_data
from ..map import panels as map_panels
from ..map.choropleth import base_map, payload_layer, points_layer


@contextmanager
def _staged_connection(path: Path) -> Iterator:
    con = atlas_db.connect(path, read_only=True)
    try:
        yield con
    finally:
        con.close()


def _indicator(con, indicator_id: str) -> Indicator:
    meta = queries.run(con, "get_indicator_meta", {"indicator_id": indicator_id})
    return indicator_from_json(str(meta.at[0, "metadata_json"]))


@st.cache_resource(show_spinner=False, max_entries=8)
def _staged_view(path: str, stamp: int, indicator_id: str, period: str, level: str, lang: str) -> tuple[MapView, dict,
                                                                                                        str | None]:
    """The map view, its payload and the equity summary of the staged database (``stamp``: the file's
    modification time, so a new staging is a new entry)."""
    from atlas.equity import export_summary

    with _staged_connection(Path(path)) as con:
        ind = _indicator(con, indicator_id)
        mv = build_map_view(con, ind, period, level, DEFAULT_SCHEME, DEFAULT_K, lang)
        payload = layer_payload(mv, map_data.geometry(level).codes)  # the areas are those of the served database
        summary = export_summary(con, mv)
    return mv, payload, summary


def values_preview(staged, lang: str) -> None:
    """Map, legend, table and equity summary of the staged indicator, at a level and period chosen here."""
    report = staged.report
    st.markdown("**" + gettext("The new values as they will appear", lang) + "**")
    left, right = st.columns(2)
    level = left.selectbox(gettext("Level", lang), list(report.levels), format_func=lambda v: label(LEVELS, v, lang),
                           key="wb_preview_level")
    period = right.selectbox(gettext("Period", lang), list(report.periods), index=len(report.periods) - 1,
                             key="wb_preview_period")
    path = Path(staged.path)
    mv, payload, summary = _staged_view(str(path), path.stat().st_mtime_ns, report.indicator_id, period, level, lang)
    st.subheader(md_escape(mv.title))
    map_col, legend_col = st.columns([3, 1], gap="medium")
    with map_col:
        layer = payload_layer(payload, level, map_data.layer_geometry(level))
        st_folium(base_map(), key="wb_preview_map", feature_group_to_add=layer, returned_objects=[],
                  use_container_width=True, height=480)
    with legend_col:
        map_panels.legend(mv)
        map_panels.source_line(mv)
        name_maps([gettext("Preview map: {title}, {period}, {level}", lang, title=mv.title, period=period,
                           level=label(LEVELS, level, lang))])
    st.markdown("**" + gettext("Equity summary", lang) + "**")
    if summary:
        st.info(md_escape(summary))
    else:
        st.caption(gettext("No equity summary can be made for this level and period.", lang))
    map_panels.values_table(mv)


def points_preview(staged, lang: str) -> None:
    """The staged point layer on the map, and how many points fall in each district."""
    from atlas.views import point_layers as point_views

    report = staged.report
    with _staged_connection(Path(staged.path)) as con:
        layers = point_views.list_layers(con)
        places = point_views.layer_places(con, report.layer_id)
    layer = next((lay for lay in layers if lay.id == report.layer_id), None)
    if layer is None:
        st.warning(gettext("The staged layer holds no points to show.", lang))
        return
    st.markdown("**" + gettext("The points as they will appear", lang) + "**")
    spec = {"id": layer.id, "data": point_views.map_payload(places),
            **point_views.layer_style(layer.id, [lay.id for lay in layers], layer.n),
            "labels": point_views.tooltip_words(layer, lang)}
    st_folium(base_map(), key="wb_preview_points", feature_group_to_add=points_layer([spec]), returned_objects=[],
              use_container_width=True, height=480)
    name_maps([gettext("Preview map: {title}", lang, title=layer.title.get(lang))])
    st.caption(md_escape(ngettext("{title}: {n} point", "{title}: {n} points", layer.n, lang,
                                  title=layer.title.get(lang))))
    if report.by_district:
        df = pd.DataFrame(list(report.by_district), columns=[gettext("District", lang), gettext("Points", lang)])
        st.dataframe(df, hide_index=True, placeholder="—")


def _status_word(now: str, lang: str) -> str:
    return gettext("removed", lang) if now == "removed" else now


def show_diff(diff, lang: str) -> None:
    """The comparison (``atlas.workbench.diff.Diff``): counts, indicators, per group, largest changes,
    areas that lost a value, point layers. Names and ids from the data are shown as table cells (text)."""
    if diff.empty:
        st.info(gettext("Publishing this file would change nothing: the values are those published now.", lang))
        return
    a, c, r = st.columns(3)
    a.metric(gettext("Values added", lang), format_number(diff.added, lang, 0))
    c.metric(gettext("Values changed", lang), format_number(diff.changed, lang, 0))
    r.metric(gettext("Values removed", lang), format_number(diff.removed, lang, 0))
    words = {"added": gettext("new indicator", lang), "removed": gettext("indicator removed", lang),
             "entry_changed": gettext("catalogue entry changed", lang)}
    for change in diff.indicators:
        st.caption(md_escape(f"{change.indicator_id}: {words.get(change.change, change.change)}"))
    ind, lvl, per = gettext("Indicator", lang), gettext("Level", lang), gettext("Period", lang)
    if diff.groups:
        st.dataframe(pd.DataFrame([{ind: g.indicator_id, lvl: label(LEVELS, g.level, lang), per: g.period,
                                    gettext("Added", lang): g.added, gettext("Changed", lang): g.changed,
                                    gettext("Removed", lang): g.removed} for g in diff.groups]), hide_index=True, placeholder="—")
    if diff.largest:
        st.markdown("**" + gettext("The largest changes", lang) + "**")
        st.dataframe(pd.DataFrame([{ind: v.indicator_id, lvl: label(LEVELS, v.level, lang), per: v.period,
                                    gettext("Area", lang): v.area, gettext("Published now", lang):
                                    format_number(v.old, lang, 2), gettext("After publishing", lang):
                                    format_number(v.new, lang, 2), gettext("Difference", lang):
                                    format_number(v.difference, lang, 2)} for v in diff.largest]), hide_index=True, placeholder="—")
    if diff.lost:
        st.markdown("**" + ngettext("{n} area loses its value", "{n} areas lose their value", len(diff.lost),
                                    lang) + "**")
        st.dataframe(pd.DataFrame([{ind: v.indicator_id, lvl: label(LEVELS, v.level, lang), per: v.period,
                                    gettext("Area", lang): v.area, gettext("Published now", lang):
                                    format_number(v.old, lang, 2), gettext("After publishing", lang):
                                    _status_word(v.now, lang)} for v in diff.lost]), hide_index=True, placeholder="—")
    if diff.layers:
        st.dataframe(pd.DataFrame([{gettext("Point layer", lang): lay.layer_id, gettext("Added", lang): lay.added,
                                    gettext("Changed", lang): lay.changed, gettext("Removed", lang): lay.removed}
                                   for lay in diff.layers]), hide_index=True, placeholder="—")


def comparison(staged, lang: str) -> None:
    """What publishing would change, from ``staged.diff`` (``atlas.workbench.diff``)."""
    st.markdown("**" + gettext("Compared with what is published now", lang) + "**")
    show_diff(staged.diff, lang)


def show(staged, lang: str) -> None:
    """The whole preview of a staged upload (step 5 of the page)."""
    if staged.kind == "points":
        points_preview(staged, lang)
    else:
        values_preview(staged, lang)
    comparison(staged, lang)
