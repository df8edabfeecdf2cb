"""3×3 bivariate classes: tertiles of two indicators, oriented by polarity, and their colours.

**Tertiles (population-weighted).** Each indicator is cut into three classes that each hold about
a third of the *population* of the areas with both values (not a third of the areas): the
midpoint rule of :func:`atlas.equity.stratify.population_quantiles` with k = 3 — areas sorted from
the worse end, C_i the cumulative population share after area i (tied values taken together, so
ties never split), an area whose midpoint (C_{i−1} + C_i)/2 falls in ((g−1)/3, g/3] goes to third g.
A double burden is about people, so "the worst third" means where a third of the residents live.

**Orientation.** Class 0 is the better third, class 2 the worse third, by each indicator's
polarity: for 'lower is better' (heat, vulnerability) the highest values are the worse third, for
'higher is better' (green space, SEGE score) the lowest. An indicator without polarity
('no_judgement') is oriented high = class 2 and its classes are called lower / middle / higher,
never better / worse. The *worse-on-both* cell is (2, 2).

**Palette.** Cynthia Brewer's sequential–sequential bivariate scheme (``brewer.seqseq2`` in R's
``pals`` package, Kevin Wright, after C. A. Brewer, "Color use guidelines for mapping and
visualization", 1994, and her bivariate scheme pages): light grey → blue along x, light grey →
orange along y, black where both are worst. It was chosen over Joshua Stevens' bivariate palettes
(joshuastevens.net, "Bivariate choropleth maps: a how-to guide") because it is the only one among
them that keeps every pair of its nine colours at least ΔE00 = 10 apart for normal vision and
simulated protanopia, deuteranopia and tritanopia (:mod:`atlas.bivariate.cvd`; Stevens' pink–blue
falls to 3.5 for protanopia). Measured: normal 13.2, protanopia 10.6, deuteranopia 11.2,
tritanopia 12.2.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..catalogue import Indicator
from ..equity.stratify import population_quantiles
from ..i18n import N_

N_CLASSES = 3
#: brewer.seqseq2, row-major with y (rows) and x (columns) from the better third (0) to the worse (2).
PALETTE: tuple[str, ...] = ("#f3f3f3", "#b4d3e1", "#509dc2",
                            "#f3e6b3", "#b3b3b3", "#376387",
                            "#f3b300", "#b36600", "#000000")
WORSE_BOTH = (2, 2)
#: The name of a class along one axis (``label(CLASS_NAMES[judged], c, lang)``).
CLASS_NAMES: dict[bool, dict[str, str]] = {
    True: {"0": N_("better third"), "1": N_("middle third"), "2": N_("worse third")},
    False: {"0": N_("lower third"), "1": N_("middle third"), "2": N_("higher third")},
}


def judged(ind: Indicator) -> bool:
    """Whether the indicator has a better and a worse end (a polarity)."""
    return ind.polarity != "no_judgement"


def worse_end(polarity: str) -> str:
    """Which end of the values is the worse third: ``"high"`` or ``"low"`` (no polarity: high)."""
    return "low" if polarity == "higher_is_better" else "high"


def tertile_classes(values: Any, populations: Any, polarity: str) -> np.ndarray:
    """Classes 0 (better third) … 2 (worse third) of population-weighted tertiles of ``values``.

    Every value must be finite and every population above 0 (leave the other areas out first);
    raises :class:`atlas.equity.stratify.StratificationError` otherwise, or when a third would be
    empty (fewer than three areas, or one area holding more than a third of the population).
    """
    groups = population_quantiles(values, populations, N_CLASSES, disadvantaged=worse_end(polarity))
    return N_CLASSES - groups  # group 1 (the worse end) → class 2


def cell_key(x_class: int, y_class: int) -> str:
    """The style key of a cell, ``"x2y0"``."""
    return f"x{int(x_class)}y{int(y_class)}"


def cell_colour(x_class: int, y_class: int) -> str:
    """The palette colour of cell (x, y)."""
    if not (0 <= x_class < N_CLASSES and 0 <= y_class < N_CLASSES):
        raise ValueError(f"classes must be 0, 1 or 2, got ({x_class}, {y_class})")
    return PALETTE[y_class * N_CLASSES + x_class]
