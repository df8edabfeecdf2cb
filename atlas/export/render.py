"""Print-ready map snapshots (PNG, SVG, PDF) drawn with matplotlib, server-side.

``render_map(mv, ...)`` draws a :class:`~atlas.views.map_view.MapView` exactly as the app classifies and
colours it: every area is filled by its ``style_key`` with ``mv.styles`` (the classes' ColorBrewer
colours, the status styles with the suppressed hatching of ``STATUS_PATTERNS``), and the legend is
``mv.legend`` row by row. Nothing is classified here.

Print colours: a class is filled with its colour at full strength (as the legend swatch shows it);
a status is filled with its colour blended with the white paper by its ``fillOpacity`` (so
"not applicable" stays faint). The result has no transparency, which printers like.

The map is drawn in UTM zone 35N (EPSG:32635, as ``atlas.build.geometry`` measures areas), so the scale
bar is in true kilometres and the north arrow is turned by the grid convergence at the centre of
the map (under 1° anywhere in İzmir). The page holds: header (atlas name, indicator title,
subtitle with period, level and classification), the map, a strip under it (scale bar, north
arrow), the panel beside or below it (province inset when zoomed, legend with class ranges, units
and counts, the İzmir value, notes) and the footer (data source and licence, boundary attribution
and terms, colour credit, export and build dates, permalink and its QR code). See
:mod:`.layout` for how the boxes are laid out so that nothing overlaps.

Matplotlib is used without pyplot (``Figure`` + ``FigureCanvasAgg``); its settings (PDF fonts as
TrueType so text can be extracted, SVG text kept as text, DejaVu Sans) are applied with a local
``rc_context`` under a lock, because rcParams are global and the app renders from many threads.
"""

from __future__ import annotations

import io
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Iterator, Sequence

import geopandas as gpd
import matplotlib as mpl
import numpy as np
import shapely
from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PathCollection
from matplotlib.colors import to_hex, to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Circle, PathPatch, Polygon as MplPolygon, Rectangle
from matplotlib.path import Path as MplPath
from pyproj import Transformer

from ..errors import ExportError
from ..i18n import N_, gettext, label, lazy, ngettext, pgettext
from ..mapping import STATUS_PATTERNS, STATUS_STYLES, format_int, format_number
from ..views.map_view import MapView
from ..views.point_layers import PointOverlay, to_metric
from .context import ExportContext, context_from_view
from .layout import (ASCENT, Box, Page, Para, Space, SwatchRow, block_height, fit_aspect, fit_scale, line_height,
                     page, text_width)
from .options import RenderOptions
from .qr import QUIET_ZONE, qr_matrix, qr_rectangles

METRIC_CRS = "EPSG:32635"  # UTM 35N, as atlas.build.geometry
PX_TO_PT = 0.75  # a Leaflet weight is in CSS pixels; 1 px = 0.75 pt
PAPER = "#ffffff"
FRAME = "#737373"
OUTLINE = {"color": "#252525", "weight": 1.6, "opacity": 0.9}  # as static/atlas/choropleth.js
LEGEND_BORDER = "#767676"  # a white class border is invisible on paper; 4.5:1 on white (as the web legend)
RC = {
    "font.family": "DejaVu Sans",
    "pdf.fonttype": 42,  # TrueType: text stays text and can be extracted
    "ps.fonttype": 42,
    "svg.fonttype": "none",  # text as <text> elements (searchable, editable)
    "svg.hashsalt": "izmir-atlas",  # stable ids: the same view gives the same SVG
    "pdf.compression": 6,
    "lines.scale_dashes": False,  # dash lengths in points
    "hatch.linewidth": 0.45,
    "path.simplify": True,
    "path.simplify_threshold": 0.3,
    "savefig.facecolor": PAPER,
    "figure.facecolor": PAPER,
    "text.parse_math": False,  # data text ("$...$" in a source or title) is printed as it is, never as mathtext
}
_LOCK = threading.RLock()

# --- words the pages print ------------------------------------------------------------------------

#: The classifications' names in a subtitle (a new scheme prints its id until it has a name here).
SCHEME_LABELS = {
    "quantiles": N_("quantiles (equal counts)"),
    "natural_breaks": N_("natural breaks (Fisher-Jenks)"),
    "equal_interval": N_("equal interval"),
    "std_mean": N_("standard deviation"),
    "compare_izmir": N_("compared with İzmir"),
    "hot_spots": N_("hot and cold spots (local Moran)"),
}
LEVEL_LABELS = {"district": N_("district"), "mahalle": N_("mahalle")}
#: Schemes whose classes are categories, not value ranges: the subtitle does not count classes.
CATEGORY_SCHEMES = ("compare_izmir", "hot_spots")
COLOUR_CREDIT = "ColorBrewer 2.0, © Cynthia A. Brewer (Apache 2.0)"


def atlas_name(lang: str) -> str:
    return gettext("İzmir Health Equity Atlas", lang)


def scheme_label(scheme: str, lang: str) -> str:
    """The classification's name (its id when a new scheme has no name yet)."""
    return label(SCHEME_LABELS, scheme, lang)


