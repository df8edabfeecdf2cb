"""Print export of the double-burden view (``atlas.bivariate.view``) as PNG, SVG or PDF, on the same
pages as the map export: A4 or A3, portrait or landscape, drawn by the map export's renderer
(:class:`.render._Renderer`: its layout boxes, header, map, district outlines, scale bar, north arrow,
district labels, zoom with the province inset, footer and the permalink's QR code).

Only what differs from a map is drawn here: the areas in the nine bivariate colours
(``atlas.bivariate.view.layer``), the square legend (x to the right, y upwards, the number of areas in
each cell, the value range of each third), the correlation and the worse-on-both count in the notes,
and a footer naming each indicator with its period, source, licence and caveat, then the boundaries'
attribution, the palette's credit, the export date and the permalink
(``<base>double_burden?x=…&y=…&level=…&lang=…``).

``export_bivariate_file(con, out, ...)`` checks a request against the database (each indicator with
the map export's own checks, :func:`.files.resolve`), renders it and writes it atomically; the
command is ``python -m atlas export-bivariate`` (docs/export.md).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlencode

import duckdb
import geopandas as gpd
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ..bivariate.classes import N_CLASSES, cell_colour
from ..bivariate.view import (BivariateError, BivariateView, axis_class_name, bivariate_view, correlation_text,
                              layer, range_text, sources_text)
from ..catalogue import Indicator
from ..errors import ExportError
from ..i18n import gettext, lazy, ngettext
from ..mapping import format_int, format_value
from .context import ExportContext, context_from_view, load_context
from .files import check_folder, check_suffix, resolve, write_atomic
from .layout import Box, Para, Space
from .options import DPI_RANGE, IMAGE_FORMATS, RenderOptions, check_dpi
from .permalink import public_url
from .render import FigureInfo, _Renderer, figure_bytes, file_metadata, level_label, mpl_settings

FORMATS = IMAGE_FORMATS
PALETTE_CREDIT = "C. A. Brewer, sequential–sequential bivariate scheme (pals: brewer.seqseq2)"
PAGE_PATH = "double_burden"
LEGEND_SIDE = 1.35  # inches on A4 (times the page's scale on A3)
DARK_CELLS = ((2, 2), (2, 1), (1, 2))  # white numbers on these cells


def bivariate_permalink(view: BivariateView, lang: str, base_url: str | None = None) -> str:
    """The address that opens the same double-burden view."""
    params = {"x": view.x.id, "y": view.y.id, "level": view.level, "lang": lang}
    return f"{public_url(base_url)}{PAGE_PATH}?{urlencode(params)}"


def bivariate_title(view: BivariateView, lang: str) -> str:
    return gettext("Double burden", lang) + f": {view.x.title.get(lang)} × {view.y.title.get(lang)}"


@dataclass(frozen=True)
class PrintMap:
    """What the map export's renderer reads of a map view, made from a double-burden view: the areas
    with their bivariate style keys (``frame``: area_code, name, district_code, style_key, geometry in
    EPSG:4326) and styles. ``indicator`` and ``period`` are x's (for the sources query and the file's
    metadata)."""

    view: BivariateView
    title: str
    level: str
    lang: str
    frame: gpd.GeoDataFrame
    styles: dict
    indicator: Indicator
    period: str
    scheme: str = "bivariate"


def print_map(view: BivariateView, lang: str) -> PrintMap:
    lay = layer(view, lang)
    f = view.frame
    frame = gpd.GeoDataFrame({"area_code": f["area_code"].astype(str).to_numpy(), "name": f["name"].to_numpy(),
                              # without a database, districts are told apart by name (context_from_view)
                              "district_code": f["district_name"].fillna("").astype(str).to_numpy(),
                              "district_name": f["district_name"].to_numpy(), "style_key": list(lay.keys)},
                             geometry=gpd.GeoSeries(f.geometry.values, crs="EPSG:4326").values, crs="EPSG:4326")
    return PrintMap(view, bivariate_title(view, lang), view.level, lang, frame, lay.styles, view.x, view.x_period)


def bivariate_context(pm: PrintMap, con: duckdb.DuckDBPyConnection | None = None) -> ExportContext:
    """Boundary sources, district layer and build time: from the database ``con`` when given, else from
    the view and ``geodata/sources.toml``."""
    if con is not None:
        ctx = load_context(con, pm)
    elif pm.level == "district":
        ctx = context_from_view(pm)
    else:  # mahalle polygons of real data are not noded for a coverage union: a plain union by district name
        ctx = context_from_view(replace(pm, frame=pm.frame.iloc[:0]))
        named = pm.frame[pm.frame["district_name"].notna()]
        districts = named[["district_code", "name", "geometry"]].assign(name=named["district_name"]).dissolve(
            by="district_code", as_index=False).rename(columns={"district_code": "area_code"})
        ctx = replace(ctx, districts=districts[["area_code", "name", "geometry"]])
    return replace(ctx, data_sources=())  # both indicators' sources are printed from the view


class _BivariateRenderer(_Renderer):
    """The map export's page with the bivariate map, square legend, notes and footer."""

    def __init__(self, pm: PrintMap, opts: RenderOptions, permalink: str, exported_at: datetime,
                 ctx: ExportContext):
        super().__init__(pm, opts, permalink, exported_at, ctx)
        self.view = pm.view
        self.legend_boxes: list[Box] = []

    def _subtitle(self) -> str:
        v, lang = self.view, self.lang
        text = gettext("{level} · {x_period} × {y_period} · population {population_period}", lang,
                       level=level_label(v.level, lang), x_period=v.x_period, y_period=v.y_period,
                       population_period=v.population_period or "—")
        if self.zoom_geom is not None:
            text += " · " + gettext("Zoomed to {name}", lang, name=self.zoom_geom[1])
        return text

    def _axis_title(self, ind: Indicator, arrow: str) -> str:
        lang = self.lang
        if arrow == "up":
            direction = gettext("worse ↑", lang) if ind.polarity != "no_judgement" else gettext("higher ↑", lang)
        else:
            direction = gettext("worse →", lang) if ind.polarity != "no_judgement" else gettext("higher →", lang)
        return f"{ind.title.get(lang)} ({direction})"

    def _legend_items(self) -> tuple[list, list]:
        v, lang = self.view, self.lang
        side = LEGEND_SIDE * self.pg.scale
        rows: list = [Para(self._axis_title(v.y, "up"), role="legend_title", bold=True, gap_after=0.3),
                      Space(side, self.legend_boxes.append, gap_after=0.06),
                      Para(self._axis_title(v.x, "right"), role="legend_title", bold=True, gap_after=0.6)]
        for ind, ranges in ((v.x, v.x_ranges), (v.y, v.y_ranges)):
            lines = [f"{axis_class_name(ind, c, lang)}: {range_text(ind, ranges[c], lang)}"
                     for c in range(N_CLASSES) if ranges[c] is not None]
            if lines:
                rows += [Para(ind.title.get(lang), role="legend", bold=True, gap_after=0.1),
                         Para("\n".join(lines), role="legend", gap_after=0.45)]
        hit = v.worse_on_both()
        notes = [Para(text, role="note", colour="#404040", gap_after=0.35) for text in (
            gettext("Each indicator in thirds of the population; the numbers are areas. Top right: worse on both.",
                    lang),
            correlation_text(v, lang), worse_line(v, len(hit), float(hit["population"].sum()), lang))]
        if v.problem is not None:
            notes.insert(0, Para(v.problem.get(lang), role="note", colour="#404040", gap_after=0.35))
        return rows, notes

    def _footer_paras(self) -> list[Para]:
        paras = super()._footer_paras()  # [x's data source, boundaries…, credits and date, permalink]
        sources = [Para(line, role="footer", gap_after=0.15) for line in sources_text(self.view, self.lang)]
        palette = Para(gettext("Colours: {credit}", self.lang, credit=PALETTE_CREDIT), role="footer", gap_after=0.15)
        return sources + paras[1:-1 if self.permalink else None] + [palette] + (paras[-1:] if self.permalink else [])

    def _extent(self) -> tuple[float, float, float, float]:
        """Zoomed: the map export's extent; else the classed areas' (e.g. the central districts of a
        layer that covers only them), with a margin."""
        classed = self.frame_m[(self.mv.frame["style_key"] != "missing").to_numpy()]
        if self.zoom_geom is not None or not len(classed):
            return super()._extent()
        xmin, ymin, xmax, ymax = classed.total_bounds
        pad = 0.04 * max(xmax - xmin, ymax - ymin, 500.0)
        return xmin - pad, ymin - pad, xmax + pad, ymax + pad

    def _draw_square(self, fig: Figure, box: Box) -> None:
        side = min(box.w, box.h)
        ax = fig.add_axes(Box(box.x, box.y, side, side).frac(self.pg))
        ax.set_xlim(0, N_CLASSES)
        ax.set_ylim(0, N_CLASSES)
        ax.set_axis_off()
        size = self.pg.size("legend")
        counts = self.view.cell_counts()
        for xc in range(N_CLASSES):
            for yc in range(N_CLASSES):
                ax.add_patch(Rectangle((xc, yc), 1, 1, facecolor=cell_colour(xc, yc), edgecolor="#ffffff",
                                       linewidth=1))
                self.texts.append(ax.text(xc + 0.5, yc + 0.5, format_int(counts[(xc, yc)][0], self.lang),
                                          ha="center", va="center", fontsize=size,
                                          color="#ffffff" if (xc, yc) in DARK_CELLS else "#000000"))

    def build(self) -> tuple[Figure, FigureInfo]:
        fig, info = super().build()
        for box in self.legend_boxes:  # the Space in the legend was placed by the layout
            self._draw_square(fig, box)
        info.texts = self.texts
        return fig, info


