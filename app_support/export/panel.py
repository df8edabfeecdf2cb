"""The Export panel ("Dışa aktar / Export") under a map: a print-ready file of the current view.

``export_panel(mv, view, lang)`` draws an expander with the options (format, dpi, paper,
orientation, district labels, zoom to a district), a small preview rendered by the same function
as the file (``atlas.export.render.render_map``), and download buttons for the file and for the
data behind the map (CSV; zip with CSV, GeoPackage, metadata and README). The expander tracks its
state, so nothing is rendered while it is closed; files are rendered only when a download button
is clicked (deferred ``data=callable``). Previews and the export context (sources, district layer)
are cached per database file and view.
"""

from __future__ import annotations

from datetime import datetime, timezone

import streamlit as st

from atlas.errors import AtlasError
from atlas.export.context import ExportContext, load_context
from atlas.export.data_export import data_csv, data_zip, file_stem, temp_space_problem
from atlas.export.options import DPI_CHOICES, MIME, ORIENTATIONS, PAPERS
from atlas.export.permalink import permalink
from atlas.export.render import render_map
from atlas.views import point_layers as point_views
from atlas.views.map_view import MapView
from atlas.views.view_state import View

from ..chrome.data import point_layers
from ..chrome.page import database_signature, get_connection, md_escape
from atlas.i18n import N_, gettext, label

FORMATS = ("pdf", "png", "svg")
FORMAT_LABELS = {"pdf": N_("PDF (vector)"), "svg": N_("SVG (vector)"), "png": N_("PNG (image)")}
ORIENTATION_LABELS = {"portrait": N_("Portrait"), "landscape": N_("Landscape")}
PREVIEW_DPI = 72
EXPANDER_KEY = "export_panel"


def _view_key(mv: MapView) -> tuple:
    """What identifies a MapView for caching (``hidden`` tells the show-hidden variant apart)."""
    return (mv.indicator.id, mv.period, mv.level, mv.scheme, mv.k, mv.lang, len(mv.frame), mv.hidden)


@st.cache_data(show_spinner=False, max_entries=32)
def _context(signature: str, view_key: tuple, _mv: MapView) -> ExportContext:
    cur = get_connection(signature).cursor()
    try:
        return load_context(cur, _mv)
    finally:
        cur.close()


@st.cache_resource(show_spinner=False, max_entries=8)
def _overlay(signature: str, layer_id: str) -> point_views.PointOverlay:
    # a resource: frozen, read only, and 11,605 coordinates need not be copied on every rerun
    cur = get_connection(signature).cursor()
    try:
        return point_views.print_overlay(cur, layer_id)
    finally:
        cur.close()


@st.cache_data(show_spinner=False, max_entries=32)
def _preview(signature: str, view_key: tuple, options: tuple, link: str, _mv: MapView,
             _ctx: ExportContext) -> bytes:
    paper, orientation, labels, zoom_to, *rest = options
    points = _overlay(signature, rest[0]) if rest and rest[0] else None
    return render_map(_mv, fmt="png", dpi=PREVIEW_DPI, paper=paper, orientation=orientation, labels=labels,
                      zoom_to=zoom_to, permalink=link, context=_ctx, points=points)


def _default_zoom(mv: MapView, view: View, districts: dict[str, str]) -> str | None:
    if view.area in districts:
        return view.area
    if view.area and mv.level == "mahalle":
        rows = mv.frame.loc[mv.frame["area_code"] == view.area, "district_code"]
        if len(rows) and rows.iloc[0] in districts:
            return str(rows.iloc[0])
    return None


