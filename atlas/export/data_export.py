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
"""

from __future__ import annotations

import io
import os
import tempfile
import textwrap
import zipfile
from dataclasses import dataclass
from datetime import datetime

import geopandas as gpd
import pandas as pd
import pyogrio

from ..mapping import format_int
from ..views.map_view import MapView, _export_frame, to_csv
from .context import ExportContext
from .words import level_label, scheme_label, w

GEOMETRY_NOTE = {
    "tr": "Gösterim geometrisi: shapely coverage_simplify ile sadeleştirilmiş (0,0005°, ≈ 45 m; komşular "
          "arasında boşluk açılmaz), WGS84 (EPSG:4326). Alanlar ve yoğunluklar tam çözünürlüklü "
          "geometriden hesaplanmıştır.",
    "en": "Display geometry: simplified with shapely coverage_simplify (0.0005°, ≈ 45 m; no gaps open between "
          "neighbours), WGS84 (EPSG:4326). Areas and densities were computed from the full-resolution geometry.",
}

LABELS: dict[str, dict[str, str]] = {
    "atlas": {"tr": "Atlas", "en": "Atlas"},
    "indicator_id": {"tr": "Gösterge kimliği", "en": "Indicator ID"},
    "title": {"tr": "Gösterge", "en": "Indicator"},
    "definition": {"tr": "Tanım", "en": "Definition"},
    "unit": {"tr": "Birim", "en": "Unit"},
    "value_type": {"tr": "Değer türü", "en": "Value type"},
    "polarity": {"tr": "Yön", "en": "Polarity"},
    "period": {"tr": "Dönem", "en": "Period"},
    "level": {"tr": "Düzey", "en": "Level"},
    "classification": {"tr": "Sınıflama", "en": "Classification"},
    "classes": {"tr": "Sınıf sayısı", "en": "Number of classes"},
    "class": {"tr": "Sınıf {n}", "en": "Class {n}"},
    "status": {"tr": "Durum", "en": "Status"},
    "izmir_value": {"tr": "İzmir değeri", "en": "İzmir value"},
    "note": {"tr": "Not", "en": "Note"},
    "hidden_areas": {"tr": "Gösterilmeyen alanlar", "en": "Areas not shown"},
    "method": {"tr": "Yöntem", "en": "Method"},
    "caveat": {"tr": "Dikkat", "en": "Caveat"},
    "source": {"tr": "Kaynak", "en": "Source"},
    "source_url": {"tr": "Kaynak adresi", "en": "Source URL"},
    "licence": {"tr": "Lisans", "en": "Licence"},
    "data_source_file": {"tr": "Veri kaynak dosyası", "en": "Data source file"},
    "boundaries": {"tr": "Sınırlar", "en": "Boundaries"},
    "colours": {"tr": "Renkler", "en": "Colours"},
    "geometry": {"tr": "Geometri", "en": "Geometry"},
    "exported_at": {"tr": "Dışa aktarım zamanı", "en": "Exported at"},
    "database_built_at": {"tr": "Veritabanı oluşturma zamanı", "en": "Database built at"},
    "permalink": {"tr": "Bu görünümün bağlantısı", "en": "Link to this view"},
    "column": {"tr": "Sütun {name}", "en": "Column {name}"},
}

COLUMNS: dict[str, dict[str, str]] = {
    "indicator_id": {"tr": "gösterge kimliği", "en": "indicator ID"},
    "period": {"tr": "dönem", "en": "period"},
    "level": {"tr": "düzey (district = ilçe, mahalle)", "en": "level (district, mahalle)"},
    "area_code": {"tr": "bölge kodu (ilçe: TÜİK ilçe kodu; mahalle: TurkeyGeoJSON quarterId)",
                  "en": "area code (district: TÜİK district id; mahalle: TurkeyGeoJSON quarterId)"},
    "name": {"tr": "bölge adı", "en": "area name"},
    "district_code": {"tr": "mahallenin ilçe kodu", "en": "the mahalle's district code"},
    "district_name": {"tr": "mahallenin ilçesi", "en": "the mahalle's district"},
    "kind": {"tr": "tür: mahalle, island (ada), industrial_zone (OSB), free_zone (serbest bölge), district",
             "en": "kind: mahalle, island, industrial_zone, free_zone, district"},
    "value": {"tr": "değer (birim sütununda)", "en": "value (in the unit column's unit)"},
    "lower_ci": {"tr": "%95 güven aralığının alt sınırı", "en": "lower bound of the 95% confidence interval"},
    "upper_ci": {"tr": "%95 güven aralığının üst sınırı", "en": "upper bound of the 95% confidence interval"},
    "numerator": {"tr": "pay (sayı)", "en": "numerator (count)"},
    "denominator": {"tr": "payda", "en": "denominator"},
    "status": {"tr": "ok, suppressed (küçük sayı), missing (veri yok), not_applicable (uygulanamaz)",
               "en": "ok, suppressed (small numbers), missing (no data), not_applicable"},
    "note": {"tr": "değerle ilgili not", "en": "note on the value"},
    "coverage": {"tr": "ızgara kapsaması (0–1), ızgara göstergeleri için", "en": "grid coverage (0–1), grid indicators"},
    "rank": {"tr": "sıra (1 = en iyi; yön yoksa en yüksek)", "en": "rank (1 = best; highest when no polarity)"},
    "rank_of": {"tr": "sıralanan bölge sayısı", "en": "number of ranked areas"},
    "izmir_value": {"tr": "İzmir (il) değeri", "en": "İzmir (province) value"},
    "diff_izmir": {"tr": "değer − İzmir değeri", "en": "value − İzmir value"},
    "scheme": {"tr": "sınıflama yöntemi", "en": "classification scheme"},
    "style_key": {"tr": "haritadaki sınıf (0, 1, …) veya durum", "en": "class on the map (0, 1, …) or status"},
    "class_label": {"tr": "haritadaki sınıfın aralığı/etiketi", "en": "the map class's range / label"},
    "unit": {"tr": "birim", "en": "unit"},
    "source": {"tr": "kaynak", "en": "source"},
    "licence": {"tr": "lisans", "en": "licence"},
}


@dataclass(frozen=True)
class MetaRow:
    key: str
    label: str
    value: str


def _label(key: str, lang: str, **fmt) -> str:
    text = LABELS[key][lang]
    return text.format(**fmt) if fmt else text


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
        rows.append(MetaRow(key, label or _label(key, lang), str(value)))

    add("atlas", w("atlas", lang))
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
        count = f"{format_int(item.count, lang)} {w('area' if item.count == 1 else 'areas', lang)}"
        if item.kind == "class":
            n_class += 1
            add(f"class_{n_class}", f"{item.label} ({count}; {item.colour})", _label("class", lang, n=n_class))
        else:
            add(f"status_{item.key}", f"{item.label} ({count})", _label("status", lang))
    add("izmir_value", mv.benchmark.removeprefix("İzmir: ") if mv.benchmark else None)
    for i, note in enumerate(mv.notes, start=1):
        add(f"note_{i}", note.get(lang), _label("note", lang))
    if mv.hidden:
        add("hidden_areas", w("hidden_note", lang, n=format_int(mv.hidden, lang)))
    add("method", ind.method.get(lang))
    add("caveat", ind.caveat.get(lang) if ind.caveat else None)
    add("source", ind.source.get(lang))
    add("source_url", ind.source_url)
    add("licence", ind.licence.get(lang))
    for i, src in enumerate(ctx.data_sources, start=1):
        parts = [src.title, src.url, f"{_label('licence', lang)}: {src.licence}", src.attribution]
        if src.sha256:
            parts.append(f"SHA-256 {src.sha256}")
        add(f"data_source_{i}", " — ".join(p for p in parts if p), _label("data_source_file", lang))
    for i, src in enumerate(ctx.boundary_sources, start=1):
        add(f"boundaries_{i}", f"{src.attribution} — {src.licence} ({src.title}; {src.url})",
            _label("boundaries", lang))
    add("colours", w("colours", lang).split(": ", 1)[-1])
    add("geometry", GEOMETRY_NOTE[lang])
    add("exported_at", exported_at.isoformat(timespec="seconds"))
    add("database_built_at", ctx.built_at)
    add("permalink", permalink)
    for col in _export_frame(mv).columns:
        if col in COLUMNS:
            add(f"column:{col}", COLUMNS[col][lang], _label("column", lang, name=col))
    return rows


def metadata_frame(rows: list[MetaRow]) -> pd.DataFrame:
    return pd.DataFrame([(r.key, r.label, r.value) for r in rows], columns=["key", "label", "value"])


def data_csv(mv: MapView) -> bytes:
    """The values behind the view as CSV (the map page's CSV)."""
    return to_csv(mv)


def metadata_csv(rows: list[MetaRow]) -> bytes:
    return metadata_frame(rows).to_csv(index=False).encode("utf-8-sig")


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
    files = {
        "tr": [(f"{stem}.csv", "değerler, bölge başına bir satır (UTF-8, BOM ile)"),
               (f"{stem}.gpkg", "aynı değerler bölge poligonlarıyla (katman 'values', EPSG:4326) ve bu sayfa "
                                "(tablo 'metadata')"),
               ("metadata.csv", "bu sayfa: key, label, value"),
               ("README.txt", "bu dosya")],
        "en": [(f"{stem}.csv", "the values, one row per area (UTF-8 with BOM)"),
               (f"{stem}.gpkg", "the same values with the area polygons (layer 'values', EPSG:4326) and this "
                                "sheet (table 'metadata')"),
               ("metadata.csv", "this sheet: key, label, value"),
               ("README.txt", "this file")],
    }[lang]
    head = {"tr": ("Veri dışa aktarımı", "Dosyalar", "Üst veri", "Sütunlar"),
            "en": ("Data export", "Files", "Metadata", "Columns")}[lang]
    out = [f"{w('atlas', lang)} — {head[0]}", f"{mv.title} · {mv.period} · {level_label(mv.level, lang)}", "",
           head[1], ""]
    out += [f"  {name:<{max(len(f) for f, _ in files)}}  {what}" for name, what in files]
    out += ["", head[2], ""]
    for r in rows:
        if r.key.startswith("column:"):
            continue
        body = textwrap.wrap(r.value, 92, break_long_words=False, break_on_hyphens=False) or [""]
        out.append(f"  {r.label}: {body[0]}")
        out += [f"      {line}" for line in body[1:]]
    out += ["", head[3], ""]
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
