"""The Equity page's state: indicator, period, level (as on the map, from the same URL parameters),
grouping and number of groups; kept in the URL so a link reopens the same report."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from atlas.equity.report import DEFAULT_STRATIFIER
from atlas.views.view_state import Availability, Notice, View, resolve_view, with_changes

from atlas.i18n import gettext, label

from ..chrome.labels import LEVELS
from .labels import GROUP_COUNTS

STATE_KEY = "equity_view"
URL_KEY = "equity_url"
NOTICES_KEY = "equity_notices"
W = {"indicator": "eq_w_indicator", "level": "eq_w_level", "period": "eq_w_period",
     "stratifier": "eq_w_stratifier", "groups": "eq_w_groups"}
URL_PARAMS = ("indicator", "period", "level", "stratifier", "groups")
BY_DISTRICT = "districts"
GROUPS = (5, 10)


def _url() -> dict[str, str]:
    return {k: st.query_params[k] for k in URL_PARAMS if st.query_params.get(k) not in (None, "")}


def _extras(url: dict[str, str], stratifiers: list[str], notices: list[Notice]) -> dict:
    strat = url.get("stratifier")
    if strat is not None and strat != BY_DISTRICT and strat not in stratifiers:
        notices.append(Notice("stratifier", strat, "", ", ".join([BY_DISTRICT, *stratifiers])))
        strat = None
    groups = url.get("groups")
    if groups is not None and groups not in {str(g) for g in GROUPS}:
        notices.append(Notice("groups", groups, "5", "5, 10"))
        groups = None
    return {"stratifier": strat, "groups": int(groups) if groups else 5}


def current(avail: Availability, stratifiers: list[str], lang: str) -> tuple[View, dict, list[Notice]]:
    """The view (indicator, period, level), the extras (stratifier, groups) and URL notices."""
    url = _url()
    if STATE_KEY not in st.session_state or url != st.session_state.get(URL_KEY):
        view, notices = resolve_view({k: v for k, v in url.items() if k in ("indicator", "period", "level")},
                                     avail)
        extras = _extras(url, stratifiers, notices)
        st.session_state[STATE_KEY] = (view, extras)
        st.session_state[NOTICES_KEY] = notices
        _set_widgets(view, extras)
    view, extras = st.session_state[STATE_KEY]
    return replace(view, lang=lang), dict(extras), list(st.session_state.get(NOTICES_KEY, []))


def _set_widgets(view: View, extras: dict) -> None:
    for field in ("indicator", "level", "period"):
        st.session_state[W[field]] = getattr(view, field)
    st.session_state[W["stratifier"]] = extras["stratifier"] or BY_DISTRICT
    st.session_state[W["groups"]] = extras["groups"]


def _changed(field: str, avail: Availability) -> None:
    view, extras = st.session_state[STATE_KEY]
    value = st.session_state[W[field]]
    if field in ("indicator", "level", "period"):
        view = with_changes(view, avail, **{field: value if value is not None else getattr(view, field)})
    elif field == "stratifier":
        extras = {**extras, "stratifier": None if value in (None, BY_DISTRICT) else value}
    else:
        extras = {**extras, "groups": int(value)}
    st.session_state[STATE_KEY] = (view, extras)
    st.session_state[NOTICES_KEY] = []
    _set_widgets(view, extras)


def sidebar(view: View, extras: dict, avail: Availability, titles: dict[str, str], stratifiers: list[str],
            lang: str) -> None:
    sb = st.sidebar
    sb.subheader(gettext("Equity settings", lang))

    def on(field: str) -> dict:
        return {"key": W[field], "on_change": _changed, "args": (field, avail)}

    ordered = sorted(avail.indicators, key=lambda i: titles[i])
    sb.selectbox(gettext("Indicator", lang), ordered, format_func=titles.__getitem__, **on("indicator"))
    sb.radio(gettext("Level", lang), avail.levels(view.indicator), format_func=lambda lv: label(LEVELS, lv, lang),
             horizontal=True, **on("level"))
    sb.selectbox(gettext("Period", lang), avail.periods(view.indicator, view.level), **on("period"))
    options = ([BY_DISTRICT] if view.level == "district" else []) + stratifiers
    if st.session_state.get(W["stratifier"]) not in options:
        st.session_state[W["stratifier"]] = DEFAULT_STRATIFIER if DEFAULT_STRATIFIER in options else (
            options[0] if options else None)
    sb.selectbox(gettext("Grouping (socio-economic indicator)", lang), options,
                 format_func=lambda s: gettext("Districts (unordered)", lang) if s == BY_DISTRICT else titles.get(s, s),
                 **on("stratifier"))
    sb.radio(gettext("Number of groups", lang), GROUPS, format_func=lambda g: label(GROUP_COUNTS, str(g), lang),
             disabled=st.session_state.get(W["stratifier"]) == BY_DISTRICT, **on("groups"))


def write_url(view: View, extras: dict, stratifier: str | None, lang: str) -> None:
    params = {"indicator": view.indicator, "period": view.period, "level": view.level,
              "stratifier": stratifier or BY_DISTRICT, "groups": str(extras["groups"]), "lang": lang}
    if dict(st.query_params) != params:
        st.query_params.from_dict(params)
    st.session_state[URL_KEY] = {k: v for k, v in params.items() if k != "lang"}
