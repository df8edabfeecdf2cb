"""Cached calls into ``atlas.views.profile`` for the Area profile page (keyed by the database file).

The results are frozen dataclasses and tuples, shared between sessions. AreaNotFound,
MissingDataError and QueryError are raised to the page (exceptions are never cached).
"""

from __future__ import annotations

import streamlit as st

from atlas.views import point_layers as point_views
from atlas.views import profile

from ..chrome.page import database_signature, get_connection


@st.cache_data(show_spinner=False, max_entries=128)
def _area_profile(signature: str, area_code: str, lang: str) -> profile.AreaProfile:
    cursor = get_connection(signature).cursor()
    try:
        return profile.area_profile(cursor, area_code, lang=lang)
    finally:
        cursor.close()


@st.cache_data(show_spinner=False, max_entries=4)
def _area_choices(signature: str) -> tuple[profile.AreaChoice, ...]:
    cursor = get_connection(signature).cursor()
    try:
        return profile.area_choices(cursor)
    finally:
        cursor.close()


def area_profile(area_code: str, lang: str) -> profile.AreaProfile:
    """The profile of a district or mahalle (rows ordered by theme and title in ``lang``)."""
    return _area_profile(database_signature(), area_code, lang)


def area_choices() -> tuple[profile.AreaChoice, ...]:
    """Every district and mahalle, for the area picker."""
    return _area_choices(database_signature())


@st.cache_data(show_spinner=False, max_entries=128)
def _nearest_points(signature: str, level: str, area_code: str) -> tuple[point_views.NearestList, ...]:
    cursor = get_connection(signature).cursor()
    try:
        return point_views.nearest_by_layer(cursor, level, area_code, point_views.list_layers(cursor))
    finally:
        cursor.close()


def nearest_points(level: str, area_code: str) -> tuple[point_views.NearestList, ...]:
    """Per point layer, the points nearest to the area (``atlas.views.point_layers.nearest_by_layer``)."""
    return _nearest_points(database_signature(), level, area_code)
