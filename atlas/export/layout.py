"""Page geometry for exported maps: paper sizes, margins, type sizes, text measuring and wrapping,
and the boxes every part of a page goes into, so that nothing overlaps.

All lengths are inches from the bottom-left corner of the page. A page is cut into boxes that
never overlap: the *header* (title, subtitle), the *map* (its width/height ratio is the map's
extent, so the map fills it exactly), a *strip* under the map (scale bar and north arrow), the
*panel* (legend, province inset, notes — always outside the map) and the *footer* (sources,
licences, date, permalink and its QR code). Landscape pages put the panel to the right of the
map; portrait pages put it below, in two columns.

Text is wrapped with the real widths of DejaVu Sans (the font used for every text; it has the
Turkish letters), measured with FreeType, and blocks that do not fit are set again with a smaller
type scale (:func:`fit_scale`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Sequence

from matplotlib.font_manager import FontProperties, findfont, get_font
from matplotlib.ft2font import LoadFlags

MM = 1 / 25.4
PAPER_MM = {"a4": (210.0, 297.0), "a3": (297.0, 420.0)}
FONT_FAMILY = "DejaVu Sans"
LINE_PITCH = 1.28  # line spacing as a multiple of the type size
ASCENT = 0.95  # baseline below the top of a line, as a multiple of the type size
WIDTH_SLACK = 1.03  # renderers differ by ~1 % from FreeType's unhinted widths; keep a margin

#: Type sizes (points) on A4; A3 multiplies them by Page.scale.
SIZES = {
    "title": 15.0, "subtitle": 9.5, "legend_title": 8.5, "legend": 7.5, "note": 6.6, "footer": 6.2,
    "label": 6.2, "label_small": 5.2, "scale": 6.4, "north": 8.0, "body": 8.0, "small": 6.6, "cover": 26.0,
    "cover_subtitle": 14.0,
}


@dataclass(frozen=True)
class Page:
    paper: str
    orientation: str
    width: float
    height: float
    margin: float
    scale: float  # type and furniture scale: 1 on A4, larger on A3

    def size(self, role: str, factor: float = 1.0) -> float:
        return SIZES[role] * self.scale * factor

    @property
    def inner(self) -> "Box":
        m = self.margin
        return Box(m, m, self.width - 2 * m, self.height - 2 * m)


def page(paper: str, orientation: str) -> Page:
    """The page for ``paper`` (a4, a3) and ``orientation`` (portrait, landscape)."""
    w, h = PAPER_MM[paper]
    if orientation == "landscape":
        w, h = h, w
    scale = 1.0 if paper == "a4" else 1.25
    return Page(paper, orientation, w * MM, h * MM, (11.0 if paper == "a4" else 14.0) * MM, scale)


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def top(self) -> float:
        return self.y + self.h

    @property
    def right(self) -> float:
        return self.x + self.w

    def frac(self, pg: Page) -> tuple[float, float, float, float]:
        """``[left, bottom, width, height]`` as fractions of the page (for ``Figure.add_axes``)."""
        return (self.x / pg.width, self.y / pg.height, self.w / pg.width, self.h / pg.height)

    def overlaps(self, other: "Box", tol: float = 1e-6) -> bool:
        return (self.x < other.right - tol and other.x < self.right - tol
                and self.y < other.top - tol and other.y < self.top - tol)

    def contains(self, other: "Box", tol: float = 1e-6) -> bool:
        return (other.x >= self.x - tol and other.right <= self.right + tol
                and other.y >= self.y - tol and other.top <= self.top + tol)


def fit_aspect(avail: Box, aspect: float) -> Box:
    """The largest box of width/height ``aspect`` inside ``avail``, at its top, centred across."""
    w, h = avail.w, avail.h
    if w / h > aspect:
        w = h * aspect
    else:
        h = w / aspect
    return Box(avail.x + (avail.w - w) / 2, avail.top - h, w, h)


# --- text -------------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _font_path(bold: bool) -> str:
    return findfont(FontProperties(family=FONT_FAMILY, weight="bold" if bold else "normal"))


@lru_cache(maxsize=65536)
def _width_pt(text: str, bold: bool) -> float:
    """Width of ``text`` at 1 pt (FreeType, unhinted), in points."""
    font = get_font(_font_path(bold))
    font.set_size(100.0, 72)
    font.set_text(text, 0.0, flags=LoadFlags.NO_HINTING)
    return font.get_width_height()[0] / 64.0 / 100.0


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width of one line of ``text`` at ``size`` points, in inches (with a small safety margin)."""
    return _width_pt(text, bold) * size / 72.0 * WIDTH_SLACK


