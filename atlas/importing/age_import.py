"""Importing count data by age band (issue #19): the file and its ``input = "age_bands"`` entry in,
a family of indicators out (``age_family``), checked, written all or nothing.

``import_age_bands(file, db, entry, dry_run=...)`` is what ``write.import_file`` calls when the entry
says ``input = "age_bands"``. The steps are those of every import: read and parse (``age_rows``),
check against the entry and the areas (every problem collected, row-numbered), compute, write in
one transaction into a copy of the database that is checked and moved over the original.

What is written, for an entry with id ``<id>`` (docs/import.md, "Count data by age band"): the
indicators ``<id>`` (DSR, ESP 2013: the head), ``<id>__dsr_who2001``, ``<id>__dsr_izmir``,
``<id>__crude``, ``<id>__smr``, ``<id>__isr`` and, with mahalle rows, ``<id>__eb_global`` and
``<id>__eb_spatial``, each with ``family = <id>``, its ``measure`` and (a DSR) ``standard``; their
values per area and period with ``numerator`` = events, ``denominator`` = population, the 95 %
limits in ``lower_ci`` / ``upper_ci`` and the 99.8 % ones in ``lower_998`` / ``upper_998``; and a
province row per member and period where İzmir's value can be computed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Sequence

import duckdb
import pandas as pd

from .. import queries
from ..build.areas import PROVINCE_CODE
from ..catalogue import Indicator, Text
from ..db import connect
from ..errors import CatalogueError, ImportRejected
from ..i18n import lazy
from ..statistics import suppression as sp
from ..statistics.rates import Estimate
from ..statistics.smoothing import eb_global, eb_spatial
from ..statistics.standards import AgeBandError, StandardPopulation, standard_population
from ..values import suppression_note, written_note
from .age_entry import IZMIR_STANDARD, MAHALLE_ONLY, MEMBERS, AgeBandSpec, load_age_band_entry
from .age_family import Cell, Reference, build_cells, disclosure, estimate, own_standard, references
from .age_rows import BandRow, parse_count_file
from .areas import AreaResolver
from .plan import ImportReport, SourceRecord, source_record
from .problems import Problems, from_error, quoted
from .province import AreaKinds
from .write import _write_to_copy, write_indicators

VALUE_COLUMNS = ("indicator_id", "level", "area_code", "period", "period_sort", "value", "numerator", "denominator",
                 "lower_ci", "upper_ci", "lower_998", "upper_998", "status", "note_tr", "note_en", "coverage",
                 "source_id")


@dataclass(frozen=True)
class Member:
    key: str  # a key of age_entry.MEMBERS
    indicator: Indicator
    write_entry: str  # 'insert' or 'update'
    rows: pd.DataFrame


@dataclass(frozen=True)
class FamilyPlan:
    """Everything a count-data import writes."""

    members: tuple[Member, ...]
    source: SourceRecord
    periods: tuple[str, ...]
    report: ImportReport


# --- texts ---------------------------------------------------------------------------------------

def _standard_name(std_id: str | None) -> lazy.Message | Text:
    if std_id == IZMIR_STANDARD:
        return lazy.gettext("İzmir's own population")
    return standard_population(std_id).short


def _title(key: str, ind: Indicator) -> lazy.Message:
    measure, standard = MEMBERS[key]
    if measure == "dsr":
        return lazy.gettext("{title} (age-standardised, {standard})", title=ind.title, standard=_standard_name(standard))
    return {
        "crude": lazy.gettext("{title} (crude rate)", title=ind.title),
        "smr": lazy.gettext("{title} (standardised ratio, İzmir = 100)", title=ind.title),
        "isr": lazy.gettext("{title} (indirectly standardised rate)", title=ind.title),
        "eb_global": lazy.gettext("{title} (crude rate, smoothed: Empirical Bayes over all mahalle)", title=ind.title),
        "eb_spatial": lazy.gettext("{title} (crude rate, smoothed: Empirical Bayes over neighbouring mahalle)",
                                   title=ind.title),
    }[key]


def _rule(spec: AgeBandSpec) -> lazy.Message:
    d = spec.indicator.disclosure
    if d.min_denominator:
        return lazy.ngettext("counts under {n} and populations under {limit} are not shown, and neither are the "
                             "values that would let them be worked out from the totals",
                             "counts under {n} and populations under {limit} are not shown, and neither are the "
                             "values that would let them be worked out from the totals", d.min_count,
                             limit=d.min_denominator)
    return lazy.ngettext("counts under {n} are not shown, and neither are the values that would let them be worked "
                         "out from the totals",
                         "counts under {n} are not shown, and neither are the values that would let them be worked "
                         "out from the totals", d.min_count)


def _method(key: str, spec: AgeBandSpec) -> lazy.Message:
    ind = spec.indicator
    measure, standard = MEMBERS[key]
    scale = f"{ind.scale:,.0f}"
    rule = _rule(spec)
    if measure == "dsr":
        return lazy.gettext(
            "Directly age-standardised rate per {scale} to the {standard}: DSR = Σ(wᵢ·Oᵢ/nᵢ) ÷ Σwᵢ over the "
            "age bands (events Oᵢ, population nᵢ, standard weights wᵢ). 95 % and 99.8 % limits by Dobson's method "
            "(Dobson et al. 1991) from the Poisson limits of the total count (exact below 10 events, Byar's from "
            "10). Not calculated from fewer than {dsr_min} events. Disclosure: {rule}.",
            scale=scale, standard=_standard_name(standard), dsr_min=spec.dsr_min_count, rule=rule)
    if measure == "crude_rate":
        return lazy.gettext(
            "Crude rate per {scale}: events ÷ population, not adjusted for age. 95 % and 99.8 % limits: exact "
            "Poisson below 10 events, Byar's approximation from 10. Disclosure: {rule}.", scale=scale, rule=rule)
    if measure == "smr":
        return lazy.gettext(
            "Standardised ratio (indirect standardisation, Breslow & Day 1987): observed ÷ expected events × 100, "
            "the expected events at İzmir's age-specific rates of the same period (the file's areas added up); "
            "100 = as many as at İzmir's rates. 95 % and 99.8 % limits: the Poisson limits of the observed count "
            "(exact below 10 events, Byar's from 10) ÷ expected. Disclosure: {rule}.", rule=rule)
    if measure == "isr":
        return lazy.gettext(
            "Indirectly standardised rate per {scale}: the standardised ratio (observed ÷ expected events at "
            "İzmir's age-specific rates) × İzmir's crude rate; its limits are the ratio's limits × the same "
            "factor. Disclosure: {rule}.", scale=scale, rule=rule)
    if measure == "eb_global":
        return lazy.gettext(
            "Smoothed crude rate per {scale}, not the observed rate: global Empirical Bayes (Marshall 1991); each "
            "mahalle's rate is pulled towards the rate of all mahalle, the more the smaller its population (prior "
            "mean and variance by the method of moments, a negative variance set to 0). No confidence limits. "
            "Disclosure: {rule}.", scale=scale, rule=rule)
    return lazy.gettext(
        "Smoothed crude rate per {scale}, not the observed rate: spatial Empirical Bayes (Marshall 1991; esda "
        "Spatial_Empirical_Bayes); each mahalle's rate is pulled towards the rate of its neighbourhood, the mahalle "
        "and those sharing a border or a corner with it (queen contiguity of the atlas's mahalle polygons); a "
        "mahalle without neighbours keeps its observed rate. No confidence limits. Disclosure: {rule}.",
        scale=scale, rule=rule)


def _both(message: lazy.Message, extra: Text | None = None) -> Text:
    tr, en = message.get("tr"), message.get("en")
    if extra is not None:
        tr, en = f"{tr} {extra.tr}", f"{en} {extra.en}"
    return Text(tr, en)


def member_indicator(key: str, spec: AgeBandSpec, levels: tuple[str, ...]) -> Indicator:
    """The catalogue entry of one member: the entry's, with its own id, title, method and measure."""
    head = spec.indicator
    measure, standard = MEMBERS[key]
    ind = replace(head, id=spec.member_id(key), family=head.id, measure=measure, standard=standard,
                  title=_both(_title(key, head)), method=_both(_method(key, spec), head.method),
                  levels=tuple(lv for lv in head.levels if lv in levels))
    if measure == "smr":
        unit = lazy.gettext("ratio (İzmir = 100)")
        ind = replace(ind, value_type="ratio", scale=1.0, decimals=1, unit=_both(unit))  # the value is O/E × 100
    return ind


