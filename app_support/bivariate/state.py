"""The double-burden page's state: indicator x, indicator y and level, kept in the URL
(``?x=…&y=…&level=…&lang=…``) so a link reopens the same view. A URL the session has not written
itself is resolved again (``atlas.bivariate.view.resolve_state``); each invalid parameter becomes a
notice on the page and a default is used."""

from __future__ import annotations

import streamlit as st

from atlas.bivariate.view import PARAMS, BivariateState, bivariate_choices, resolve_state
from atlas.i18n import gettext, label
from atlas.views.view_state import Availability, Notice

from ..chrome.labels import LEVELS

STATE_KEY = "bivariate_state"
URL_KEY = "bivariate_url"
NOTICES_KEY = "bivariate_notices"
W = {field: f"bv_w_{field}" for field in PARAMS}


def _url() -> dict[str, str]:
    return {k: st.query_params[k] for k in PARAMS if st.query_params.get(k) not in (None, "")}


def _set_widgets(state: BivariateState) -> None:
    for field in PARAMS:
        st.session_state[W[field]] = getattr(state, field)


def current(avail: Availability) -> tuple[BivariateState, list[Notice]]:
    url = _url()
    if STATE_KEY not in st.session_state or url != st.session_state.get(URL_KEY):
        state, notices = resolve_state(url, avail)
        st.session_state[STATE_KEY] = state
        st.session_state[NOTICES_KEY] = notices
        _set_widgets(state)
    elif any(key not in st.session_state for key in W.values()):  # back from another page: Streamlit dropped them
        _set_widgets(st.session_state[STATE_KEY])
    return st.session_state[STATE_KEY], list(st.session_state.get(NOTICES_KEY, []))


def _changed(field: str, avail: Availability) -> None:
    state: BivariateState = st.session_state[STATE_KEY]
    value = st.session_state[W[field]]
    params = state.to_params()
    if value is not None:
        params[field] = value
    if field == "x" and params["x"] == params["y"]:  # swapped: the other axis takes the old choice
        params["y"] = state.x
    if field == "y" and params["x"] == params["y"]:
        params["x"] = state.y
    new, _ = resolve_state(params, avail)
    st.session_state[STATE_KEY] = new
    st.session_state[NOTICES_KEY] = []
    _set_widgets(new)


def sidebar(state: BivariateState, avail: Availability, titles: dict[str, str], lang: str) -> None:
    sb = st.sidebar
    sb.subheader(gettext("Double burden", lang))

    def on(field: str) -> dict:
        return {"key": W[field], "on_change": _changed, "args": (field, avail)}

    levels = [lv for lv in ("district", "mahalle") if bivariate_choices(avail, lv)]
    sb.radio(gettext("Level", lang), levels, format_func=lambda lv: label(LEVELS, lv, lang), horizontal=True,
             **on("level"))
    choices = sorted(bivariate_choices(avail, state.level), key=lambda i: titles.get(i, i))
    sb.selectbox(gettext("Indicator across (x)", lang), choices, format_func=lambda i: titles.get(i, i), **on("x"))
    sb.selectbox(gettext("Indicator up (y)", lang), choices, format_func=lambda i: titles.get(i, i), **on("y"))


def write_url(state: BivariateState, lang: str) -> None:
    params = {**state.to_params(), "lang": lang}
    if dict(st.query_params) != params:
        st.query_params.from_dict(params)
    st.session_state[URL_KEY] = state.to_params()
