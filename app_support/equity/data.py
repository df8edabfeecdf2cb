"""Cached equity reports for the Equity page (keyed by the database file and the request)."""

from __future__ import annotations

import streamlit as st

from atlas.equity.measures import group_codes
from atlas.equity.report import EquityReport, equity_report, stratifier_choices

from ..chrome.page import database_signature, get_connection
from ..map.data import _indicators


@st.cache_data(show_spinner=False, max_entries=32)
def _report(signature: str, indicator_id: str, period: str, level: str, stratifier: str | None,
            n_groups: int, reference: str | None = None) -> EquityReport:
    ind = _indicators(signature)[indicator_id]
    cur = get_connection(signature).cursor()
    try:
        return equity_report(cur, ind, period, level, stratifier=stratifier, n_groups=n_groups, reference=reference)
    finally:
        cur.close()


@st.cache_data(show_spinner=False, max_entries=8)
def _stratifiers(signature: str, level: str) -> list[str]:
    cur = get_connection(signature).cursor()
    try:
        return stratifier_choices(cur, _indicators(signature), level)
    finally:
        cur.close()


def report(indicator_id: str, period: str, level: str, stratifier: str | None, n_groups: int,
           reference: str | None = None) -> EquityReport:
    """The report; with ``reference`` (a group code) when it names one of the groups, else without
    (the report's ``reference`` is then None, and the page says the link's value was not used)."""
    base = _report(database_signature(), indicator_id, period, level, stratifier, n_groups)
    if reference is None or base.groups is None or reference not in group_codes(base.groups.codes,
                                                                                 base.groups.n_groups):
        return base
    return _report(database_signature(), indicator_id, period, level, stratifier, n_groups, reference)


def stratifiers(level: str) -> list[str]:
    return _stratifiers(database_signature(), level)