def level_label(level: str, lang: str) -> str:
    return gettext(LEVEL_LABELS[level], lang)


def class_count(k: int, lang: str) -> str:
    return ngettext("{n} class", "{n} classes", k, lang)


def area_count(n: int, lang: str) -> str:
    """``"1 area"``, ``"1.234 bölge"``: a legend row's count, the number formatted for ``lang``."""
    return ngettext("{n} area", "{n} areas", n, lang, n=format_int(n, lang))


def hidden_note(n: int, lang: str) -> str:
    """The note on the areas a map does not show (islands, industrial and free zones)."""
    return ngettext("{n} island, industrial or free zone is not shown (not a residential area).",
                    "{n} islands, industrial or free zones are not shown (not residential areas).",
                    n, lang, n=format_int(n, lang))


def colours_credit(lang: str) -> str:
    return gettext("Colours: {credit}", lang, credit=COLOUR_CREDIT)


@contextmanager
def mpl_settings() -> Iterator[None]:
    """The export's matplotlib settings, for this thread only while the block runs."""
    with _LOCK, mpl.rc_context(RC):
        yield


# --- colours and styles -----------------------------------------------------------------------


def _blend(colour: str, opacity: float) -> str:
    r, g, b = to_rgb(colour)
    a = float(opacity)
    return to_hex((a * r + 1 - a, a * g + 1 - a, a * b + 1 - a))


def print_fill(key: str, style: dict) -> str:
    """The printed fill of an area with style ``key``: a class colour as is, a status colour blended
    with the paper by its fill opacity."""
    fill = style.get("fillColor", "#ffffff")
    if key in STATUS_STYLES:
        return _blend(fill, style.get("fillOpacity", 1.0))
    return to_hex(fill)


def _dashes(style: dict, factor: float):
    dash = style.get("dashArray")
    if not dash:
        return "solid"
    parts = [float(p) * PX_TO_PT * factor for p in str(dash).replace(",", " ").split()]
    return (0, tuple(max(p, 0.3) for p in parts))


def _hatch(key: str) -> tuple[str | None, str | None]:
    pattern = STATUS_PATTERNS.get(key)
    if not pattern:
        return None, None
    return pattern.get("matplotlib_hatch"), pattern.get("color")


# --- geometry -----------------------------------------------------------------------------------


def geometry_paths(geoms) -> list[MplPath]:
    """One matplotlib path per (multi)polygon, holes included, built with vectorised shapely calls."""
    geoms = np.asarray(geoms, dtype=object)
    if len(geoms) == 0:
        return []
    parts, part_geom = shapely.get_parts(geoms, return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    coords, coord_ring = shapely.get_coordinates(rings, return_index=True)
    per_ring = np.bincount(coord_ring, minlength=len(rings))
    codes = np.full(len(coords), MplPath.LINETO, dtype=MplPath.code_type)
    starts = np.concatenate(([0], np.cumsum(per_ring)[:-1])).astype(int)
    codes[starts] = MplPath.MOVETO
    codes[starts + per_ring - 1] = MplPath.CLOSEPOLY
    geom_of_coord = part_geom[ring_part][coord_ring]
    counts = np.bincount(geom_of_coord, minlength=len(geoms))
    splits = np.cumsum(counts)[:-1]
    return [MplPath(v, c) for v, c in zip(np.split(coords, splits), np.split(codes, splits))]


def _to_metric(gs: gpd.GeoSeries) -> gpd.GeoSeries:
    return gs.to_crs(METRIC_CRS) if gs.crs is not None else gs.set_crs("EPSG:4326").to_crs(METRIC_CRS)


def _nice_length(target_m: float) -> float:
    """The longest 1/2/2.5/5 × 10^n metres not above ``target_m``."""
    best = 100.0
    for exp in range(2, 7):
        for m in (1, 2, 2.5, 5):
            length = m * 10 ** exp
            if length <= target_m:
                best = length
    return best


def _convergence(x: float, y: float) -> float:
    """Degrees to turn a 'grid up' arrow to point at true north at UTM point (x, y)."""
    to_geo = Transformer.from_crs(METRIC_CRS, "EPSG:4326", always_xy=True)
    to_utm = Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)
    lon, lat = to_geo.transform(x, y)
    x2, y2 = to_utm.transform(lon, lat + 0.01)
    return float(np.degrees(np.arctan2(x2 - x, y2 - y)))  # > 0: true north lies to the right of up


# --- what was drawn -----------------------------------------------------------------------------


@dataclass
class FigureInfo:
    """Where things are on the page (inches), for tests and for the atlas PDF."""

    page: Page
    map_box: Box
    strip: Box
    panel: Box
    header: Box
    footer: Box
    qr_box: Box
    extent: tuple[float, float, float, float]  # UTM 35N: xmin, ymin, xmax, ymax
    map_ax: object
    scale_bar_m: float
    scale_bar_in: float
    north_rotation: float
    qr: np.ndarray
    texts: list = field(default_factory=list)  # every Text on the page except map labels
    labels: list = field(default_factory=list)  # the map labels that were placed
    inset_box: Box | None = None
    type_factor: float = 1.0


