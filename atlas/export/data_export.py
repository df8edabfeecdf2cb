"""The values behind a map, as files: CSV, GeoPackage and a metadata sheet.

* **CSV** (``data_csv``): one row per area of the view, the same columns as the map page's CSV
  download (``atlas.views.map_view.to_csv``: UTF-8 with BOM, so spreadsheet programs read Turkish letters).
* **Metadata sheet** (``metadata_rows``): ``key, label, value`` rows — indicator, definition, unit,
  period, level, classification and its classes with counts, the İzmir value, notes, method, caveat,
  source and licence of the values, the source files (with SHA-256), boundary attribution and
  terms, geometry, export date, database build date, permalink, and one row per column
  (``column:<name>``) saying what it holds. Keys are English and stable; labels and texts are in the
  view's language.
* **GeoPackage** (``data_gpkg``): layer ``values`` (the CSV's columns with the area polygons, WGS84 /
  EPSG:4326, the simplified display geometry) and the attribute table ``metadata`` (the sheet).
* **Zip** (``data_zip``): ``<stem>.csv``, ``<stem>.gpkg``, ``metadata.csv`` and ``README.txt`` (the
  sheet as text, a list of the files and of the columns).

Both CSV files are written by ``atlas.views.spreadsheet.csv_bytes``: a text cell that a spreadsheet would
take for a formula (``=``, ``+``, ``-``, ``@``, tab, carriage return first) gets a leading ``'``, every text
cell is quoted, numbers stay numbers. The GeoPackage keeps names and notes as they are: it is a typed
database that GIS programs read, not a file a spreadsheet parses (its strings are never evaluated, and
a GIS program's own conversion to XLSX keeps them as text); README.txt is plain text.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import textwrap
import zipfile
from dataclasses import dataclass
from datetime import datetime

import geopandas as gpd
import pandas as pd
import pyogrio

from ..i18n import N_, gettext
from ..mapping import format_number
from ..views.map_view import MapView, _export_frame, to_csv
from ..views.spreadsheet import csv_bytes
from .context import ExportContext
from .render import COLOUR_CREDIT, area_count, atlas_name, hidden_note, level_label, scheme_label

#: The label of each row of the metadata sheet, by its key (rows with a number or a name have their own).
LABELS = {
    "atlas": N_("Atlas"),
    "indicator_id": N_("Indicator ID"),
    "title": N_("Indicator"),
    "definition": N_("Definition"),
    "unit": N_("Unit"),
    "value_type": N_("Value type"),
    "polarity": N_("Polarity"),
    "period": N_("Period"),
    "level": N_("Level"),
    "classification": N_("Classification"),
    "classes": N_("Number of classes"),
    "izmir_value": N_("İzmir value"),
    "hidden_areas": N_("Areas not shown"),
    "method": N_("Method"),
    "caveat": N_("Caveat"),
    "source": N_("Source"),
    "source_url": N_("Source URL"),
    "licence": N_("Licence"),
    "colours": N_("Colours"),
    "geometry": N_("Geometry"),
    "exported_at": N_("Exported at"),
    "database_built_at": N_("Database built at"),
    "permalink": N_("Link to this view"),
}

#: What each column of the CSV holds (a column without an entry is not described).
COLUMNS = {
    "indicator_id": N_("indicator ID"),
    "period": N_("period"),
    "level": N_("level (district, mahalle)"),
    "area_code": N_("area code (district: TÜİK district id; mahalle: TurkeyGeoJSON quarterId)"),
    "name": N_("area name"),
    "district_code": N_("the mahalle's district code"),
    "district_name": N_("the mahalle's district"),
    "kind": N_("kind: mahalle, island, industrial_zone, free_zone, district"),
    "value": N_("value (in the unit column's unit)"),
    "lower_ci": N_("lower bound of the 95% confidence interval"),
    "upper_ci": N_("upper bound of the 95% confidence interval"),
    "numerator": N_("numerator (count)"),
    "denominator": N_("denominator"),
    "status": N_("ok, suppressed (small numbers), missing (no data), not_applicable"),
    "note": N_("note on the value"),
    "coverage": N_("grid coverage (0–1), grid indicators"),
    "rank": N_("rank (1 = best; highest when no polarity)"),
    "rank_of": N_("number of ranked areas"),
    "izmir_value": N_("İzmir (province) value"),
    "diff_izmir": N_("value − İzmir value"),
    "scheme": N_("classification scheme"),
    "style_key": N_("class on the map (0, 1, …) or status"),
    "class_label": N_("the map class's range / label"),
    "unit": N_("unit"),
    "source": N_("source"),
    "licence": N_("licence"),
}


@dataclass(frozen=True)
class MetaRow:
    key: str
    label: str
    value: str


def file_stem(mv: MapView) -> str:
    """``izmir_<indicator>_<period>_<level>``: the stem of every exported file of the view."""
    return f"izmir_{mv.indicator.id}_{mv.period}_{mv.level}".replace(" ", "_").replace("/", "-")


def metadata_rows(mv: MapView, ctx: ExportContext, *, exported_at: datetime, permalink: str = "") -> list[MetaRow]:
    """The metadata sheet of the view (see the module docstring), in the view's language."""
    lang, ind = mv.lang, mv.indicator
    rows: list[MetaRow] = []

    def add(key: str, value, label: str | None = None) -> None:
        if value is None or str(value).strip() == "":
            return
        rows.append(MetaRow(key, label or gettext(LABELS[key], lang), str(value)))

    add("atlas", atlas_name(lang))
    add("indicator_id", ind.id)
    add("title", ind.title.get(lang))
    add("definition", ind.definition.get(lang))
    add("unit", ind.unit.get(lang))
    add("value_type", ind.value_type)
    add("polarity", ind.polarity)
    add("period", mv.period)
    add("level", level_label(mv.level, lang))
    add("classification", f"{scheme_label(mv.scheme, lang)} ({mv.scheme})")
    add("classes", mv.classification.k)
    n_class = 0
    for item in mv.legend:
        count = area_count(item.count, lang)
        if item.kind == "class":
            n_class += 1
            add(f"class_{n_class}", f"{item.label} ({count}; {item.colour})",
                gettext("Class {number}", lang, number=n_class))
        else:
            add(f"status_{item.key}", f"{item.label} ({count})", gettext("Status", lang))
    add("izmir_value", mv.benchmark.removeprefix("İzmir: ") if mv.benchmark else None)
    for i, note in enumerate(mv.notes, start=1):
        add(f"note_{i}", note.get(lang), gettext("Note", lang))
    if mv.hidden:
        add("hidden_areas", hidden_note(mv.hidden, lang))
    add("method", ind.method.get(lang))
    add("caveat", ind.caveat.get(lang) if ind.caveat else None)
    add("source", ind.source.get(lang))
    add("source_url", ind.source_url)
    add("licence", ind.licence.get(lang))
    for i, src in enumerate(ctx.data_sources, start=1):
        parts = [src.title, src.url, gettext("Licence: {licence}", lang, licence=src.licence), src.attribution]
        if src.sha256:
            parts.append(f"SHA-256 {src.sha256}")
        add(f"data_source_{i}", " — ".join(p for p in parts if p), gettext("Data source file", lang))
    for i, src in enumerate(ctx.boundary_sources, start=1):
        add(f"boundaries_{i}", f"{src.attribution} — {src.licence} ({src.title}; {src.url})",
            gettext("Boundaries", lang))
    add("colours", COLOUR_CREDIT)
    add("geometry", gettext("Display geometry: simplified with shapely coverage_simplify (0.0005°, ≈ 45 m; no gaps "
                            "open between neighbours), WGS84 (EPSG:4326). Areas and densities were computed from "
                            "the full-resolution geometry.", lang))
    add("exported_at", exported_at.isoformat(timespec="seconds"))
    add("database_built_at", ctx.built_at)
    add("permalink", permalink)
    for col in _export_frame(mv).columns:
        if col in COLUMNS:
            add(f"column:{col}", gettext(COLUMNS[col], lang), gettext("Column {name}", lang, name=col))
    return rows


