"""Groups for the summary measures: an ordered stratifier, or districts.

**Ordered stratifier** (:func:`quantile_groups`). Mahalle are put into k population-weighted
quantile groups (quintiles k = 5, deciles k = 10) of a socio-economic indicator, e.g. the
social-vulnerability score ``svi_mean``:

1. the areas with an 'ok' stratifier value and a population > 0 (``pop_total`` of the period
   nearest the stratifier's) are sorted from the most disadvantaged end — by the stratifier's
   polarity: for 'lower is better' (a vulnerability score) the highest value is the most
   disadvantaged, for 'higher is better' the lowest; a stratifier without polarity needs
   ``disadvantaged="high"`` or ``"low"``;
2. with C_i the cumulative population share after area i (areas with the same stratifier value
   taken together, so ties never split), an area (or tie block) whose population midpoint
   m = (C_{i−1} + C_i) / 2 falls in ((g−1)/k, g/k] goes to group g: each group holds about 1/k
   of the population (areas are not divided, so a group can be a little over or under);
3. group 1 is the most disadvantaged, group k the most advantaged (the order HEAT's ordered
   measures expect).

The group's value of the indicator measured (the *target*) is, over the group's areas with an
'ok' value:

* ``counts`` — when the target is a proportion, rate or ratio and every such area has a
  numerator and a denominator: Σ numerators / Σ denominators × scale, with standard error
  √(P(1−P)/Σden) × scale for a proportion and √(Σnum)/Σden × scale for a rate or ratio (Poisson);
* ``weighted_mean`` — otherwise: Σ w_i v_i with w_i = N_i / Σ N (the areas' populations), with
  standard error √(Σ w_i² se_i²) when every area has a CI (se_i = (U−L)/3.92,
  :func:`atlas.statistics.intervals.se_from_ci`, after :func:`~atlas.statistics.intervals.fill_missing_cis`)
  and none otherwise (values from a full grid or register carry no sampling error to propagate).

The group's population (p_j of the measures) is the population of the areas that gave it a value.

**Districts** (:func:`district_groups`): one unordered group per district with a value, its own
value and CI, and its ``pop_total`` of the period nearest the target's.

Every area left out is listed in ``GroupTable.excluded`` with the reason; nothing is dropped
silently.
"""

from __future__ import annotations

import math
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from .. import queries
from ..catalogue import Indicator, Text, indicator_from_json
from ..i18n import lazy
from ..i18n.lazy import Message
from ..mapping.formatting import format_number, format_value
from .groups import GroupTable
from ..statistics.intervals import CI_METHODS, fill_missing_cis, se_from_ci
from .texts import ExplainedError, in_each_language

POPULATION_INDICATOR = "pop_total"
N_GROUPS_ALLOWED = range(2, 21)
DISADVANTAGED = ("high", "low")
#: The levels' names in a sentence ("… at mahalle level"); another level is named by its code.
LEVEL_NAMES: dict[str, Message] = {
    "province": lazy.pgettext("level in a sentence", "province"),
    "district": lazy.pgettext("level in a sentence", "district"),
    "mahalle": lazy.pgettext("level in a sentence", "mahalle"),
}


class StratificationError(ExplainedError):
    """The groups cannot be made (unknown period, too few areas, no polarity to order by...).

    ``str(exc)`` is English; ``exc.text`` is the reason as a lazy message (``exc.text.get(lang)``)."""


# --- pure parts ------------------------------------------------------------------------------


