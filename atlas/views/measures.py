"""Families of measures of the same events (issue #19): which member to show, and the words that say
what each member is.

An import of age-banded counts writes a *family* of indicators (``atlas.catalogue.Indicator.family``):
the head (an age-standardised rate against the default standard population) and members such as
``<id>__crude``, ``<id>__dsr_who2001``, ``<id>__smr``, ``<id>__eb_spatial``. The map lists the head
only; a "measure" choice (and, for age-standardised rates, a "standard population" choice) picks the
member, whose id is the map's ``indicator`` in the URL (so a link names exactly what it shows).

Everything here is plain data and words in a language; no Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping

import numpy as np
import pandas as pd

from ..catalogue import Indicator, Text
from ..i18n import N_, check_lang, gettext, ngettext
from ..mapping import format_number, format_value

#: The order of the measure choice, and its words (``gettext(MEASURE_LABELS[m], lang)``).
MEASURE_LABELS: dict[str, str] = {
    "crude_rate": N_("Crude rate"),
    "dsr": N_("Age-standardised rate"),
    "smr": N_("Standardised ratio (SMR)"),
    "sir": N_("Standardised ratio (SIR)"),
    "isr": N_("Indirectly standardised rate"),
    "eb_global": N_("Smoothed (Empirical Bayes, global)"),
    "eb_spatial": N_("Smoothed (Empirical Bayes, spatial)"),
    "value": N_("Value"),
}
SMOOTHED = ("eb_global", "eb_spatial")
IZMIR_STANDARD = "izmir"
#: The order of the standard population choice (others follow in alphabetical order).
STANDARD_ORDER = ("esp2013", "esp2013_infant", "who2001", IZMIR_STANDARD)


def head_id(ind: Indicator) -> str:
    """The id of the family ``ind`` belongs to (its own id when it is not in a family)."""
    return ind.family or ind.id


def is_member(ind: Indicator) -> bool:
    """Whether ``ind`` is a family member other than the head (hidden from indicator lists)."""
    return ind.family is not None and ind.family != ind.id


def sort_key(ind: Indicator) -> tuple:
    """The place of a member in its family (the order of the measure choice)."""
    measures = list(MEASURE_LABELS)
    std = ind.standard or ""
    return (measures.index(ind.measure) if ind.measure in measures else len(measures),
            STANDARD_ORDER.index(std) if std in STANDARD_ORDER else len(STANDARD_ORDER), std, ind.id)


def listed(ids: Iterable[str], indicators: Mapping[str, Indicator]) -> list[str]:
    """``ids`` without the family members whose head is among them: one entry per family."""
    ids = list(ids)
    present = set(ids)
    return [i for i in ids if not (is_member(indicators[i]) and indicators[i].family in present)]


def members(indicators: Mapping[str, Indicator], head: str, available: Iterable[str] | None = None) -> list[Indicator]:
    """The family of ``head`` (the head included), in the order of the measure choice; only those in
    ``available`` when it is given."""
    keep = None if available is None else set(available)
    out = [ind for ind in indicators.values() if head_id(ind) == head and (keep is None or ind.id in keep)]
    return sorted(out, key=sort_key)


def measure_options(family: list[Indicator]) -> list[str]:
    """The measures of a family, one entry for all its age-standardised rates."""
    return list(dict.fromkeys(ind.measure for ind in family))


def standard_options(family: list[Indicator]) -> list[str]:
    """The standard populations of a family's age-standardised rates."""
    return [ind.standard for ind in family if ind.measure == "dsr" and ind.standard]


def member_id(family: list[Indicator], measure: str, standard: str | None = None) -> str:
    """The member with ``measure`` (and, for ``dsr``, ``standard``; the first standard when it has
    not that one). ValueError when the family has no such measure."""
    matching = [ind for ind in family if ind.measure == measure]
    if not matching:
        have = ", ".join(measure_options(family)) or "(none)"
        raise ValueError(f"the family has no {measure!r} measure; it has: {have}")
    for ind in matching:
        if ind.standard == standard:
            return ind.id
    return matching[0].id


def indicator_for_level(indicators: Mapping[str, Indicator], levels_of: Mapping[str, list[str]],
                        indicator_id: str, level: str) -> str:
    """The member to show at ``level`` after a change of level: ``indicator_id`` when it has values
    there, else the member with the same measure and standard, else the head, else the first member
    that has values there (smoothed rates exist at mahalle level only). ``levels_of``: id → levels."""
    if level in levels_of.get(indicator_id, ()):
        return indicator_id
    ind = indicators[indicator_id]
    family = [m for m in members(indicators, head_id(ind)) if level in levels_of.get(m.id, ())]
    for m in family:
        if m.measure == ind.measure and m.standard == ind.standard:
            return m.id
    head = head_id(ind)
    if any(m.id == head for m in family):
        return head
    return family[0].id if family else indicator_id


