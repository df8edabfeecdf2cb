"""The double-burden page's Export panel: the page as a print-ready file, with the map export's choices
(format, resolution, paper, orientation, district names; ``app_support.export.panel``) and a preview
drawn by the same function as the file (``atlas.export.bivariate.render_bivariate``).

Nothing is drawn while the expander is closed; the file is drawn only when its button is clicked.
The print context (district layer, boundary sources, build time) and previews are cached per
database file and view."""

from __future__ import annotations

from datetime import datetime, timezone

import streamlit as st

from atlas.bivariate.view import BivariateView
from atlas.errors import AtlasError
from atlas.export.bivariate import bivariate_context, bivariate_permalink, print_map, render_bivariate
from atlas.export.context import ExportContext
from atlas.export.options import DPI_CHOICES, MIME, ORIENTATIONS, PAPERS
from atlas.i18n import gettext, label

from ..chrome.page import database_signature, get_connection, md_escape
from ..export.panel import FORMAT_LABELS, FORMATS, ORIENTATION_LABELS, PREVIEW_DPI

EXPANDER_KEY = "bivariate_export_panel"
KEY = "bv_export_{}".format


def _view_key(view: BivariateView, lang: str) -> tuple:
    return (view.x.id, view.y.id, view.level, view.x_period, view.y_period, lang, len(view.frame))


@st.cache_data(show_spinner=False, max_entries=16)
def _context(signature: str, view_key: tuple, _view: BivariateView) -> ExportContext:
    cur = get_connection(signature).cursor()
    try:
        return bivariate_context(print_map(_view, view_key[5]), cur)
    finally:
        cur.close()


@st.cache_data(show_spinner=False, max_entries=16)
def _preview(signature: str, view_key: tuple, choice: tuple, link: str, _view: BivariateView,
             _ctx: ExportContext) -> bytes:
    paper, orientation, labels = choice
    return render_bivariate(_view, view_key[5], fmt="png", dpi=PREVIEW_DPI, paper=paper, orientation=orientation,
                            labels=labels, permalink=link, context=_ctx)


def export_panel(view: BivariateView, lang: str) -> None:
    """The expander (see the module docstring)."""
    panel = st.expander(gettext("Export / Dışa aktar", lang), key=EXPANDER_KEY, on_change="rerun")
    with panel:
        if not panel.open:
            return
        signature, key = database_signature(), _view_key(view, lang)
        try:
            link = bivariate_permalink(view, lang)
            ctx = _context(signature, key, view)
        except AtlasError as exc:
            st.error(gettext("The export could not be made: {error}", lang, error=md_escape(exc.in_language(lang))))
            return
        st.caption(gettext("Download this double-burden view as a print-ready file: the map in the nine colours, the square legend, both indicators' sources, licences and caveats, scale bar, north arrow, date and a link to this view (with a QR code).", lang))
        cols = st.columns(3)
        fmt = cols[0].selectbox(gettext("Format", lang), FORMATS, key=KEY("format"),
                                format_func=lambda f: label(FORMAT_LABELS, f, lang))
        dpi = cols[0].selectbox(gettext("Resolution (dpi)", lang), DPI_CHOICES, index=DPI_CHOICES.index(300),
                                key=KEY("dpi"), disabled=fmt != "png", help=gettext("PNG only; PDF and SVG are vector.", lang))
        paper = cols[1].radio(gettext("Paper", lang), PAPERS, key=KEY("paper"), horizontal=True, format_func=str.upper)
        orientation = cols[1].radio(gettext("Orientation", lang), ORIENTATIONS[::-1], key=KEY("orientation"),
                                    horizontal=True, format_func=lambda o: label(ORIENTATION_LABELS, o, lang))
        labels = bool(cols[2].checkbox(gettext("Label districts", lang), key=KEY("labels")))
        try:
            preview = _preview(signature, key, (paper, orientation, labels), link, view, ctx)
        except AtlasError as exc:
            st.error(gettext("The export could not be made: {error}", lang, error=md_escape(exc.in_language(lang))))
            return
        st.image(preview, caption=gettext("Preview (low resolution); the download is drawn with the chosen settings.", lang), width="stretch")

        def make_file() -> bytes:
            return render_bivariate(view, lang, fmt=fmt, dpi=dpi, paper=paper, orientation=orientation, labels=labels,
                                    permalink=link, exported_at=datetime.now(timezone.utc).astimezone(), context=ctx)

        stem = f"double_burden_{view.x.id}_{view.y.id}_{view.level}_{paper}_{orientation}"
        st.download_button(gettext("Download {fmt}", lang, fmt=fmt.upper()), make_file, file_name=f"{stem}.{fmt}",
                           mime=MIME[fmt], key=KEY("download"), on_click="ignore", type="primary")