def population_quantiles(values: Any, populations: Any, n_groups: int = 5, *,
                         disadvantaged: str = "high") -> np.ndarray:
    """Group numbers 1..k (1 = most disadvantaged) of population-weighted quantiles of ``values``.

    ``disadvantaged`` says which end is the most disadvantaged: ``"high"`` (highest values in
    group 1) or ``"low"``. See the module docstring for the midpoint rule and ties. Raises
    StratificationError when a value or population is missing or not positive, or when a group
    would be empty (too few areas, or one area holding more than 1/k of the population).
    """
    if isinstance(n_groups, bool) or n_groups not in N_GROUPS_ALLOWED:
        raise StratificationError(lazy.gettext(
            "number of groups must be a whole number from {low} to {high} (5 = quintiles, 10 = deciles), got "
            "{given}", low=N_GROUPS_ALLOWED.start, high=N_GROUPS_ALLOWED.stop - 1, given=repr(n_groups)))
    if disadvantaged not in DISADVANTAGED:
        raise StratificationError(lazy.gettext("disadvantaged must be one of {allowed}, got {given}",
                                               allowed=", ".join(DISADVANTAGED), given=repr(disadvantaged)))
    v = np.asarray(values, dtype=float)
    pop = np.asarray(populations, dtype=float)
    if v.shape != pop.shape or v.ndim != 1:
        raise StratificationError(lazy.gettext(
            "values ({values}) and populations ({populations}) must be 1-D and the same length",
            values=str(v.shape), populations=str(pop.shape)))
    if not np.isfinite(v).all():
        raise StratificationError(lazy.gettext(
            "every area needs a stratifier value; leave out the areas without one first"))
    if not (np.isfinite(pop).all() and (pop > 0).all()):
        raise StratificationError(lazy.gettext("every area needs a population above 0; leave out the others first"))
    if v.size < n_groups:
        raise StratificationError(lazy.ngettext("{n} area cannot make {groups} groups",
                                                "{n} areas cannot make {groups} groups", v.size, groups=n_groups))
    key = -v if disadvantaged == "high" else v
    order = np.argsort(key, kind="stable")
    ks, ps = key[order], pop[order]
    new_block = np.r_[True, ks[1:] != ks[:-1]]
    block = np.cumsum(new_block) - 1
    block_pop = np.bincount(block, weights=ps)
    end = np.cumsum(block_pop)
    mid = (end - block_pop / 2) / end[-1]
    block_group = np.minimum(n_groups, np.floor(mid * n_groups).astype(int) + 1)
    groups = np.empty(v.size, dtype=int)
    groups[order] = block_group[block]
    empty = sorted(set(range(1, n_groups + 1)) - set(groups.tolist()))
    if empty:
        raise StratificationError(lazy.ngettext(
            "population-weighted {k}-quantiles leave group {which} empty ({areas}; an area or a block of tied values "
            "holds more than 1/{k} of the population); use fewer groups",
            "population-weighted {k}-quantiles leave groups {which} empty ({areas}; an area or a block of tied "
            "values holds more than 1/{k} of the population); use fewer groups",
            len(empty), k=n_groups, which=", ".join(map(str, empty)),
            areas=lazy.ngettext("{n} area", "{n} areas", v.size)))
    return groups


def _group_estimate(sub: pd.DataFrame, ind: Indicator, method: str) -> tuple[float | None, float | None]:
    """(value, se) of one group's areas (columns value, lower_ci, upper_ci, numerator, denominator, population)."""
    if sub.empty:
        return None, None
    if method == "counts":
        num, den = float(sub["numerator"].sum()), float(sub["denominator"].sum())
        p = num / den
        if CI_METHODS.get(ind.value_type) == "wilson":
            se = math.sqrt(max(p * (1 - p), 0.0) / den) * ind.scale
        else:
            se = math.sqrt(num) / den * ind.scale
        return p * ind.scale, se
    w = sub["population"].to_numpy(dtype=float)
    w = w / w.sum()
    value = float(w @ sub["value"].to_numpy(dtype=float))
    ses = [se_from_ci(lo, hi) for lo, hi in zip(sub["lower_ci"], sub["upper_ci"])]
    if any(s is None for s in ses):
        return value, None
    return value, float(math.sqrt(np.sum((w * np.array(ses)) ** 2)))


def _value_method(rows: pd.DataFrame, ind: Indicator) -> str:
    counts_ok = (ind.value_type in CI_METHODS and not rows.empty
                 and rows["numerator"].notna().all() and rows["denominator"].notna().all()
                 and (rows["denominator"] > 0).all())
    return "counts" if counts_ok else "weighted_mean"


# --- reading the database --------------------------------------------------------------------


