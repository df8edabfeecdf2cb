"""Distance-based access measures per area, from resident points and service points.

Inputs are plain frames in metres (EPSG:32635):

* residents: ``x``, ``y``, ``weight`` (residents the point stands for), ``area_code``
  (:mod:`atlas.access.residents` makes them);
* services: ``x``, ``y``, optionally ``area_code`` (the area the point lies in, for counts) and
  ``lines`` (for bus stops: the lines serving the stop, a list of line ids).

Per area (:func:`area_measures`, or :func:`resident_access` once and :func:`summarise` per level):

``points``              number of service points whose ``area_code`` is the area;
``residents``           Σ weight of the area's resident points;
``within_<D>``          residents whose nearest service point is at most D m away (straight line);
                        the share is within_D ÷ residents, stored as numerator and denominator;
``mean_distance_m``     Σ weight · nearest distance ÷ Σ weight (population-weighted mean);
``mean_lines_<R>``      Σ weight · (distinct lines of the points within R m) ÷ Σ weight.

Nearest distances come from a k-d tree (scipy.spatial.cKDTree); the distinct lines near each
resident point from a sparse resident × stop matrix (pairs within R, also from the tree)
multiplied by a stop × line incidence matrix: the number of non-zero entries of a row is the
number of distinct lines. Straight-line distance ignores the street network, slopes, the sea and
barriers (motorways, rail lines): it overstates access where streets are sparse.
"""

from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.spatial import cKDTree

PER = 10_000  # "per 10,000 residents"
CHUNK = 200_000  # resident points per block of the lines computation (bounds memory)


def _xy(frame: pd.DataFrame, what: str) -> np.ndarray:
    missing = {"x", "y"} - set(frame.columns)
    if missing:
        raise ValueError(f"{what} need the columns x and y (metres); missing {', '.join(sorted(missing))}")
    xy = np.column_stack([frame["x"].to_numpy(dtype=float), frame["y"].to_numpy(dtype=float)])
    if len(xy) and not np.isfinite(xy).all():
        bad = int(np.argmax(~np.isfinite(xy).all(axis=1)))
        raise ValueError(f"{what}: row {bad + 1} has a coordinate that is not a finite number")
    return xy


def nearest_distance(residents_xy: np.ndarray, services_xy: np.ndarray) -> np.ndarray:
    """Straight-line distance (m) from each resident point to its nearest service point (inf when
    there is no service point at all)."""
    if len(services_xy) == 0:
        return np.full(len(residents_xy), np.inf)
    if len(residents_xy) == 0:
        return np.empty(0)
    dist, _ = cKDTree(services_xy).query(residents_xy, k=1, workers=-1)
    return np.asarray(dist, dtype=float)


def line_lists(values: Iterable) -> list[list[str]]:
    """The lines of each stop as a list of line ids: a list/tuple is taken as it is, a string is
    split on '-' (ESHOT's DURAKTAN_GECEN_HATLAR: '5-69-170'), None/NaN/'' is no line."""
    out = []
    for v in values:
        if v is None or (isinstance(v, float) and np.isnan(v)):
            out.append([])
        elif isinstance(v, str):
            out.append([p.strip() for p in v.split("-") if p.strip()])
        elif isinstance(v, (list, tuple, np.ndarray)):
            out.append([str(p).strip() for p in v if str(p).strip()])
        else:
            raise ValueError(f"the lines of a stop must be a list or a '-'-separated string, got {v!r:.40}")
    return out


def distinct_lines_within(residents_xy: np.ndarray, services_xy: np.ndarray, lines: Sequence[Sequence[str]],
                          radius: float, nearest: np.ndarray | None = None) -> np.ndarray:
    """For each resident point, the number of distinct lines serving the stops within ``radius`` m."""
    n = len(residents_xy)
    out = np.zeros(n, dtype=float)
    if n == 0 or len(services_xy) == 0:
        return out
    if len(lines) != len(services_xy):
        raise ValueError(f"{len(lines)} line lists for {len(services_xy)} stops: give one list per stop")
    codes, uniques = pd.factorize(pd.Series([ln for stop in lines for ln in dict.fromkeys(stop)], dtype=object))
    if len(uniques) == 0:
        return out
    rows = np.repeat(np.arange(len(lines)), [len(dict.fromkeys(stop)) for stop in lines])
    incidence = sparse.csr_matrix((np.ones(len(codes)), (rows, codes)), shape=(len(lines), len(uniques)))
    if nearest is None:
        nearest = nearest_distance(residents_xy, services_xy)
    near = np.flatnonzero(nearest <= radius)  # only these have any stop within the radius
    tree = cKDTree(services_xy)
    for start in range(0, len(near), CHUNK):
        idx = near[start:start + CHUNK]
        pairs = cKDTree(residents_xy[idx]).sparse_distance_matrix(tree, radius, output_type="coo_matrix")
        reach = sparse.csr_matrix((np.ones(pairs.nnz), (pairs.row, pairs.col)), shape=(len(idx), len(services_xy)))
        served = (reach @ incidence).tocsr()
        served.eliminate_zeros()
        out[idx] = np.diff(served.indptr)
    return out


