"""The coordinate reference systems a point file may use, how one is chosen (``--crs``, a GeoJSON
``crs`` member, or the ranges of the numbers), and reprojection to WGS84 with pyproj.

Supported (docs/import.md, "Point layers"):

* ``EPSG:4326`` — WGS84 longitude/latitude in decimal degrees (GPS, web maps, the portal's files);
* ``EPSG:32635`` — WGS84 / UTM zone 35N, metres (central meridian 27° E, scale 0.9996);
* ``EPSG:5253`` — TUREF (ITRF96) / TM27, metres (central meridian 27° E, scale 1): the 3° zone
  Turkish surveying and municipalities use for İzmir;
* ``EPSG:5254`` — TUREF (ITRF96) / TM30, metres (central meridian 30° E, scale 1).

Detection from the numbers works on İzmir's envelope (:data:`IZMIR_ENVELOPE`, the district polygons'
bounds and a margin) as each CRS writes it: degrees, eastings about 410–650 km (the two systems on
the 27° meridian) and about 145–390 km (TM30) lie in separate ranges. UTM 35N and TM27 cannot be
told apart from the numbers (their northings differ by about 1.7 km at İzmir's latitude, their
eastings by up to about 45 m), so a file in that range needs ``--crs``. The numbers do not show the
datum either: a file in ED50 (the old Turkish datum, ~100–200 m off) is not supported and must be
converted first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from pyproj import Transformer

# lon_min, lat_min, lon_max, lat_max: the district polygons' bounds (26.21–28.50° E, 37.83–39.39° N)
# with a margin of about 0.15°, so that a point just outside a district is reported by the province
# check (with its distance), not as a coordinate in an unknown system.
IZMIR_ENVELOPE = (26.0, 37.6, 28.7, 39.6)


@dataclass(frozen=True)
class CrsInfo:
    code: str  # "EPSG:4326"
    name: str
    unit: str  # "degrees" / "metres"
    family: str  # CRSs of one family write İzmir in the same ranges and cannot be told apart


SUPPORTED: tuple[CrsInfo, ...] = (
    CrsInfo("EPSG:4326", "WGS84 longitude/latitude", "degrees", "degrees"),
    CrsInfo("EPSG:32635", "WGS84 / UTM zone 35N", "metres", "meridian_27"),
    CrsInfo("EPSG:5253", "TUREF (ITRF96) / TM27", "metres", "meridian_27"),
    CrsInfo("EPSG:5254", "TUREF (ITRF96) / TM30", "metres", "meridian_30"),
)
BY_CODE = {c.code: c for c in SUPPORTED}

# Names a user may give to --crs, folded (lower case, no spaces, '-', '_', '/' or ':').
_ALIASES = {
    "4326": "EPSG:4326", "epsg4326": "EPSG:4326", "wgs84": "EPSG:4326", "wgs1984": "EPSG:4326",
    "32635": "EPSG:32635", "epsg32635": "EPSG:32635", "utm35n": "EPSG:32635", "utm35": "EPSG:32635",
    "wgs84utm35n": "EPSG:32635", "wgs84utmzone35n": "EPSG:32635",
    "5253": "EPSG:5253", "epsg5253": "EPSG:5253", "tm27": "EPSG:5253", "itrf96tm27": "EPSG:5253",
    "turefftm27": "EPSG:5253", "tureftm27": "EPSG:5253",
    "5254": "EPSG:5254", "epsg5254": "EPSG:5254", "tm30": "EPSG:5254", "itrf96tm30": "EPSG:5254",
    "tureftm30": "EPSG:5254",
    "crs84": "EPSG:4326", "ogc13crs84": "EPSG:4326",  # GeoJSON's urn:ogc:def:crs:OGC:1.3:CRS84
}


def supported_text() -> str:
    """The supported CRSs for a message: 'EPSG:4326 (WGS84 longitude/latitude), …'."""
    return ", ".join(f"{c.code} ({c.name})" for c in SUPPORTED)


def parse_crs(text: str) -> CrsInfo:
    """A CRS given by the user (``EPSG:32635``, ``32635``, ``utm35n``, ``tm30``, a GeoJSON
    ``urn:ogc:def:crs:EPSG::5254``); ValueError naming the supported ones otherwise."""
    raw = str(text).strip()
    key = re.sub(r"[\s\-_/:.]+", "", raw.lower())
    key = re.sub(r"^urnogcdefcrs", "", key)
    key = re.sub(r"^epsg(\d+)$", r"epsg\1", key)
    code = _ALIASES.get(key)
    if code is None and (m := re.fullmatch(r"epsg(\d+)", key)):
        code = _ALIASES.get(m.group(1))
    if code is None:
        shown = raw if len(raw) <= 40 else raw[:39] + "…"
        raise ValueError(f"unknown coordinate reference system {shown!r}; supported: {supported_text()}")
    return BY_CODE[code]


@lru_cache(maxsize=None)
def _to_wgs84(code: str) -> Transformer:
    return Transformer.from_crs(code, "EPSG:4326", always_xy=True)


@lru_cache(maxsize=None)
def bounds(code: str) -> tuple[float, float, float, float]:
    """İzmir's envelope in ``code``: (east_min, north_min, east_max, north_max)."""
    if code == "EPSG:4326":
        return IZMIR_ENVELOPE
    t = Transformer.from_crs("EPSG:4326", code, always_xy=True)
    return tuple(float(v) for v in t.transform_bounds(*IZMIR_ENVELOPE, densify_pts=50))


def inside(code: str, east: np.ndarray, north: np.ndarray) -> np.ndarray:
    """Which (east, north) pairs lie in İzmir's envelope as ``code`` writes it."""
    e0, n0, e1, n1 = bounds(code)
    with np.errstate(invalid="ignore"):
        return (east >= e0) & (east <= e1) & (north >= n0) & (north <= n1)


def to_wgs84(code: str, east: np.ndarray, north: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Longitudes and latitudes (degrees, WGS84) of points given in ``code``."""
    east, north = np.asarray(east, dtype=float), np.asarray(north, dtype=float)
    if code == "EPSG:4326":
        return east.copy(), north.copy()
    lon, lat = _to_wgs84(code).transform(east, north)
    return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)


def families_fitting(east: np.ndarray, north: np.ndarray) -> dict[str, int]:
    """For each CRS family, how many of the pairs lie in İzmir's envelope as it writes it."""
    out: dict[str, int] = {}
    for info in SUPPORTED:
        out[info.family] = max(out.get(info.family, 0), int(inside(info.code, east, north).sum()))
    return out


def family_members(family: str) -> tuple[CrsInfo, ...]:
    return tuple(c for c in SUPPORTED if c.family == family)


def range_text(code: str) -> str:
    """İzmir's envelope as ``code`` writes it, for a message."""
    e0, n0, e1, n1 = bounds(code)
    if code == "EPSG:4326":
        return f"longitude {e0:g}–{e1:g}, latitude {n0:g}–{n1:g}"
    return f"easting {e0:,.0f}–{e1:,.0f} m, northing {n0:,.0f}–{n1:,.0f} m"