def _indicator(con: duckdb.DuckDBPyConnection, ind: Indicator | str) -> Indicator:
    if isinstance(ind, Indicator):
        return ind
    df = queries.run(con, "get_indicator_meta", {"indicator_id": ind})
    if df.empty:
        known = ", ".join(queries.run(con, "list_indicator_metadata")["indicator_id"])
        if known:
            raise StratificationError(lazy.gettext("unknown indicator {indicator}; the database has: {known}",
                                                   indicator=repr(ind), known=known))
        raise StratificationError(lazy.gettext("unknown indicator {indicator}; the database has: (none)",
                                               indicator=repr(ind)))
    return indicator_from_json(df.loc[0, "metadata_json"])


def _periods(con: duckdb.DuckDBPyConnection, indicator_id: str, level: str) -> pd.DataFrame:
    return queries.run(con, "list_indicator_level_periods", {"indicator_id": indicator_id, "level": level})


def _no_values(indicator_id: str, level: str) -> StratificationError:
    return StratificationError(lazy.gettext("{indicator} has no values at {level} level", indicator=indicator_id,
                                            level=LEVEL_NAMES.get(level, level)))


def _check_period(con: duckdb.DuckDBPyConnection, indicator_id: str, level: str, period: str | None) -> tuple[str, int]:
    df = _periods(con, indicator_id, level)
    if df.empty:
        raise _no_values(indicator_id, level)
    if period is None:
        return str(df.loc[0, "period"]), int(df.loc[0, "period_sort"])
    hit = df[df["period"] == period]
    if hit.empty:
        raise StratificationError(lazy.gettext(
            "{indicator} has no values at {level} level for period {period}; periods with values: {periods}",
            indicator=indicator_id, level=LEVEL_NAMES.get(level, level), period=repr(period),
            periods=", ".join(df["period"])))
    return period, int(hit.iloc[0]["period_sort"])


def nearest_period(con: duckdb.DuckDBPyConnection, indicator_id: str, level: str, period_sort: int) -> str:
    """The period of ``indicator_id`` at ``level`` whose year is nearest ``period_sort`` (the later one on a tie)."""
    df = _periods(con, indicator_id, level)
    if df.empty:
        raise _no_values(indicator_id, level)
    gap = (df["period_sort"] - period_sort).abs()
    best = df.assign(gap=gap).sort_values(["gap", "period_sort"], ascending=[True, False]).iloc[0]
    return str(best["period"])


def _values(con: duckdb.DuckDBPyConnection, indicator_id: str, period: str, level: str) -> pd.DataFrame:
    return queries.run(con, "list_level_values", {"indicator_id": indicator_id, "period": period, "level": level})


def _ok(df: pd.DataFrame) -> pd.Series:
    return (df["status"] == "ok") & df["value"].notna()


def _population(con: duckdb.DuckDBPyConnection, level: str, period_sort: int,
                population_indicator: str, population_period: str | None) -> tuple[str, pd.Series]:
    pop_period = population_period or nearest_period(con, population_indicator, level, period_sort)
    pops = _values(con, population_indicator, pop_period, level)
    pops = pops[_ok(pops) & (pops["value"] > 0)]
    return pop_period, pops.set_index("area_code")["value"].astype(float)


