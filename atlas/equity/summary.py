"""All summary measures for one :class:`~atlas.equity.groups.GroupTable`, the inapplicable ones kept.

``summary_measures(groups)`` runs every measure of :data:`atlas.equity.measures.MEASURE_IDS` in
HEAT's order and returns, for each, either a :class:`~atlas.equity.measures.Measure` or a
:class:`NotApplicable` naming the rule broken and why, so a page or the command line can list
both. The simulation draws are the same for every measure (one seed).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import pandas as pd

from ..i18n import check_lang, lazy
from ..i18n.lazy import Message
from .groups import GroupTable
from .measures import (LEVEL, MEASURE_IDS, MEASURES, N_DRAWS, SEED, Measure, MeasureNotApplicable, compute,
                       group_codes)


@dataclass(frozen=True)
class NotApplicable:
    """A measure that could not be computed for these groups: ``rule`` (see
    :class:`~atlas.equity.measures.MeasureNotApplicable`) and ``reason``, a lazy message
    (``reason.get(lang)``)."""

    id: str
    name: Message
    rule: str
    reason: Message
    kind: str
    ordered: bool
    complex: bool
    weighted: bool


def summary_measures(groups: GroupTable, *, measures: Sequence[str] = MEASURE_IDS, mu: float | None = None,
                     level: float = LEVEL, n_draws: int = N_DRAWS, seed: int = SEED, scale: float | None = None,
                     model: str = "auto", reference: str | None = None) -> list[Measure | NotApplicable]:
    """Every measure in ``measures`` for ``groups``: a Measure, or a NotApplicable with its reason.

    ``mu`` is an optional setting average (e.g. the İzmir value) used instead of the groups'
    population-weighted mean. ``scale`` (100 for a percentage; ``measures.proportion_scale``)
    makes SII and RII logistic, as HEAT; ``model="linear"`` forces the linear fit. ``reference``
    is the code of the reference group of MDRW, MDRU, PAR and PAF (a district's code, a quantile's
    number); a code that is not among the groups leaves MDRW and MDRU not applicable, with the reason,
    and PAR and PAF on their default reference. Malformed input (an unknown measure id, a negative
    population) raises ValueError: that is a bug, not a property of the data.
    """
    unknown = [m for m in measures if m not in MEASURES]
    if unknown:
        raise ValueError(f"unknown measure {unknown[0]!r}; use any of {', '.join(MEASURE_IDS)}")
    codes = group_codes(groups.codes, groups.n_groups)
    ref_index = codes.index(reference) if reference is not None and reference in codes else None
    out: list[Measure | NotApplicable] = []
    for mid in measures:
        info = MEASURES[mid]
        if info.needs_reference and reference is not None and ref_index is None:
            out.append(NotApplicable(
                id=mid, name=info.name, rule="no_reference", kind=info.kind, ordered=info.ordered,
                complex=info.complex, weighted=info.weighted,
                reason=lazy.gettext("The reference group {code} is not among the groups ({codes}).",
                                    code=repr(str(reference)[:40]), codes=", ".join(codes))))
            continue
        try:
            out.append(compute(mid, groups.values, groups.populations, groups.se, ordered=groups.ordered,
                               polarity=groups.polarity, mu=mu, level=level, n_draws=n_draws, seed=seed,
                               scale=scale, model=model, reference=ref_index))
        except MeasureNotApplicable as exc:
            out.append(NotApplicable(id=mid, name=info.name, rule=exc.rule, reason=exc.reason, kind=info.kind,
                                     ordered=info.ordered, complex=info.complex, weighted=info.weighted))
    return out


def summary_frame(results: Sequence[Measure | NotApplicable], lang: str = "en") -> pd.DataFrame:
    """The results as a table (one row per measure): id, name, value, lower, upper, ci_method,
    kind, unit, model (SII, RII: logistic or linear), note (the reason for a measure not computed)."""
    check_lang(lang)
    rows = []
    for r in results:
        if isinstance(r, Measure):
            rows.append({"id": r.id, "name": r.name.get(lang), "value": r.value, "lower": r.lower,
                         "upper": r.upper, "ci_method": r.ci_method, "kind": r.kind, "unit": r.unit,
                         "model": r.model, "note": r.note.get(lang) if r.note else ""})
        else:
            rows.append({"id": r.id, "name": r.name.get(lang), "value": None, "lower": None, "upper": None,
                         "ci_method": "not applicable", "kind": r.kind, "unit": "", "model": "",
                         "note": r.reason.get(lang)})
    return pd.DataFrame.from_records(rows, columns=["id", "name", "value", "lower", "upper", "ci_method", "kind",
                                                    "unit", "model", "note"])
