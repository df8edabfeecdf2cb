"""Where a story's map is zoomed, as Leaflet bounds ``[[south, west], [north, east]]``."""

from __future__ import annotations

from ..views.map_view import MapView, focus_bounds
from .playlist import IZMIR_BOUNDS, Zoom


def zoom_bounds(zoom: Zoom, mv: MapView) -> list[list[float]]:
    """``izmir``: the province; ``data``: the areas of the view with a value (the province when
    none has); ``area``: that district or mahalle (a district's mahalle at mahalle level);
    ``bounds``: as given."""
    province = [list(IZMIR_BOUNDS[0]), list(IZMIR_BOUNDS[1])]
    if zoom.kind == "bounds" and zoom.bounds is not None:
        return [list(zoom.bounds[0]), list(zoom.bounds[1])]
    if zoom.kind == "area" and zoom.area:
        return focus_bounds(mv, zoom.area) or province
    if zoom.kind == "data":
        rows = mv.frame[mv.frame["status"] == "ok"]
        if rows.empty:
            return province
        west, south, east, north = rows.total_bounds
        return [[float(south), float(west)], [float(north), float(east)]]
    return province