# --- drawing helpers ----------------------------------------------------------------------------


def _draw_para(fig: Figure, para: Para, x: float, top: float, texts: list) -> float:
    size, pitch = para.size, line_height(para.size)
    for i, line in enumerate(para.lines):
        if not line:
            continue
        t = fig.text(x + para.indent, top - i * pitch - ASCENT * size / 72.0, line, fontsize=size,
                     fontweight="bold" if para.bold else "normal", color=para.colour, ha="left", va="baseline",
                     transform=fig.dpi_scale_trans)
        texts.append(t)
    return top - len(para.lines) * pitch - para.gap_after * size / 72.0


def _draw_swatch_row(fig: Figure, row: SwatchRow, x: float, top: float, texts: list) -> float:
    size, pitch = row.size, line_height(row.size)
    sw, sh = row.swatch
    first_baseline = top - ASCENT * size / 72.0
    # centre the swatch on the first line's x-height
    sy = first_baseline + 0.36 * size / 72.0 - sh / 2
    row.draw_swatch(fig, Box(x, sy, sw, sh))
    tx = x + sw + 0.6 * size / 72.0
    for i, line in enumerate(row.lines):
        t = fig.text(tx, first_baseline - i * pitch, line, fontsize=size, ha="left", va="baseline",
                     transform=fig.dpi_scale_trans)
        texts.append(t)
    return top - row.height


def draw_block(fig: Figure, items: Sequence, x: float, top: float, width: float, texts: list) -> float:
    for item in items:
        if isinstance(item, Para):
            top = _draw_para(fig, item, x, top, texts)
        elif isinstance(item, SwatchRow):
            top = _draw_swatch_row(fig, item, x, top, texts)
        elif isinstance(item, Space):
            if item.draw is not None:
                item.draw(Box(x, top - item.height, width, item.height))
            top -= item.height + item.gap_after
    return top


def draw_qr(fig: Figure, box: Box, matrix: np.ndarray) -> None:
    """The QR code ``matrix`` as one vector path filling ``box`` (inches), quiet zone included."""
    n = matrix.shape[0]
    module = box.w / (n + 2 * QUIET_ZONE)
    verts, codes = [], []
    for r, c, length in qr_rectangles(matrix):
        x0 = box.x + (QUIET_ZONE + c) * module
        y0 = box.top - (QUIET_ZONE + r + 1) * module
        x1, y1 = x0 + length * module, y0 + module
        verts += [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]
        codes += [MplPath.MOVETO, MplPath.LINETO, MplPath.LINETO, MplPath.LINETO, MplPath.CLOSEPOLY]
    patch = PathPatch(MplPath(verts, codes), transform=fig.dpi_scale_trans, facecolor="#000000",
                      edgecolor="none", linewidth=0)
    patch.set_gid("permalink-qr")
    fig.add_artist(patch)


