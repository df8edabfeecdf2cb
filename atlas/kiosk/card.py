"""The kiosk's area card: one area's values for the playlist's indicators against İzmir, in plain words.

Built from :func:`atlas.views.profile.area_profile` (the same values, ranks and verdicts as the Area
profile page and the "compared with İzmir" map), one row per indicator with a value for the area,
in the order asked (the story on screen first). Each row says the value, the İzmir value and one
short sentence: better / worse / similar where the comparison was tested, higher / lower than
İzmir (with which way is better) where it could not be. Indicators without a value for the area
are listed together after the rows, grouped by why (``gaps``: e.g. the satellite grid covers less
than half of the area), so a card is not a column of "no data".
Plain data and no Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from ..frames.map_frame import NOT_BENCHMARKED
from ..i18n import N_, check_lang, gettext, ngettext
from ..mapping import format_int, format_value
from ..views.map_view import rank_hint
from ..views.profile import AreaProfile, IndicatorProfile

MAX_ROWS = 6
LOW_COVERAGE = 0.5  # below this share of the area covered by the grid, a grid value is 'missing'

#: kind → message, for the areas the map leaves out by default
AREA_KINDS: dict[str, str] = {
    "island": N_("island"),
    "industrial_zone": N_("industrial zone"),
    "free_zone": N_("free zone"),
}


@dataclass(frozen=True)
class CardRow:
    indicator_id: str
    title: str  # the indicator's title in the language
    period: str
    value: str  # the value with its unit, or "—" when there is none
    izmir: str | None  # "İzmir: 43,4 °C"
    sentence: str  # the comparison or the reason for no value, in plain words
    rank: str | None  # "5 of 30 districts (1 = best)"
    tone: str  # better, worse, neutral or none (for the row's colour mark)


@dataclass(frozen=True)
class CardGap:
    """Indicators (titles in the language) that have no value for the area, for one reason."""

    reason: str
    titles: tuple[str, ...]


@dataclass(frozen=True)
class Card:
    code: str
    name: str
    subtitle: str
    rows: tuple[CardRow, ...]  # indicators with a value
    notes: tuple[str, ...]
    gaps: tuple[CardGap, ...] = ()  # indicators without one, grouped by the reason


def _tone(row: IndicatorProfile) -> str:
    if row.value is None:
        return "none"
    if row.verdict == "better":
        return "better"
    if row.verdict == "worse":
        return "worse"
    return "neutral"


#: verdict (a compare_izmir category; the untested ones by their direction) → sentence
VERDICT_SENTENCES: dict[str, str] = {
    "better": N_("Better than İzmir."),
    "worse": N_("Worse than İzmir."),
    "similar": N_("Similar to İzmir."),
    "higher": N_("Higher than İzmir."),
    "lower": N_("Lower than İzmir."),
    "equal": N_("The same as İzmir."),
}
#: polarity → what the reader should know when the comparison was not tested
POLARITY_SENTENCES: dict[str, str] = {
    "lower_is_better": N_("For this measure, lower is better."),
    "higher_is_better": N_("For this measure, higher is better."),
}
#: status of a row without a value → why there is none
NO_VALUE_SENTENCES: dict[str, str] = {
    "missing": N_("No data for this area."),
    "suppressed": N_("Not shown: the numbers are too small."),
    "not_applicable": N_("Does not apply to this area."),
}


def comparison_sentence(row: IndicatorProfile, lang: str) -> str:
    """The row's comparison with İzmir (or why there is none) in one or two short sentences."""
    if row.value is None:
        if row.status == "missing" and row.coverage is not None and row.coverage < LOW_COVERAGE:
            return gettext("No data: the satellite grid covers less than half of this area.", lang)
        return gettext(NO_VALUE_SENTENCES.get(row.status, NO_VALUE_SENTENCES["missing"]), lang)
    if row.indicator.value_type in NOT_BENCHMARKED:
        return gettext("A count; it is not compared with İzmir's total.", lang)
    verdict = row.verdict
    if verdict in ("better", "worse", "similar", "higher", "lower"):
        return gettext(VERDICT_SENTENCES[verdict], lang)
    if verdict in ("higher_value", "lower_value", "equal_value"):
        direction = verdict.removesuffix("_value")
        sentence = gettext(VERDICT_SENTENCES[direction], lang)
        if direction != "equal" and row.indicator.polarity in POLARITY_SENTENCES:
            sentence += " " + gettext(POLARITY_SENTENCES[row.indicator.polarity], lang)
        return sentence
    return gettext("No İzmir value to compare with.", lang) if not row.benchmarked else ""


def _rank(row: IndicatorProfile, level: str, lang: str) -> str | None:
    if row.value is None or row.rank is None or not row.rank_of:
        return None
    words = dict(rank=format_int(row.rank, lang), count=format_int(row.rank_of, lang),
                 hint=rank_hint(row.indicator, lang))
    if level == "district":
        return ngettext("{rank} of {count} district ({hint})", "{rank} of {count} districts ({hint})", row.rank_of,
                        lang, **words)
    return ngettext("{rank} of {count} mahalle ({hint})", "{rank} of {count} mahalle ({hint})", row.rank_of,
                    lang, **words)


def card_row(row: IndicatorProfile, level: str, lang: str) -> CardRow:
    ind = row.indicator
    value = format_value(row.value, ind.unit, lang, ind.decimals)
    izmir = None
    if row.izmir is not None and row.izmir.value is not None and ind.value_type not in NOT_BENCHMARKED:
        izmir = gettext("İzmir: {value}", lang, value=format_value(row.izmir.value, ind.unit, lang, ind.decimals))
    return CardRow(ind.id, ind.title.get(lang), row.period, value, izmir, comparison_sentence(row, lang),
                   _rank(row, level, lang), _tone(row))


def area_card(profile: AreaProfile, indicator_ids: Sequence[str], lang: str, *, max_rows: int = MAX_ROWS) -> Card:
    """The card of ``profile``'s area: rows for ``indicator_ids`` (in that order) that the area's
    level has values for, at most ``max_rows``."""
    check_lang(lang)
    area = profile.area
    by_id = {r.indicator.id: r for r in profile.indicators}
    asked = [by_id[i] for i in dict.fromkeys(indicator_ids) if i in by_id]
    chosen = [r for r in asked if r.value is not None][:max_rows]
    rows = tuple(card_row(r, area.level, lang) for r in chosen)
    gaps: dict[str, list[str]] = {}
    for r in asked:
        if r.value is None:
            gaps.setdefault(comparison_sentence(r, lang), []).append(r.indicator.title.get(lang))
    if area.level == "district":
        subtitle = gettext("District", lang)
    else:
        subtitle = gettext("Mahalle in {district}", lang, district=area.district_name or "?")
        if area.kind in AREA_KINDS:
            subtitle += f" · {gettext(AREA_KINDS[area.kind], lang)}"
    notes = []
    if any(r.izmir is not None and r.izmir.note for r in chosen):
        notes.append(gettext("The satellite-grid figures cover central İzmir only; their İzmir value is the grid's "
                             "average.", lang))
    if not rows:
        notes.append(gettext("This area has no values for the indicators of the playlist.", lang))
    return Card(area.code, area.name, subtitle, rows, tuple(notes),
                tuple(CardGap(reason, tuple(titles)) for reason, titles in gaps.items()))
