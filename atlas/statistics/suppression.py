"""Small numbers: primary and secondary (complementary) suppression.

**Primary suppression** applies an indicator's rule (:class:`SuppressionRule`, built from the
catalogue's :class:`atlas.catalogue.Disclosure`): a value whose count is below ``min_count``
(e.g. 5), or whose denominator is below ``min_denominator``, is not shown; a directly standardised
rate is not calculated from fewer than ``dsr_min_count`` events (10, as Fingertips). The reason is
a message (``atlas.i18n.lazy``) to be written into the value's note in either language, worded as
``atlas.values.suppression_note`` words the same rule.

**Secondary suppression** makes sure that a suppressed cell cannot be worked out from the cells that
are shown. Published tables add up: a district's count is the sum of its mahalle, a total the sum
of the sexes. Each such identity is an :class:`Equation` ``total = Σ parts``. If a suppressed cell
is the only unknown in one equation, subtraction recovers it; with several equations, combinations
of them can. :func:`secondary_suppression` tests exactly that: a suppressed cell x_j can be
recovered from the published cells if and only if its unit vector lies in the row space of the
equations restricted to the suppressed cells (equivalently, x_j is the same in every solution of
the linear system). While any suppressed cell is recoverable, one more published cell of an
equation that holds it is suppressed — the smallest one, preferring parts to totals (the least
information lost) — and the test is run again. Afterwards no suppressed value can be found
exactly by adding and subtracting published values. (Bounds remain: a suppressed count is known
to lie between 0 and the published total; that is the usual, accepted residual disclosure.)

Reference: Hundepool A et al. (2012). Statistical Disclosure Control. Wiley, chapter 4
(tabular data: primary and secondary cell suppression); OHID Fingertips technical guidance on
small numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Hashable, Iterable, Mapping, Sequence

import numpy as np

from ..catalogue import Disclosure
from ..i18n import lazy
from ..i18n.lazy import Message
from .rates import DSR_MIN_COUNT, dsr_not_calculated

PRIMARY = "primary"
SECONDARY = "secondary"

#: The note of a cell hidden by secondary suppression.
SECONDARY_NOTE = lazy.gettext("suppressed so that a small number nearby cannot be worked out by subtracting "
                              "the values shown from their total")


@dataclass(frozen=True)
class SuppressionRule:
    """An indicator's small-number rule. ``min_count`` 0 and ``min_denominator`` 0 switch a test off."""

    min_count: int = 5
    min_denominator: int = 0
    dsr_min_count: int = DSR_MIN_COUNT

    @classmethod
    def from_disclosure(cls, disclosure: Disclosure, dsr_min_count: int = DSR_MIN_COUNT) -> "SuppressionRule":
        return cls(disclosure.min_count, disclosure.min_denominator, dsr_min_count)

    def reason(self, count: float | None, denominator: float | None = None, *, statistic: str = "count") -> Message | None:
        """Why a value with this count and denominator is not shown, or None when it may be shown.

        ``statistic`` ``"dsr"`` applies the DSR rule too (not calculated below ``dsr_min_count``).
        """
        if count is not None and self.min_count and count < self.min_count:
            return lazy.ngettext("suppressed by the disclosure rule: fewer than {n} event",
                                 "suppressed by the disclosure rule: fewer than {n} events", self.min_count)
        if denominator is not None and self.min_denominator and denominator < self.min_denominator:
            return lazy.gettext("suppressed by the disclosure rule: a denominator under {limit}",
                                limit=self.min_denominator)
        if statistic == "dsr" and count is not None and count < self.dsr_min_count:
            return dsr_not_calculated(self.dsr_min_count)
        return None


@dataclass(frozen=True)
class Equation:
    """A published identity: the cell ``total`` is the sum of the cells ``parts``."""

    total: Hashable
    parts: tuple[Hashable, ...]


def hierarchy_equations(parent_of: Mapping[Hashable, Hashable], *, sexes: Sequence[str] = (),
                        total_sex: str = "total") -> list[Equation]:
    """The identities of an area hierarchy (mahalle → district → İzmir) and, optionally, of sexes.

    ``parent_of`` maps each area to the area it adds up to (a mahalle to its district, a district to
    İzmir). Without ``sexes`` the cells are area codes: ``parent = Σ children``. With sexes (e.g.
    ``("female", "male")``) the cells are ``(area, sex)`` pairs, ``total_sex`` the pair of both:
    ``(area, total) = Σ (area, sex)`` for every area, and ``(parent, s) = Σ (child, s)`` for every
    parent and every sex and the total.
    """
    children: dict[Hashable, list[Hashable]] = {}
    for child, parent in parent_of.items():
        children.setdefault(parent, []).append(child)
    if not sexes:
        return [Equation(p, tuple(cs)) for p, cs in children.items()]
    areas = list(dict.fromkeys([*parent_of.keys(), *parent_of.values()]))
    out = [Equation((a, total_sex), tuple((a, s) for s in sexes)) for a in areas]
    for p, cs in children.items():
        for s in (*sexes, total_sex):
            out.append(Equation((p, s), tuple((c, s) for c in cs)))
    return out