def metadata_frame(rows: list[MetaRow]) -> pd.DataFrame:
    return pd.DataFrame([(r.key, r.label, r.value) for r in rows], columns=["key", "label", "value"])


def data_csv(mv: MapView) -> bytes:
    """The values behind the view as CSV (the map page's CSV)."""
    return to_csv(mv)


def metadata_csv(rows: list[MetaRow]) -> bytes:
    return csv_bytes(metadata_frame(rows))


#: Free space the GeoPackage of a data package needs in the temporary folder (a mahalle map's is ~5 MB).
GPKG_SPACE_BYTES = 32 * 1024 * 1024


def temp_space_problem(lang: str, need: int = GPKG_SPACE_BYTES) -> str | None:
    """Why a data package cannot be made now (the temporary folder where its GeoPackage is written has
    less than ``need`` bytes free), in ``lang``; None when there is room. The page shows it instead of a
    download button that would silently give nothing (the file is made after the click, in another request)."""
    folder = tempfile.gettempdir()
    try:
        free = shutil.disk_usage(folder).free
    except OSError as exc:
        return gettext("The data package cannot be made now: the server's temporary folder {folder} cannot be "
                       "read ({reason}). The CSV still works; please tell the atlas's administrator.", lang,
                       folder=folder, reason=exc.strerror or str(exc))
    if free >= need:
        return None
    return gettext("The data package cannot be made now: the server's temporary folder {folder} is full ({free} MB "
                   "free, {need} MB needed). The CSV still works; please tell the atlas's administrator.", lang,
                   folder=folder, free=format_number(free / 1048576, lang, 1),
                   need=format_number(need / 1048576, lang, 0))