class _Renderer:
    """Draws one page for one view; ``build()`` returns the figure and where everything went."""

    def __init__(self, mv: MapView, opts: RenderOptions, permalink: str, exported_at: datetime,
                 ctx: ExportContext, extra: Sequence = (), page_label: str | None = None,
                 points: PointOverlay | None = None):
        self.mv, self.opts, self.lang = mv, opts, mv.lang
        self.points = points
        self.permalink = permalink
        self.exported_at = exported_at
        self.ctx = ctx
        self.extra = list(extra)
        self.page_label = page_label
        self.pg = page(opts.paper, opts.orientation)
        self.texts: list = []
        self.frame_m = _to_metric(mv.frame.geometry)
        self.districts_m = _to_metric(ctx.districts.geometry) if len(ctx.districts) else gpd.GeoSeries([])
        self.zoom_geom = self._zoom_geometry()

    # --- what the page says ---

    def _zoom_geometry(self):
        code = self.opts.zoom_to
        if not code:
            return None
        d = self.ctx.districts
        hits = np.flatnonzero(d["area_code"].astype(str).to_numpy() == code) if len(d) else []
        if len(hits):
            return self.districts_m.iloc[int(hits[0])], str(d["name"].iloc[int(hits[0])])
        rows = np.flatnonzero(self.mv.frame["area_code"].astype(str).to_numpy() == code)
        if len(rows):
            return self.frame_m.iloc[int(rows[0])], str(self.mv.frame["name"].iloc[int(rows[0])])
        known = (", ".join(f"{c} ({n})" for c, n in zip(d["area_code"], d["name"])) if len(d)
                 else lazy.gettext("(none)"))
        raise ExportError(lazy.gettext("cannot zoom to {code}: it is neither a district code nor an area of this "
                                       "map; district codes: {known}", code=repr(code), known=known))

    def _subtitle(self) -> str:
        mv, lang = self.mv, self.lang
        k = mv.classification.k
        parts = [mv.period, level_label(mv.level, lang), scheme_label(mv.scheme, lang)]
        if mv.scheme not in CATEGORY_SCHEMES and k:
            parts[-1] += ", " + class_count(k, lang)
        if self.zoom_geom is not None:
            parts.append(gettext("Zoomed to {name}", lang, name=self.zoom_geom[1]))
        return " · ".join(parts)

    def _legend_title(self) -> str:
        unit = self.mv.indicator.unit.get(self.lang)
        return f"{self.mv.title} ({unit})" if unit else self.mv.title

    def _swatch_drawer(self, item):
        key = item.key
        style = dict(item.style)
        fill = print_fill(key if item.kind == "status" else "class", style)
        edge = style.get("color", "#ffffff")
        if edge.lower() in ("#ffffff", "#fff"):
            edge = LEGEND_BORDER
        hatch, hatch_colour = _hatch(key) if item.kind == "status" else (None, None)
        dashes = _dashes(style, 0.8)

        def draw(fig: Figure, box: Box) -> None:
            fig.add_artist(Rectangle((box.x, box.y), box.w, box.h, transform=fig.dpi_scale_trans,
                                     facecolor=fill, edgecolor=edge, linewidth=0.6, linestyle=dashes,
                                     hatch=hatch, hatchcolor=hatch_colour or edge, zorder=2))
        return draw

    def _point_swatch(self, colour: str):
        def draw(fig: Figure, box: Box) -> None:
            d = min(box.h, box.w) * 0.8
            fig.add_artist(Circle((box.x + box.w / 2, box.y + box.h / 2), d / 2,
                                transform=fig.dpi_scale_trans, facecolor=colour,
                                edgecolor="#ffffff", linewidth=0.5, zorder=2))
        return draw

    def _legend_items(self) -> tuple[list, list]:
        """(legend rows, notes) as layout items."""
        mv, lang = self.mv, self.lang
        rows: list = [Para(self._legend_title(), role="legend_title", bold=True, gap_after=0.45)]
        for item in mv.legend:
            rows.append(SwatchRow(f"{item.label}  ({area_count(item.count, lang)})", self._swatch_drawer(item)))
        notes: list = []
        if mv.benchmark:
            rows += [Space(0.0, None, gap_after=0.06), Para(mv.benchmark, role="legend", gap_after=0.5)]
        if self.points is not None:
            pts = self.points
            count = ngettext("{n} point", "{n} points", len(pts.lon), lang, n=format_number(len(pts.lon), lang, 0))
            rows.append(SwatchRow(f"{pts.layer.title.get(lang)} ({count})", self._point_swatch(pts.color)))
        for note in mv.notes:
            notes.append(Para(note.get(lang), role="note", colour="#404040", gap_after=0.35))
        if mv.hidden:
            notes.append(Para(hidden_note(mv.hidden, lang), role="note", colour="#404040", gap_after=0.35))
        caveat = mv.indicator.caveat
        if caveat is not None:
            notes.append(Para(gettext("Caveat: {caveat}", lang, caveat=caveat.get(lang)), role="note",
                              colour="#404040", gap_after=0.35))
        return rows, notes

    def _footer_paras(self) -> list[Para]:
        mv, lang, ctx = self.mv, self.lang, self.ctx
        ind = mv.indicator
        paras = [Para(gettext("Data: {source} — Licence: {licence}", lang, source=ind.source.get(lang),
                              licence=ind.licence.get(lang)), role="footer", gap_after=0.15)]
        for src in ctx.data_sources:
            if src.attribution and src.attribution != ind.source.get(lang):
                paras.append(Para(f"{src.attribution} — {src.licence}", role="footer", gap_after=0.15,
                                  colour="#333333"))
        for src in ctx.boundary_sources:
            paras.append(Para(gettext("Boundaries: {attribution} — {licence}", lang, attribution=src.attribution,
                                      licence=src.licence), role="footer", gap_after=0.15))
        if self.points is not None:
            paras.append(Para(gettext("Points: {credit}", lang, credit=self.points.layer.credit(lang)), role="footer",
                              gap_after=0.15))
        when = self.exported_at.strftime("%Y-%m-%d %H:%M")
        exported = gettext("Exported: {when}", lang, when=when)
        if ctx.built_at:
            built = gettext("database built: {when}", lang, when=str(ctx.built_at)[:10])
            exported += f" ({built})"
        paras.append(Para(f"{colours_credit(lang)} · {atlas_name(lang)} · {exported}", role="footer", gap_after=0.15))
        if self.permalink:
            paras.append(Para(gettext("This view: {link}", lang, link=self.permalink), role="footer",
                              gap_after=0.0))
        if self.page_label:
            paras.append(Para(self.page_label, role="footer", gap_after=0.0, colour="#333333"))
        return paras

    # --- layout ---

    def _extent(self) -> tuple[float, float, float, float]:
        if self.zoom_geom is not None:
            xmin, ymin, xmax, ymax = self.zoom_geom[0].bounds
            pad = 0.08
        else:
            bounds = [self.frame_m.total_bounds]
            if len(self.districts_m):
                bounds.append(self.districts_m.total_bounds)
            b = np.array(bounds)
            xmin, ymin = np.nanmin(b[:, 0]), np.nanmin(b[:, 1])
            xmax, ymax = np.nanmax(b[:, 2]), np.nanmax(b[:, 3])
            pad = 0.02
        dx, dy = max(xmax - xmin, 500.0), max(ymax - ymin, 500.0)
        cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
        dx, dy = dx * (1 + 2 * pad), dy * (1 + 2 * pad)
        aspect = dx / dy
        if aspect < 0.6:  # keep the frame a reasonable shape: widen a tall, thin area's frame
            dx = dy * 0.6
        elif aspect > 1.8:
            dy = dx / 1.8
        return cx - dx / 2, cy - dy / 2, cx + dx / 2, cy + dy / 2

    def build(self) -> tuple[Figure, FigureInfo]:
        pg, lang = self.pg, self.lang
        inner = pg.inner
        gap = 0.16 * pg.scale
        fig = Figure(figsize=(pg.width, pg.height), dpi=self.opts.dpi if self.opts.fmt == "png" else 100)
        FigureCanvasAgg(fig)

        # header
        header_items = [Para(atlas_name(lang), role="small", colour="#555555", gap_after=0.3),
                        Para(self.mv.title, role="title", bold=True, gap_after=0.2),
                        Para(self._subtitle(), role="subtitle", colour="#333333", gap_after=0.0)]
        header_h = block_height(header_items, pg, inner.w, 1.0)
        header = Box(inner.x, inner.top - header_h, inner.w, header_h)

        # footer: text on the left, QR code on the right
        qr_side = 0.86 * pg.scale if self.permalink else 0.0
        matrix = qr_matrix(self.permalink) if self.permalink else np.zeros((0, 0), dtype=bool)
        footer_w = inner.w - (qr_side + gap if qr_side else 0.0)
        footer_items = self._footer_paras()
        footer_text_h = block_height(footer_items, pg, footer_w, 1.0)
        footer_h = max(qr_side, footer_text_h)
        footer = Box(inner.x, inner.y, inner.w, footer_h)
        qr_box = Box(inner.right - qr_side, inner.y + footer_h - qr_side, qr_side, qr_side)

        body = Box(inner.x, footer.top + gap, inner.w, header.y - gap - (footer.top + gap))
        strip_h = 0.36 * pg.scale
        extent = self._extent()
        aspect = (extent[2] - extent[0]) / (extent[3] - extent[1])
        rows, notes = self._legend_items()
        inset_items: list = []
        if self.zoom_geom is not None:
            inset_items = [Space(0.0, None, gap_after=0.12)]  # sized below
        if pg.orientation == "landscape":
            panel_w = 0.29 * inner.w
            avail = Box(body.x, body.y + strip_h, body.w - panel_w - gap, body.h - strip_h)
            map_box = fit_aspect(avail, aspect)
            left = body.x + (body.w - (map_box.w + gap + panel_w)) / 2
            map_box = Box(left, map_box.y, map_box.w, map_box.h)
            panel = Box(map_box.right + gap, body.y, panel_w, body.h)
            if inset_items:
                inset_items[0].height = min(panel_w * 0.62, body.h * 0.3)
            items = inset_items + rows + notes + self.extra
            factor = fit_scale(items, pg, panel.w, panel.h)
            while block_height(items, pg, panel.w, factor) > panel.h and len(items) > len(inset_items) + len(rows):
                items.pop()  # still too long at the smallest type: leave out the last notes
            columns = [(panel.x, panel.w, items)]
            panel_top = panel.top
        else:
            col_w = (body.w - gap) / 2
            if inset_items:
                inset_items[0].height = min(col_w * 0.62, 1.9 * pg.scale)
            col_a = rows
            col_b = inset_items + notes + self.extra
            min_map_h = min(body.w / aspect, 0.56 * body.h)
            room = body.h - strip_h - gap - min_map_h
            factor = 1.0
            while factor > 0.55 and max(block_height(col_a, pg, col_w, factor),
                                        block_height(col_b, pg, col_w, factor)) > room:
                factor = round(factor - 0.05, 2)
            while block_height(col_b, pg, col_w, factor) > room and len(col_b) > len(inset_items):
                col_b.pop()  # still too long at the smallest type: leave out the last notes
            panel_h = max(block_height(col_a, pg, col_w, factor), block_height(col_b, pg, col_w, factor))
            avail = Box(body.x, body.y + panel_h + gap + strip_h, body.w, body.h - panel_h - gap - strip_h)
            map_box = fit_aspect(avail, aspect)
            panel_top = map_box.y - strip_h - gap * 0.5
            panel = Box(body.x, panel_top - panel_h, body.w, panel_h)
            columns = [(body.x, col_w, col_a), (body.x + col_w + gap, col_w, col_b)]
        strip = Box(map_box.x, map_box.y - strip_h, map_box.w, strip_h)

        # exact extent for the box (same aspect: equal scale in x and y)
        xmin, ymin, xmax, ymax = extent
        cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
        half_w = (xmax - xmin) / 2
        half_h = half_w * map_box.h / map_box.w
        extent = (cx - half_w, cy - half_h, cx + half_w, cy + half_h)

        ax = fig.add_axes(map_box.frac(pg))
        self._draw_map(ax, extent)
        info = FigureInfo(pg, map_box, strip, panel, header, footer, qr_box, extent, ax, 0.0, 0.0, 0.0, matrix,
                          type_factor=factor)
        # inset callback knows the map's extent
        if inset_items:
            inset_items[0].draw = lambda box: self._draw_inset(fig, box, extent, info)
        draw_block(fig, header_items, header.x, header.top, header.w, self.texts)
        for x, width, col_items in columns:
            draw_block(fig, col_items, x, panel_top, width, self.texts)
        draw_block(fig, footer_items, footer.x, footer.top, footer_w, self.texts)
        if self.permalink:
            draw_qr(fig, qr_box, matrix)
        info.scale_bar_m, info.scale_bar_in = self._draw_scale_bar(fig, strip, map_box, extent)
        info.north_rotation = self._draw_north(fig, strip, extent)
        info.texts = self.texts
        if self.opts.labels:
            info.labels = self._draw_labels(fig, ax, map_box, extent)
        return fig, info

    # --- the map ---

    def _lw(self) -> float:
        if self.mv.level == "district":
            return PX_TO_PT
        return PX_TO_PT * (0.8 if self.zoom_geom is not None else 0.42)

    def _draw_map(self, ax, extent) -> None:
        mv = self.mv
        ax.set_xlim(extent[0], extent[2])
        ax.set_ylim(extent[1], extent[3])
        ax.set_aspect("auto")
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_linewidth(0.6)
            spine.set_edgecolor(FRAME)
        ax.set_facecolor(PAPER)
        factor = self._lw()
        paths = geometry_paths(self.frame_m.values)
        keys = mv.frame["style_key"].to_numpy()
        order = sorted(set(keys), key=lambda k: (k in STATUS_STYLES, int(k) if k.isdigit() else 0, k))
        for key in order:
            idx = np.flatnonzero(keys == key)
            style = mv.styles.get(key) or STATUS_STYLES["missing"]
            hatch, hatch_colour = _hatch(key)
            coll = PathCollection([paths[i] for i in idx], facecolors=print_fill(key, style),
                                  edgecolors=style.get("color", "#ffffff"),
                                  linewidths=float(style.get("weight", 0.6)) * factor,
                                  linestyles=_dashes(style, factor), hatch=hatch,
                                  hatchcolors=hatch_colour or "edge", zorder=2 if key in STATUS_STYLES else 1)
            coll.set_gid(f"areas-{key}")
            ax.add_collection(coll, autolim=False)
        if mv.level == "mahalle" and len(self.districts_m):
            lw = OUTLINE["weight"] * PX_TO_PT * (0.9 if self.zoom_geom is not None else 0.5)
            out = PathCollection(geometry_paths(self.districts_m.values), facecolors="none",
                                 edgecolors=OUTLINE["color"], linewidths=lw, alpha=OUTLINE["opacity"], zorder=3)
            out.set_gid("district-outlines")
            ax.add_collection(out, autolim=False)
        if self.zoom_geom is not None:
            focus = PathCollection(geometry_paths([self.zoom_geom[0]]), facecolors="none", edgecolors="#000000",
                                   linewidths=1.4 * self._lw() / PX_TO_PT, zorder=4)
            focus.set_gid("zoom-focus")
            ax.add_collection(focus, autolim=False)
        if self.points is not None and self.points.lon:
            pts = self.points
            x, y = to_metric(pts.lon, pts.lat)
            dense = len(x) > 2000 and self.zoom_geom is None
            diameter = (1.6 if dense else 3.2) * self.pg.scale  # points (1/72 in)
            dots = ax.scatter(x, y, s=diameter ** 2, c=pts.color, edgecolors="#ffffff",
                              linewidths=0.15 if dense else 0.35, zorder=5)
            dots.set_gid(f"points-{pts.layer.id}")

    def _draw_inset(self, fig: Figure, box: Box, extent, info: FigureInfo) -> None:
        pg = self.pg
        d = self.districts_m if len(self.districts_m) else self.frame_m
        xmin, ymin, xmax, ymax = d.total_bounds
        pad = 0.04 * max(xmax - xmin, ymax - ymin)
        aspect = (xmax - xmin + 2 * pad) / (ymax - ymin + 2 * pad)
        ib = fit_aspect(Box(box.x, box.y, box.w, box.h), aspect)
        ib = Box(box.x, ib.y, ib.w, ib.h)  # left-aligned in the panel
        ax = fig.add_axes(ib.frac(pg))
        ax.set_xlim(xmin - pad, xmax + pad)
        ax.set_ylim(ymin - pad, ymax + pad)
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_linewidth(0.5)
            spine.set_edgecolor(FRAME)
        ax.add_collection(PathCollection(geometry_paths(d.values), facecolors="#f0f0f0", edgecolors="#969696",
                                         linewidths=0.25), autolim=False)
        ax.add_collection(PathCollection(geometry_paths([self.zoom_geom[0]]), facecolors="#525252",
                                         edgecolors="#252525", linewidths=0.4), autolim=False)
        ex = extent
        ax.add_patch(Rectangle((ex[0], ex[1]), ex[2] - ex[0], ex[3] - ex[1], facecolor="none",
                               edgecolor="#d7191c", linewidth=0.9))
        info.inset_box = ib

    def _draw_scale_bar(self, fig: Figure, strip: Box, map_box: Box, extent) -> tuple[float, float]:
        lang, pg = self.lang, self.pg
        width_m = extent[2] - extent[0]
        inch_per_m = map_box.w / width_m
        length = _nice_length(0.25 * width_m)
        bar_in = length * inch_per_m
        size = pg.size("scale")
        x0 = strip.x
        bar_h = 0.055 * pg.scale
        y_bar = strip.top - 0.09 * pg.scale - bar_h
        half = bar_in / 2
        for i, colour in enumerate(("#000000", "#ffffff")):
            fig.add_artist(Rectangle((x0 + i * half, y_bar), half, bar_h, transform=fig.dpi_scale_trans,
                                     facecolor=colour, edgecolor="#000000", linewidth=0.5))
        km = length / 1000.0
        mid = format_number(km / 2, lang, 3).rstrip('0').rstrip(',.')
        end = gettext("{length} km", lang, length=format_number(km, lang, 3).rstrip('0').rstrip(',.'))
        y_text = y_bar - 0.03 * pg.scale - ASCENT * size / 72.0
        labels = [(0.0, "0", "left"), (bar_in, end, "center")]
        if text_width(mid, size) + text_width("0", size) < half * 0.8 and text_width(mid + end, size) < bar_in:
            labels.insert(1, (half, mid, "center"))
        for dx, text, ha in labels:
            t = fig.text(x0 + dx, y_text, text, fontsize=size, ha=ha, va="baseline", transform=fig.dpi_scale_trans)
            self.texts.append(t)
        return length, bar_in

    def _draw_north(self, fig: Figure, strip: Box, extent) -> float:
        pg = self.pg
        cx, cy = (extent[0] + extent[2]) / 2, (extent[1] + extent[3]) / 2
        rot = _convergence(cx, cy)
        size = pg.size("north")
        h = strip.h - 0.06 * pg.scale
        letter_h = size / 72.0
        arrow_h = max(h - letter_h - 0.02, 0.12)
        x = strip.right - 0.14 * pg.scale
        base_y = strip.y + 0.02
        half = 0.055 * pg.scale
        pts = np.array([[0, arrow_h], [half, 0], [0, arrow_h * 0.3], [-half, 0]])
        theta = np.radians(-rot)
        rotm = np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
        pts = pts @ rotm.T + [x, base_y]
        fig.add_artist(MplPolygon(pts, closed=True, transform=fig.dpi_scale_trans, facecolor="#000000",
                                  edgecolor="#000000", linewidth=0.4))
        letter_x = x - 0.1 * pg.scale - half
        t = fig.text(letter_x, base_y + arrow_h * 0.35, pgettext("north arrow", "N", self.lang), fontsize=size, fontweight="bold",
                     ha="center", va="center", transform=fig.dpi_scale_trans)
        self.texts.append(t)
        return rot

    # --- labels ---

    def _draw_labels(self, fig: Figure, ax, map_box: Box, extent) -> list:
        renderer = fig.canvas.get_renderer()
        dpi = fig.dpi
        frame_px = (map_box.x * dpi + 2, map_box.y * dpi + 2, map_box.right * dpi - 2, map_box.top * dpi - 2)
        view = shapely.box(*extent)
        placed_boxes: list[tuple[float, float, float, float]] = []
        placed: list = []
        halo = [patheffects.withStroke(linewidth=1.8, foreground="#ffffff", alpha=0.85)]

        def try_place(text: str, x: float, y: float, size: float, weight: str, inside=None) -> bool:
            t = ax.text(x, y, text, fontsize=size, fontweight=weight, ha="center", va="center", color="#111111",
                        path_effects=halo, zorder=6, clip_on=False)
            for dy in (0.0, 1.1, -1.1):
                t.set_position((x, y))
                if dy:
                    t.set_transform(ax.transData + mpl.transforms.ScaledTranslation(0, dy * size / 72.0,
                                                                                     fig.dpi_scale_trans))
                bb = t.get_window_extent(renderer)
                b = (bb.x0 - 1, bb.y0 - 1, bb.x1 + 1, bb.y1 + 1)
                if b[0] < frame_px[0] or b[1] < frame_px[1] or b[2] > frame_px[2] or b[3] > frame_px[3]:
                    continue
                if any(b[0] < p[2] and p[0] < b[2] and b[1] < p[3] and p[1] < b[3] for p in placed_boxes):
                    continue
                if inside is not None:
                    inv = ax.transData.inverted()
                    (dx0, dy0), (dx1, dy1) = inv.transform([(b[0], b[1]), (b[2], b[3])])
                    if not inside.contains(shapely.box(dx0, dy0, dx1, dy1)):
                        continue
                placed_boxes.append(b)
                placed.append(t)
                return True
            t.remove()
            return False

        size = self.pg.size("label")
        d = self.ctx.districts
        if len(d):
            shown = shapely.intersection(self.districts_m.values, view)
            areas = shapely.area(shown)
            for i in np.argsort(-areas):
                if areas[i] <= 0:
                    continue
                pt = shapely.point_on_surface(shown[i])
                try_place(str(d["name"].iloc[i]), pt.x, pt.y, size, "bold")
        if self.mv.level == "mahalle" and self.zoom_geom is not None:
            small = self.pg.size("label_small")
            inside = shapely.intersects(self.frame_m.values, view)
            geoms = self.frame_m.values
            areas = np.where(inside, shapely.area(geoms), 0.0)
            m_per_in = (extent[2] - extent[0]) / map_box.w
            label_h = small * 1.2 / 72.0 * m_per_in
            names = self.mv.frame["name"].astype(str).to_numpy()
            for i in np.argsort(-areas):
                if areas[i] <= 0:
                    break
                geom = shapely.intersection(geoms[i], view)
                x0, y0, x1, y1 = geom.bounds
                if y1 - y0 < label_h or x1 - x0 < text_width(names[i], small) * m_per_in:
                    continue  # the name cannot fit inside the area: do not try
                pt = shapely.point_on_surface(geom)
                try_place(names[i], pt.x, pt.y, small, "normal", inside=geom)
        return placed


