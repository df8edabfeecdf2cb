"""Harita / Map explorer: any indicator × period × level as a choropleth, with legend and table."""

import streamlit as st
from streamlit_folium import st_folium

from app_support.map import data as map_data
from app_support.map import panels as map_panels
from app_support.map import state as map_state
from app_support.map.choropleth import base_map, payload_layer, points_layer
from app_support.map.labels import labels_layer
from app_support.chrome.page import current_lang, ensure_app_navigation, md_escape, name_maps, show_data_error
from app_support.export.panel import export_panel
from app_support.chrome.labels import LEVELS, SCHEMES
from atlas.i18n import gettext, label
from atlas.errors import MissingDataError, QueryError
from atlas.views.map_view import area_at, focus_bounds
from atlas.mapping.bounds import coverage, coverage_note

ensure_app_navigation()
lang = current_lang()

try:
    indicators = map_data.indicators()
    avail = map_data.availability()
    areas = map_data.areas()
    point_layers = map_data.point_layers()
except (MissingDataError, QueryError) as exc:
    show_data_error(exc, lang)  # st.error naming the file and what to do; st.stop()
if not avail.indicators:
    st.info(gettext("The database holds no values to map.", lang))
    st.stop()

view, notices = map_state.current_view(avail, areas["code"], lang, point_layers=[p.id for p in point_layers])
for notice in notices:
    st.warning(map_state.notice_text(notice, lang))
search = map_data.search(view.level, lang)
show_hidden = map_state.sidebar_controls(view, avail, indicators, search, areas, lang,
                                         point_layers={p.id: p.title.get(lang) for p in point_layers})
map_state.write_url(view, lang)

mv = map_data.map_view(view.indicator, view.period, view.level, view.scheme, view.k, lang, show_hidden)
cover = coverage(mv.frame)  # the map opens on the areas with a value (fitted again when they change) …
focus = focus_bounds(mv, view.area)  # … unless an area is chosen (a link's or the session's): it is zoomed to
geometry = {**map_data.layer_geometry(view.level), "focusBounds": focus,
            "fit": {"key": f"map:{cover.fit_key}", "bounds": cover.bounds, "keepMoved": True} if cover.bounds and not focus else None}

st.subheader(md_escape(mv.title))
st.caption(gettext("{period} · {level} · {scheme}", lang, period=md_escape(view.period), level=label(LEVELS, view.level, lang),
             scheme=label(SCHEMES, mv.scheme, lang)))
map_col, legend_col = st.columns([3, 1], gap="medium")
with map_col:
    payload = map_data.payload(view.indicator, view.period, view.level, view.scheme, view.k, lang, show_hidden)
    layer = payload_layer(payload, view.level, geometry, focus=view.area)
    points = map_data.point_specs(view.points, lang)  # each layer's data is a file fetched once
    names = labels_layer(view.level, show_hidden)  # district and mahalle names (issue #22)
    groups = [layer, points_layer(points), names] if point_layers else [layer, names]
    output = st_folium(base_map(), key="atlas_map", feature_group_to_add=groups,
                       returned_objects=["last_clicked"], use_container_width=True, height=620)
    if (note := coverage_note(cover, view.level, lang)) is not None:
        st.caption(note)
    st.caption(gettext("Click an area to open its profile; hover to see its value.", lang))
    map_panels.point_credits(point_layers, view.points, lang)
with legend_col:
    map_panels.legend(mv)
    map_panels.source_line(mv)
    map_panels.point_legend(points, point_layers, lang)
    # (last in the column: the script's element must not move the map a visitor is about to click)
    name_maps([gettext("Map: {title}, {period}, {level}", lang, title=mv.title, period=view.period,
                       level=label(LEVELS, view.level, lang))])
    if view.area in search:
        st.markdown(gettext("Selected area: {name}", lang, name=md_escape(search[view.area])))
        st.page_link("pages/profile.py", label=gettext("Open the area profile", lang),
                     query_params={**view.to_params(), "lang": lang})

clicked = map_state.new_click(output)
if clicked is not None:
    code = area_at(mv, *clicked)
    if code is not None:
        st.switch_page("pages/profile.py", query_params={**view.to_params(), "area": code, "lang": lang})

map_panels.values_table(mv)
map_panels.downloads(mv)
export_panel(mv, view, lang)
