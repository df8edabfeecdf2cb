"""atlas.export.data_export: CSV, GeoPackage (values + metadata), zip with README; permalinks."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime, timezone

import pandas as pd
import pyogrio
import pytest

from atlas import db
from atlas.views import map_view as mapview
from atlas.errors import ExportError
from atlas.export.context import load_context
from atlas.export.data_export import data_csv, data_gpkg, data_zip, file_stem, metadata_rows
from atlas.export.permalink import DEFAULT_PUBLIC_URL, permalink, public_url
from atlas.views.view_state import View
from tests.test_export_render import IND, make_export_db

WHEN = datetime(2026, 11, 26, 14, 3, tzinfo=timezone.utc)
LINK = "http://atlas.example.org/?indicator=test_share&period=2023&level=mahalle&scheme=quantiles&k=3&lang=en"


@pytest.fixture
def mv_ctx(tmp_path):
    con = db.connect(make_export_db(tmp_path / "export.duckdb"))
    try:
        mv = mapview.build_map_view(con, IND, "2023", "mahalle", "quantiles", 3, "en")
        yield mv, load_context(con, mv)
    finally:
        con.close()


def test_csv_holds_one_row_per_area_with_classes(mv_ctx):
    mv, _ = mv_ctx
    df = pd.read_csv(io.BytesIO(data_csv(mv)), encoding="utf-8-sig", dtype={"area_code": str})
    assert list(df["area_code"]) == list(mv.frame["area_code"])
    assert list(df["style_key"]) == list(mv.frame["style_key"])
    assert set(df["status"]) == {"ok", "suppressed", "missing"}


def test_metadata_sheet_names_everything_a_reader_needs(mv_ctx):
    mv, ctx = mv_ctx
    rows = {r.key: r for r in metadata_rows(mv, ctx, exported_at=WHEN, permalink=LINK)}
    for key in ("indicator_id", "title", "definition", "unit", "period", "level", "classification", "classes",
                "class_1", "status_suppressed", "status_missing", "izmir_value", "source", "licence",
                "data_source_1", "boundaries_1", "geometry", "exported_at", "database_built_at", "permalink",
                "column:value", "column:status"):
        assert key in rows, key
    assert rows["title"].value == "Test share" and rows["licence"].value == "CC0 (test fixture)"
    assert rows["class_1"].value.startswith("10.0–16.7% (1 area; #")
    assert rows["boundaries_1"].value.startswith("Test fixture (fictional) — CC0")
    assert rows["exported_at"].value == "2026-11-26T14:03:00+00:00" and rows["permalink"].value == LINK
    assert rows["izmir_value"].value == "20.0% (19.0–21.0%)"


def test_geopackage_has_values_with_polygons_and_a_metadata_table(mv_ctx, tmp_path):
    mv, ctx = mv_ctx
    path = tmp_path / "x.gpkg"
    path.write_bytes(data_gpkg(mv, ctx, exported_at=WHEN, permalink=LINK))
    layers = {name: kind for name, kind in pyogrio.list_layers(path)}
    assert layers == {"values": "MultiPolygon", "metadata": None}
    values = pyogrio.read_dataframe(path, layer="values")
    assert values.crs.to_epsg() == 4326 and len(values) == len(mv.frame)
    assert list(values["area_code"]) == list(mv.frame["area_code"])
    assert values.geometry.is_valid.all()
    meta = pyogrio.read_dataframe(path, layer="metadata")
    assert list(meta.columns) == ["key", "label", "value"]
    assert dict(zip(meta["key"], meta["value"]))["permalink"] == LINK


def test_zip_holds_csv_gpkg_metadata_and_readme(mv_ctx):
    mv, ctx = mv_ctx
    stem = file_stem(mv)
    assert stem == "izmir_test_share_2023_mahalle"
    with zipfile.ZipFile(io.BytesIO(data_zip(mv, ctx, exported_at=WHEN, permalink=LINK))) as zf:
        assert sorted(zf.namelist()) == sorted([f"{stem}.csv", f"{stem}.gpkg", "metadata.csv", "README.txt"])
        readme = zf.read("README.txt").decode("utf-8")
        meta = pd.read_csv(io.BytesIO(zf.read("metadata.csv")), encoding="utf-8-sig")
    assert "Test share · 2023 · mahalle" in readme and LINK in readme
    assert "Boundaries: Test fixture (fictional) — CC0" in readme
    assert "status: ok, suppressed (small numbers)" in readme
    assert {"key", "label", "value"} == set(meta.columns)


def test_permalink_is_the_app_url_of_the_view(monkeypatch):
    view = View("pop_density", "2023", "mahalle", "natural_breaks", 6, "23582", "en")
    monkeypatch.delenv("ATLAS_PUBLIC_URL", raising=False)
    assert permalink(view) == (f"{DEFAULT_PUBLIC_URL}?indicator=pop_density&period=2023&level=mahalle"
                               "&scheme=natural_breaks&k=6&area=23582&lang=en")
    monkeypatch.setenv("ATLAS_PUBLIC_URL", "https://atlas.example.org/izmir")
    assert permalink(View("x", "2014-2024", "district")).startswith("https://atlas.example.org/izmir/?indicator=x&")
    assert permalink(View("x", "2014-2024", "district"), page="equity").startswith(
        "https://atlas.example.org/izmir/equity?indicator=x&period=2014-2024&")
    monkeypatch.setenv("ATLAS_PUBLIC_URL", "ftp://nope")
    with pytest.raises(ExportError, match="ATLAS_PUBLIC_URL 'ftp://nope' is not an http"):
        public_url()


def test_the_export_package_never_imports_streamlit():
    import subprocess
    import sys

    from tests.conftest import ROOT

    code = "import sys, atlas.export, atlas.export.atlas_pdf; print('streamlit' in sys.modules)"
    res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert res.stdout.strip() == "False", res.stderr
