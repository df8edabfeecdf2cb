"""A Fingertips-style spine chart of an area profile, as one accessible SVG string.

``spine_chart_svg(rows, lang)`` draws one row per indicator (rows are
:class:`atlas.views.profile.IndicatorProfile`): the title and period, the area's value and İzmir's,
then the spine: the İzmir value as the centre line, a light grey bar for the range of all areas
of the level, a darker grey bar for the 25th–75th percentile, and the area's value as a circle
coloured by its verdict against İzmir (the map's colours, :data:`atlas.mapping.COMPARE_COLOURS`;
white when not compared).

As in Fingertips, each row has its own scale, centred on İzmir and wide enough for the range and
the area's value on both sides (a count, whose İzmir value is the total, and a row without an
İzmir value are centred on the middle of the range instead); rows of indicators with a polarity
are oriented so the worse end is on the left (lower_is_better: high values left), rows with no
judgement run from low (left) to high (right).

The SVG has ``role="img"``, a ``<title>`` and a ``<desc>`` that says in words what each row
shows; every text is XML-escaped. Pure and deterministic: the same rows give the same string.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Sequence

from ..i18n import check_lang, gettext
from ..mapping import COMPARE_COLOURS, COMPARE_LABELS, compare_label, format_number, status_label

WIDTH = 920
ROW_H = 38
HEAD_H = 34
X_TITLE = 8
SPINE_PAD = 8
TITLE_CHARS = 54
RANGE_FILL = "#d9d9d9"
IQR_FILL = "#8c8c8c"
BENCH_STROKE = "#000000"
NOT_COMPARED = "#ffffff"
CIRCLE_STROKE = "#252525"
TEXT = "#1a1a1a"
MUTED = "#595959"
FONT = "sans-serif"
DISTRICT_STROKE = "#000000"


@dataclass(frozen=True)
class _Layout:
    """x positions: number columns are right-aligned at x_value, x_district (None = no column), x_izmir."""

    x_value: float
    x_district: float | None
    x_izmir: float
    spine_x0: float
    spine_x1: float = WIDTH - 16


def _layout(rows: Sequence) -> _Layout:
    if any(r.district is not None for r in rows):
        return _Layout(x_value=370, x_district=448, x_izmir=526, spine_x0=552)
    return _Layout(x_value=392, x_district=None, x_izmir=482, spine_x0=512)

#: Verdict order in the legend.
VERDICT_ORDER = ("better", "similar", "worse", "lower", "higher", "lower_value", "equal_value", "higher_value")

def _num(x: float | None, lang: str, decimals: int) -> str:
    return format_number(x, lang, decimals)


def _short(text: str, limit: int = TITLE_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _attr(x: float) -> str:
    """Coordinates with two decimals, no trailing zeros: deterministic and compact."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _not_compared(lang: str) -> str:
    return gettext("Not compared", lang)


def _verdict_label(verdict: str | None, lang: str) -> str:
    return compare_label(verdict, lang) if verdict in COMPARE_LABELS else _not_compared(lang)


def _scale(row) -> tuple[float, float, float] | None:
    """(centre, half-width, direction) of a row's spine, or None when there is nothing to draw."""
    bench = row.izmir.value if row.benchmarked else None
    dist = row.distribution
    district = row.district.value if row.district is not None and row.benchmarked else None
    points = [p for p in (row.value, dist.minimum if dist else None, dist.maximum if dist else None, district)
              if p is not None]
    if not points:
        return None
    centre = bench if bench is not None else (min(points) + max(points)) / 2
    half = max(abs(p - centre) for p in points)
    if half == 0:
        half = abs(centre) * 0.1 or 1.0
    direction = -1.0 if row.indicator.polarity == "lower_is_better" else 1.0
    return centre, half, direction


def _x(v: float, scale: tuple[float, float, float], lay: _Layout) -> float:
    centre, half, direction = scale
    mid = (lay.spine_x0 + lay.spine_x1) / 2
    reach = (lay.spine_x1 - lay.spine_x0) / 2 - SPINE_PAD
    return mid + direction * (v - centre) / half * reach


def _text(x: float, y: float, content: str, *, size: int = 12, anchor: str = "start", fill: str = TEXT,
          weight: str | None = None) -> str:
    bold = f' font-weight="{weight}"' if weight else ""
    return (f'<text x="{_attr(x)}" y="{_attr(y)}" font-size="{size}" text-anchor="{anchor}" '
            f'fill="{fill}"{bold}>{escape(content)}</text>')


