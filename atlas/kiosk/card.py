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
from ..mapping import format_int, format_value
from ..views.profile import AreaProfile, IndicatorProfile

LANGS = ("tr", "en")
MAX_ROWS = 6
LOW_COVERAGE = 0.5  # below this share of the area covered by the grid, a grid value is 'missing'

WORDS: dict[str, dict[str, str]] = {
    "district": {"tr": "İlçe", "en": "District"},
    "mahalle_in": {"tr": "{district} ilçesinde mahalle", "en": "Mahalle in {district}"},
    "kind_island": {"tr": "ada", "en": "island"},
    "kind_industrial_zone": {"tr": "organize sanayi bölgesi", "en": "industrial zone"},
    "kind_free_zone": {"tr": "serbest bölge", "en": "free zone"},
    "izmir": {"tr": "İzmir: {value}", "en": "İzmir: {value}"},
    "better": {"tr": "İzmir'den daha iyi durumda.", "en": "Better than İzmir."},
    "worse": {"tr": "İzmir'den daha kötü durumda.", "en": "Worse than İzmir."},
    "similar": {"tr": "İzmir'e benzer.", "en": "Similar to İzmir."},
    "higher": {"tr": "İzmir'den daha yüksek.", "en": "Higher than İzmir."},
    "lower": {"tr": "İzmir'den daha düşük.", "en": "Lower than İzmir."},
    "equal": {"tr": "İzmir ile aynı.", "en": "The same as İzmir."},
    "lower_is_better": {"tr": " Bu göstergede düşük olması daha iyidir.", "en": " For this measure, lower is better."},
    "higher_is_better": {"tr": " Bu göstergede yüksek olması daha iyidir.",
                         "en": " For this measure, higher is better."},
    "count": {"tr": "Bir sayıdır; İzmir toplamıyla karşılaştırılmaz.",
              "en": "A count; it is not compared with İzmir's total."},
    "no_izmir": {"tr": "İzmir değeri yok; karşılaştırılmadı.", "en": "No İzmir value to compare with."},
    "missing": {"tr": "Bu bölge için veri yok.", "en": "No data for this area."},
    "missing_grid": {"tr": "Veri yok: uydu ızgarası bu bölgenin yarısından azını kapsıyor.",
                     "en": "No data: the satellite grid covers less than half of this area."},
    "suppressed": {"tr": "Sayılar çok küçük olduğu için gösterilmiyor.",
                   "en": "Not shown: the numbers are too small."},
    "not_applicable": {"tr": "Bu bölge için geçerli değil.", "en": "Does not apply to this area."},
    "rank_district": {"tr": "{n} ilçe arasında {rank}. ({hint})", "en": "{rank} of {n} districts ({hint})"},
    "rank_mahalle": {"tr": "{n} mahalle arasında {rank}. ({hint})", "en": "{rank} of {n} mahalle ({hint})"},
    "rank_best": {"tr": "1 = en iyi", "en": "1 = best"},
    "rank_highest": {"tr": "1 = en yüksek", "en": "1 = highest"},
    "grid_note": {"tr": "Uydu ızgarası verileri yalnızca merkez İzmir'i kapsar; bunların İzmir değeri ızgaranın "
                        "ortalamasıdır.",
                  "en": "The satellite-grid figures cover central İzmir only; their İzmir value is the grid's "
                        "average."},
    "no_rows": {"tr": "Bu bölge için oynatma listesindeki göstergelerin verisi yok.",
                "en": "This area has no values for the indicators of the playlist."},
}


def _w(key: str, lang: str, **fmt: object) -> str:
    text = WORDS[key][lang]
    return text.format(**fmt) if fmt else text


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


def comparison_sentence(row: IndicatorProfile, lang: str) -> str:
    """The row's comparison with İzmir (or why there is none) in one or two short sentences."""
    if row.value is None:
        if row.status == "missing" and row.coverage is not None and row.coverage < LOW_COVERAGE:
            return _w("missing_grid", lang)
        return _w(row.status if row.status in ("suppressed", "not_applicable") else "missing", lang)
    if row.indicator.value_type in NOT_BENCHMARKED:
        return _w("count", lang)
    verdict = row.verdict
    if verdict in ("better", "worse", "similar", "higher", "lower"):
        return _w(verdict, lang)
    if verdict in ("higher_value", "lower_value", "equal_value"):
        direction = verdict.removesuffix("_value")
        sentence = _w(direction, lang)
        if direction != "equal" and row.indicator.polarity in ("lower_is_better", "higher_is_better"):
            sentence += _w(row.indicator.polarity, lang)
        return sentence
    return _w("no_izmir", lang) if not row.benchmarked else ""


def _rank(row: IndicatorProfile, level: str, lang: str) -> str | None:
    if row.value is None or row.rank is None or not row.rank_of:
        return None
    hint = _w("rank_highest" if row.indicator.polarity == "no_judgement" else "rank_best", lang)
    return _w(f"rank_{level}", lang, rank=format_int(row.rank, lang), n=format_int(row.rank_of, lang), hint=hint)


def card_row(row: IndicatorProfile, level: str, lang: str) -> CardRow:
    ind = row.indicator
    value = format_value(row.value, ind.unit, lang, ind.decimals)
    izmir = None
    if row.izmir is not None and row.izmir.value is not None and ind.value_type not in NOT_BENCHMARKED:
        izmir = _w("izmir", lang, value=format_value(row.izmir.value, ind.unit, lang, ind.decimals))
    return CardRow(ind.id, ind.title.get(lang), row.period, value, izmir, comparison_sentence(row, lang),
                   _rank(row, level, lang), _tone(row))


def area_card(profile: AreaProfile, indicator_ids: Sequence[str], lang: str, *, max_rows: int = MAX_ROWS) -> Card:
    """The card of ``profile``'s area: rows for ``indicator_ids`` (in that order) that the area's
    level has values for, at most ``max_rows``."""
    if lang not in LANGS:
        raise ValueError(f"language {lang!r} is not supported; use one of {', '.join(LANGS)}")
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
        subtitle = _w("district", lang)
    else:
        subtitle = _w("mahalle_in", lang, district=area.district_name or "?")
        if area.kind in ("island", "industrial_zone", "free_zone"):
            subtitle += f" · {_w('kind_' + area.kind, lang)}"
    notes = []
    if any(r.izmir is not None and r.izmir.note for r in chosen):
        notes.append(_w("grid_note", lang))
    if not rows:
        notes.append(_w("no_rows", lang))
    return Card(area.code, area.name, subtitle, rows, tuple(notes),
                tuple(CardGap(reason, tuple(titles)) for reason, titles in gaps.items()))
