"""Legend entries: one per class, then one per status present, as plain data.

The same list feeds the folium legend, the print export and the table's key, so all of
them say the same thing. Labels are in Turkish and English (:data:`COMPARE_LABELS`,
:data:`STATUS_LABELS`); numbers are formatted by :mod:`.formatting` with the indicator's
unit and decimals. If two neighbouring class bounds would print the same at the
indicator's decimals, up to three more decimals are used so no two labels look alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from .formatting import MAX_DECIMALS, format_range, format_value
from .palette import STATUS_PATTERNS, STATUS_STYLES, class_style

STATUSES = ("suppressed", "missing", "not_applicable")

STATUS_LABELS: dict[str, dict[str, str]] = {
    "suppressed": {"tr": "Gizlendi (küçük sayı)", "en": "Suppressed (small numbers)"},
    "missing": {"tr": "Veri yok", "en": "No data"},
    "not_applicable": {"tr": "Uygulanamaz", "en": "Not applicable"},
}

COMPARE_LABELS: dict[str, dict[str, str]] = {
    "better": {"tr": "İzmir'den daha iyi", "en": "Better than İzmir"},
    "similar": {"tr": "İzmir'e benzer", "en": "Similar to İzmir"},
    "worse": {"tr": "İzmir'den daha kötü", "en": "Worse than İzmir"},
    "lower": {"tr": "İzmir'den daha düşük", "en": "Lower than İzmir"},
    "higher": {"tr": "İzmir'den daha yüksek", "en": "Higher than İzmir"},
    "lower_value": {"tr": "İzmir'den düşük (güven aralığı yok, test edilmedi)",
                    "en": "Lower than İzmir (no confidence interval, not tested)"},
    "equal_value": {"tr": "İzmir ile aynı değer", "en": "Same value as İzmir"},
    "higher_value": {"tr": "İzmir'den yüksek (güven aralığı yok, test edilmedi)",
                     "en": "Higher than İzmir (no confidence interval, not tested)"},
}


@dataclass(frozen=True)
class LegendItem:
    """One legend row. ``kind`` is ``"class"`` or ``"status"``; ``key`` is the class index
    as text (``"0"``, ``"1"``…), the compare_izmir category or the status. ``style`` holds
    the Leaflet path options to draw the swatch (and the areas); ``pattern`` is the hatching
    of a status, if any. ``lower``/``upper`` are the class range (None for statuses)."""

    kind: str
    key: str
    label: str
    colour: str
    count: int
    style: dict = field(default_factory=dict, hash=False, compare=True)
    pattern: dict | None = field(default=None, hash=False)
    lower: float | None = None
    upper: float | None = None


def _lang(lang: str) -> str:
    if lang not in ("tr", "en"):
        raise ValueError(f"language {lang!r} is not supported; use one of tr, en")
    return lang


def _range_decimals(ranges: Sequence[tuple[Any, Any]], lang: str, decimals: int) -> int:
    """The fewest decimals (from ``decimals``, up to +3) at which distinct bounds stay distinct."""
    bounds = sorted({b for r in ranges for b in r if b is not None})
    for d in range(decimals, min(decimals + 3, MAX_DECIMALS) + 1):
        printed = [format_range(b, b, lang, d) for b in bounds]
        if len(set(printed)) == len(printed):
            return d
    return min(decimals + 3, MAX_DECIMALS)


def legend_items(classification, colours: Sequence[str], indicator, lang: str,
                 status_counts: Mapping[str, int] | None = None) -> list[LegendItem]:
    """Legend rows for ``classification`` drawn with ``colours`` (from ``colours_for``).

    ``indicator`` supplies ``unit`` (a TR/EN ``Text``) and ``decimals``; ``status_counts``
    maps a status (suppressed, missing, not_applicable; ``ok`` is ignored) to its number of
    areas; statuses with a count of 0 are left out. Raises ValueError for an unknown status
    or when ``colours`` does not have one colour per class.
    """
    lang = _lang(lang)
    if len(colours) != classification.k:
        raise ValueError(f"{len(colours)} colours for {classification.k} classes")
    items: list[LegendItem] = []
    if classification.scheme == "compare_izmir":
        for cat, colour, n, (lo, hi) in zip(classification.categories, colours, classification.counts,
                                            classification.ranges):
            items.append(LegendItem(kind="class", key=cat, label=COMPARE_LABELS[cat][lang], colour=colour,
                                    count=n, style=class_style(colour), lower=lo, upper=hi))
    else:
        d = _range_decimals(classification.ranges, lang, indicator.decimals)
        for i, (colour, n, (lo, hi)) in enumerate(zip(colours, classification.counts, classification.ranges)):
            label = format_range(lo, hi, lang, d, indicator.unit)
            items.append(LegendItem(kind="class", key=str(i), label=label, colour=colour, count=n,
                                    style=class_style(colour), lower=lo, upper=hi))
    counts = dict(status_counts or {})
    unknown = sorted(set(counts) - set(STATUSES) - {"ok"})
    if unknown:
        raise ValueError(f"unknown status {unknown[0]!r}; use one of ok, {', '.join(STATUSES)}")
    for status in STATUSES:
        n = int(counts.get(status, 0) or 0)
        if n > 0:
            style = dict(STATUS_STYLES[status])
            items.append(LegendItem(kind="status", key=status, label=STATUS_LABELS[status][lang],
                                    colour=style["fillColor"], count=n, style=style,
                                    pattern=STATUS_PATTERNS[status]))
    return items


def benchmark_label(classification, indicator, lang: str) -> str | None:
    """``"İzmir: %12,5"`` (with the CI when known: ``"İzmir: %12,5 (%11,9–13,1)"``), or None."""
    lang = _lang(lang)
    if classification.benchmark is None:
        return None
    text = "İzmir: " + format_value(classification.benchmark, indicator.unit, lang, indicator.decimals)
    if classification.benchmark_ci is not None:
        lo, hi = classification.benchmark_ci
        text += f" ({format_range(lo, hi, lang, indicator.decimals, indicator.unit)})"
    return text