def line_height(size: float) -> float:
    return size * LINE_PITCH / 72.0


def _break_long(word: str, width: float, size: float, bold: bool) -> list[str]:
    """A word wider than the line (a URL) cut after '&', '/', '?' or anywhere, as needed."""
    pieces, current = [], ""
    tokens, token = [], ""
    for ch in word:
        token += ch
        if ch in "&/?=-_":
            tokens.append(token)
            token = ""
    if token:
        tokens.append(token)
    for tok in tokens:
        if text_width(current + tok, size, bold) <= width:
            current += tok
            continue
        if current:
            pieces.append(current)
            current = ""
        while text_width(tok, size, bold) > width and len(tok) > 1:  # cut a token that is itself too long
            n = len(tok)
            while n > 1 and text_width(tok[:n], size, bold) > width:
                n -= 1
            pieces.append(tok[:n])
            tok = tok[n:]
        current = tok
    if current:
        pieces.append(current)
    return pieces


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """``text`` broken into lines no wider than ``width`` inches at ``size`` points.

    Existing newlines are kept; words longer than a line (URLs) are cut at '&', '/' and the like."""
    lines: list[str] = []
    for para in str(text).split("\n"):
        words = para.split()
        if not words:
            lines.append("")
            continue
        current = ""
        for word in words:
            candidate = f"{current} {word}" if current else word
            if text_width(candidate, size, bold) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
                current = ""
            if text_width(word, size, bold) <= width:
                current = word
            else:
                *full, current = _break_long(word, width, size, bold)
                lines.extend(full)
        lines.append(current)
    return lines


# --- blocks of text and swatches ----------------------------------------------------------------


@dataclass
class Para:
    """A paragraph: wrapped to the block width at ``role``'s size; ``gap_after`` in units of its size."""

    text: str
    role: str = "legend"
    bold: bool = False
    colour: str = "#000000"
    gap_after: float = 0.25
    indent: float = 0.0  # inches
    lines: list[str] = field(default_factory=list)
    size: float = 0.0

    def measure(self, pg: Page, width: float, factor: float) -> float:
        self.size = pg.size(self.role, factor)
        self.lines = wrap(self.text, max(width - self.indent, 0.2), self.size, self.bold) if self.text else []
        return len(self.lines) * line_height(self.size) + self.gap_after * self.size / 72.0


@dataclass
class SwatchRow:
    """A legend row: a swatch drawn by ``draw_swatch(ax_or_fig, box)`` and its label beside it."""

    text: str
    draw_swatch: Callable
    role: str = "legend"
    lines: list[str] = field(default_factory=list)
    size: float = 0.0
    swatch: tuple[float, float] = (0.0, 0.0)
    height: float = 0.0

    def measure(self, pg: Page, width: float, factor: float) -> float:
        self.size = pg.size(self.role, factor)
        sw, sh = 2.2 * self.size / 72.0, 1.15 * self.size / 72.0
        self.swatch = (sw, sh)
        self.lines = wrap(self.text, max(width - sw - 0.6 * self.size / 72.0, 0.3), self.size)
        text_h = len(self.lines) * line_height(self.size)
        self.height = max(text_h, sh + 0.3 * self.size / 72.0) + 0.22 * self.size / 72.0
        return self.height


@dataclass
class Space:
    """Room for an axes (the inset) of a fixed height; ``draw(box)`` is called with its box."""

    height: float
    draw: Callable | None = None
    gap_after: float = 0.1

    def measure(self, pg: Page, width: float, factor: float) -> float:
        return self.height + self.gap_after


def block_height(items: Sequence, pg: Page, width: float, factor: float) -> float:
    return sum(item.measure(pg, width, factor) for item in items)


def fit_scale(items: Sequence, pg: Page, width: float, height: float, *, lo: float = 0.55) -> float:
    """The largest type factor (1, 0.95, … down to ``lo``) at which ``items`` fit ``height``."""
    factor = 1.0
    while factor > lo and block_height(items, pg, width, factor) > height:
        factor = round(factor - 0.05, 2)
    block_height(items, pg, width, factor)  # leave the items measured at the chosen factor
    return factor
