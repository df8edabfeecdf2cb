"""Empirical-Bayes smoothed rates for small areas (global, and spatial with neighbours).

A small mahalle's rate jumps with one event more or less. Empirical-Bayes smoothing (Marshall
1991) pulls each observed rate r_i = O_i / n_i towards a prior mean m, the more the smaller its
population::

    m   = ΣO / Σn                                     prior mean (the city rate)
    s²  = Σ n_i (r_i − m)² / Σn  −  m / n̄             prior variance, method of moments (n̄ mean population)
    s²  = 0 when negative                              (all variation is chance: every rate becomes m)
    w_i = s² / (s² + m / n_i)                          shrinkage weight, 0 … 1
    EB_i = w_i r_i + (1 − w_i) m

The spatial version takes m and s² from each area's neighbourhood (the area and its neighbours)
instead of the whole city, so a rate is pulled towards its surroundings (esda
``Spatial_Empirical_Bayes``; Marshall 1991, Anselin, Lozano & Koschinky 2006). An area with no
neighbour (an island) has only itself as neighbourhood and keeps its observed rate: link islands
to their nearest area first if they should be smoothed.

A smoothed rate is an estimate, never the observed rate: whoever shows it says "smoothed" and how.

The global smoother is written out here (a few lines) because esda's ``Empirical_Bayes`` does not
set a negative prior variance to 0 as Marshall does; the tests check it equals esda's wherever the
variance is positive. The spatial smoother calls esda (pinned in requirements.txt).

References: Marshall RJ (1991). Mapping disease and mortality rates using empirical Bayes
estimators. Applied Statistics 40(2):283-294. Anselin L, Lozano N, Koschinky J (2006). Rate
transformations and smoothing. GeoDa Center technical report.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np


@dataclass(frozen=True)
class Smoothed:
    """Smoothed rates (per person, times ``multiplier``) and how they were made."""

    rates: np.ndarray
    observed: np.ndarray
    method: str  # "eb_global" or "eb_spatial"
    prior_mean: float | None = None  # global only: m × multiplier
    prior_variance: float | None = None  # global only: s² (per person², before the multiplier)
    multiplier: float = 1.0


def _inputs(counts: Sequence[float], populations: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    e = np.asarray(counts, dtype=float).ravel()
    b = np.asarray(populations, dtype=float).ravel()
    if e.shape != b.shape:
        raise ValueError(f"there are {e.size} counts and {b.size} populations; give one of each per area")
    if e.size == 0:
        raise ValueError("no areas to smooth")
    if np.any(~np.isfinite(e)) or np.any(e < 0):
        raise ValueError("counts must be finite numbers ≥ 0")
    if np.any(~np.isfinite(b)) or np.any(b <= 0):
        raise ValueError("populations must be finite numbers > 0 (an area without population has no rate)")
    return e, b


def eb_global(counts: Sequence[float], populations: Sequence[float], multiplier: float = 1.0) -> Smoothed:
    """Marshall's global Empirical-Bayes rates (method of moments, negative variance set to 0)."""
    e, b = _inputs(counts, populations)
    m = e.sum() / b.sum()
    r = e / b
    s2 = float(np.sum(b * (r - m) ** 2) / b.sum() - m / b.mean())
    s2 = max(s2, 0.0)
    if s2 == 0.0:
        smoothed = np.full_like(r, m)
    else:
        w = s2 / (s2 + m / b)
        smoothed = w * r + (1 - w) * m
    return Smoothed(smoothed * multiplier, r * multiplier, "eb_global", float(m * multiplier), s2, multiplier)


def eb_spatial(counts: Sequence[float], populations: Sequence[float], weights: Any, multiplier: float = 1.0) -> Smoothed:
    """Spatial Empirical-Bayes rates with the neighbours of a libpysal ``W`` (in the order of the counts).

    ``weights`` is used as a binary contiguity (each neighbour counts once, whatever its weight);
    the caller's ``W`` is not changed.
    """
    from esda.smoothing import Spatial_Empirical_Bayes  # esda is slow to import; only smoothing needs it
    from libpysal.weights import W

    e, b = _inputs(counts, populations)
    if weights.n != e.size:
        raise ValueError(f"the weights have {weights.n} areas but there are {e.size} counts")
    # a fresh binary W on the same neighbours and order (esda resets the transform to the original)
    w = W({k: list(v) for k, v in weights.neighbors.items()}, id_order=list(weights.id_order), silence_warnings=True)
    smoothed = Spatial_Empirical_Bayes(e, b, w).r.ravel()
    return Smoothed(smoothed * multiplier, (e / b) * multiplier, "eb_spatial", None, None, multiplier)
