"""The Equity page's state: indicator, period, level (as on the map, from the same URL parameters),
grouping and number of groups; kept in the URL so a link reopens the same report."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from atlas.equity.measures import group_codes
from atlas.equity.report import DEFAULT_STRATIFIER, EquityReport
from atlas.views.view_state import Availability, Notice, View, resolve_view, with_changes

from atlas.i18n import gettext, label

from ..chrome.labels import LEVELS
from ..map.state import notice_text
from .labels import GROUP_COUNTS

STATE_KEY = "equity_view"
URL_KEY = "equity_url"
NOTICES_KEY = "equity_notices"
W = {"indicator": "eq_w_indicator", "level": "eq_w_level", "period": "eq_w_period",
     "stratifier": "eq_w_stratifier", "groups": "eq_w_groups", "reference": "eq_w_reference"}
URL_PARAMS = ("indicator", "period", "level", "stratifier", "groups", "reference")
DEFAULT_REFERENCE = ""  # the reference select box's "HEAT's default" entry
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
    return {"stratifier": strat, "groups": int(groups) if groups else 5, "reference": url.get("reference")}


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
    elif any(key not in st.session_state for key in W.values()):  # back from another page: Streamlit dropped them
        _set_widgets(*st.session_state[STATE_KEY])
    view, extras = st.session_state[STATE_KEY]
    return replace(view, lang=lang), dict(extras), list(st.session_state.get(NOTICES_KEY, []))


def _set_widgets(view: View, extras: dict) -> None:
    for field in ("indicator", "level", "period"):
        st.session_state[W[field]] = getattr(view, field)
    st.session_state[W["stratifier"]] = extras["stratifier"] or BY_DISTRICT
    st.session_state[W["groups"]] = extras["groups"]
    st.session_state[W["reference"]] = extras.get("reference") or DEFAULT_REFERENCE


def _changed(field: str, avail: Availability) -> None:
    view, extras = st.session_state[STATE_KEY]
    value = st.session_state[W[field]]
    if field in ("indicator", "level", "period"):
        view = with_changes(view, avail, **{field: value if value is not None else getattr(view, field)})
        if field == "level":  # other groups: a reference group of the old ones means nothing
            extras = {**extras, "reference": None}
    elif field == "stratifier":
        extras = {**extras, "stratifier": None if value in (None, BY_DISTRICT) else value, "reference": None}
    elif field == "reference":
        extras = {**extras, "reference": value or None}
    else:
        extras = {**extras, "groups": int(value)}
    st.session_state[STATE_KEY] = (view, extras)
    st.session_state[NOTICES_KEY] = []
    _set_widgets(view, extras)


def sidebar(view: View, extras: dict, avail: Availability, titles: dict[str, str], stratifiers: list[str],
            lang: str, ordinal: frozenset[str] = frozenset()) -> None:
    """``ordinal``: stratifiers whose values are ordered categories (one group per value, no group count)."""
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
             disabled=st.session_state.get(W["stratifier"]) == BY_DISTRICT or st.session_state.get(W["stratifier"]) in ordinal,
             **on("groups"))


def reference_control(report: EquityReport, extras: dict, avail: Availability, lang: str) -> None:
    """The sidebar's choice of reference group (MDRW, MDRU, PAR, PAF), after the report is made
    (its groups are the choices). A reference that is not among the groups (an old link, or groups
    changed) is dropped, with a notice when it came from the link."""
    if report.groups is None:
        return
    codes = group_codes(report.groups.codes, report.groups.n_groups)
    given = extras.get("reference")
    if given is not None and report.reference is None:
        st.warning(notice_text(Notice("reference", given, gettext("Default", lang), ", ".join(codes)), lang))
        view, kept = st.session_state[STATE_KEY]
        st.session_state[STATE_KEY] = (view, {**kept, "reference": None})
        extras["reference"] = None
    if st.session_state.get(W["reference"]) not in [DEFAULT_REFERENCE, *codes]:
        st.session_state[W["reference"]] = DEFAULT_REFERENCE
    labels = dict(zip(codes, (lab.get(lang) for lab in report.groups.labels)))
    default = (gettext("Default: the most advantaged group", lang) if report.groups.ordered
               else gettext("Default: the best group (PAR, PAF only)", lang))
    st.sidebar.selectbox(gettext("Reference group (MDRW, MDRU, PAR, PAF)", lang), [DEFAULT_REFERENCE, *codes],
                         format_func=lambda c: default if c == DEFAULT_REFERENCE else labels[c],
                         key=W["reference"], on_change=_changed, args=("reference", avail))


def write_url(view: View, extras: dict, stratifier: str | None, lang: str) -> None:
    params = {"indicator": view.indicator, "period": view.period, "level": view.level,
              "stratifier": stratifier or BY_DISTRICT, "groups": str(extras["groups"]), "lang": lang}
    if extras.get("reference"):
        params["reference"] = extras["reference"]
    if dict(st.query_params) != params:
        st.query_params.from_dict(params)
    st.session_state[URL_KEY] = {k: v for k, v in params.items() if k != "lang"}