def quantile_groups(con: duckdb.DuckDBPyConnection, indicator: Indicator | str, period: str,
                    stratifier: Indicator | str, *, n_groups: int = 5, stratifier_period: str | None = None,
                    level: str = "mahalle", population_indicator: str = POPULATION_INDICATOR,
                    population_period: str | None = None, disadvantaged: str | None = None) -> GroupTable:
    """``indicator`` for ``period`` across population-weighted quantile groups of ``stratifier``.

    ``stratifier_period`` defaults to the stratifier's latest period at ``level``;
    ``population_period`` to the period of ``population_indicator`` nearest it. ``disadvantaged``
    (``"high"``/``"low"``) overrides the end the stratifier's polarity gives. Returns an ordered
    :class:`GroupTable` (group 1 = most disadvantaged). Raises StratificationError naming what is
    wrong (a period without values, a stratifier without polarity, too few areas).
    """
    ind = _indicator(con, indicator)
    strat = _indicator(con, stratifier)
    period, _ = _check_period(con, ind.id, level, period)
    strat_period, strat_sort = _check_period(con, strat.id, level, stratifier_period)
    disadvantaged = _disadvantaged_end(strat, disadvantaged)
    pop_period, pops = _population(con, level, strat_sort, population_indicator, population_period)
    base, t, excluded = _stratified_base(con, ind, strat, period, strat_period, level, pops)
    base["group"] = population_quantiles(base["value"].to_numpy(), base["population"].to_numpy(), n_groups,
                                         disadvantaged=disadvantaged)
    prefix = {5: "Q", 10: "D"}.get(n_groups, "G")
    labels = [_quantile_label(prefix, g, n_groups) for g in range(1, n_groups + 1)]
    if disadvantaged == "high":
        made = lazy.ngettext(
            "{stratifier} ({period}) in {n} population-weighted group; group 1 is the most disadvantaged (highest "
            "values). Population: {population} {population_period}.",
            "{stratifier} ({period}) in {n} population-weighted groups; group 1 is the most disadvantaged (highest "
            "values). Population: {population} {population_period}.",
            n_groups, stratifier=strat.title, period=strat_period, population=population_indicator,
            population_period=pop_period)
    else:
        made = lazy.ngettext(
            "{stratifier} ({period}) in {n} population-weighted group; group 1 is the most disadvantaged (lowest "
            "values). Population: {population} {population_period}.",
            "{stratifier} ({period}) in {n} population-weighted groups; group 1 is the most disadvantaged (lowest "
            "values). Population: {population} {population_period}.",
            n_groups, stratifier=strat.title, period=strat_period, population=population_indicator,
            population_period=pop_period)
    return _ordered_table(ind, strat, level, period, strat_period, pop_period, base, t, excluded, labels, made)


def category_groups(con: duckdb.DuckDBPyConnection, indicator: Indicator | str, period: str,
                    stratifier: Indicator | str, *, stratifier_period: str | None = None, level: str = "district",
                    population_indicator: str = POPULATION_INDICATOR, population_period: str | None = None,
                    disadvantaged: str | None = None) -> GroupTable:
    """``indicator`` across the ordered categories of an ordinal ``stratifier`` (one group per value,
    e.g. the SEGE-2022 development tiers of the districts).

    The groups run from the most disadvantaged value (by the stratifier's polarity: the highest
    tier number when lower is better) to the most advantaged; only values that occur make a group,
    so the groups can differ much in size. The group values are made as in :func:`quantile_groups`.
    Raises StratificationError when fewer than two values occur.
    """
    ind = _indicator(con, indicator)
    strat = _indicator(con, stratifier)
    period, _ = _check_period(con, ind.id, level, period)
    strat_period, strat_sort = _check_period(con, strat.id, level, stratifier_period)
    disadvantaged = _disadvantaged_end(strat, disadvantaged)
    pop_period, pops = _population(con, level, strat_sort, population_indicator, population_period)
    base, t, excluded = _stratified_base(con, ind, strat, period, strat_period, level, pops)
    cats = sorted({float(v) for v in base["value"]}, reverse=disadvantaged == "high")
    if len(cats) < 2:
        raise StratificationError(lazy.gettext(
            "{indicator} takes fewer than two values at {level} level, so it cannot order groups",
            indicator=strat.id, level=LEVEL_NAMES.get(level, level)))
    base["group"] = [cats.index(float(v)) + 1 for v in base["value"]]
    labels = [_category_label(strat, v, g, len(cats)) for g, v in enumerate(cats, start=1)]
    made = lazy.ngettext(
        "{stratifier} ({period}): one group per value, {n} group, from the most disadvantaged to the most "
        "advantaged. Population: {population} {population_period}.",
        "{stratifier} ({period}): one group per value, {n} groups, from the most disadvantaged to the most "
        "advantaged. Population: {population} {population_period}.",
        len(cats), stratifier=strat.title, period=strat_period, population=population_indicator,
        population_period=pop_period)
    return _ordered_table(ind, strat, level, period, strat_period, pop_period, base, t, excluded, labels, made)