def worse_line(view: BivariateView, n: int, people: float, lang: str) -> str:
    total = float(view.classed["population"].sum())
    return ngettext("{n} area with {people} residents ({share} of the population classed) is in the top right cell.",
                    "{n} areas with {people} residents ({share} of the population classed) are in the top right cell.",
                    n, lang, n=format_int(n, lang), people=format_int(people, lang),
                    share=format_value(people / total * 100 if total else 0, "%", lang, 1))


def _checked(fmt, dpi, paper, orientation, labels, zoom_to) -> RenderOptions:
    if fmt not in FORMATS:
        raise ExportError(lazy.gettext("format must be one of {allowed}, got {given}", allowed=", ".join(FORMATS),
                                       given=repr(str(fmt)[:40])))
    preview = isinstance(dpi, int) and not isinstance(dpi, bool) and 0 < dpi < DPI_RANGE[0]
    opts = RenderOptions(fmt, DPI_RANGE[0] if preview else dpi, paper, orientation, labels, zoom_to).checked()
    return replace(opts, dpi=dpi) if preview else opts  # in code, a preview may be coarser than 72 dpi


def build_bivariate_figure(view: BivariateView, lang: str, opts: RenderOptions | None = None, *,
                           permalink: str = "", exported_at: datetime | None = None,
                           context: ExportContext | None = None) -> tuple[Figure, FigureInfo]:
    """The page as a matplotlib Figure and where everything is; call under :func:`~.render.mpl_settings`."""
    opts = (opts or RenderOptions()).checked()
    pm = print_map(view, lang)
    ctx = context if context is not None else bivariate_context(pm)
    when = exported_at or datetime.now(timezone.utc).astimezone()
    return _BivariateRenderer(pm, opts, permalink, when, ctx).build()


