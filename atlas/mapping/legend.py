"""Legend entries: one per class, then one per status present, as plain data.

The same list feeds the folium legend, the print export and the table's key, so all of
them say the same thing. Labels are messages of the atlas's catalogues (:func:`compare_label`,
:func:`status_label`); numbers are formatted by :mod:`.formatting` with the indicator's unit and
decimals. If two neighbouring class bounds would print the same at the indicator's decimals, up to
three more decimals are used so no two labels look alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from ..i18n import N_, check_lang, gettext, pgettext
from .formatting import MAX_DECIMALS, format_range, format_value
from .palette import STATUS_PATTERNS, STATUS_STYLES, class_style

STATUSES = ("suppressed", "missing", "not_applicable")

#: status → message (:func:`status_label`)
STATUS_LABELS: dict[str, str] = {
    "suppressed": N_("Suppressed (small numbers)"),
    "missing": N_("No data"),
    "not_applicable": N_("Not applicable"),
}

#: The compare_izmir categories that have a legend label (:func:`compare_label`).
COMPARE_LABELS: tuple[str, ...] = ("better", "similar", "worse", "lower", "higher", "lower_value", "equal_value",
                                   "higher_value")


def _compare_labels(lang: str) -> dict[str, str]:
    # "map legend": the Equity page says the same in shorter Turkish ("İzmir'den iyi")
    return {
        "better": pgettext("map legend", "Better than İzmir", lang),
        "similar": pgettext("map legend", "Similar to İzmir", lang),
        "worse": pgettext("map legend", "Worse than İzmir", lang),
        "lower": pgettext("map legend", "Lower than İzmir", lang),
        "higher": pgettext("map legend", "Higher than İzmir", lang),
        "lower_value": pgettext("map legend", "Lower than İzmir (no confidence interval, not tested)", lang),
        "equal_value": pgettext("map legend", "Same value as İzmir", lang),
        "higher_value": pgettext("map legend", "Higher than İzmir (no confidence interval, not tested)", lang),
    }


def compare_label(category: str, lang: str) -> str:
    """The legend label of a compare_izmir category (one of :data:`COMPARE_LABELS`) in ``lang``;
    KeyError for another category."""
    return _compare_labels(lang)[category]


def status_label(status: str, lang: str) -> str:
    """The label of a status in ``lang``; an unknown status reads as missing ("No data")."""
    return gettext(STATUS_LABELS.get(status, STATUS_LABELS["missing"]), lang)


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


def _range_decimals(ranges: Sequence[tuple[Any, Any]], lang: str, decimals: int) -> int:
    """The fewest decimals (from ``decimals``, up to +3) at which distinct bounds stay distinct.

    When no number of decimals up to +3 tells every bound apart (a share of 0.00004 % beside 0 %),
    the fewest decimals that tell as many apart as +3 does: extra decimals that separate nothing
    more only make every label longer ("%0,0000–10,3705").
    """
    bounds = sorted({b for r in ranges for b in r if b is not None})
    best_d, best_n = decimals, -1
    for d in range(decimals, min(decimals + 3, MAX_DECIMALS) + 1):
        distinct = len({format_range(b, b, lang, d) for b in bounds})
        if distinct == len(bounds):
            return d
        if distinct > best_n:
            best_d, best_n = d, distinct
    return best_d


def legend_items(classification, colours: Sequence[str], indicator, lang: str,
                 status_counts: Mapping[str, int] | None = None) -> list[LegendItem]:
    """Legend rows for ``classification`` drawn with ``colours`` (from ``colours_for``).

    ``indicator`` supplies ``unit`` (a TR/EN ``Text``) and ``decimals``; ``status_counts``
    maps a status (suppressed, missing, not_applicable; ``ok`` is ignored) to its number of
    areas; statuses with a count of 0 are left out. Raises ValueError for an unknown status
    or when ``colours`` does not have one colour per class.
    """
    lang = check_lang(lang)
    if len(colours) != classification.k:
        raise ValueError(f"{len(colours)} colours for {classification.k} classes")
    items: list[LegendItem] = []
    if classification.scheme == "compare_izmir":
        labels = _compare_labels(lang)
        for cat, colour, n, (lo, hi) in zip(classification.categories, colours, classification.counts,
                                            classification.ranges):
            items.append(LegendItem(kind="class", key=cat, label=labels[cat],
                                    colour=colour, count=n, style=class_style(colour), lower=lo, upper=hi))
    else:
        d = _range_decimals(classification.ranges, lang, indicator.decimals)
        for i, (colour, n, (lo, hi)) in enumerate(zip(colours, classification.counts, classification.ranges)):
            items.append(LegendItem(kind="class", key=str(i), label=format_range(lo, hi, lang, d, indicator.unit),
                                    colour=colour, count=n, style=class_style(colour), lower=lo, upper=hi))
    counts = dict(status_counts or {})
    unknown = sorted(set(counts) - set(STATUSES) - {"ok"})
    if unknown:
        raise ValueError(f"unknown status {unknown[0]!r}; use one of ok, {', '.join(STATUSES)}")
    for status in STATUSES:
        n = int(counts.get(status, 0) or 0)
        if n > 0:
            style = dict(STATUS_STYLES[status])
            items.append(LegendItem(kind="status", key=status, label=gettext(STATUS_LABELS[status], lang),
                                    colour=style["fillColor"], count=n, style=style,
                                    pattern=STATUS_PATTERNS[status]))
    return items


def benchmark_label(classification, indicator, lang: str) -> str | None:
    """``"İzmir: %12,5"`` (with the CI when known: ``"İzmir: %12,5 (%11,9–13,1)"``), or None."""
    lang = check_lang(lang)
    if classification.benchmark is None:
        return None
    value = format_value(classification.benchmark, indicator.unit, lang, indicator.decimals)
    if classification.benchmark_ci is None:
        return gettext("İzmir: {value}", lang, value=value)
    lo, hi = classification.benchmark_ci
    return gettext("İzmir: {value} ({ci})", lang, value=value,
                   ci=format_range(lo, hi, lang, indicator.decimals, indicator.unit))