def build_figure(mv: MapView, opts: RenderOptions | None = None, *, permalink: str = "",
                 exported_at: datetime | None = None, context: ExportContext | None = None,
                 extra: Sequence = (), page_label: str | None = None,
                 points: PointOverlay | None = None) -> tuple[Figure, FigureInfo]:
    """The page as a matplotlib Figure (not saved) and where everything is; call under
    :func:`mpl_settings`. ``extra`` adds layout items (:class:`~.layout.Para`) under the notes;
    ``points`` draws a point layer over the areas, with its legend row and attribution."""
    opts = (opts or RenderOptions()).checked()
    ctx = context if context is not None else context_from_view(mv)
    when = exported_at or datetime.now(timezone.utc).astimezone()
    return _Renderer(mv, opts, permalink, when, ctx, extra, page_label, points).build()


def figure_bytes(fig: Figure, fmt: str, dpi: int, metadata: dict | None = None) -> bytes:
    """The figure saved as ``fmt`` (png, svg, pdf); call under :func:`mpl_settings`."""
    buf = io.BytesIO()
    kwargs = {}
    if fmt == "png":
        kwargs["pil_kwargs"] = {"compress_level": 3}
    fig.savefig(buf, format=fmt, dpi=dpi if fmt == "png" else 72, metadata=metadata or None, **kwargs)
    return buf.getvalue()


