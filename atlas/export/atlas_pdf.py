"""The whole atlas as one PDF: a cover, a contents page and one page per indicator.

Each indicator page is the snapshot of its latest period at the chosen level (the same page as
``render_map``: map, legend, notes, sources, permalink and QR code), with the indicator's short
definition under the legend and, when the equity module provides one, an equity summary.

Equity summary extension point: if a module ``atlas.equity`` exists and has a function
``export_summary(con, mv) -> str | list[str] | None`` (``mv`` is the page's MapView, texts in
``mv.lang``), its text is printed under the definition. Without it the pages carry no summary
(and :attr:`AtlasReport.equity` says so). See :data:`EQUITY_HOOK`.

Pages are written with matplotlib's ``PdfPages`` to a temporary file that replaces the target
only when every page is done.
"""

from __future__ import annotations

import importlib
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import duckdb
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from .. import queries
from ..errors import ExportError
from ..i18n import N_, gettext, lazy, ngettext
from ..views.map_view import MapView, build_map_view
from ..views.view_state import LEVELS, View
from .context import load_context
from .files import availability, check_folder, check_k, check_scheme, indicators, write_atomic
from .layout import ASCENT, Box, Para, block_height, line_height, page, text_width
from .options import RenderOptions, check_lang
from .permalink import permalink as make_permalink, public_url
from .qr import qr_matrix
from .render import (CATEGORY_SCHEMES, atlas_name, build_figure, class_count, colours_credit, draw_block, draw_qr,
                     level_label, mpl_settings, scheme_label)

EQUITY_HOOK = ("atlas.equity", "export_summary")
"""Module and function the atlas PDF calls for an equity summary: ``export_summary(con, mv)``."""

Progress = Callable[[int, int, str], None]

#: The level as the cover names it.
LEVEL_TITLES = {"district": N_("Districts"), "mahalle": N_("Neighbourhoods (mahalle)")}


def _page_label(n: int, total: int, lang: str) -> str:
    return gettext("Page {page} of {total}", lang, page=n, total=total)


@dataclass(frozen=True)
class AtlasEntry:
    indicator_id: str
    title: str
    period: str
    unit: str
    page: int


@dataclass
class AtlasReport:
    path: Path
    pages: int
    entries: list[AtlasEntry] = field(default_factory=list)
    seconds: float = 0.0
    equity: str = "no atlas.equity.export_summary: pages carry no equity summary"


def equity_summary(con: duckdb.DuckDBPyConnection, mv: MapView) -> list[str] | None:
    """The equity module's summary of the view, or None when there is no such module or function."""
    module_name, func_name = EQUITY_HOOK
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name in (module_name, module_name.rsplit(".", 1)[0]):
            return None
        raise
    func = getattr(module, func_name, None)
    if func is None:
        return None
    result = func(con, mv)
    if result is None:
        return None
    return [result] if isinstance(result, str) else [str(x) for x in result]


def _pages_for(con, level: str, lang: str) -> list[tuple[str, str]]:
    """(indicator_id, latest period) of every indicator with values at ``level``, by theme and title."""
    avail = availability(con)
    order = queries.run(con, "list_indicators", {"lang": lang})
    out = []
    for ind_id in order["indicator_id"]:
        periods = avail.periods(ind_id, level)
        if periods:
            out.append((ind_id, periods[0]))
    return out


def _text_page(paper: str, orientation: str) -> tuple[Figure, object]:
    pg = page(paper, orientation)
    fig = Figure(figsize=(pg.width, pg.height), dpi=100)
    FigureCanvasAgg(fig)
    return fig, pg


