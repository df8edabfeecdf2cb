"""The map explorer's state: the URL, the sidebar widgets and the view they describe.

The view (``atlas.views.view_state.View``) lives in ``st.session_state[VIEW_KEY]`` and in the URL
(``indicator``, ``period``, ``level``, ``scheme``, ``k``, ``area``, ``points``; ``lang`` is the chrome's).
A URL the session has not written itself (a shared link, a link from the profile page) is resolved
again with ``resolve_view``; each invalid parameter becomes a notice. Widgets only change the
view through their callbacks (``with_changes`` keeps period and level valid), and the widgets'
own keys are set from the view before they are drawn, so widget, view and URL always agree.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Iterable

import pandas as pd
import streamlit as st

from atlas.catalogue import Indicator
from atlas.mapping import format_number
from atlas.views.map_view import search_matches
from atlas.views import measures as families
from atlas.views.view_state import K_RANGE, PARAMS, Availability, Notice, View, resolve_view, with_changes
from atlas.views.view_state import LEVELS as VIEW_LEVELS

from . import data as map_data
from . import measures as map_measures
from ..chrome.page import md_echo, md_escape
from atlas.i18n import gettext, label

from ..chrome.labels import LEVELS, SCHEMES as SCHEME_LABELS

VIEW_KEY = "map_view"
URL_KEY = "map_view_url"
NOTICES_KEY = "map_notices"
SHOW_HIDDEN_KEY = "map_show_hidden"
LAST_CLICK_KEY = "map_last_click"
SEARCH_TEXT_KEY = "map_search_text"
SEARCH_LIST_MAX = 2000   # above this many areas the search is a text box, not one list of every area
SEARCH_MATCHES = 30      # matches offered at a time
SEARCH_TEXT_MAX = 60
WIDGETS = {field: f"map_w_{field}" for field in ("indicator", "level", "period", "scheme", "k", "area", "points")}
URL_PARAMS = tuple(p for p in PARAMS if p != "lang")


def _url_params() -> dict[str, str]:
    return {key: st.query_params[key] for key in URL_PARAMS if st.query_params.get(key) not in (None, "")}


def _set_widgets(view: View) -> None:
    indicators = map_data.indicators()
    for field, key in WIDGETS.items():
        value = getattr(view, field)
        st.session_state[key] = list(value) if field == "points" else value
    # the indicator list shows a family's head; the measure widgets pick the member (issue #19)
    st.session_state[WIDGETS["indicator"]] = map_measures.head(view, indicators, map_data.availability())
    map_measures.set_widgets(view, indicators)


def current_view(avail: Availability, area_codes: Iterable[str], lang: str, *,
                 point_layers: Iterable[str] = ()) -> tuple[View, list[Notice]]:
    """The view to draw and the notices about the URL it came from (kept until a widget changes).
    ``point_layers``: the ids of the point layers the URL's ``points`` may name."""
    url = _url_params()
    if VIEW_KEY not in st.session_state or url != st.session_state.get(URL_KEY):
        view, notices = resolve_view({**url, "lang": lang}, avail, area_codes=area_codes,
                                     point_layers=tuple(point_layers))
        st.session_state[VIEW_KEY] = view
        st.session_state[NOTICES_KEY] = notices
        _set_widgets(view)
    elif any(key not in st.session_state for key in WIDGETS.values()):
        # Back from another page with the URL this session wrote: Streamlit dropped the state of the map's
        # widgets while they were not drawn, so the boxes would open on their first option while the map
        # shows the URL's view, and choosing that option would change nothing (found by bench/bench_load.py).
        _set_widgets(st.session_state[VIEW_KEY])
    view = replace(st.session_state[VIEW_KEY], lang=lang)
    return view, list(st.session_state.get(NOTICES_KEY, []))


def write_url(view: View, lang: str) -> None:
    """Put the view into the address bar (so it can be shared) and remember it as written."""
    params = {**view.to_params(), "lang": lang}
    if {key: st.query_params.get(key) for key in params} != params or set(st.query_params) - set(params):
        st.query_params.from_dict(params)
    st.session_state[URL_KEY] = {key: value for key, value in params.items() if key != "lang"}


def notice_text(notice: Notice, lang: str) -> str:
    """The Markdown of a notice about a URL parameter; the link's value is quoted as literal text,
    cut to ``ECHO_MAX`` characters (whoever made the link chose it: it may be Markdown or a URL)."""
    given = md_echo(notice.given)
    if notice.param == "area":
        return gettext("The link's area code ({given}) was not found; no area is selected.", lang, given=given)
    if notice.param == "points":
        return gettext("The link names point layers that are not in the database ({given}); they are not shown. "
                       "Point layers: {allowed}.", lang, given=given,
                       allowed=md_escape(notice.allowed) or gettext("(none)", lang))
    allowed = (gettext("a whole number from {lo} to {hi}", lang, lo=K_RANGE[0], hi=K_RANGE[1]) if notice.param == "k"
               else md_escape(notice.allowed))
    return gettext("The link's “{param}” value ({given}) is not valid; “{used}” is shown instead. Allowed: {allowed}.", lang,
                   param=md_escape(notice.param), given=given, used=md_escape(notice.used), allowed=allowed)


