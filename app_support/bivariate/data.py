"""The cached double-burden view (keyed by the database file and the request; read-only)."""

from __future__ import annotations

import streamlit as st

from atlas.bivariate.view import BivariateView, bivariate_view

from ..chrome.page import database_signature, get_connection
from ..map.data import _indicators


@st.cache_resource(show_spinner=False, max_entries=16)
def _view(signature: str, x: str, y: str, level: str) -> BivariateView:
    inds = _indicators(signature)
    cur = get_connection(signature).cursor()
    try:
        return bivariate_view(cur, inds[x], inds[y], level)
    finally:
        cur.close()


def view(x: str, y: str, level: str) -> BivariateView:
    """The view of ``x`` × ``y`` at ``level`` (shared between sessions: never change it)."""
    return _view(database_signature(), x, y, level)