def _cover(paper, orientation, lang, level, scheme, k, entries, sources, base, when, total) -> Figure:
    fig, pg = _text_page(paper, orientation)
    inner = pg.inner
    texts: list = []
    classes = scheme_label(scheme, lang) + ("" if scheme in CATEGORY_SCHEMES else f", {class_count(k, lang)}")
    title, level_title = gettext("Map atlas", lang), gettext(LEVEL_TITLES[level], lang)
    items = [Para(atlas_name(lang), role="cover", bold=True, gap_after=0.5),
             Para(f"{title} · {level_title}", role="cover_subtitle", colour="#333333", gap_after=2.0),
             Para(ngettext("{n} indicator, its latest period", "{n} indicators, the latest period of each",
                           len(entries), lang), role="body", gap_after=0.3),
             Para(gettext("Classification: {scheme}", lang, scheme=classes), role="body", gap_after=0.3),
             Para(gettext("Exported: {when}", lang, when=when.strftime("%Y-%m-%d %H:%M")), role="body",
                  gap_after=1.2),
             Para(gettext("Each page shows the same classes and colours as the map in the atlas app; the link and "
                          "QR code on the page open the same view.", lang), role="body", gap_after=1.2),
             Para(gettext("Sources and licences", lang), role="legend_title", bold=True, gap_after=0.4)]
    for src in sources:
        items.append(Para(f"{src.attribution} — {src.licence}", role="note", gap_after=0.4))
    items.append(Para(colours_credit(lang), role="note", gap_after=1.2))
    items.append(Para(gettext("The atlas online: {url}", lang, url=base), role="body", gap_after=0.3))
    top = inner.top - 1.6 * pg.scale
    width = inner.w * 0.8
    used = block_height(items, pg, width, 1.0)  # measures (wraps) the items
    draw_block(fig, items, inner.x + inner.w * 0.05, top, width, texts)
    side = 1.0 * pg.scale
    draw_qr(fig, Box(inner.x + inner.w * 0.05, top - used - side, side, side), qr_matrix(base))
    _footer(fig, pg, _page_label(1, total, lang), texts)
    return fig


def _footer(fig, pg, text: str, texts: list) -> None:
    size = pg.size("footer")
    t = fig.text(pg.inner.right, pg.inner.y + 0.05, text, fontsize=size, ha="right", va="baseline",
                 transform=fig.dpi_scale_trans)
    texts.append(t)


def _contents_pages(paper, orientation, lang, entries: list[AtlasEntry], total: int, first_page: int) -> list[Figure]:
    pg = page(paper, orientation)
    inner = pg.inner
    size = pg.size("body")
    pitch = line_height(size) * 1.35
    per_page = max(int((inner.h - 1.4 * pg.scale) / pitch) - 2, 5)
    chunks = [entries[i:i + per_page] for i in range(0, len(entries), per_page)] or [[]]
    figs = []
    for n, chunk in enumerate(chunks):
        fig, pg = _text_page(paper, orientation)
        texts: list = []
        head = [Para(gettext("Contents", lang), role="title", bold=True, gap_after=1.0)]
        block_height(head, pg, inner.w, 1.0)
        top = draw_block(fig, head, inner.x, inner.top, inner.w, texts)
        cols = (inner.x, inner.x + 0.6 * pg.scale, inner.x + inner.w * 0.72)
        heads = (gettext("Page", lang), gettext("Indicator", lang), gettext("Period", lang))
        y = top - ASCENT * size / 72.0
        for x, head in zip(cols, heads):
            texts.append(fig.text(x, y, head, fontsize=size, fontweight="bold", transform=fig.dpi_scale_trans))
        y -= pitch
        title_w = cols[2] - cols[1] - 0.15
        for e in chunk:
            title = f"{e.title} ({e.unit})" if e.unit else e.title
            while text_width(title, size) > title_w and len(title) > 4:
                title = title[:-2].rstrip() + "…"
            for x, text in zip(cols, (str(e.page), title, e.period)):
                texts.append(fig.text(x, y, text, fontsize=size, transform=fig.dpi_scale_trans))
            y -= pitch
        _footer(fig, pg, _page_label(first_page + n, total, lang), texts)
        figs.append(fig)
    return figs


