"""Print-ready exports of map views (issue 6): snapshots (PNG, SVG, PDF), the data behind them
(CSV, GeoPackage, metadata sheet) and the whole-atlas PDF. Never imports streamlit.

Classes and colours always come from ``atlas.views.map_view.build_map_view``; nothing here classifies.

* :func:`render_map` — one snapshot as bytes (:mod:`.render`, laid out by :mod:`.layout`)
* :func:`export_file` — check a request against the database, render, write atomically (:mod:`.files`)
* :func:`write_atlas_pdf` — cover, contents and a page per indicator (:mod:`.atlas_pdf`)
* :func:`data_csv`, :func:`data_gpkg`, :func:`data_zip`, :func:`metadata_rows` (:mod:`.data_export`)
* :func:`load_context` — sources, licences and the district layer of a view (:mod:`.context`)
* :func:`permalink` — the app URL of a view (:mod:`.permalink`); :func:`qr_matrix` (:mod:`.qr`)

See docs/export.md.
"""

from .atlas_pdf import EQUITY_HOOK, AtlasReport, write_atlas_pdf
from .context import ExportContext, SourceNote, context_from_view, load_context
from .data_export import data_csv, data_gpkg, data_zip, file_stem, metadata_rows
from .files import ExportResult, export_file, resolve, write_atomic
from .options import DPI_CHOICES, DPI_RANGE, FORMATS, IMAGE_FORMATS, MIME, ORIENTATIONS, PAPERS, RenderOptions
from .permalink import permalink, public_url
from .qr import qr_matrix
from .render import FigureInfo, build_figure, render_map

__all__ = [
    "DPI_CHOICES", "DPI_RANGE", "EQUITY_HOOK", "FORMATS", "IMAGE_FORMATS", "MIME", "ORIENTATIONS", "PAPERS",
    "AtlasReport", "ExportContext", "ExportResult", "FigureInfo", "RenderOptions", "SourceNote", "build_figure",
    "context_from_view", "data_csv", "data_gpkg", "data_zip", "export_file", "file_stem", "load_context",
    "metadata_rows", "permalink", "public_url", "qr_matrix", "render_map", "resolve", "write_atlas_pdf",
    "write_atomic",
]
