"""The groups a set of summary measures is computed on: :class:`GroupTable`.

Built by :mod:`atlas.equity.stratify` (mahalle in population-weighted quantiles of a
socio-economic indicator, or one group per district) or directly with :meth:`GroupTable.of` for
groups from elsewhere (an upload, a test).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Sequence

import pandas as pd

from ..catalogue import POLARITIES, Text
from .texts import Words


@dataclass(frozen=True)
class GroupTable:
    """Subgroups with a value, a population and a standard error each, and what made them.

    ``labels``, ``codes``, ``values``, ``populations``, ``se`` and ``n_areas`` have one entry per
    group; when ``ordered`` the groups run from the most disadvantaged (first) to the most
    advantaged (last). ``labels`` and ``notes`` are written in the reader's language with
    ``get(lang)`` (a district's name is a data Text; a quantile group's label and the notes are
    lazy messages). ``populations`` and ``se`` entries are None when unknown. ``polarity`` is
    that of the indicator measured (not of the stratifier). ``value_method`` says how a group's
    value was made from its areas (``counts``: Σ numerators / Σ denominators;
    ``weighted_mean``: population-weighted mean; ``area_value``: one area per group; ``given``).
    ``area_groups`` maps each area used to its group code; ``excluded`` lists every area left
    out, with the reason (``no stratifier value``, ``no population``, ``no value``).
    """

    labels: tuple[Words, ...]
    values: tuple[float | None, ...]
    populations: tuple[float | None, ...]
    se: tuple[float | None, ...]
    ordered: bool
    polarity: str
    level: str = "custom"  # 'mahalle', 'district' or 'custom'
    codes: tuple[str, ...] = ()
    n_areas: tuple[int, ...] = ()
    indicator_id: str | None = None
    period: str | None = None
    stratifier_id: str | None = None
    stratifier_period: str | None = None
    population_period: str | None = None
    value_method: str = "given"
    notes: tuple[Words, ...] = ()
    area_groups: tuple[tuple[str, str], ...] = ()
    excluded: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        n = len(self.labels)
        for name in ("values", "populations", "se"):
            if len(getattr(self, name)) != n:
                raise ValueError(f"GroupTable: {name} has {len(getattr(self, name))} entries but there are "
                                 f"{n} labels")
        for name in ("codes", "n_areas"):
            if getattr(self, name) and len(getattr(self, name)) != n:
                raise ValueError(f"GroupTable: {name} has {len(getattr(self, name))} entries but there are "
                                 f"{n} labels")
        if self.polarity not in POLARITIES:
            raise ValueError(f"GroupTable: polarity {self.polarity!r} is not allowed; use one of "
                             f"{', '.join(POLARITIES)}")

    @property
    def n_groups(self) -> int:
        return len(self.labels)

    @classmethod
    def of(cls, labels: Sequence[str | Words], values: Sequence[Any], populations: Sequence[Any] | None = None,
           se: Sequence[Any] | None = None, *, ordered: bool = False, polarity: str = "no_judgement",
           **fields: Any) -> "GroupTable":
        """A table from plain sequences (labels may be strings, used for every language)."""
        n = len(labels)
        conv = tuple(lab if hasattr(lab, "get") and not isinstance(lab, str) else Text(str(lab), str(lab))
                     for lab in labels)
        return cls(labels=conv, values=tuple(_opt(v) for v in values),
                   populations=tuple(_opt(v) for v in populations) if populations is not None else (None,) * n,
                   se=tuple(_opt(v) for v in se) if se is not None else (None,) * n,
                   ordered=ordered, polarity=polarity, **fields)

    def frame(self, lang: str = "en") -> pd.DataFrame:
        """One row per group: code, label, value, population, se, n_areas."""
        return pd.DataFrame({
            "code": list(self.codes) if self.codes else [str(i + 1) for i in range(self.n_groups)],
            "label": [lab.get(lang) for lab in self.labels],
            "value": list(self.values),
            "population": list(self.populations),
            "se": list(self.se),
            "n_areas": list(self.n_areas) if self.n_areas else [None] * self.n_groups,
        })


def _opt(v: Any) -> float | None:
    if v is None or v is pd.NA:
        return None
    f = float(v)
    return None if math.isnan(f) else f
