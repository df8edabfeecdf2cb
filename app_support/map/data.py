"""Cached data for the map explorer (keyed by the database file, so a rebuild is picked up).

Cached results are shared between sessions: never modify them. The map view, its payload and the
level's geometry are cached as resources, not data: ``st.cache_data`` hands every rerun a fresh
copy made by unpickling, which for a view of 30,000 polygons costs seconds and for the mahalle
view tens of milliseconds of every switch. Nothing changes these objects after they are made
(``MapView`` and ``GeometryFile`` are frozen; pages only read them and build new frames from them).
"""

from __future__ import annotations

import hashlib
import json

import streamlit as st

from atlas.views import map_geometry as geo_assets
from atlas.views import point_layers as point_views
from atlas.catalogue import Indicator, indicator_from_json
from atlas.views.map_view import MapView, build_map_view, fold_options, layer_payload, search_options
from atlas.views.view_state import Availability

from ..chrome.data import point_layers
from ..chrome.page import database_signature, get_connection, load_table, query


@st.cache_data(show_spinner=False, max_entries=4)
def _indicators(signature: str) -> dict[str, Indicator]:
    meta = load_table(signature, "list_indicator_metadata", "{}")
    return {i: indicator_from_json(m) for i, m in zip(meta["indicator_id"], meta["metadata_json"])}


@st.cache_resource(show_spinner=False, max_entries=24)
def _map_view(signature: str, indicator_id: str, period: str, level: str, scheme: str, k: int, lang: str,
              show_hidden: bool) -> MapView:
    ind = _indicators(signature)[indicator_id]
    cur = get_connection(signature).cursor()
    try:
        return build_map_view(cur, ind, period, level, scheme, k, lang, show_hidden=show_hidden)
    finally:
        cur.close()


@st.cache_resource(show_spinner=False, max_entries=24)
def _payload(signature: str, indicator_id: str, period: str, level: str, scheme: str, k: int, lang: str,
             show_hidden: bool) -> dict:
    mv = _map_view(signature, indicator_id, period, level, scheme, k, lang, show_hidden)
    return layer_payload(mv, _geometry(signature, level).codes)


@st.cache_resource(show_spinner=False, max_entries=4)
def _geometry(signature: str, level: str) -> geo_assets.GeometryFile:
    cur = get_connection(signature).cursor()
    try:
        return geo_assets.level_geojson(cur, level)
    finally:
        cur.close()


@st.cache_data(show_spinner=False, max_entries=8)
def _search(signature: str, level: str, lang: str) -> dict[str, str]:
    return search_options(load_table(signature, "list_area_names", "{}"), level, lang)


def indicators() -> dict[str, Indicator]:
    return _indicators(database_signature())


@st.cache_data(show_spinner=False, max_entries=4)
def _availability(signature: str) -> Availability:
    return Availability(load_table(signature, "list_indicator_views", "{}"))


def availability() -> Availability:
    return _availability(database_signature())


def areas():
    """Every district and mahalle: level, code, name, parent_code."""
    return query("list_area_names")


def search(level: str, lang: str) -> dict[str, str]:
    """Codes and labels of the area search at ``level`` (``atlas.views.map_view.search_options``)."""
    return _search(database_signature(), level, lang)


@st.cache_resource(show_spinner=False, max_entries=4)
def _search_folded(signature: str, level: str, lang: str) -> dict[str, str]:
    # a resource, not data: read-only, and copying 30,000 labels on every keystroke would cost more
    # than the search itself
    return fold_options(_search(signature, level, lang))


def search_folded(level: str, lang: str) -> dict[str, str]:
    """The search labels folded for matching (``atlas.views.map_view.fold_options``); do not change it."""
    return _search_folded(database_signature(), level, lang)


def map_view(indicator_id: str, period: str, level: str, scheme: str, k: int, lang: str,
             show_hidden: bool = False) -> MapView:
    return _map_view(database_signature(), indicator_id, period, level, scheme, k, lang, show_hidden)


def payload(indicator_id: str, period: str, level: str, scheme: str, k: int, lang: str,
            show_hidden: bool = False) -> dict:
    """What the browser is sent for that map view (``atlas.views.map_view.layer_payload``, aligned with
    the level's geometry file)."""
    return _payload(database_signature(), indicator_id, period, level, scheme, k, lang, show_hidden)


def geometry(level: str) -> geo_assets.GeometryFile:
    return _geometry(database_signature(), level)


def layer_geometry(level: str) -> dict:
    """The geometry part of a map layer at ``level``: the level's polygons and, at mahalle level,
    the district outlines (URLs of files the browser fetches once; see app_support.map.choropleth)."""
    from .choropleth import geometry_url

    gf = geometry(level)
    return {"geometry": geometry_url(gf), "geometryKey": gf.name,
            "outlines": geometry_url(geometry("district")) if level == "mahalle" else None}


# --- point layers (issue #17) -------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=16)
def _point_data(signature: str, layer_id: str) -> tuple[str, bytes]:
    cur = get_connection(signature).cursor()
    try:
        places = point_views.layer_places(cur, layer_id)
    finally:
        cur.close()
    data = json.dumps(point_views.map_payload(places), ensure_ascii=False, separators=(",", ":")).encode()
    name = f"points-{layer_id}-{hashlib.sha1(data).hexdigest()[:12]}.json"
    return name, data


@st.cache_resource(show_spinner=False, max_entries=16)
def _point_data_url(signature: str, layer_id: str) -> str | dict:
    from .choropleth import points_data_url

    return points_data_url(*_point_data(signature, layer_id))


def point_specs(layer_ids: tuple[str, ...], lang: str) -> list[dict]:
    """What ``app_support.map.choropleth.points_layer`` needs for the layers ``layer_ids`` (known
    ids, in the database's order): the URL of each layer's data file (made once per database and
    layer), its colour and radius and the words of its tooltip in ``lang``."""
    signature = database_signature()
    layers = point_layers()
    out = []
    for layer in layers:
        if layer.id not in layer_ids:
            continue
        style = point_views.layer_style(layer.id, [lay.id for lay in layers], layer.n)
        out.append({"id": layer.id, "data": _point_data_url(signature, layer.id), **style,
                    "labels": point_views.tooltip_words(layer, lang)})
    return out