# --- values --------------------------------------------------------------------------------------

def _row(ind: Indicator, level: str, code: str, period: str, sort: int, source_id: str, *, value=None,
         est: Estimate | None = None, numerator=None, denominator=None, note: Text | None = None,
         status: str = "ok") -> dict:
    lo = hi = lo9 = hi9 = None
    if est is not None and status == "ok":
        lo, hi, lo9, hi9 = est.lower_95, est.upper_95, est.lower_998, est.upper_998
    return {"indicator_id": ind.id, "level": level, "area_code": code, "period": period, "period_sort": sort,
            "value": value if status == "ok" else None, "numerator": numerator if status == "ok" else None,
            "denominator": denominator if status == "ok" else None, "lower_ci": lo, "upper_ci": hi,
            "lower_998": lo9, "upper_998": hi9, "status": status, "note_tr": note.tr if note else None,
            "note_en": note.en if note else None, "coverage": None, "source_id": source_id}


def _frame(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=list(VALUE_COLUMNS))
    for col in ("value", "numerator", "denominator", "lower_ci", "upper_ci", "lower_998", "upper_998", "coverage"):
        df[col] = pd.to_numeric(df[col]).astype("float64")
    df["period_sort"] = df["period_sort"].astype("int64")
    return df


def _mahalle_weights(con: duckdb.DuckDBPyConnection, codes: Sequence[str]):
    """Queen contiguity of the given mahalle's polygons (in that order), as a libpysal W."""
    import geopandas as gpd
    import shapely
    from libpysal.weights import Queen

    geo = queries.run(con, "list_area_geometries")
    geo = geo[geo["level"] == "mahalle"].set_index("code")
    shapes = [shapely.from_wkb(bytes(geo.at[c, "geom_wkb"])) for c in codes]
    gdf = gpd.GeoDataFrame({"code": list(codes)}, geometry=shapes)
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r".*(island|not fully connected|disconnected).*")
        return Queen.from_dataframe(gdf, use_index=False, silence_warnings=True)


