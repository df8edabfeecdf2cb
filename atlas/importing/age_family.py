"""From checked count data by age band to the values of a family of indicators (issue #19).

Each area × period (after the entry's ``sex`` is chosen, and with the pooled spans added up by
``atlas.statistics.rates.pool_periods``) has its events and population by age band. From them,
with the functions of ``atlas.statistics`` (the formulas and references are in their docstrings
and in docs/statistics.md), the import makes, for each member the entry asks for
(``age_entry.MEMBERS``):

* ``dsr`` / ``dsr_who2001`` / ``dsr_izmir`` — directly standardised rate (Dobson's limits) to the
  ESP 2013, the WHO 2001 standard, or İzmir's own population (the file's populations of the
  reference level added up over İzmir, standard id ``own``);
* ``crude`` — events ÷ population × scale (exact Poisson limits below 10 events, Byar's from 10);
* ``smr`` — observed ÷ expected events at İzmir's age-specific rates × 100 (Byar / exact limits);
* ``isr`` — the SMR times İzmir's crude rate;
* ``eb_global`` / ``eb_spatial`` — Empirical-Bayes smoothed crude rate of the mahalle (over all of
  them / over each mahalle and its queen-contiguity neighbours), without limits.

İzmir's reference (the SMR's age-specific rates, the own standard, the province rows) is the sum of
the file's areas of one level: the districts if the period has district rows, else the mahalle.
The province row of each member is written when the file holds every area of that level (as
``province.py`` does for ready values).

Disclosure: primary (``SuppressionRule`` from the entry's ``disclosure``) on each area's event
count and population, then secondary (``suppression.secondary_suppression``) district by district
(each district with its mahalle, all periods and pooled spans) and once for İzmir with the districts,
so that no suppressed count follows from the published ones by adding and subtracting. A cell
hidden so is hidden in every member; its row keeps no value, count, population or limits. A DSR
of fewer than ``dsr_min_count`` events is not calculated (Fingertips), its row likewise empty.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Hashable, Sequence

import numpy as np
import pandas as pd

from ..build.areas import PROVINCE_CODE
from ..i18n import lazy
from ..statistics import suppression as sp
from ..statistics.rates import Estimate, crude_rate, dsr_from_weights, period_label, pool_periods
from ..statistics.ratios import indirectly_standardised_rate, indirectly_standardised_ratio
from ..statistics.standards import (AgeBand, StandardPopulation, align_to_standard, own_population_standard,
                                    standard_population)
from .age_entry import IZMIR_STANDARD, MEMBERS, AgeBandSpec
from .age_rows import BandRow, _problem
from .problems import Problems

Key = tuple[str, str, str]  # (level, area code, period)


@dataclass(frozen=True)
class Cell:
    """One area and period: events and population by age band (youngest first)."""

    level: str
    code: str
    period: str
    period_sort: int
    bands: tuple[AgeBand, ...]
    events: tuple[int, ...]
    population: tuple[int, ...]
    row: int  # the first row of the file behind it (0 for a pooled span)

    @property
    def key(self) -> Key:
        return (self.level, self.code, self.period)

    @property
    def total_events(self) -> int:
        return int(sum(self.events))

    @property
    def total_population(self) -> int:
        return int(sum(self.population))


# --- bands ---------------------------------------------------------------------------------------

def _sorted_bands(bands) -> list[AgeBand]:
    return sorted(bands, key=lambda b: (b.low, b.high if b.high is not None else 10**6))


def collapse(bands: Sequence[AgeBand], events: Sequence[float], population: Sequence[float],
             lows: Sequence[int]) -> tuple[tuple[AgeBand, ...], tuple[int, ...], tuple[int, ...]]:
    """The counts added up onto the coarser bands starting at ``lows`` (each a start of ``bands``)."""
    lows = sorted(lows)
    out_b = tuple(AgeBand(lo, hi) for lo, hi in zip(lows, [*lows[1:], None]))
    ev = [0] * len(out_b)
    po = [0] * len(out_b)
    for b, e, p in zip(bands, events, population):
        i = max(k for k, lo in enumerate(lows) if lo <= b.low)
        ev[i] += int(e)
        po[i] += int(p)
    return out_b, tuple(ev), tuple(po)


def common_lows(band_sets: Sequence[Sequence[AgeBand]]) -> list[int]:
    """The band starts every set shares (at least 0): the finest bands all of them can be put on."""
    lows = set.intersection(*({b.low for b in s} for s in band_sets))
    return sorted(lows)


# --- cells: sex, areas, pooled spans -------------------------------------------------------------

def build_cells(spec: AgeBandSpec, rows: Sequence[tuple[BandRow, str]], problems: Problems) -> list[Cell]:
    """The cells of the file (the entry's sex chosen) and of its pooled spans. Problems are added."""
    ind = spec.indicator
    by_key: dict[Key, dict[str, dict[AgeBand, BandRow]]] = {}
    sorts: dict[str, int] = {}
    for r, code in rows:
        if r.level not in ind.levels:
            problems.add(r.row, lazy.gettext("level {level} is not in the levels of {indicator} ({levels})",
                                             level=r.level, indicator=ind.id, levels=", ".join(ind.levels)))
            continue
        if r.period not in ind.periods:
            problems.add(r.row, lazy.gettext("period {period} is not in the periods of {indicator} ({periods}); "
                                             "to add a period, give --entry with the period added",
                                             period=r.period, indicator=ind.id, periods=", ".join(ind.periods)))
            continue
        bands = by_key.setdefault((r.level, code, r.period), {}).setdefault(r.sex, {})
        if r.band in bands:
            problems.add(r.row, _problem(lazy.gettext(
                "duplicate: the age band {band} of {level} {code}, {period} is already given in row {first}",
                band=r.band.label, level=r.level, code=code, period=r.period, first=bands[r.band].row)))
            continue
        bands[r.band] = r
        sorts[r.period] = r.period_sort
    cells = []
    for (level, code, period), sexes in by_key.items():
        cell = _choose_sex(spec.sex, level, code, period, sorts[period], sexes, problems)
        if cell is not None:
            cells.append(cell)
    if problems:
        return cells
    for span in spec.pooled:
        cells += _pool(span, cells, problems)
    return cells


def _cell_of(level: str, code: str, period: str, sort: int, rows: dict[AgeBand, BandRow]) -> Cell:
    bands = _sorted_bands(rows)
    return Cell(level, code, period, sort, tuple(bands), tuple(rows[b].events for b in bands),
                tuple(rows[b].population for b in bands), min(r.row for r in rows.values()))


def _choose_sex(sex: str, level: str, code: str, period: str, sort: int, sexes: dict[str, dict[AgeBand, BandRow]],
                problems: Problems) -> Cell | None:
    first = min(r.row for s in sexes.values() for r in s.values())
    if sex in sexes:
        cell = _cell_of(level, code, period, sort, sexes[sex])
    elif sex == "total" and {"female", "male"} <= set(sexes):
        f = _cell_of(level, code, period, sort, sexes["female"])
        m = _cell_of(level, code, period, sort, sexes["male"])
        lows = common_lows([f.bands, m.bands])
        fb, fe, fp = collapse(f.bands, f.events, f.population, lows)
        _, me, mp = collapse(m.bands, m.events, m.population, lows)
        cell = Cell(level, code, period, sort, fb, tuple(a + b for a, b in zip(fe, me)),
                    tuple(a + b for a, b in zip(fp, mp)), first)
    else:
        problems.add(first, _problem(lazy.gettext(
            "{level} {code}, {period} has rows for {given} only; the entry asks for sex {sex} (give total rows, "
            "or female and male rows, or set the entry's sex)",
            level=level, code=code, period=period, given=", ".join(sorted(sexes)), sex=sex)))
        return None
    if cell.total_population <= 0:
        problems.add(first, _problem(lazy.gettext(
            "{level} {code}, {period} has a population of 0 in every age band; a rate needs people",
            level=level, code=code, period=period)))
        return None
    return cell


def _pool(span: str, cells: Sequence[Cell], problems: Problems) -> list[Cell]:
    first, last = (int(y) for y in span.split("-"))
    years = list(range(first, last + 1))
    mine = [c for c in cells if c.period.isdigit() and first <= int(c.period) <= last]
    areas = sorted({(c.level, c.code) for c in mine})
    lows = common_lows([c.bands for c in mine]) if mine else [0]
    records = []
    for c in mine:
        b, e, p = collapse(c.bands, c.events, c.population, lows)
        records += [{"level": c.level, "code": c.code, "band": bb.low, "period": int(c.period), "count": ee,
                     "population": pp} for bb, ee, pp in zip(b, e, p)]
    if not records:
        problems.add(0, lazy.gettext("pooled period {span}: the file has none of its years ({years})", span=span,
                                     years=", ".join(map(str, years))))
        return []
    try:
        pooled = pool_periods(pd.DataFrame(records), years, by=["level", "code", "band"])
    except ValueError as exc:
        problems.add(0, lazy.gettext("pooled period {span}: {problem}", span=span, problem=str(exc)))
        return []
    label = period_label(years)
    out = []
    bands = tuple(AgeBand(lo, hi) for lo, hi in zip(lows, [*lows[1:], None]))
    for level, code in areas:
        sub = pooled[(pooled["level"] == level) & (pooled["code"] == code)].set_index("band")
        out.append(Cell(level, code, label, last, bands, tuple(int(sub.at[b.low, "count"]) for b in bands),
                        tuple(int(sub.at[b.low, "population"]) for b in bands), 0))
    return out


# --- the reference (İzmir) -----------------------------------------------------------------------

@dataclass(frozen=True)
class Reference:
    """İzmir's events and population by band in one period: the sum of the file's areas of ``level``."""

    period: str
    period_sort: int
    level: str
    n_areas: int
    complete: bool  # every area of the level is in the file: a province row may be written
    bands: tuple[AgeBand, ...]
    events: tuple[int, ...]
    population: tuple[int, ...]


def references(cells: Sequence[Cell], kinds: dict[str, frozenset[str]]) -> dict[str, Reference]:
    out = {}
    for period in sorted({c.period for c in cells}):
        here = [c for c in cells if c.period == period]
        level = "district" if any(c.level == "district" for c in here) else "mahalle"
        mine = [c for c in here if c.level == level]
        lows = common_lows([c.bands for c in mine])
        ev = np.zeros(len(lows), dtype=int)
        po = np.zeros(len(lows), dtype=int)
        bands: tuple[AgeBand, ...] = ()
        for c in mine:
            bands, e, p = collapse(c.bands, c.events, c.population, lows)
            ev += np.array(e)
            po += np.array(p)
        complete = kinds.get(level, frozenset()) <= {c.code for c in mine}
        out[period] = Reference(period, mine[0].period_sort, level, len(mine), complete, bands,
                                tuple(int(x) for x in ev), tuple(int(x) for x in po))
    return out


def own_standard(ref: Reference) -> StandardPopulation:
    """İzmir's own population of the period as a standard population (bands with people only)."""
    keep = [i for i, p in enumerate(ref.population) if p > 0]
    lows = [ref.bands[i].low for i in keep]
    if lows and lows[0] != 0:
        lows[0] = 0
    bands, _, pops = collapse(ref.bands, ref.events, ref.population, lows)
    return own_population_standard([b.label for b in bands], pops, source=f"the import file's {ref.level} "
                                   f"populations by age band, {ref.period}, added up over İzmir",
                                   standard_id=IZMIR_STANDARD)


# --- statistics ----------------------------------------------------------------------------------

def dsr_of(bands, events, population, std: StandardPopulation, multiplier: float, min_count: int) -> Estimate:
    """The DSR (Dobson) on the office's bands mapped onto the standard's; a band with no people (and
    so no events) adds nothing."""
    aligned = align_to_standard([b.label for b in bands], events, population, std)
    pops = [p if p > 0 else 1.0 for p in aligned.populations]  # 0 events there: w·0/1 = 0, no variance
    est = dsr_from_weights(aligned.counts, pops, aligned.weights, multiplier, min_count=min_count, standard=std.id)
    return replace(est, denominator=float(sum(aligned.populations)))


def _ratio_inputs(cell: Cell, ref: Reference) -> tuple[list[int], list[int], list[int], int]:
    lows = common_lows([cell.bands, ref.bands])
    _, _, n = collapse(cell.bands, cell.events, cell.population, lows)
    _, xr, nr = collapse(ref.bands, ref.events, ref.population, lows)
    keep = [i for i, p in enumerate(nr) if p > 0]
    return [n[i] for i in keep], [xr[i] for i in keep], [nr[i] for i in keep], cell.total_events


def estimate(member: str, cell: Cell, ref: Reference, spec: AgeBandSpec, own: StandardPopulation | None) -> Estimate:
    scale = spec.indicator.scale
    measure, standard = MEMBERS[member]
    if measure == "dsr":
        std = own if standard == IZMIR_STANDARD else standard_population(standard)
        return dsr_of(cell.bands, cell.events, cell.population, std, scale, spec.dsr_min_count)
    if measure in ("crude_rate", "eb_global", "eb_spatial"):
        return crude_rate(cell.total_events, cell.total_population, scale)
    n, xr, nr, o = _ratio_inputs(cell, ref)
    if measure == "smr":
        return indirectly_standardised_ratio(o, n, xr, nr, refvalue=100.0)
    return indirectly_standardised_rate(o, n, xr, nr, multiplier=scale)


# --- disclosure ----------------------------------------------------------------------------------

def disclosure(cells: Sequence[Cell], refs: dict[str, Reference], parent_of: dict[str, str],
               children_of: dict[str, frozenset[str]], rule: sp.SuppressionRule,
               pooled: Sequence[str]) -> dict[Hashable, str]:
    """The cells to hide (key → PRIMARY/SECONDARY): the rule, then secondary suppression district by
    district and once for İzmir with the districts (or the mahalle, for a file without districts).
    Cells of the province are keyed ("province", PROVINCE_CODE, period)."""
    values: dict[Hashable, float] = {c.key: c.total_events for c in cells}
    primary = [c.key for c in cells if rule.reason(c.total_events, c.total_population) is not None]
    for p, ref in refs.items():
        if ref.complete:
            values[("province", PROVINCE_CODE, p)] = float(sum(ref.events))
    spans = {s: [str(y) for y in range(int(s[:4]), int(s[5:]) + 1)] for s in pooled}

    def pooled_eqs(areas: set[tuple[str, str]]) -> list[sp.Equation]:
        out = []
        for level, code in areas:
            for s, years in spans.items():
                parts = tuple((level, code, y) for y in years)
                if (level, code, s) in values and all(k in values for k in parts):
                    out.append(sp.Equation((level, code, s), parts))
        return out

    hidden: dict[Hashable, str] = {}
    periods = sorted({c.period for c in cells})
    districts = sorted({c.code for c in cells if c.level == "district"})
    for d in districts:  # each district with its mahalle
        eqs = []
        for p in periods:
            kids = tuple(("mahalle", m, p) for m in sorted(children_of.get(d, ())))
            if ("district", d, p) in values and kids and all(k in values for k in kids):
                eqs.append(sp.Equation(("district", d, p), kids))
        areas = {("district", d)} | {("mahalle", m) for m in children_of.get(d, ()) if
                                     any(("mahalle", m, p) in values for p in periods)}
        eqs += pooled_eqs(areas)
        table = {k: v for k, v in values.items() if (k[0], k[1]) in areas}
        if eqs:
            hidden.update(sp.secondary_suppression(table, eqs, [k for k in primary if k in table]))
    # İzmir with the level its value is the sum of; mahalle of district files left over go alone
    eqs, top_areas = [], set()
    for p, ref in refs.items():
        parts = tuple(c.key for c in cells if c.period == p and c.level == ref.level)
        top_areas |= {(k[0], k[1]) for k in parts}
        if ref.complete:
            eqs.append(sp.Equation(("province", PROVINCE_CODE, p), parts))
    eqs += pooled_eqs(top_areas)
    table = {k: v for k, v in values.items() if (k[0], k[1]) in top_areas or k[0] == "province"}
    start = {k: how for k, how in hidden.items() if k in table}
    start.update({k: sp.PRIMARY for k in primary if k in table and k not in start})
    if eqs:
        for k, how in sp.secondary_suppression(table, eqs, list(start)).items():
            hidden.setdefault(k, how if k not in start else start[k])
    else:
        hidden.update(start)
    for k in primary:
        hidden[k] = sp.PRIMARY
    leftover = {(c.level, c.code) for c in cells} - top_areas - {("district", d) for d in districts} - {
        ("mahalle", m) for d in districts for m in children_of.get(d, ())}
    pool_left = pooled_eqs(leftover)
    if pool_left:
        table = {k: v for k, v in values.items() if (k[0], k[1]) in leftover}
        hidden.update(sp.secondary_suppression(table, pool_left, [k for k in primary if k in table]))
    return hidden
