"""The XLSX import template (atlas.workbench.template) on the tiny fictional database: its sheets, its
drop-downs, its help in both languages, and its example rows importing through atlas.importing."""

from __future__ import annotations

import io
from pathlib import Path

import duckdb
import openpyxl
import pytest

from atlas.cli import main
from atlas.config import REPO_ROOT
from atlas.importing import COLUMNS, import_file
from atlas.importing.age_rows import COUNT_ALIAS_TO_COLUMN, COUNT_COLUMNS
from atlas.importing.columns import ALIAS_TO_COLUMN, header_key
from atlas.workbench import template as T

ENTRY = REPO_ROOT / "examples" / "import_template_entry.toml"
COUNT_ENTRY = REPO_ROOT / "examples" / "deaths_by_age_example_entry.toml"


@pytest.fixture
def db(tiny_db: Path) -> Path:
    con = duckdb.connect(str(tiny_db))
    con.execute("INSERT INTO themes VALUES ('population', 'Nüfus', 'Population'), "
                "('health_services', 'Sağlık hizmetleri', 'Health services'), ('health', 'Sağlık', 'Health')")
    con.execute("INSERT INTO who_hc_indicators VALUES ('B2', 'B', 'Tam aşılı çocuklar', 'Children immunised')")
    con.close()
    return tiny_db


def workbook(db: Path, lang: str, kind: str = "values") -> openpyxl.Workbook:
    con = duckdb.connect(str(db), read_only=True)
    try:
        data = T.build_template(con, lang, kind)
    finally:
        con.close()
    return openpyxl.load_workbook(io.BytesIO(data))


def rows(ws) -> list[tuple]:
    return [r for r in ws.iter_rows(values_only=True)]


def test_turkish_header_names_are_importer_aliases():
    assert len(T.TURKISH_HEADER) == 17
    for column in COLUMNS:
        assert ALIAS_TO_COLUMN[header_key(T.TURKISH_HEADER[column])] == column
    for column in COUNT_COLUMNS:
        assert COUNT_ALIAS_TO_COLUMN[header_key(T.TURKISH_HEADER[column])] == column
    assert T.header("en") == COLUMNS and T.header("en", "age_bands") == COUNT_COLUMNS


def test_sheets_header_and_dropdowns(db):
    wb = workbook(db, "tr")
    assert wb.sheetnames == ["veri", "yardım", "örnek", "kodlar", "lists"]
    assert [ws.sheet_state for ws in wb.worksheets] == ["visible"] * 4 + ["hidden"]
    data = wb.worksheets[0]
    assert rows(data) == [tuple(T.TURKISH_HEADER[c] for c in COLUMNS)]
    lists = {str(dv.sqref): dv.formula1 for dv in data.data_validations.dataValidation}
    # tiny DB: 1 indicator + the example one; 2 districts; 5 mahalle (Atatürk twice → 4 names); 7 codes
    assert lists == {
        "A2:A2001": '"test_share,example_full_immunisation"',
        "B2:B2001": '"ilçe,mahalle"',
        "C2:C2001": '"Bornova,Karşıyaka"',
        "D2:D2001": '"Atatürk,Bostanlı,İnönü,Kazımdirik"',  # Turkish order: İ with I
        "E2:E2001": '"9002,9001,92001,92002,91001,91002,91003"',  # Bornova's codes first
        "F2:F2001": '"2023,2024"',
    }
    assert all(dv.errorStyle == "warning" and dv.prompt for dv in data.data_validations.dataValidation)


def test_english_template_and_help_in_both_languages(db):
    wb = workbook(db, "en")
    assert wb.sheetnames == ["data", "help", "example", "codes", "lists"]
    assert rows(wb["data"]) == [COLUMNS]
    help_rows = rows(wb["help"])
    head = help_rows.index(("Column", "Other names accepted", "Required", "Meaning (Turkish)", "Meaning (English)"))
    table = help_rows[head + 1:]
    assert [r[0] for r in table] == list(COLUMNS)
    level = table[1]
    assert level[1] == "duzey, seviye"  # the other names the importer reads
    assert level[3] == "ilçe (district) ya da mahalle." and level[4] == "district (ilçe) or mahalle."
    assert table[0][2] == "always" and table[7][2] == "optional"