def resident_access(residents: pd.DataFrame, services: pd.DataFrame, *, lines_radius: float | None = None) -> pd.DataFrame:
    """``residents`` with ``distance_m`` (to the nearest service point) and, when ``lines_radius``
    is given, ``lines_within`` (distinct lines of the stops within that radius; needs
    ``services['lines']``)."""
    rxy, sxy = _xy(residents, "resident points"), _xy(services, "service points")
    out = residents.copy()
    out["distance_m"] = nearest_distance(rxy, sxy)
    if lines_radius is not None:
        if "lines" not in services.columns:
            raise ValueError("distinct lines need a 'lines' column on the service points (the lines of each stop)")
        out["lines_within"] = distinct_lines_within(rxy, sxy, line_lists(services["lines"]), lines_radius,
                                                    out["distance_m"].to_numpy())
    return out


def point_sums(access: pd.DataFrame, distances: Sequence[float] = ()) -> pd.DataFrame:
    """Per ``area_code`` of the resident points: w (Σ weight), within_<D> (Σ weight of the points
    whose nearest service point is within D m), wd (Σ weight · distance) and, with ``lines_within``,
    wl (Σ weight · lines). Sums add up, so a coarser level sums these rows (:func:`summarise_sums`)."""
    w = access["weight"].to_numpy(dtype=float)
    d = access["distance_m"].to_numpy(dtype=float)
    codes, uniques = pd.factorize(access["area_code"].astype(str))
    cols = {"w": w}
    for dist in distances:
        cols[f"within_{_label(dist)}"] = np.where(d <= dist, w, 0.0)
    with np.errstate(invalid="ignore"):
        cols["wd"] = w * d
    if "lines_within" in access.columns:
        cols["wl"] = w * access["lines_within"].to_numpy(dtype=float)
    n = len(uniques)
    out = pd.DataFrame({k: np.bincount(codes, weights=v, minlength=n) if n else np.empty(0) for k, v in cols.items()},
                       index=pd.Index(np.asarray(uniques, dtype=object), name="area_code"))
    return out


def summarise_sums(sums: pd.DataFrame, services: pd.DataFrame, *, distances: Sequence[float] = (),
                   area_codes: Sequence[str] | None = None, by: pd.Series | None = None) -> pd.DataFrame:
    """Per area measures from :func:`point_sums`, summed into ``by``'s areas when given (see :func:`summarise`)."""
    if by is not None:
        mapped = sums.index.to_series().map(by.astype(str) if len(by) else by)
        sums = sums.groupby(mapped.to_numpy(), sort=True).sum()
    if area_codes is None:
        index = sorted(set(sums.index) | set(_service_codes(services)))
    else:
        index = [str(c) for c in area_codes]
    has_lines = "wl" in sums.columns
    sums = sums.reindex(index).fillna(0.0)
    out = pd.DataFrame(index=pd.Index(index, name="area_code"))
    out["points"] = pd.Series(_service_codes(services), dtype=object).value_counts().reindex(index).fillna(0).astype(int)
    out["residents"] = sums["w"] if len(sums.columns) else 0.0
    for dist in distances:
        out[f"within_{_label(dist)}"] = sums[f"within_{_label(dist)}"] if len(sums.columns) else 0.0
    positive = out["residents"] > 0
    wd = sums["wd"] if "wd" in sums.columns else 0.0
    with np.errstate(invalid="ignore"):
        mean = np.where(positive, wd / out["residents"].where(positive), np.nan)
    out["mean_distance_m"] = np.where(np.isfinite(mean), mean, np.nan)  # no service point at all: no distance
    if has_lines:
        out["mean_lines"] = np.where(positive, sums["wl"] / out["residents"].where(positive), np.nan)
    return out.reset_index()


def summarise(access: pd.DataFrame, services: pd.DataFrame, *, distances: Sequence[float] = (),
              area_codes: Sequence[str] | None = None, by: pd.Series | None = None) -> pd.DataFrame:
    """Per area measures (module docstring) from :func:`resident_access`'s output.

    ``by`` maps a resident point's ``area_code`` to the area it is summed into (e.g. mahalle →
    district); without it points are summed by their own code. ``area_codes`` lists the areas to
    report (with zeros where an area has no resident or service point); default: those present.
    ``points`` counts the service points by their own ``area_code`` (give the codes of the level
    reported). Areas without residents get ``mean_distance_m`` NaN (and ``mean_lines`` NaN).
    """
    return summarise_sums(point_sums(access, distances), services, distances=distances, area_codes=area_codes, by=by)


def area_measures(residents: pd.DataFrame, services: pd.DataFrame, *, distances: Sequence[float] = (),
                  lines_radius: float | None = None, area_codes: Sequence[str] | None = None,
                  by: pd.Series | None = None) -> pd.DataFrame:
    """:func:`resident_access` then :func:`summarise` in one call."""
    return summarise(resident_access(residents, services, lines_radius=lines_radius), services,
                     distances=distances, area_codes=area_codes, by=by)


def per_10000(points: float, residents: float) -> float:
    """Points per 10,000 residents (NaN when there are no residents)."""
    return points / residents * PER if residents > 0 else float("nan")


def _service_codes(services: pd.DataFrame) -> list[str]:
    if "area_code" not in services.columns:
        return []
    return [str(c) for c in services["area_code"] if c is not None and not (isinstance(c, float) and np.isnan(c))
            and str(c)]


def _label(dist: float) -> str:
    return f"{dist:g}"
