"""Confidence intervals used when building and importing values.

Wilson score interval for a proportion (Wilson 1927; the method used by OHID
Fingertips, see ../shared/REFERENCE.md §2):

    centre = (p + z²/2n) / (1 + z²/n)
    half   = z / (1 + z²/n) · sqrt(p(1−p)/n + z²/4n²)

with p = successes / total and n = total. Bounds are proportions in [0, 1].
"""

from __future__ import annotations

import math

Z95 = 1.959963984540054  # two-sided 95 %
Z998 = 3.090232306167813  # two-sided 99.8 %


def wilson_interval(successes: float, total: float, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for ``successes`` out of ``total``, as proportions.

    Raises ValueError for a non-positive total or successes outside [0, total].
    """
    if not total > 0:
        raise ValueError(f"total must be positive, got {total}")
    if not 0 <= successes <= total:
        raise ValueError(f"successes must be between 0 and total ({total}), got {successes}")
    p = successes / total
    z2 = z * z
    denom = 1 + z2 / total
    centre = (p + z2 / (2 * total)) / denom
    half = z / denom * math.sqrt(p * (1 - p) / total + z2 / (4 * total * total))
    return max(0.0, centre - half), min(1.0, centre + half)


def ratio_interval_from_split(a: float, b: float, z: float = Z95) -> tuple[float, float]:
    """CI for the ratio a/b when a and b split one total (e.g. males per female).

    The Wilson interval of p = a/(a+b) is carried through the monotone map p ↦ p/(1−p).
    """
    lo, hi = wilson_interval(a, a + b, z)
    to_ratio = (lambda p: p / (1 - p) if p < 1 else math.inf)
    return to_ratio(lo), to_ratio(hi)