def test_long_lists_go_to_the_hidden_sheet():
    wb = openpyxl.Workbook()
    lists = T._Lists(wb.create_sheet("lists"))
    assert lists.formula(["a", "b"]) == '"a,b"'
    long = [f"mahalle_{i:03d}" for i in range(40)]  # 40 × 12 characters: over Excel's 255
    assert lists.formula(long) == "'lists'!$A$1:$A$40"
    assert lists.formula(["x, y", "z"]) == "'lists'!$B$1:$B$2"  # a comma cannot go in an inline list
    assert lists.formula([]) is None
    assert [c.value for c in wb["lists"]["A"]][39] == "mahalle_039"


def test_no_cell_is_a_formula(db):
    con = duckdb.connect(str(db))
    con.execute("UPDATE areas SET name = '=HYPERLINK(\"http://x\")' WHERE code = '9002'")
    con.close()
    wb = workbook(db, "en")
    codes = [c for row in wb["codes"].iter_rows() for c in row if c.value == '=HYPERLINK("http://x")']
    assert codes and all(c.data_type == "s" for c in codes)


def test_example_rows_are_fictional_and_import(db, tmp_path):
    wb = workbook(db, "tr")
    example = rows(wb["örnek"])
    assert example[0] == rows(wb["veri"])[0]
    body = example[1:]
    # 2 districts (Bornova, Karşıyaka) + 2 mahalle of the first district (Bornova: Atatürk, Kazımdirik)
    assert [(r[1], r[2], r[3]) for r in body] == [("ilçe", "Bornova", None), ("ilçe", "Karşıyaka", None),
                                                 ("mahalle", "Bornova", "Atatürk"),
                                                 ("mahalle", "Bornova", "Kazımdirik")]
    assert all(r[11] == "KURGUSAL ÖRNEK — gerçek veri değildir" and r[12] == "FICTIONAL EXAMPLE — not real data"
               for r in body)
    data = wb.worksheets[0]
    for i, values in enumerate(body, start=2):  # a user copies the example rows into the data sheet
        for j, value in enumerate(values, start=1):
            data.cell(row=i, column=j, value=value)
    path = tmp_path / "doldurulmus.xlsx"
    wb.save(path)
    report = import_file(path, db, ENTRY)
    assert report.rows == 4 and report.indicator_id == "example_full_immunisation" and report.new_indicator
    con = duckdb.connect(str(db), read_only=True)
    got = con.execute("SELECT level, area_code, status, numerator, denominator FROM indicator_values "
                      "WHERE indicator_id = 'example_full_immunisation' AND level <> 'province' "
                      "ORDER BY level, area_code").fetchall()
    con.close()
    assert got == [("district", "9001", "ok", 4190.0, 4500.0), ("district", "9002", "ok", 4512.0, 4801.0),
                   ("mahalle", "92001", "ok", 3877.0, 4210.0), ("mahalle", "92002", "ok", 612.0, 650.0)]


def test_cli_writes_the_template(db, tmp_path, capsys):
    out = tmp_path / "şablon.xlsx"
    assert main(["template", "--out", str(out), "--lang", "en", "--db", str(db)]) == 0
    assert "wrote" in capsys.readouterr().out
    assert openpyxl.load_workbook(out).sheetnames[0] == "data"


def test_count_data_template_and_its_examples_import(db, tmp_path):
    wb = workbook(db, "tr", "age_bands")
    data = wb.worksheets[0]
    assert rows(data) == [("gösterge", "düzey", "ilçe", "mahalle", "alan_kodu", "dönem", "cinsiyet", "yaş_grubu",
                           "olay", "nüfus", "not", "not_en")]
    lists = {str(dv.sqref): dv.formula1 for dv in data.data_validations.dataValidation}
    assert lists["G2:G2001"] == '"toplam,kadın,erkek"'
    assert lists["H2:H2001"] == '"0,1-4,5-9,10-14,15-19,20-24,25-29,30-34,35-39,40-44,45-49,50-54,55-59,60-64,' \
                                '65-69,70-74,75-79,80-84,85+,90+"'
    help_rows = rows(wb["yardım"])
    assert help_rows[0][0].startswith("İlk sayfayı doldurun: her alan, yıl, cinsiyet ve yaş grubu için bir satır")
    body = rows(wb["örnek"])[1:]
    assert len(body) == 2 * 2 * 19  # two districts × 2022, 2023 × 19 bands
    assert all(r[10] == "KURGUSAL ÖRNEK — gerçek veri değildir" for r in body)
    for i, values in enumerate(body, start=2):
        for j, value in enumerate(values, start=1):
            data.cell(row=i, column=j, value=value)
    path = tmp_path / "sayilar.xlsx"
    wb.save(path)
    report = import_file(path, db, COUNT_ENTRY, dry_run=True)
    assert report.indicator_id == "example_deaths" and report.periods == ("2022", "2022-2023", "2023")