def _disadvantaged_end(strat: Indicator, disadvantaged: str | None) -> str:
    if disadvantaged is not None:
        return disadvantaged
    if strat.polarity == "no_judgement":
        raise StratificationError(lazy.gettext(
            "{indicator} has no polarity, so its disadvantaged end is unknown; pass disadvantaged='high' or "
            "'low'", indicator=strat.id))
    return "high" if strat.polarity == "lower_is_better" else "low"


def _stratified_base(con: duckdb.DuckDBPyConnection, ind: Indicator, strat: Indicator, period: str,
                     strat_period: str, level: str, pops: pd.Series
                     ) -> tuple[pd.DataFrame, pd.DataFrame, list[tuple[str, str]]]:
    """The areas with a stratifier value and a population (area_code, value, population), the target's
    values, and the areas left out so far with the reason."""
    s = _values(con, strat.id, strat_period, level)
    t = fill_missing_cis(_values(con, ind.id, period, level), ind)
    excluded: list[tuple[str, str]] = []
    s_ok = s[_ok(s)]
    excluded += [(c, "no stratifier value") for c in s.loc[~_ok(s), "area_code"]]
    has_pop = s_ok["area_code"].isin(pops.index)
    excluded += [(c, "no population") for c in s_ok.loc[~has_pop, "area_code"]]
    base = s_ok[has_pop].copy()
    base["population"] = pops.reindex(base["area_code"]).to_numpy()
    return base, t, excluded


def _ordered_table(ind: Indicator, strat: Indicator, level: str, period: str, strat_period: str, pop_period: str,
                   base: pd.DataFrame, t: pd.DataFrame, excluded: list[tuple[str, str]],
                   labels: list[Message | Text], made: Message) -> GroupTable:
    """The ordered GroupTable of ``base``'s areas in groups 1..len(labels) (column ``group``)."""
    n_groups = len(labels)
    t = t.set_index("area_code")
    rows = base[["area_code", "group", "population"]].join(
        t[["value", "lower_ci", "upper_ci", "numerator", "denominator", "status"]], on="area_code")
    has_value = (rows["status"] == "ok") & rows["value"].notna()
    excluded = [*excluded, *((c, "no value") for c in rows.loc[~has_value, "area_code"])]
    used = rows[has_value]
    method = _value_method(used, ind)

    values, populations, ses, n_areas = [], [], [], []
    for g in range(1, n_groups + 1):
        sub = used[used["group"] == g]
        value, se = _group_estimate(sub, ind, method)
        values.append(value)
        ses.append(se)
        populations.append(float(sub["population"].sum()) if not sub.empty else None)
        n_areas.append(int(len(sub)))
    cover = float(used["population"].sum() / base["population"].sum()) if len(base) else 0.0
    notes: list[Message] = [made, lazy.gettext(
        "{used} ({share} of the stratified population); {left_out} (no value or no population).",
        used=_used(level, len(used)), share=in_each_language(lambda lang: format_value(cover * 100, "%", lang, 1)),
        left_out=lazy.ngettext("{count} area left out", "{count} areas left out", len(excluded),
                               count=_count(len(excluded))))]
    if any(v is None for v in values):
        notes.append(lazy.gettext("Some groups have no value at all."))
    return GroupTable(
        labels=tuple(labels), values=tuple(values), populations=tuple(populations), se=tuple(ses), ordered=True,
        polarity=ind.polarity, level=level, codes=tuple(str(g) for g in range(1, n_groups + 1)),
        n_areas=tuple(n_areas), indicator_id=ind.id, period=period, stratifier_id=strat.id,
        stratifier_period=strat_period, population_period=pop_period, value_method=method, notes=tuple(notes),
        area_groups=tuple((str(c), str(g)) for c, g in zip(rows["area_code"], rows["group"])),
        excluded=tuple(excluded))


