"""Confidence intervals used when building and importing values.

The functions live in :mod:`atlas.equity.intervals` (with the formulas, Byar's and the exact
Poisson interval beside Wilson's); this module re-exports the ones the build and the importer use,
so ``from atlas.stats import wilson_interval`` keeps working.
"""

from __future__ import annotations

from .equity.intervals import Z95, Z998, ratio_interval_from_split, wilson_interval

__all__ = ["Z95", "Z998", "ratio_interval_from_split", "wilson_interval"]
