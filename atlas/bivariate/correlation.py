"""Population-weighted Pearson correlation with a 95 % confidence interval.

r_w = Σ w (x − x̄_w)(y − ȳ_w) / √(Σ w (x − x̄_w)² · Σ w (y − ȳ_w)²), with x̄_w = Σ w x / Σ w and w
the areas' populations.

Interval: Fisher's z = atanh(r_w) with standard error 1/√(n_eff − 3), where n_eff is Kish's
effective sample size (Σ w)² / Σ w² (Kish 1965, *Survey Sampling*): unequal weights carry less
information than n equal ones. The interval is tanh(z ± 1.96 / √(n_eff − 3)); none when
n_eff ≤ 3 or |r| = 1. The areas are treated as independent: neighbouring areas are alike
(spatial autocorrelation), so the true uncertainty is larger and the interval is too narrow —
the page and docs/equity.md say so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.stats import norm

METHOD = "fisher_z_kish"


@dataclass(frozen=True)
class Correlation:
    r: float | None
    lower: float | None
    upper: float | None
    n: int
    n_eff: float
    method: str = METHOD


def weighted_correlation(x: Any, y: Any, weights: Any, *, level: float = 0.95) -> Correlation:
    """r_w and its Fisher-z interval (module docstring). Pairs with a missing value or a weight
    that is not above 0 are left out; ``r`` is None when fewer than 3 pairs remain or a variable
    does not vary."""
    xv, yv, wv = (np.asarray(a, dtype=float) for a in (x, y, weights))
    if not (xv.shape == yv.shape == wv.shape) or xv.ndim != 1:
        raise ValueError(f"x, y and weights must be 1-D and the same length, got {xv.shape}, {yv.shape}, {wv.shape}")
    keep = np.isfinite(xv) & np.isfinite(yv) & np.isfinite(wv) & (wv > 0)
    xv, yv, wv = xv[keep], yv[keep], wv[keep]
    n = int(keep.sum())
    if n < 3:
        return Correlation(None, None, None, n, float(n))
    n_eff = float(wv.sum() ** 2 / (wv ** 2).sum())
    dx = xv - np.average(xv, weights=wv)
    dy = yv - np.average(yv, weights=wv)
    sxx, syy = float(wv @ dx ** 2), float(wv @ dy ** 2)
    if sxx <= 0 or syy <= 0:
        return Correlation(None, None, None, n, n_eff)
    r = float(np.clip(wv @ (dx * dy) / math.sqrt(sxx * syy), -1.0, 1.0))
    if n_eff <= 3 or abs(r) >= 1.0:
        return Correlation(r, None, None, n, n_eff)
    z, se = math.atanh(r), 1.0 / math.sqrt(n_eff - 3)
    q = float(norm.ppf(0.5 + level / 2))
    return Correlation(r, math.tanh(z - q * se), math.tanh(z + q * se), n, n_eff)