def data_gpkg(mv: MapView, ctx: ExportContext, *, exported_at: datetime, permalink: str = "") -> bytes:
    """A GeoPackage with layer ``values`` (polygons, EPSG:4326) and table ``metadata``."""
    df = _export_frame(mv)
    for col in df.columns:  # GeoPackage has no nullable integers: write them as floats
        if str(df[col].dtype) in ("Int64", "Int32"):
            df[col] = df[col].astype("float64")
    gdf = gpd.GeoDataFrame(df, geometry=mv.frame.geometry.values, crs="EPSG:4326")
    meta = metadata_frame(metadata_rows(mv, ctx, exported_at=exported_at, permalink=permalink))
    with tempfile.TemporaryDirectory(prefix="atlas-gpkg-") as tmp:
        path = os.path.join(tmp, "export.gpkg")
        pyogrio.write_dataframe(gdf, path, layer="values", driver="GPKG", promote_to_multi=True)
        pyogrio.write_dataframe(meta, path, layer="metadata", driver="GPKG", append=True)
        with open(path, "rb") as fh:
            return fh.read()


def readme_text(mv: MapView, rows: list[MetaRow], stem: str) -> str:
    """README.txt of the data zip: what the files are, the metadata sheet and the columns."""
    lang = mv.lang
    files = [(f"{stem}.csv", gettext("the values, one row per area (UTF-8 with BOM)", lang)),
             (f"{stem}.gpkg", gettext("the same values with the area polygons (layer 'values', EPSG:4326) and this "
                                      "sheet (table 'metadata')", lang)),
             ("metadata.csv", gettext("this sheet: key, label, value", lang)),
             ("README.txt", gettext("this file", lang))]
    what = gettext("Data export", lang)
    out = [f"{atlas_name(lang)} — {what}",
           f"{mv.title} · {mv.period} · {level_label(mv.level, lang)}", "", gettext("Files", lang), ""]
    out += [f"  {name:<{max(len(f) for f, _ in files)}}  {what}" for name, what in files]
    out += ["", gettext("Metadata", lang), ""]
    for r in rows:
        if r.key.startswith("column:"):
            continue
        body = textwrap.wrap(r.value, 92, break_long_words=False, break_on_hyphens=False) or [""]
        out.append(f"  {r.label}: {body[0]}")
        out += [f"      {line}" for line in body[1:]]
    out += ["", gettext("Columns", lang), ""]
    for r in rows:
        if r.key.startswith("column:"):
            out.append(f"  {r.key.split(':', 1)[1]}: {r.value}")
    return "\n".join(out) + "\n"


def data_zip(mv: MapView, ctx: ExportContext, *, exported_at: datetime, permalink: str = "") -> bytes:
    """CSV, GeoPackage, metadata.csv and README.txt in one zip."""
    stem = file_stem(mv)
    rows = metadata_rows(mv, ctx, exported_at=exported_at, permalink=permalink)
    buf = io.BytesIO()
    stamp = exported_at.timetuple()[:6]
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in ((f"{stem}.csv", data_csv(mv)),
                           (f"{stem}.gpkg", data_gpkg(mv, ctx, exported_at=exported_at, permalink=permalink)),
                           ("metadata.csv", metadata_csv(rows)),
                           ("README.txt", readme_text(mv, rows, stem).encode("utf-8"))):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return buf.getvalue()