def write_atlas_pdf(con: duckdb.DuckDBPyConnection, out: str | Path, *, level: str = "district", lang: str = "tr",
                    scheme: str = "quantiles", k: int = 5, paper: str = "a4", orientation: str = "portrait",
                    labels: bool = False, base_url: str | None = None, exported_at: datetime | None = None,
                    progress: Progress | None = None) -> AtlasReport:
    """Write the atlas PDF of every indicator with values at ``level`` (latest period each) to ``out``.

    ``progress(done, total, what)`` is called after each page. Raises ExportError for a bad option or
    a database without values at the level; writes nothing then."""
    start = time.perf_counter()
    out = Path(out)
    if out.suffix.lower() != ".pdf":
        raise ExportError(lazy.gettext("the atlas is a PDF: name the file {stem}.pdf (got {name})",
                                       stem=out.stem, name=out.name))
    if level not in LEVELS:
        raise ExportError(lazy.gettext("level {level} is not supported; use one of {levels}", level=repr(level),
                                       levels=", ".join(LEVELS)))
    lang = check_lang(lang)
    check_scheme(scheme)
    check_k(k)  # the app's range, so the pages' permalinks open the same maps
    opts = RenderOptions("pdf", 300, paper, orientation, labels, None).checked()
    check_folder(out)
    base = public_url(base_url)
    when = exported_at or datetime.now(timezone.utc).astimezone()
    inds = indicators(con)
    pages = [(i, p) for i, p in _pages_for(con, level, lang) if i in inds]
    if not pages:
        raise ExportError(lazy.gettext("the database holds no indicator values at level {level}: nothing to put in "
                                       "an atlas", level=repr(level)))
    n_contents = 1  # entries per contents page are many more than the indicators of this atlas
    first = 2 + n_contents
    entries = [AtlasEntry(i, inds[i].title.get(lang), p, inds[i].unit.get(lang), first + n)
               for n, (i, p) in enumerate(pages)]
    contents_probe = _contents_pages(opts.paper, opts.orientation, lang, entries, 0, 2)
    if len(contents_probe) != n_contents:  # more indicators than one contents page holds: renumber
        n_contents = len(contents_probe)
        first = 2 + n_contents
        entries = [AtlasEntry(e.indicator_id, e.title, e.period, e.unit, first + n) for n, e in enumerate(entries)]
    total = 1 + n_contents + len(entries)
    report = AtlasReport(out, total, entries)
    steps = total
    done = 0

    def tick(what: str) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, steps, what)

    def write(tmp: Path) -> None:
        views = []
        sources: dict[str, object] = {}
        for e in entries:  # build every view first: the cover lists the sources of all pages
            mv = build_map_view(con, inds[e.indicator_id], e.period, level, scheme, k, lang)
            ctx = load_context(con, mv)
            views.append((e, mv, ctx))
            for src in ctx.sources:
                sources.setdefault(src.source_id, src)
        name, title = atlas_name(lang), gettext("Map atlas", lang)
        meta = {"Title": f"{name} — {title} ({level_label(level, lang)})",
                "Author": name, "Creator": name, "Subject": base, "CreationDate": when}
        with mpl_settings(), PdfPages(tmp, metadata=meta) as pdf:
            ordered = sorted(sources.values(), key=lambda s: (s.role != "data", s.source_id))
            pdf.savefig(_cover(opts.paper, opts.orientation, lang, level, scheme, k, entries, ordered, base, when,
                               total))
            tick(title)
            for fig in _contents_pages(opts.paper, opts.orientation, lang, entries, total, 2):
                pdf.savefig(fig)
                tick(gettext("Contents", lang))
            for e, mv, ctx in views:
                ind = mv.indicator
                extra = [Para(gettext("Definition: {definition}", lang, definition=ind.definition.get(lang)),
                              role="note", colour="#202020", gap_after=0.35)]
                summary = equity_summary(con, mv)
                if summary:
                    report.equity = f"{EQUITY_HOOK[0]}.{EQUITY_HOOK[1]}"
                    extra.append(Para(gettext("Equity summary", lang), role="note", bold=True, gap_after=0.1))
                    extra += [Para(line, role="note", colour="#202020", gap_after=0.25) for line in summary]
                view = View(e.indicator_id, e.period, level, scheme, k, None, lang)
                fig, _info = build_figure(mv, opts, permalink=make_permalink(view, base), exported_at=when,
                                          context=ctx, extra=extra,
                                          page_label=_page_label(e.page, total, lang))
                pdf.savefig(fig)
                tick(e.title)

    write_atomic(out, write)
    report.seconds = time.perf_counter() - start
    return report