def _smoothed(con, key: str, cells: Sequence[Cell], scale: float) -> dict[tuple, float]:
    """The smoothed rate of every mahalle cell, period by period."""
    out = {}
    for period in sorted({c.period for c in cells}):
        mine = [c for c in cells if c.period == period and c.level == "mahalle"]
        if not mine:
            continue
        o = [c.total_events for c in mine]
        n = [c.total_population for c in mine]
        if key == "eb_global":
            got = eb_global(o, n, scale)
        else:
            got = eb_spatial(o, n, _mahalle_weights(con, [c.code for c in mine]), scale)
        out.update({c.key: float(r) for c, r in zip(mine, got.rates)})
    return out


def _province_note(ref: Reference) -> Text:
    return written_note(lazy.ngettext(
        "computed at import from the age-banded counts of the {n} district added up",
        "computed at import from the age-banded counts of the {n} districts added up", ref.n_areas)
        if ref.level == "district" else lazy.ngettext(
        "computed at import from the age-banded counts of the {n} mahalle added up",
        "computed at import from the age-banded counts of the {n} mahalle added up", ref.n_areas))


def _ref_cell(ref: Reference) -> Cell:
    return Cell("province", PROVINCE_CODE, ref.period, ref.period_sort, ref.bands, ref.events, ref.population, 0)


