"""Where a map opens: the bounds of the areas that have a value, not the whole province.

An indicator that covers only central İzmir, drawn at the scale of the province, is a smudge in the
middle; the map opens on the areas with status ``ok`` instead (plus a little padding), and the page
says how many areas that is (``Coverage.partial``).

``coverage(frame)`` reads a view's frame (a GeoDataFrame with ``status`` and a geometry in WGS84:
``atlas.views.map_view.MapView.frame``) and returns a :class:`Coverage`. Plain data, no Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from ..i18n import ngettext
from .formatting import format_int

#: padding on each side, as a share of the covered extent's width / height
PAD_SHARE = 0.04
#: at least this much padding on each side, in degrees (~0.5 km): one small mahalle is not a whole map
PAD_MIN_DEG = 0.005

Bounds = list[list[float]]  # [[south, west], [north, east]] (Leaflet's order)


@dataclass(frozen=True)
class Coverage:
    """The areas of a view with a value (``n_ok``) of all areas shown (``n_total``), and the bounds
    the map opens on: those of the areas with a value, padded; of every area when none has one."""

    bounds: Bounds | None
    n_ok: int
    n_total: int

    @property
    def partial(self) -> bool:
        """Some areas shown have no value (and so may lie outside the bounds the map opens on)."""
        return 0 < self.n_ok < self.n_total

    @property
    def fit_key(self) -> str:
        """Names the bounds to about 1 km: the map is fitted again only when this changes (another
        indicator or level with the same coverage leaves the reader's zoom and position alone)."""
        if self.bounds is None:
            return "none"
        return ",".join(f"{v:.2f}" for corner in self.bounds for v in corner)


def padded(west: float, south: float, east: float, north: float, share: float = PAD_SHARE,
           minimum: float = PAD_MIN_DEG) -> Bounds:
    """``[[south, west], [north, east]]`` widened by ``share`` of the extent on each side (at least
    ``minimum`` degrees). Raises ValueError for bounds that are not finite or run the wrong way."""
    values = (west, south, east, north)
    if not all(np.isfinite(values)) or west > east or south > north:
        raise ValueError(f"bounds must be finite with west ≤ east and south ≤ north, got {values!r}")
    dx = max((east - west) * share, minimum)
    dy = max((north - south) * share, minimum)
    return [[round(south - dy, 5), round(west - dx, 5)], [round(north + dy, 5), round(east + dx, 5)]]


def coverage(frame, *, status_column: str = "status") -> Coverage:
    """Coverage of a view's ``frame`` (one row per area shown; ``status`` ``ok`` where it has a value;
    geometries in WGS84). Empty geometries are left out of the bounds. Raises KeyError naming the
    column when ``frame`` has no status column."""
    if status_column not in frame.columns:
        raise KeyError(f"the map frame has no column {status_column!r} (columns: {', '.join(map(str, frame.columns))})")
    geoms = np.asarray(frame.geometry.values, dtype=object)
    ok = (frame[status_column] == "ok").to_numpy()
    n_ok, n_total = int(ok.sum()), len(frame)
    chosen = geoms[ok] if n_ok else geoms
    chosen = chosen[~shapely.is_empty(chosen) & ~shapely.is_missing(chosen)] if len(chosen) else chosen
    if not len(chosen):
        return Coverage(None, n_ok, n_total)
    west, south, east, north = shapely.total_bounds(chosen)
    return Coverage(padded(float(west), float(south), float(east), float(north)), n_ok, n_total)


def coverage_note(cov: Coverage, level: str, lang: str) -> str | None:
    """The line under the map when some areas have no value ("Values cover 12 of 30 districts; the map
    opens on them."); None when every area shown has a value, or none has."""
    if not cov.partial:
        return None
    count = format_int(cov.n_ok, lang)
    if level == "district":
        return ngettext("Values cover {count} of {n} district; the map opens on them.",
                        "Values cover {count} of {n} districts; the map opens on them.", cov.n_total, lang,
                        count=count, n=format_int(cov.n_total, lang))
    return ngettext("Values cover {count} of {n} mahalle; the map opens on them.",
                    "Values cover {count} of {n} mahalle; the map opens on them.", cov.n_total, lang, count=count,
                    n=format_int(cov.n_total, lang))