def _row(row, i: int, lang: str, lay: _Layout) -> tuple[list[str], str]:
    """SVG elements of one row and its sentence for <desc>."""
    ind = row.indicator
    d = ind.decimals
    y0 = HEAD_H + i * ROW_H
    mid_y = y0 + ROW_H / 2
    title = ind.title.get(lang)
    unit = ind.unit.get(lang)
    izmir_value = row.izmir.value if row.izmir is not None else None
    value_text = _num(row.value, lang, d) if row.value is not None else status_label(row.status, lang)
    izmir_text = _num(izmir_value, lang, d)
    verdict = _verdict_label(row.verdict, lang) if row.value is not None else status_label(row.status, lang)
    dist = row.distribution
    value_unit = f"{value_text} {unit}".strip() if row.value is not None else value_text
    sentence = gettext("{title} ({period}): {value}; İzmir {izmir}; range {lo}–{hi}; {verdict}.", lang,
                       title=title, period=row.period, value=value_unit, izmir=izmir_text, lo=_num(dist.minimum if dist else None, lang, d),
                       hi=_num(dist.maximum if dist else None, lang, d), verdict=verdict)
    district_value = row.district.value if row.district is not None else None
    if lay.x_district is not None:
        sentence += " " + gettext("District: {district}.", lang, district=_num(district_value, lang, d))
    out = [f'<g data-indicator="{escape(ind.id)}">', f"<title>{escape(sentence)}</title>"]
    if i % 2 == 1:
        out.append(f'<rect x="0" y="{_attr(y0)}" width="{WIDTH}" height="{ROW_H}" fill="#f6f6f6"/>')
    out.append(_text(X_TITLE, y0 + 16, _short(title), size=12))
    sub = f"{row.period} · {unit}" if unit else row.period
    out.append(_text(X_TITLE, y0 + 30, _short(sub, TITLE_CHARS + 10), size=10, fill=MUTED))
    out.append(_text(lay.x_value, mid_y + 4, value_text, size=12 if row.value is not None else 10, anchor="end",
                     weight="bold" if row.value is not None else None,
                     fill=TEXT if row.value is not None else MUTED))
    if lay.x_district is not None:
        out.append(_text(lay.x_district, mid_y + 4, _num(district_value, lang, d), size=12, anchor="end"))
    out.append(_text(lay.x_izmir, mid_y + 4, izmir_text, size=12, anchor="end"))
    scale = _scale(row)
    if scale is not None:
        if dist is not None:
            a, b = sorted((_x(dist.minimum, scale, lay), _x(dist.maximum, scale, lay)))
            out.append(f'<rect class="range" x="{_attr(a)}" y="{_attr(mid_y - 8)}" width="{_attr(max(b - a, 1))}" '
                       f'height="16" fill="{RANGE_FILL}"/>')
            a, b = sorted((_x(dist.q25, scale, lay), _x(dist.q75, scale, lay)))
            out.append(f'<rect class="iqr" x="{_attr(a)}" y="{_attr(mid_y - 8)}" width="{_attr(max(b - a, 1))}" '
                       f'height="16" fill="{IQR_FILL}"/>')
        if row.benchmarked:
            x = _attr(_x(izmir_value, scale, lay))
            out.append(f'<line class="benchmark" x1="{x}" y1="{_attr(y0 + 3)}" x2="{x}" y2="{_attr(y0 + ROW_H - 3)}" '
                       f'stroke="{BENCH_STROKE}" stroke-width="2"/>')
        else:
            why = (gettext("İzmir value is the total: not compared", lang) if izmir_value is not None
                   else gettext("no İzmir value", lang))
            out.append(_text(lay.spine_x1, y0 + 11, why, size=9, anchor="end", fill=MUTED))
        if district_value is not None and row.benchmarked:
            out.append(_diamond(_x(district_value, scale, lay), mid_y, 'class="district" '))
        if row.value is not None:
            colour = COMPARE_COLOURS.get(row.verdict, NOT_COMPARED)
            out.append(f'<circle class="area" cx="{_attr(_x(row.value, scale, lay))}" cy="{_attr(mid_y)}" r="6.5" '
                       f'fill="{colour}" stroke="{CIRCLE_STROKE}" stroke-width="1.5" '
                       f'data-verdict="{escape(row.verdict or "not_compared")}"/>')
    out.append("</g>")
    return out, sentence


def _diamond(x: float, y: float, extra: str = "") -> str:
    """An open diamond (the district's value) centred on (x, y)."""
    r = 6.5
    points = " ".join(f"{_attr(px)},{_attr(py)}" for px, py in ((x, y - r), (x + r, y), (x, y + r), (x - r, y)))
    return (f'<polygon {extra}points="{points}" fill="none" stroke="{DISTRICT_STROKE}" '
            f'stroke-width="1.5"/>')