def export_panel(mv: MapView, view: View, lang: str, *, page: str = "") -> None:
    """The Export expander for the view ``view`` drawn as ``mv`` (see the module docstring).

    ``page`` is the URL path of the page the permalink opens (empty: the map, the start page;
    e.g. ``"equity"`` on the equity page)."""
    panel = st.expander(gettext("Export / Dışa aktar", lang), key=EXPANDER_KEY, on_change="rerun")
    with panel:
        if not panel.open:
            return
        signature = database_signature()
        try:
            ctx = _context(signature, _view_key(mv), mv)
            link = permalink(View(view.indicator, view.period, view.level, view.scheme, view.k, view.area, lang),
                             page=page)
        except AtlasError as exc:
            st.error(gettext("The export could not be made: {error}", lang, error=md_escape(exc.in_language(lang))))
            return
        districts = dict(zip(ctx.districts["area_code"].astype(str), ctx.districts["name"]))
        st.caption(gettext("Download this view as a print-ready file: the map's classes and colours, legend, sources and licences, scale bar, north arrow, date and a link to this view (with a QR code).", lang))
        left, middle, right = st.columns(3)
        fmt = left.selectbox(gettext("Format", lang), FORMATS, key="export_format",
                             format_func=lambda f: label(FORMAT_LABELS, f, lang))
        dpi = left.selectbox(gettext("Resolution (dpi)", lang), DPI_CHOICES, index=DPI_CHOICES.index(300), key="export_dpi",
                             disabled=fmt != "png", help=gettext("PNG only; PDF and SVG are vector.", lang))
        paper = middle.radio(gettext("Paper", lang), PAPERS, key="export_paper", horizontal=True,
                             format_func=str.upper)
        orientation = middle.radio(gettext("Orientation", lang), ORIENTATIONS[::-1], key="export_orientation",
                                   horizontal=True, format_func=lambda o: label(ORIENTATION_LABELS, o, lang))
        labels = right.checkbox(gettext("Label districts", lang), key="export_labels")
        zoom_options = [None] + sorted(districts, key=lambda c: districts[c])
        default = _default_zoom(mv, view, districts)
        zoom_to = right.selectbox(gettext("Zoom to a district", lang), zoom_options, key="export_zoom",
                                  index=zoom_options.index(default), help=gettext("A zoomed map gets a small map of the whole province beside it.", lang),
                                  format_func=lambda c: gettext("Whole province", lang) if c is None else districts[c])
        layers = {layer.id: layer.title.get(lang) for layer in point_layers()}
        points_id = None
        if layers:
            point_options = [None, *layers]
            first = next((p for p in getattr(view, "points", ()) if p in layers), None)
            points_id = right.selectbox(gettext("Point layer on the map", lang), point_options, key="export_points",
                                        index=point_options.index(first),
                                        format_func=lambda p: gettext("None", lang) if p is None else layers[p],
                                        help=gettext("Printed with its legend row and attribution.", lang))
        if points_id and not page:  # the map's permalink opens it with the printed layer on
            link = permalink(View(view.indicator, view.period, view.level, view.scheme, view.k, view.area, lang,
                                  (points_id,)))
        options = (paper, orientation, bool(labels), zoom_to, points_id)
        try:
            preview = _preview(signature, _view_key(mv), options, link, mv, ctx)
        except AtlasError as exc:
            st.error(gettext("The export could not be made: {error}", lang, error=md_escape(exc.in_language(lang))))
            return
        st.image(preview, caption=gettext("Preview (low resolution); the download is drawn with the chosen settings.", lang), width="stretch")

        stem = (file_stem(mv) + f"_{paper}_{orientation}" + (f"_{zoom_to}" if zoom_to else "")
                + (f"_{points_id}" if points_id else ""))

        def make_file() -> bytes:
            return render_map(mv, fmt=fmt, dpi=dpi, paper=paper, orientation=orientation, labels=bool(labels),
                              zoom_to=zoom_to, permalink=link, exported_at=datetime.now(timezone.utc).astimezone(),
                              context=ctx, points=_overlay(signature, points_id) if points_id else None)

        st.download_button(gettext("Download {fmt}", lang, fmt=fmt.upper()), make_file, file_name=f"{stem}.{fmt}",
                           mime=MIME[fmt], key="export_download_file", on_click="ignore", type="primary")
        st.markdown("**" + gettext("The data behind the map", lang) + "**")
        a, b = st.columns(2)
        a.download_button(gettext("Data (CSV)", lang), lambda: data_csv(mv), file_name=f"{file_stem(mv)}.csv",
                          mime=MIME["csv"], key="export_download_csv", on_click="ignore")
        full = temp_space_problem(lang)
        if full:
            b.warning(md_escape(full))
        b.download_button(gettext("Data package (CSV + GeoPackage + metadata, zip)", lang), disabled=bool(full),
                          data=lambda: data_zip(mv, ctx, exported_at=datetime.now(timezone.utc).astimezone(),
                                           permalink=link),
                          file_name=f"{file_stem(mv)}_data.zip", mime=MIME["zip"], key="export_download_zip",
                          on_click="ignore", help=gettext("Zip: the values (CSV), a GeoPackage with the area polygons, the metadata sheet (indicator, period, classes, source, licence, boundary attribution, date) and a README.", lang))
