"""Cached calls into the core package for the pages (results keyed by the database file).

Each function takes the database signature first, so a rebuilt database is read afresh; each
query runs on its own cursor. Returned objects are shared between sessions: never modify them.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from atlas.views import methods
from atlas.views import point_layers as point_views

from .page import database_signature, get_connection


@st.cache_data(show_spinner=False, max_entries=8)
def _indicator_cards(signature: str, lang: str) -> list[methods.IndicatorCard]:
    return methods.indicator_cards(get_connection(signature).cursor(), lang)


@st.cache_data(show_spinner=False, max_entries=8)
def _who_coverage(signature: str, lang: str) -> pd.DataFrame:
    return methods.who_coverage(get_connection(signature).cursor(), lang)


@st.cache_data(show_spinner=False, max_entries=8)
def _sources(signature: str, lang: str) -> pd.DataFrame:
    return methods.sources(get_connection(signature).cursor(), lang)


def indicator_cards(lang: str) -> list[methods.IndicatorCard]:
    return _indicator_cards(database_signature(), lang)


def who_coverage(lang: str) -> pd.DataFrame:
    return _who_coverage(database_signature(), lang)


def sources(lang: str) -> pd.DataFrame:
    return _sources(database_signature(), lang)


@st.cache_data(show_spinner=False, max_entries=4)
def _point_layers(signature: str) -> tuple[point_views.ShownLayer, ...]:
    cur = get_connection(signature).cursor()
    try:
        return point_views.list_layers(cur)
    finally:
        cur.close()


def point_layers() -> tuple[point_views.ShownLayer, ...]:
    """The point layers of the database that hold points (``atlas.views.point_layers.list_layers``)."""
    return _point_layers(database_signature())