def _changed(field: str, avail: Availability, area_levels: dict[str, str]) -> None:
    view: View = st.session_state[VIEW_KEY]
    if field in ("measure", "standard"):  # a family member: the view's indicator (issue #19)
        field, value = "indicator", map_measures.chosen_member(view, avail, map_data.indicators(), field)
    else:
        value = st.session_state[WIDGETS[field]]
    if field == "level" and value is not None:  # smoothed rates have mahalle values only: keep the measure
        value_levels = {i: avail.levels(i) for i in avail.indicators}
        view = replace(view, indicator=families.indicator_for_level(
            map_data.indicators(), value_levels, view.indicator, value))
    if field in ("indicator", "level", "period", "scheme") and value is None:
        value = getattr(view, field)  # a selectbox cleared by the user keeps the current choice
    if field == "points":
        value = tuple(value or ())
    new = with_changes(view, avail, **{field: value})
    if new.area and area_levels.get(new.area) not in ("district", new.level):
        new = replace(new, area=None)  # a mahalle cannot be selected on the district map
    st.session_state[VIEW_KEY] = new
    st.session_state[NOTICES_KEY] = []
    _set_widgets(new)


def sidebar_controls(view: View, avail: Availability, indicators: dict[str, Indicator],
                     search: dict[str, str], areas: pd.DataFrame, lang: str, *,
                     point_layers: dict[str, str] | None = None) -> bool:
    """Draw the map settings in the sidebar; returns whether hidden kinds (islands, OSB) are shown.
    ``point_layers``: id → title of the point layers that can be drawn over the map (none: no widget)."""
    area_levels = dict(zip(areas["code"], areas["level"]))

    def on(field: str) -> dict:
        key = {"measure": map_measures.MEASURE_KEY, "standard": map_measures.STANDARD_KEY}.get(field) or WIDGETS[field]
        return {"key": key, "on_change": _changed, "args": (field, avail, area_levels)}

    sb = st.sidebar
    sb.subheader(gettext("Map settings", lang))
    # one entry per family of measures (its head); a member is picked by the measure widgets
    ordered = sorted(families.listed(avail.indicators, indicators),
                     key=lambda i: (indicators[i].theme, indicators[i].title.get(lang)))
    sb.selectbox(gettext("Indicator", lang), ordered, format_func=lambda i: _indicator_label(indicators[i], lang),
                 **on("indicator"))
    map_measures.controls(sb, view, avail, indicators, lang, on)
    levels_of = {i: avail.levels(i) for i in avail.indicators}
    sb.radio(gettext("Level", lang), families.family_levels(indicators, levels_of, view.indicator, VIEW_LEVELS),
             format_func=lambda lv: label(LEVELS, lv, lang), horizontal=True, **on("level"))
    sb.selectbox(gettext("Period", lang), avail.periods(view.indicator, view.level), **on("period"))
    sb.selectbox(gettext("Classification", lang), avail.schemes(view.indicator, view.period), format_func=lambda s: label(SCHEME_LABELS, s, lang), **on("scheme"))
    sb.slider(gettext("Number of classes", lang), K_RANGE[0], K_RANGE[1], disabled=view.scheme == "compare_izmir",
              help=gettext("Not used when comparing with İzmir.", lang), **on("k"))
    if view.area is not None and view.area not in search:
        st.session_state[WIDGETS["area"]] = None
    if len(search) <= SEARCH_LIST_MAX:
        sb.selectbox(gettext("Find a mahalle or district", lang), list(search), format_func=search.__getitem__,
                     placeholder=gettext("Start typing…", lang), **on("area"))
    else:
        _search_by_text(sb, view, search, lang, on("area"))
    show_hidden = False
    if view.level == "mahalle":
        show_hidden = sb.checkbox(gettext("Show islands, industrial and free zones", lang), key=SHOW_HIDDEN_KEY)
    if point_layers:
        st.session_state[WIDGETS["points"]] = [p for p in view.points if p in point_layers]
        sb.multiselect(gettext("Point layers", lang), list(point_layers), format_func=point_layers.__getitem__,
                       placeholder=gettext("Show bus stops, stations, parks…", lang),
                       help=gettext("Drawn over the map; hover a point to see its name.", lang), **on("points"))
    return show_hidden


def _search_by_text(sb, view: View, search: dict[str, str], lang: str, on_area: dict) -> None:
    """The area search of a level too large for one list (every option would be sent to the
    browser on every rerun): a text box, then the first matches to pick from."""
    text = sb.text_input(gettext("Find a mahalle or district", lang), key=SEARCH_TEXT_KEY, max_chars=SEARCH_TEXT_MAX,
                         placeholder=gettext("Type part of the name, then Enter", lang))
    found, total = search_matches(search, map_data.search_folded(view.level, lang), text, SEARCH_MATCHES)
    if view.area in search:
        found = {view.area: search[view.area], **found}  # the selected area stays selectable
    if st.session_state.get(on_area["key"]) not in found:
        st.session_state[on_area["key"]] = None
    if text.strip() and not total:
        sb.caption(gettext("No area matches “{text}”.", lang, text=md_echo(text)))
    if not found:
        return
    sb.selectbox(gettext("Matches", lang), list(found), format_func=found.__getitem__,
                 placeholder=gettext("Pick one", lang), **on_area)
    if total > SEARCH_MATCHES:
        sb.caption(gettext("Showing the first {shown} of {total} matches; narrow the search.", lang, shown=SEARCH_MATCHES, total=format_number(total, lang, 0)))


def _indicator_label(ind: Indicator, lang: str) -> str:
    title = ind.title.get(lang)
    badge = gettext("proxy", lang)
    # some catalogue titles already say they are a proxy ("…, vekil gösterge)")
    return f"{title} ({badge})" if ind.proxy and badge not in title else title


def new_click(output: dict | None) -> tuple[float, float] | None:
    """The (lon, lat) of a map click not handled before, from st_folium's return value."""
    clicked = (output or {}).get("last_clicked")
    if not clicked:
        return None
    point = (float(clicked["lng"]), float(clicked["lat"]))
    if st.session_state.get(LAST_CLICK_KEY) == point:
        return None
    st.session_state[LAST_CLICK_KEY] = point
    return point