def file_metadata(mv: MapView, fmt: str, permalink: str, exported_at: datetime, ctx: ExportContext) -> dict:
    """Title, subject, source link and rights as the format's own metadata fields."""
    rights = "; ".join(f"{s.attribution} — {s.licence}" for s in ctx.boundary_sources)
    rights = f"{mv.indicator.source.get(mv.lang)} — {mv.indicator.licence.get(mv.lang)}" + (f"; {rights}" if rights else "")
    subject = f"{mv.title}, {mv.period}, {mv.level}, {mv.scheme}"
    if fmt == "pdf":
        return {"Title": mv.title, "Subject": subject, "Keywords": permalink, "Author": atlas_name(mv.lang),
                "Creator": atlas_name(mv.lang), "CreationDate": exported_at}
    if fmt == "svg":
        return {"Title": mv.title, "Description": subject, "Source": permalink, "Rights": rights,
                "Creator": atlas_name(mv.lang), "Date": exported_at.isoformat(timespec="seconds")}
    return {"Title": mv.title, "Description": subject, "Source": permalink, "Copyright": rights,
            "Software": atlas_name(mv.lang), "Creation Time": exported_at.isoformat(timespec="seconds")}


def render_map(mv: MapView, *, fmt: str = "png", dpi: int = 300, paper: str = "a4",
               orientation: str = "landscape", labels: bool = False, zoom_to: str | None = None,
               permalink: str = "", exported_at: datetime | None = None,
               context: ExportContext | None = None, points: PointOverlay | None = None) -> bytes:
    """The snapshot of ``mv`` as the bytes of a PNG, SVG or PDF file.

    ``dpi`` matters for PNG only (SVG and PDF are vector). ``zoom_to`` is a district code (or an
    area code of the view): the map shows its extent and the panel an inset of the province.
    ``permalink`` is printed and drawn as a QR code. ``context`` (sources, district layer) comes
    from :func:`~atlas.export.context.load_context`; without it the view's own metadata and
    ``geodata/sources.toml`` are used. ``points`` (``atlas.views.point_layers.print_overlay``) draws
    one point layer over the areas, with its legend row and attribution. Raises ExportError for a
    bad option.
    """
    opts = RenderOptions(fmt, dpi, paper, orientation, labels, zoom_to).checked()
    ctx = context if context is not None else context_from_view(mv)
    when = exported_at or datetime.now(timezone.utc).astimezone()
    with mpl_settings():
        fig, _info = build_figure(mv, opts, permalink=permalink, exported_at=when, context=ctx, points=points)
        return figure_bytes(fig, opts.fmt, opts.dpi, file_metadata(mv, opts.fmt, permalink, when, ctx))