def _legend(rows: Sequence, lang: str, y: float, lay: _Layout) -> tuple[list[str], float]:
    """Legend elements starting at ``y``; returns them and the height used."""
    out = ['<g class="legend">']
    x, line_h = X_TITLE, 20
    row_y = y + 14
    items: list[tuple[str, str]] = [("range", gettext("Range of all areas (lowest–highest)", lang)),
                                    ("iqr", gettext("Middle 50% (25th–75th percentile)", lang)),
                                    ("bench", gettext("İzmir value (centre line)", lang))]
    if lay.x_district is not None:
        items.append(("district", gettext("District value (the mahalle's district)", lang)))
    verdicts = {r.verdict for r in rows if r.value is not None}
    items += [(v, compare_label(v, lang)) for v in VERDICT_ORDER if v in verdicts]
    if any(r.value is not None and r.verdict not in COMPARE_COLOURS for r in rows):
        items.append(("not_compared", _not_compared(lang)))
    for key, label in items:
        width = 26 + 6.4 * len(label)
        if x + width > WIDTH - 8:
            x, row_y = X_TITLE, row_y + line_h
        if key in ("range", "iqr"):
            fill = RANGE_FILL if key == "range" else IQR_FILL
            out.append(f'<rect x="{_attr(x)}" y="{_attr(row_y - 9)}" width="16" height="12" fill="{fill}"/>')
        elif key == "district":
            out.append(_diamond(x + 8, row_y - 3))
        elif key == "bench":
            out.append(f'<line x1="{_attr(x + 8)}" y1="{_attr(row_y - 11)}" x2="{_attr(x + 8)}" '
                       f'y2="{_attr(row_y + 5)}" '
                       f'stroke="{BENCH_STROKE}" stroke-width="2"/>')
        else:
            colour = COMPARE_COLOURS.get(key, NOT_COMPARED)
            out.append(f'<circle cx="{_attr(x + 8)}" cy="{_attr(row_y - 3)}" r="6" fill="{colour}" '
                       f'stroke="{CIRCLE_STROKE}" stroke-width="1.5"/>')
        out.append(_text(x + 22, row_y + 1, label, size=11))
        x += width + 14
    row_y += line_h
    out.append(_text(X_TITLE, row_y + 1, gettext(
        "For indicators with a polarity the worse end is on the left (as in Fingertips); indicators with no "
        "judgement run from low (left) to high (right). Each row has its own scale.", lang), size=10, fill=MUTED))
    if any(not r.benchmarked for r in rows):
        row_y += 15
        out.append(_text(X_TITLE, row_y + 1, gettext(
            "Counts (whose İzmir value is the total) and rows without an İzmir value are centred on the middle of "
            "the range and not compared.", lang), size=10, fill=MUTED))
    out.append("</g>")
    return out, row_y - y + 12


def spine_chart_svg(rows: Sequence, lang: str, *, area_name: str | None = None, id_prefix: str = "spine") -> str:
    """The spine chart of ``rows`` (:class:`atlas.views.profile.IndicatorProfile`, drawn in the given order).

    ``area_name`` goes into the chart's title; ``id_prefix`` makes the ids of ``<title>`` and
    ``<desc>`` unique when a page shows more than one chart. Raises ValueError for a language
    the atlas does not have (:data:`atlas.i18n.LANGS`).
    """
    check_lang(lang)
    if area_name:
        title = gettext("{area}: indicators compared with İzmir (spine chart)", lang, area=area_name)
    else:
        title = gettext("Indicators compared with İzmir (spine chart)", lang)
    body: list[str] = []
    sentences = [gettext("Each row is one indicator: the area's value, the İzmir value and the distribution over all "
                         "areas of the same level.", lang)]
    lay = _layout(rows)
    head_y = HEAD_H - 10
    body.append(_text(X_TITLE, head_y, gettext("Indicator (period · unit)", lang), size=11, fill=MUTED,
                      weight="bold"))
    body.append(_text(lay.x_value, head_y, gettext("Value", lang), size=11, anchor="end", fill=MUTED, weight="bold"))
    if lay.x_district is not None:
        body.append(_text(lay.x_district, head_y, gettext("District", lang), size=11, anchor="end", fill=MUTED,
                          weight="bold"))
    body.append(_text(lay.x_izmir, head_y, gettext("İzmir", lang), size=11, anchor="end", fill=MUTED, weight="bold"))
    body.append(_text(lay.spine_x0, head_y, gettext("◀ worse / lower", lang), size=11, fill=MUTED))
    body.append(_text(lay.spine_x1, head_y, gettext("better / higher ▶", lang), size=11, anchor="end", fill=MUTED))
    for i, row in enumerate(rows):
        parts, sentence = _row(row, i, lang, lay)
        body += parts
        sentences.append(sentence)
    if not rows:
        body.append(_text(X_TITLE, HEAD_H + 20, gettext("No indicators for this area.", lang), size=12))
    rows_end = HEAD_H + max(len(rows), 1) * ROW_H
    body.append(f'<line x1="0" y1="{rows_end + 4}" x2="{WIDTH}" y2="{rows_end + 4}" stroke="#bdbdbd"/>')
    legend, legend_h = _legend(rows, lang, rows_end + 8, lay)
    body += legend
    height = int(rows_end + 8 + legend_h + 6)
    pid = escape(id_prefix)
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {WIDTH} {height}" '
            f'width="100%" style="max-width:{WIDTH}px;height:auto" font-family="{FONT}" '
            f'aria-labelledby="{pid}-title {pid}-desc">')
    return "\n".join([head, f'<title id="{pid}-title">{escape(title)}</title>',
                      f'<desc id="{pid}-desc">{escape(" ".join(sentences))}</desc>', *body, "</svg>"])