def _matrix(cells: list[Hashable], equations: Sequence[Equation]) -> np.ndarray:
    index = {c: i for i, c in enumerate(cells)}
    a = np.zeros((len(equations), len(cells)))
    for r, eq in enumerate(equations):
        for key in (eq.total, *eq.parts):
            if key not in index:
                raise KeyError(f"the equation for {eq.total!r} names the cell {key!r}, which has no value")
        a[r, index[eq.total]] += 1.0
        for p in eq.parts:
            a[r, index[p]] -= 1.0
    return a


def _fixed(a: np.ndarray, cols: list[int]) -> list[int]:
    """Of the hidden columns ``cols`` of the equation matrix ``a``, those fixed by the equations."""
    from scipy.linalg import null_space  # scipy is slow to import; only the suppression needs it

    if not cols:
        return []
    a_s = a[:, cols]
    a_s = a_s[np.abs(a_s).sum(axis=1) > 0]  # equations without a hidden cell say nothing about them
    if a_s.size == 0:
        return []
    basis = null_space(a_s)  # every solution of the hidden cells = a particular one + span(basis)
    if basis.size == 0:
        return list(cols)
    free = np.abs(basis).max(axis=1) > 1e-9
    return [c for c, f in zip(cols, free) if not f]


def recoverable(cells: Sequence[Hashable], equations: Sequence[Equation], suppressed: Iterable[Hashable]) -> set:
    """The suppressed cells whose value follows exactly from the published cells and the equations."""
    cells = list(cells)
    hidden = set(suppressed)
    a = _matrix(cells, equations)
    return {cells[i] for i in _fixed(a, [i for i, c in enumerate(cells) if c in hidden])}


def secondary_suppression(values: Mapping[Hashable, float], equations: Sequence[Equation],
                          primary: Iterable[Hashable]) -> dict[Hashable, str]:
    """The cells to suppress, each marked :data:`PRIMARY` or :data:`SECONDARY`.

    ``values`` holds every cell's count (suppressed or not; used to pick the cheapest complementary
    cell), ``equations`` the identities between cells (:func:`hierarchy_equations`), ``primary``
    the cells the rule suppressed. Raises ValueError when a primary cell has no value.

    Each round tries every published cell of the equations that hold a recoverable cell, so the cost
    grows quickly with the table: call it per district (its mahalle × sex table with the district
    row), and once for the districts with İzmir (bench/bench_suppression.py: ~1 s for a city of
    1,400 mahalle done so; the whole city as one table takes many minutes).
    """
    cells = list(values)
    out: dict[Hashable, str] = {}
    for c in primary:
        if c not in values:
            raise ValueError(f"the suppressed cell {c!r} has no value")
        out[c] = PRIMARY
    totals = {eq.total for eq in equations}
    holding: dict[Hashable, list[Equation]] = {}
    for eq in equations:
        for key in (eq.total, *eq.parts):
            holding.setdefault(key, []).append(eq)
    index = {c: i for i, c in enumerate(cells)}
    a = _matrix(cells, equations)

    def exposed_by(hidden: Iterable[Hashable]) -> list[Hashable]:
        return [cells[i] for i in _fixed(a, sorted(index[c] for c in hidden))]

    while True:
        exposed = exposed_by(out)
        if not exposed:
            return out
        candidates = {key for c in exposed for eq in holding.get(c, []) for key in (eq.total, *eq.parts)
                      if key not in out}
        if not candidates:
            raise ValueError(f"the cells {sorted(map(str, exposed))[:3]} cannot be protected: every related cell "
                             f"is already suppressed")

        def cost(c: Hashable) -> tuple:
            # one step ahead: fewest cells left recoverable, then parts before totals, then the smallest
            return (len(exposed_by([*out, c])), c in totals, float(values[c]), str(c))

        out[min(candidates, key=cost)] = SECONDARY