def member_rows(con, key: str, ind: Indicator, spec: AgeBandSpec, cells: Sequence[Cell],
                refs: dict[str, Reference], own: dict[str, StandardPopulation], hidden: dict,
                source_id: str) -> list[dict]:
    rows = []
    rule = spec.indicator.disclosure
    primary_note = suppression_note(rule.min_count, rule.min_denominator)
    secondary_note = written_note(sp.SECONDARY_NOTE)
    smooth = _smoothed(con, key, cells, spec.indicator.scale) if key in MAHALLE_ONLY else {}
    mine = [c for c in cells if c.level in ind.levels]
    for c in mine:
        base = dict(level=c.level, code=c.code, period=c.period, sort=c.period_sort, source_id=source_id)
        how = hidden.get(c.key)
        if how is not None:
            note = primary_note if how == sp.PRIMARY else secondary_note
            rows.append(_row(ind, **base, note=note, status="suppressed"))
            continue
        est = estimate(key, c, refs[c.period], spec, own.get(c.period))
        value = smooth[c.key] if key in MAHALLE_ONLY else est.value
        if value is None:  # a DSR of too few events
            rows.append(_row(ind, **base, note=written_note(est.note), status="suppressed"))
            continue
        if key in MAHALLE_ONLY:
            est = None
        rows.append(_row(ind, **base, value=value, est=est, numerator=float(c.total_events),
                         denominator=float(c.total_population)))
    for period, ref in refs.items():
        if not ref.complete or ("province", PROVINCE_CODE, period) in hidden:
            continue
        if not any(c.period == period for c in mine):
            continue
        cell = _ref_cell(ref)
        est = estimate("crude" if key in MAHALLE_ONLY else key, cell, ref, spec, own.get(period))
        if est.value is None:
            continue
        rows.append(_row(ind, "province", PROVINCE_CODE, period, ref.period_sort, source_id, value=est.value,
                         est=est, numerator=float(cell.total_events), denominator=float(cell.total_population),
                         note=_province_note(ref)))
    return rows


# --- plan ----------------------------------------------------------------------------------------

def _parents(con: duckdb.DuckDBPyConnection) -> tuple[dict[str, str], dict[str, frozenset[str]]]:
    df = queries.run(con, "list_area_names")
    mah = df[df["level"] == "mahalle"]
    parent_of = {str(c): str(p) for c, p in zip(mah["code"], mah["parent_code"]) if isinstance(p, str)}
    children: dict[str, set[str]] = {}
    for c, p in parent_of.items():
        children.setdefault(p, set()).add(c)
    return parent_of, {p: frozenset(cs) for p, cs in children.items()}


def _stored_origin(con: duckdb.DuckDBPyConnection, indicator_id: str) -> str | None:
    df = queries.run(con, "get_indicator_meta", {"indicator_id": indicator_id})
    return None if df.empty else str(df.at[0, "origin"])


