"""Test-only Streamlit script (never an app page): three squares and one default marker on a
folium map, drawn with st_folium through app_support.chrome.offline_map.
tests/browser/test_offline_map.py serves it.

``OFFLINE_MAP_BASE_URL`` overrides the base URL of the vendored files (for experiments).
"""

from __future__ import annotations

import os

import folium
import streamlit as st
from streamlit_folium import st_folium

from app_support.chrome.offline_map import DEFAULT_BASE_URL, make_map, remote_assets


def _square(lon: float, lat: float, size: float = 0.05) -> list[list[float]]:
    return [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]


SQUARES = {
    "type": "FeatureCollection",
    "features": [
        {"type": "Feature", "properties": {"name": name, "fill": colour},
         "geometry": {"type": "Polygon", "coordinates": [_square(lon, 38.40)]}}
        for name, lon, colour in [("A", 27.05, "#1b9e77"), ("B", 27.12, "#d95f02"),
                                  ("C", 27.19, "#7570b3")]
    ],
}

st.title("Offline map test")
m = make_map(location=[38.43, 27.16], zoom_start=11,
             base_url=os.environ.get("OFFLINE_MAP_BASE_URL", DEFAULT_BASE_URL))
folium.GeoJson(
    SQUARES,
    name="squares",
    style_function=lambda f: {"fillColor": f["properties"]["fill"], "color": "#333333",
                              "weight": 1, "fillOpacity": 0.7},
    tooltip=folium.GeoJsonTooltip(fields=["name"]),
).add_to(m)
folium.Marker([38.47, 27.15], tooltip="marker").add_to(m)  # Leaflet's default marker image
st.caption(f"remote assets: {len(remote_assets(m))}")
st_folium(m, key="offline_map", height=420, width=700, returned_objects=[])