def family_levels(indicators: Mapping[str, Indicator], levels_of: Mapping[str, list[str]],
                  indicator_id: str, all_levels: Iterable[str]) -> list[str]:
    """The levels at which any member of ``indicator_id``'s family has values, in ``all_levels`` order."""
    ind = indicators.get(indicator_id)
    if ind is None:
        return list(levels_of.get(indicator_id, ()))
    have = {lv for m in members(indicators, head_id(ind)) for lv in levels_of.get(m.id, ())}
    return [lv for lv in all_levels if lv in have]


# --- words ------------------------------------------------------------------------------------


def measure_label(measure: str, lang: str) -> str:
    message = MEASURE_LABELS.get(measure)
    return gettext(message, lang) if message else measure


def _standard(standard_id: str):
    from ..statistics.standards import load_standards

    return load_standards().get(standard_id)


def standard_label(standard_id: str, lang: str) -> str:
    """The short name of a standard population for the choice ("ESP 2013", "İzmir")."""
    if standard_id == IZMIR_STANDARD:
        return gettext("İzmir", lang)
    std = _standard(standard_id)
    return std.short.get(lang) if std is not None else standard_id


def standard_title(standard_id: str, lang: str) -> str:
    """The full name of a standard population ("European Standard Population 2013")."""
    if standard_id == IZMIR_STANDARD:
        return gettext("İzmir's own population", lang)
    std = _standard(standard_id)
    return std.title.get(lang) if std is not None else standard_id


def standard_description(standard_id: str, lang: str) -> tuple[str, str | None]:
    """(what the standard population is and where it comes from, its URL or None), for the methods page."""
    if standard_id == IZMIR_STANDARD:
        return gettext("İzmir's own population: the age structure of the population loaded with the data, "
                       "summed over the province (so the rates are what each area would have with İzmir's "
                       "age structure).", lang), None
    std = _standard(standard_id)
    if std is None:
        return standard_id, None
    bands = ngettext("{n} age band", "{n} age bands", len(std.bands), lang)
    return gettext("{title} ({bands}, {first} … {last}). Source: {source}", lang, title=std.title.get(lang),
                   bands=bands, first=std.bands[0].label, last=std.bands[-1].label, source=std.source), std.url


def measure_note(ind: Indicator, lang: str) -> str | None:
    """What the member's value is, for the legend, the export and the methods page; None for a
    ready value (not a family member)."""
    check_lang(lang)
    m = ind.measure
    if m == "crude_rate":
        return gettext("Crude rate: events per population, not age-standardised.", lang)
    if m == "dsr":
        if ind.standard == IZMIR_STANDARD:
            return gettext("Age-standardised rate: age-standardised to İzmir's own population (direct method, "
                           "Dobson confidence intervals).", lang)
        return gettext("Age-standardised rate: age-standardised to the {standard} (direct method, Dobson "
                       "confidence intervals).", lang, standard=standard_title(ind.standard or "", lang))
    if m in ("smr", "sir"):
        return gettext("Standardised ratio: observed events ÷ the events expected at İzmir's age-specific rates, "
                       "× 100 (İzmir = 100; Byar confidence intervals).", lang)
    if m == "isr":
        return gettext("Indirectly standardised rate: the standardised ratio × İzmir's crude rate.", lang)
    if m == "eb_global":
        return gettext("Smoothed: Empirical Bayes, global. Each area's crude rate is drawn towards the rate of all "
                       "areas, the more so the smaller its population; not the observed rate.", lang)
    if m == "eb_spatial":
        return gettext("Smoothed: Empirical Bayes, spatial neighbours. Each area's crude rate is drawn towards the "
                       "rate of the area and its neighbours, the more so the smaller its population; not the "
                       "observed rate.", lang)
    return None


def measure_text(ind: Indicator) -> Text | None:
    """:func:`measure_note` in Turkish and English (a legend note the export prints too)."""
    if measure_note(ind, "en") is None:
        return None
    return Text(measure_note(ind, "tr"), measure_note(ind, "en"))


# --- counts -----------------------------------------------------------------------------------


def is_event_count(ind: Indicator) -> bool:
    """Whether the numerator and denominator are events and population (a family member)."""
    return ind.family is not None and ind.measure != "value"


