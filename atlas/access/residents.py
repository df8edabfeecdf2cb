"""Where the residents of an area live, as weighted points (for distance-based access measures).

Population is known per mahalle, not per building, so each mahalle's residents are placed on
points inside it by a stated method:

``even`` (the default)
    A regular lattice of points ``spacing`` metres apart (default 100 m; points at
    (i + ½)·spacing in EPSG:32635, the same lattice for every area) is laid over the area; the
    points inside the polygon each carry population ÷ number of points. An area too small or too
    thin to hold a lattice point gets one point, its representative point (always inside).
    Limit: where people live in a village core and the rest of the mahalle is fields, forest or
    hillside, the even spread puts most residents where nobody lives — distances to a stop in the
    village are then overstated (and to a stop on a distant road possibly understated). The
    larger and more rural the mahalle, the larger the error.

``built`` (optional)
    The same lattice, each point weighted by the built-up share (``f_built``) of the 250 m grid
    cell it falls in. The grid (``cell_indicators.csv``) is NOT the whole province: it holds 3,777
    selected cells of the central metropolitan districts (all with f_built ≥ 0.1; a sample of urban
    fabric, not a complete cover), so it cannot be the default. An area is weighted only when at
    least ``min_grid_share`` of its lattice points fall in grid cells; there points outside the
    cells carry nothing (taken as unbuilt). Every other area keeps the even spread.

All coordinates are metres in EPSG:32635 (UTM 35N); :func:`to_metric` reprojects WGS84 polygons.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd
import shapely

METRIC_CRS = "EPSG:32635"
WGS84 = "EPSG:4326"
DEFAULT_SPACING_M = 100.0
GRID_CELL_M = 250.0
MIN_GRID_SHARE = 0.5
METHODS = ("even", "built")
COLUMNS = ["x", "y", "weight", "area_code"]


def to_metric(geoms_wgs84: Sequence) -> np.ndarray:
    """Shapely geometries in EPSG:4326 (lon, lat) → the same geometries in EPSG:32635 metres."""
    from pyproj import Transformer

    tf = Transformer.from_crs(WGS84, METRIC_CRS, always_xy=True)
    return shapely.transform(np.asarray(geoms_wgs84, dtype=object), lambda xy: np.column_stack(tf.transform(xy[:, 0], xy[:, 1])))


def lonlat_to_metric(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """Longitudes and latitudes (EPSG:4326) → x, y in EPSG:32635 metres."""
    from pyproj import Transformer

    tf = Transformer.from_crs(WGS84, METRIC_CRS, always_xy=True)
    x, y = tf.transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    return np.asarray(x, dtype=float), np.asarray(y, dtype=float)


def lattice_in(polygon, spacing: float = DEFAULT_SPACING_M) -> tuple[np.ndarray, np.ndarray]:
    """The lattice points (i + ½)·spacing, (j + ½)·spacing that lie inside ``polygon`` (metres).

    Empty when the polygon is too small or thin to hold one (the caller then uses its
    representative point)."""
    if spacing <= 0:
        raise ValueError(f"lattice spacing must be a positive number of metres, got {spacing!r}")
    minx, miny, maxx, maxy = polygon.bounds
    xs = (np.arange(np.floor(minx / spacing - 0.5), np.ceil(maxx / spacing - 0.5) + 1) + 0.5) * spacing
    ys = (np.arange(np.floor(miny / spacing - 0.5), np.ceil(maxy / spacing - 0.5) + 1) + 0.5) * spacing
    xs, ys = xs[(xs >= minx) & (xs <= maxx)], ys[(ys >= miny) & (ys <= maxy)]
    if not len(xs) or not len(ys):
        return np.empty(0), np.empty(0)
    gx, gy = np.meshgrid(xs, ys)
    gx, gy = gx.ravel(), gy.ravel()
    shapely.prepare(polygon)
    inside = shapely.contains_xy(polygon, gx, gy)
    return gx[inside], gy[inside]


def place_evenly(polygons: Sequence, codes: Sequence[str], population: Sequence[float],
                 spacing: float = DEFAULT_SPACING_M) -> pd.DataFrame:
    """Residents of each area spread evenly over it (method ``even``, module docstring).

    ``polygons`` are shapely polygons in EPSG:32635 metres, ``codes`` their area codes,
    ``population`` their residents. Areas with no residents (0, NaN or None) get no points.
    Returns one row per point: x, y (metres), weight (residents), area_code; the weights of an
    area sum to its population.
    """
    polygons, codes, pops = _check_inputs(polygons, codes, population)
    xs, ys, ws, owners = [], [], [], []
    for i, (poly, pop) in enumerate(zip(polygons, pops)):
        if not pop > 0:
            continue
        x, y = _points_of(poly, spacing)
        xs.append(x)
        ys.append(y)
        ws.append(np.full(len(x), pop / len(x)))
        owners.append(np.full(len(x), i))
    if not xs:
        return _concat([])
    owner = np.concatenate(owners)
    return pd.DataFrame({"x": np.concatenate(xs), "y": np.concatenate(ys), "weight": np.concatenate(ws),
                         "area_code": np.asarray(codes, dtype=object)[owner]})


def place_by_built_share(polygons: Sequence, codes: Sequence[str], population: Sequence[float],
                         cells: pd.DataFrame, spacing: float = DEFAULT_SPACING_M,
                         cell_m: float = GRID_CELL_M, min_grid_share: float = MIN_GRID_SHARE) -> pd.DataFrame:
    """Residents weighted by the built-up share of the grid cell under each lattice point (method
    ``built``, module docstring); areas the grid covers below ``min_grid_share`` (share of their
    lattice points in a cell) are spread evenly, as are areas whose cells are all unbuilt.

    ``cells`` has the cell centres ``x``, ``y`` (EPSG:32635, cells ``cell_m`` wide, centred on
    (k + ½)·cell_m) and ``f_built`` (0–1). The result has the columns of :func:`place_evenly`
    plus ``method`` ('built' or 'even') per point.
    """
    missing = {"x", "y", "f_built"} - set(cells.columns)
    if missing:
        raise ValueError(f"the grid cells need the columns x, y, f_built; missing {', '.join(sorted(missing))}")
    polygons, codes, pops = _check_inputs(polygons, codes, population)
    lookup = pd.Series(cells["f_built"].to_numpy(dtype=float),
                       index=_cell_keys(cells["x"].to_numpy(float), cells["y"].to_numpy(float), cell_m))
    lookup = lookup[~lookup.index.duplicated()]
    parts = []
    for poly, code, pop in zip(polygons, codes, pops):
        if not pop > 0:
            continue
        x, y = _points_of(poly, spacing)
        built = lookup.reindex(_cell_keys(x, y, cell_m)).to_numpy(dtype=float)
        in_grid = np.isfinite(built)
        weights = np.where(in_grid, np.clip(built, 0.0, None), 0.0)
        if in_grid.mean() >= min_grid_share and weights.sum() > 0:
            parts.append(pd.DataFrame({"x": x, "y": y, "weight": pop * weights / weights.sum(),
                                       "area_code": code, "method": "built"}))
        else:
            parts.append(pd.DataFrame({"x": x, "y": y, "weight": pop / len(x), "area_code": code,
                                       "method": "even"}))
    out = _concat(parts, extra=["method"])
    return out[out["weight"] > 0].reset_index(drop=True)


def _cell_keys(x: np.ndarray, y: np.ndarray, cell_m: float) -> np.ndarray:
    kx = np.floor(np.asarray(x) / cell_m).astype(np.int64)
    ky = np.floor(np.asarray(y) / cell_m).astype(np.int64)
    return kx * 10_000_000 + ky  # UTM northings in cells stay far below 10⁷


def _points_of(poly, spacing: float) -> tuple[np.ndarray, np.ndarray]:
    x, y = lattice_in(poly, spacing)
    if len(x) == 0:
        p = shapely.point_on_surface(poly)
        x, y = np.array([shapely.get_x(p)]), np.array([shapely.get_y(p)])
    return x, y


def _check_inputs(polygons, codes, population):
    polygons, codes = list(polygons), [str(c) for c in codes]
    pops = pd.to_numeric(pd.Series(list(population), dtype=object), errors="coerce").to_numpy(dtype=float)
    if not (len(polygons) == len(codes) == len(pops)):
        raise ValueError(f"polygons ({len(polygons)}), codes ({len(codes)}) and population ({len(pops)}) "
                         "must be the same length")
    if (pops < 0).any():
        bad = codes[int(np.argmax(pops < 0))]
        raise ValueError(f"area {bad!r}: population must not be negative")
    for poly, code in zip(polygons, codes):
        if poly is None or poly.is_empty:
            raise ValueError(f"area {code!r} has an empty geometry; residents cannot be placed")
        minx, _, maxx, _ = poly.bounds
        if -180 <= minx <= maxx <= 180:
            raise ValueError(f"area {code!r}: coordinates look like degrees ({minx:.3f}); reproject to "
                             f"{METRIC_CRS} metres first (atlas.access.residents.to_metric)")
    return polygons, codes, pops


def _concat(parts: list[pd.DataFrame], extra: list[str] | None = None) -> pd.DataFrame:
    cols = COLUMNS + (extra or [])
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c in ("x", "y", "weight") else object) for c in cols})
    return pd.concat(parts, ignore_index=True)[cols]
