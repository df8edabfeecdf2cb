"""The legend as HTML for the web page (drawn beside the map, never over it).

Swatches use the same Leaflet styles as the areas (fill colour, border colour and dashes); the
suppressed style's stripes are drawn with a CSS gradient. Every label is HTML-escaped.
"""

from __future__ import annotations

import html
from typing import Sequence

from ..i18n import ngettext
from .formatting import format_int
from .contrast import GRAPHIC_MIN, contrast_ratio
from .legend import LegendItem

PAGE_BACKGROUND = "#ffffff"
SWATCH_OUTLINE = "#767676"


def _swatch(item: LegendItem) -> str:
    style = item.style
    fill = style.get("fillColor", item.colour)
    border = style.get("color", "#ffffff")
    if contrast_ratio(border, PAGE_BACKGROUND) < GRAPHIC_MIN:
        # a white or light area border is invisible on the page; a pale swatch (#ffffb2) needs an
        # outline of 3:1 to be seen at all (WCAG 2.1, 1.4.11): #767676 is 4.5:1 on white
        border = SWATCH_OUTLINE
    dashed = "dashed" if style.get("dashArray") else "solid"
    background = fill
    if item.pattern and item.pattern.get("kind") == "stripes":
        stripe = item.pattern.get("color", "#525252")
        background = (f"repeating-linear-gradient(45deg, {stripe} 0 2px, {fill} 2px 6px)")
    return (f'<span class="atlas-swatch" aria-hidden="true" style="display:inline-block;width:1.6em;'
            f'height:1.1em;margin-right:.5em;vertical-align:middle;background:{background};'
            f'border:1.5px {dashed} {border};"></span>')


def legend_html(items: Sequence[LegendItem], title: str, lang: str, *, benchmark: str | None = None,
                notes: Sequence[str] = ()) -> str:
    """A legend box: ``title`` (indicator and unit), one row per class and status with its count,
    the İzmir value when known, then ``notes`` (already in the language)."""
    esc = html.escape
    rows = []
    for item in items:
        count = ngettext("{count} area", "{count} areas", item.count, lang, count=format_int(item.count, lang))
        rows.append(f'<li style="list-style:none;margin:.15em 0;">{_swatch(item)}'
                    f'<span class="atlas-legend-label">{esc(item.label)}</span> '
                    f'<span style="color:#555;">({count})</span></li>')
    parts = [f'<div class="atlas-legend" role="group" aria-label="{esc(title)}" '
             f'style="font-size:0.92rem;line-height:1.35;">',
             f'<div style="font-weight:600;margin-bottom:.3em;">{esc(title)}</div>',
             f'<ul style="padding:0;margin:0;">{"".join(rows)}</ul>']
    if benchmark:
        parts.append(f'<div style="margin-top:.4em;">{esc(benchmark)}</div>')
    for note in notes:
        parts.append(f'<div style="margin-top:.3em;color:#555;font-size:0.85rem;">{esc(note)}</div>')
    parts.append("</div>")
    return "".join(parts)