COUNTED_VALUE_TYPES = ("proportion", "rate")  # numerator and denominator are counts (a density's is an area)


def shows_counts(ind: Indicator) -> bool:
    """Whether the tooltip and table show the counts behind a value: for a family member (events and
    population) and for proportions and rates, whose numerator and denominator are counts."""
    return is_event_count(ind) or ind.value_type in COUNTED_VALUE_TYPES


def count_columns(ind: Indicator, lang: str) -> dict[str, str]:
    """The table headings of ``numerator`` and ``denominator``."""
    if is_event_count(ind):
        return {"numerator": gettext("Events", lang), "denominator": gettext("Population", lang)}
    return {"numerator": gettext("Numerator", lang), "denominator": gettext("Denominator", lang)}


def count_texts(ind: Indicator, numerators, denominators, statuses, lang: str) -> list[str]:
    """The counts behind each value for a tooltip ("12 events · population 3,456"; "" where the
    value is not 'ok' or either count is missing: a suppressed value never shows a number; all ""
    when the indicator's counts are not shown, see :func:`shows_counts`)."""
    out = []
    event = is_event_count(ind)
    if not shows_counts(ind):
        return [""] * len(statuses)
    for num, den, status in zip(numerators, denominators, statuses):
        if status != "ok" or num is None or den is None or pd.isna(num) or pd.isna(den):
            out.append("")
            continue
        n_text, d_text = format_number(num, lang, 0), format_number(den, lang, 0)
        if event:
            n = int(num) if float(num).is_integer() else 2  # a pooled or fractional count reads as plural
            out.append(ngettext("{count} event · population {population}", "{count} events · population {population}",
                                n, lang, count=n_text, population=d_text))
        else:
            out.append(gettext("{numerator} / {denominator}", lang, numerator=n_text, denominator=d_text))
    return out


def blank_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with ``numerator`` and ``denominator`` empty wherever the status is not 'ok' (a
    suppressed value's counts are never shown, sent or exported, whatever the database holds)."""
    not_ok = (frame["status"] != "ok").to_numpy()
    if not not_ok.any():
        return frame
    return frame.assign(**{c: np.where(not_ok, np.nan, frame[c].astype(float)) for c in ("numerator", "denominator")
                           if c in frame.columns})


# --- the profile's smoothed rates ------------------------------------------------------------


@dataclass(frozen=True)
class SmoothedRow:
    """One family on an area's profile: its observed (crude) rate and smoothed rates, formatted."""

    family: str
    title: str
    period: str
    observed: str
    smoothed_global: str
    smoothed_spatial: str


def smoothed_rows(rows: Iterable, lang: str) -> list[SmoothedRow]:
    """For each family with smoothed members among an area profile's ``rows``
    (``atlas.views.profile.IndicatorProfile``): the observed rate beside the smoothed ones."""
    from ..mapping import status_label

    by_family: dict[str, dict[str, object]] = {}
    for r in rows:
        ind = r.indicator
        if ind.family is None:
            continue
        by_family.setdefault(ind.family, {})[ind.measure if ind.measure != "dsr" or ind.id != ind.family
                                             else "head"] = r
    out = []
    for family, got in by_family.items():
        if not any(m in got for m in SMOOTHED):
            continue

        def text(measure: str) -> str:
            r = got.get(measure)
            if r is None:
                return "—"
            if r.value is None:
                return status_label(r.status, lang)
            return format_value(r.value, r.indicator.unit, lang, r.indicator.decimals)

        base = got.get("crude_rate") or got.get("head") or next(iter(got.values()))
        title = base.indicator.title.get(lang)
        period = (got.get("eb_spatial") or got.get("eb_global")).period
        out.append(SmoothedRow(family, title, period, text("crude_rate"), text("eb_global"), text("eb_spatial")))
    return out


SMOOTHED_COLUMNS: dict[str, str] = {
    "title": N_("Indicator"),
    "period": N_("Period"),
    "observed": N_("Observed (crude rate)"),
    "smoothed_global": N_("Smoothed (Empirical Bayes, global)"),
    "smoothed_spatial": N_("Smoothed (Empirical Bayes, spatial)"),
}


def smoothed_table(rows: list[SmoothedRow], lang: str) -> pd.DataFrame:
    """The profile's smoothed rates as a table with headings in ``lang``."""
    df = pd.DataFrame([{c: getattr(r, c) for c in SMOOTHED_COLUMNS} for r in rows], columns=list(SMOOTHED_COLUMNS))
    return df.rename(columns={c: gettext(m, lang) for c, m in SMOOTHED_COLUMNS.items()})