def render_bivariate(view: BivariateView, lang: str, *, fmt: str = "pdf", dpi: int = 200, paper: str = "a4",
                     orientation: str = "landscape", labels: bool = False, zoom_to: str | None = None,
                     permalink: str = "", exported_at: datetime | None = None,
                     context: ExportContext | None = None) -> bytes:
    """The double-burden page as the bytes of a PNG, SVG or PDF file, with the map export's paper sizes
    and options (:func:`.render.render_map`). Raises ExportError for a bad option."""
    opts = _checked(fmt, dpi, paper, orientation, labels, zoom_to)
    pm = print_map(view, lang)
    ctx = context if context is not None else bivariate_context(pm)
    when = exported_at or datetime.now(timezone.utc).astimezone()
    with mpl_settings():
        fig, _info = _BivariateRenderer(pm, opts, permalink, when, ctx).build()
        meta = file_metadata(pm, opts.fmt, permalink, when, ctx)
        y = f"{view.y.source.get(lang)} — {view.y.licence.get(lang)}"
        for key in ("Rights", "Copyright"):
            if key in meta:
                meta[key] += f"; {y}"
        return figure_bytes(fig, opts.fmt, opts.dpi, meta)


class BivariateExport(NamedTuple):
    path: Path
    fmt: str
    bytes: int
    seconds: float
    view: BivariateView
    permalink: str


def export_bivariate_file(con: duckdb.DuckDBPyConnection, out, *, x: str, y: str, level: str,
                          x_period: str | None = None, y_period: str | None = None, fmt: str | None = None,
                          lang: str = "tr", dpi=300, paper: str = "a4", orientation: str = "landscape",
                          labels: bool = False, zoom_to: str | None = None, base_url: str | None = None,
                          exported_at: datetime | None = None) -> BivariateExport:
    """Check, render and atomically write the double-burden page of ``x`` × ``y`` at ``level`` (``fmt``:
    png, svg, pdf; from ``out``'s suffix when None; periods None mean each indicator's latest). Raises
    ExportError naming the first bad value and what is allowed; writes nothing then."""
    out = Path(out)
    fmt = (fmt or out.suffix.lstrip(".")).lower()
    opts = _checked(fmt, check_dpi(dpi), paper, orientation, labels, zoom_to)
    check_suffix(out, fmt)
    check_folder(out)
    checked = [resolve(con, indicator=ind, period=period, level=level, fmt=fmt, lang=lang, dpi=dpi, paper=paper,
                       orientation=orientation) for ind, period in ((x, x_period), (y, y_period))]
    start = time.perf_counter()
    try:
        view = bivariate_view(con, checked[0].indicator, checked[1].indicator, checked[0].view.level,
                              x_period=checked[0].view.period, y_period=checked[1].view.period)
    except BivariateError as exc:
        raise ExportError(exc.text) from exc
    link = bivariate_permalink(view, checked[0].view.lang, base_url)
    pm = print_map(view, checked[0].view.lang)
    data = render_bivariate(view, checked[0].view.lang, fmt=opts.fmt, dpi=opts.dpi, paper=opts.paper,
                            orientation=opts.orientation, labels=opts.labels, zoom_to=opts.zoom_to, permalink=link,
                            exported_at=exported_at, context=bivariate_context(pm, con))
    path = write_atomic(out, data)
    return BivariateExport(path, opts.fmt, len(data), time.perf_counter() - start, view, link)