def _category_label(strat: Indicator, value: float, g: int, k: int) -> Message | Text:
    """"tier 5 (most disadvantaged)": the stratifier's unit and value, the ends marked."""
    shown = format_number(value, "en", strat.decimals)
    code = Text(f"{strat.unit.tr} {format_number(value, 'tr', strat.decimals)}", f"{strat.unit.en} {shown}")
    if g == 1:
        return lazy.gettext("{group} (most disadvantaged)", group=code)
    if g == k:
        return lazy.gettext("{group} (most advantaged)", group=code)
    return code


def _count(n: int) -> Text:
    """A count of areas as each language writes it (thousands separators)."""
    return in_each_language(lambda lang: format_number(n, lang, 0))


def _used(level: str, n: int) -> Message:
    """"4 mahalle used", "1 district used", in a note on the groups."""
    count = _count(n)
    if level == "district":
        return lazy.ngettext("{count} district used", "{count} districts used", n, count=count)
    if level == "mahalle":
        return lazy.ngettext("{count} mahalle used", "{count} mahalle used", n, count=count)
    return lazy.ngettext("{count} area used", "{count} areas used", n, count=count)


def _quantile_label(prefix: str, g: int, k: int) -> Message | Text:
    code = f"{prefix}{g}"  # Q3, D10: the same in every language
    if g == 1:
        return lazy.gettext("{group} (most disadvantaged)", group=code)
    if g == k:
        return lazy.gettext("{group} (most advantaged)", group=code)
    return Text(code, code)


def district_groups(con: duckdb.DuckDBPyConnection, indicator: Indicator | str, period: str, *,
                    population_indicator: str = POPULATION_INDICATOR,
                    population_period: str | None = None) -> GroupTable:
    """``indicator`` for ``period`` with one unordered group per district that has a value.

    Each group's value is the district's own value; its SE comes from its numerator and
    denominator (proportion, rate, ratio) or its CI (supplied or computed by
    :func:`~atlas.statistics.intervals.fill_missing_cis`), else None; its population is
    ``population_indicator`` for ``population_period`` (default: the period nearest the target's).
    Districts without a value or a population are listed in ``excluded`` (a weighted measure then
    says which population is missing).
    """
    ind = _indicator(con, indicator)
    period, sort = _check_period(con, ind.id, "district", period)
    pop_period, pops = _population(con, "district", sort, population_indicator, population_period)
    t = fill_missing_cis(_values(con, ind.id, period, "district"), ind)
    excluded = [(c, "no value") for c in t.loc[~_ok(t), "area_code"]]
    rows = t[_ok(t)].copy()
    rows["population"] = pops.reindex(rows["area_code"]).to_numpy()
    method = "counts" if _value_method(rows, ind) == "counts" else "area_value"
    labels, values, populations, ses = [], [], [], []
    for i in range(len(rows)):
        one = rows.iloc[[i]]
        r = one.iloc[0]
        se = _group_estimate(one, ind, "counts")[1] if method == "counts" else se_from_ci(r["lower_ci"], r["upper_ci"])
        labels.append(Text(str(r["name"]), str(r["name"])))
        values.append(float(r["value"]))
        populations.append(None if pd.isna(r["population"]) else float(r["population"]))
        ses.append(se)
    notes: list[Message] = [lazy.ngettext(
        "One group per district ({n} district); population: {population} {population_period}.",
        "One group per district ({n} districts); population: {population} {population_period}.",
        len(rows), population=population_indicator, population_period=pop_period)]
    if excluded:
        notes.append(lazy.ngettext("{n} district has no value.", "{n} districts have no value.", len(excluded)))
    no_pop = [str(r) for r, p in zip(rows["name"], populations) if p is None]
    if no_pop:
        notes.append(lazy.gettext("Districts without a population: {districts}.", districts=", ".join(no_pop)))
    return GroupTable(
        labels=tuple(labels), values=tuple(values), populations=tuple(populations), se=tuple(ses), ordered=False,
        polarity=ind.polarity, level="district", codes=tuple(str(c) for c in rows["area_code"]),
        n_areas=(1,) * len(rows), indicator_id=ind.id, period=period, population_period=pop_period,
        value_method=method, notes=tuple(notes),
        area_groups=tuple((str(c), str(c)) for c in rows["area_code"]), excluded=tuple(excluded))