def plan_age_bands(con: duckdb.DuckDBPyConnection, file: Path, entry: Path) -> FamilyPlan:
    """Check everything; return what to write, or raise ImportRejected listing every problem."""
    file = Path(file)
    parsed = parse_count_file(file)
    problems = Problems(list(parsed.problems))
    try:
        spec = load_age_band_entry(con, entry)
    except CatalogueError as exc:
        problems.add(0, lazy.gettext("--entry: {problem}", problem=from_error(exc)))
        raise problems.rejection(parsed.name) from None
    ids = {r.indicator_id for r in parsed.rows if r.indicator_id}
    for other in sorted(ids - {spec.indicator.id})[:3]:
        problems.add(0, lazy.gettext("the entry {entry} defines {indicator} but the file's indicator_id is "
                                     "{file_id}", entry=Path(entry).name, indicator=repr(spec.indicator.id),
                                     file_id=quoted(other)))
    resolver = AreaResolver.from_db(con)
    resolved: list[tuple[BandRow, str]] = []
    for r in parsed.rows:
        code, problem = resolver.resolve(r)
        if problem:
            problems.add(r.row, problem)
        else:
            resolved.append((r, code))
    if problems:
        raise problems.rejection(parsed.name)
    cells = build_cells(spec, resolved, problems)
    if problems:
        raise problems.rejection(parsed.name)
    kinds = AreaKinds.from_db(con)
    refs = references(cells, kinds.codes)
    own: dict[str, StandardPopulation] = {}
    if "dsr_izmir" in spec.measures:
        for period, ref in refs.items():
            try:
                own[period] = own_standard(ref)
            except (AgeBandError, ValueError) as exc:
                problems.add(0, lazy.gettext("period {period}: İzmir's population cannot be a standard: {problem}",
                                             period=period, problem=from_error(exc)))
    parent_of, children_of = _parents(con)
    rule = sp.SuppressionRule.from_disclosure(spec.indicator.disclosure, spec.dsr_min_count)
    try:
        hidden = disclosure(cells, refs, parent_of, children_of, rule, spec.pooled)
    except ValueError as exc:  # a cell that no further suppression can protect
        problems.add(0, lazy.gettext("{indicator}: {problem}", indicator=spec.indicator.id, problem=str(exc)))
        raise problems.rejection(parsed.name) from None
    levels = tuple(lv for lv in ("district", "mahalle") if any(c.level == lv for c in cells))
    source = source_record(file, spec.indicator)
    members: list[Member] = []
    for key in spec.measures:
        if key in MAHALLE_ONLY and "mahalle" not in levels:
            continue
        ind = member_indicator(key, spec, ("mahalle",) if key in MAHALLE_ONLY else levels)
        origin = _stored_origin(con, ind.id)
        if origin is not None and origin != "import":
            problems.add(0, lazy.gettext("indicator {indicator} comes from the catalogue and is made by `python -m "
                                         "atlas build`; an import cannot change it. Import under a new indicator id "
                                         "with --entry ENTRY.toml", indicator=quoted(ind.id)))
            continue
        try:
            rows = member_rows(con, key, ind, spec, cells, refs, own, hidden, source.source_id)
        except (AgeBandError, ValueError) as exc:
            problems.add(0, lazy.gettext("{indicator}: {problem}", indicator=ind.id, problem=from_error(exc)))
            continue
        if not any(r["status"] == "ok" for r in rows):
            problems.add(0, _problem_all_hidden(ind))
            continue
        members.append(Member(key, ind, "update" if origin else "insert", _frame(rows)))
    if problems:
        raise problems.rejection(parsed.name)
    periods = tuple(p for _, p in sorted({(c.period_sort, c.period) for c in cells}))
    n_hidden = {how: sum(1 for v in hidden.values() if v == how) for how in (sp.PRIMARY, sp.SECONDARY)}
    warnings = [f"{n_hidden[sp.PRIMARY]} area-period(s) suppressed by the disclosure rule, "
                f"{n_hidden[sp.SECONDARY]} more by secondary suppression (in every member)"] if hidden else []
    izmir = [f"period {p}: " + (f"İzmir values computed from the {r.n_areas} {r.level} rows" if r.complete else
                                f"no İzmir value: the file lacks some {r.level} areas of the atlas "
                                f"(İzmir's age-specific rates are those of the file's {r.n_areas} areas)")
             for p, r in refs.items()]
    written = tuple(f"{m.indicator.id} ({m.indicator.measure}"
                    + (f", {m.indicator.standard}" if m.indicator.standard else "") + f"): {len(m.rows)} rows"
                    for m in members)
    report = ImportReport(spec.indicator.id, int(sum(len(m.rows) for m in members)), levels, periods,
                          members[0].write_entry == "insert", source.source_id, tuple(warnings), tuple(izmir),
                          members=written)
    return FamilyPlan(tuple(members), source, periods, report)


def _problem_all_hidden(ind: Indicator) -> lazy.Message:
    return (lazy.gettext("every value of {id} would be suppressed or not calculated; the indicator would have "
                            "nothing to show (give more areas, a pooled period, or coarser areas)", id=ind.id))


# --- write ---------------------------------------------------------------------------------------

def write_family(con: duckdb.DuckDBPyConnection, plan: FamilyPlan, file_name: str) -> None:
    """Write every member in one transaction: all of it or, on any database error, nothing."""
    write_indicators(con, plan.source, [(m.indicator, m.write_entry) for m in plan.members], plan.periods,
                     pd.concat([m.rows for m in plan.members], ignore_index=True), file_name)


def import_age_bands(file: Path, db: Path, entry: Path, *, dry_run: bool = False) -> ImportReport:
    """Import count data by age band from ``file`` as the family of indicators ``entry`` defines."""
    file, db = Path(file), Path(db)
    con = connect(db, read_only=True)
    try:
        plan = plan_age_bands(con, file, Path(entry))
    finally:
        con.close()
    if not dry_run:
        _write_to_copy(db, plan, file.name, write=write_family)
    return plan.report
