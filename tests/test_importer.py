"""The import of the city's own data (atlas.importing), on the tiny fictional database.

Every rejected import is checked for its message AND for leaving the database unchanged.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import openpyxl
import pytest

from atlas.catalogue import indicator_from_json, load_themes, load_who
from atlas.config import INDICATORS_DIR, REPO_ROOT
from atlas.errors import ImportRejected
from atlas.importing import (
    COLUMNS,
    AreaResolver,
    ParsedRow,
    check_rows,
    detect_decimal_mark,
    import_file,
    load_entry,
    parse_file,
    parse_number,
)

HEADER = ",".join(COLUMNS)
TEMPLATE = REPO_ROOT / "examples" / "import_template.csv"
TEMPLATE_ENTRY = REPO_ROOT / "examples" / "import_template_entry.toml"
EXAMPLE_NOTE = ("ÖRNEK — kurgusal değerler", "EXAMPLE — fictional values")

# Wilson 95 % bounds × 100, solved independently from (p̂ − p)² = z² p(1 − p) / n.
WILSON_25_200 = (8.611974475712646, 17.801425002582345)
WILSON_30_100 = (21.894885294932767, 39.58485463334666)
WILSON_154_1232 = (10.769032618844214, 14.464095513810433)


# --- helpers ------------------------------------------------------------------------------


def row(**cells) -> dict:
    base = {"indicator_id": "test_share", "level": "district", "period": "2023"}
    base.update(cells)
    return base


def write_csv(path: Path, rows: list[dict], *, sep: str = ",", encoding: str = "utf-8",
              header: list[str] | None = None) -> Path:
    header = header or list(COLUMNS)
    lines = [sep.join(header)] + [sep.join(str(r.get(c, "")) for c in header) for r in rows]
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def snapshot(db: Path) -> dict:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr)  # noqa: S608 (fixed names)
                for t in ("indicator_values", "indicators", "sources")}
    finally:
        con.close()


def values(db: Path, indicator_id: str = "test_share") -> dict:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "SELECT level, area_code, period, value, numerator, denominator, lower_ci, upper_ci, status, note_tr, note_en, "
            "source_id FROM indicator_values WHERE indicator_id = $id", {"id": indicator_id}
        ).fetchall()
    finally:
        con.close()
    keys = ("value", "numerator", "denominator", "lower_ci", "upper_ci", "status", "note", "note_en", "source_id")
    return {(r[0], r[1], r[2]): dict(zip(keys, r[3:])) for r in rows}


def sql(db: Path, statement: str, params: dict | None = None) -> list:
    con = duckdb.connect(str(db))
    try:
        return con.execute(statement, params or {}).fetchall()
    finally:
        con.close()


def rejected(db: Path, file: Path, entry: Path | None = None) -> list[str]:
    """Import, expect ImportRejected, check nothing changed; return the problem lines."""
    before = snapshot(db)
    with pytest.raises(ImportRejected) as info:
        import_file(file, db, entry)
    assert snapshot(db) == before, "a rejected import changed the database"
    assert "nothing was written" in str(info.value)
    return info.value.problems


def one_problem(db: Path, file: Path, entry: Path | None = None) -> str:
    problems = rejected(db, file, entry)
    assert len(problems) == 1, problems
    return problems[0]


ENTRY = """
[[indicator]]
id = "{id}"
theme = "{theme}"
title = {{ tr = "Deneme oranı", en = "Test rate" }}
definition = {{ tr = "Tanım", en = "Definition" }}
unit = {{ tr = "binde", en = "per 1,000" }}
scale = 1000
value_type = "{value_type}"
decimals = 1
polarity = "lower_is_better"
source = "Kurgusal test kaynağı"
source_url = "https://example.org/kurgusal"
licence = "CC0 (test)"
method = {{ tr = "Yöntem", en = "Method" }}
periods = {periods}
levels = {levels}
disclosure = {{ min_count = {min_count} }}
{extra}
"""


def write_entry(path: Path, *, id="test_new_rate", theme="population", value_type="rate",
                periods='["2022", "2023"]', levels='["district", "mahalle"]', min_count=3, extra="") -> Path:
    path.write_text(ENTRY.format(id=id, theme=theme, value_type=value_type, periods=periods, levels=levels,
                                 min_count=min_count, extra=extra), encoding="utf-8")
    return path


@pytest.fixture
def db(tiny_db: Path) -> Path:
    """tiny_db with themes and WHO codes filled in (as a build does); test_share stays 'catalogue'."""
    sql(tiny_db, "INSERT INTO themes VALUES ('population', 'Nüfus', 'Population'), "
                 "('health_services', 'Sağlık hizmetleri', 'Health services')")
    sql(tiny_db, "INSERT INTO who_hc_indicators VALUES ('B2', 'B', 'Tam aşılı çocuklar', 'Children immunised')")
    return tiny_db


@pytest.fixture
def import_db(db: Path) -> Path:
    """As ``db`` but test_share is an imported indicator (origin 'import'), so imports may replace it."""
    sql(db, "UPDATE indicators SET origin = 'import' WHERE indicator_id = 'test_share'")
    return db


# --- good files ------------------------------------------------------------------------------


def test_good_csv_utf8_names_codes_wilson_and_source(import_db, tmp_path):
    f = write_csv(tmp_path / "veri.csv", [
        row(district="KARŞIYAKA", numerator=25, denominator=200),
        row(area_code="9002", value="30.0", numerator=30, denominator=100),
        row(level="mahalle", district="karsiyaka", mahalle="Bostanlı Mah.", value=12.5, lower_ci=10, upper_ci=15),
        row(level="mahalle", district="Bornova", mahalle="ATATÜRK MAHALLESİ", numerator=4, denominator=40,
            note="küçük sayı"),
        row(level="mahalle", area_code="91003", numerator=30, denominator=100),
    ])
    report = import_file(f, import_db)
    assert report.indicator_id == "test_share"
    assert report.rows == 5
    assert report.levels == ("district", "mahalle")
    assert report.periods == ("2023",)
    assert report.new_indicator is False
    assert report.source_id.startswith("import_test_share_") and len(report.source_id) == len("import_test_share_") + 10
    assert any("replaces the 2 value(s)" in w for w in report.warnings)
    assert any("1 value(s) stored as 'suppressed'" in w for w in report.warnings)

    got = values(import_db)
    # every district is given with its counts, so the import also stores the İzmir value (issue #16 finding 3)
    assert set(got) == {("district", "9001", "2023"), ("district", "9002", "2023"), ("mahalle", "91002", "2023"),
                        ("mahalle", "92001", "2023"), ("mahalle", "91003", "2023"), ("province", "35", "2023")}
    assert got[("province", "35", "2023")]["value"] == pytest.approx(55 / 300 * 100)
    k = got[("district", "9001", "2023")]
    assert k["value"] == pytest.approx(12.5) and k["status"] == "ok"
    assert (k["lower_ci"], k["upper_ci"]) == pytest.approx(WILSON_25_200, abs=1e-6)
    assert (got[("district", "9002", "2023")]["lower_ci"],
            got[("district", "9002", "2023")]["upper_ci"]) == pytest.approx(WILSON_30_100, abs=1e-6)
    given = got[("mahalle", "91002", "2023")]
    assert (given["value"], given["lower_ci"], given["upper_ci"]) == (12.5, 10.0, 15.0)
    small = got[("mahalle", "92001", "2023")]  # Atatürk of Bornova, not of Karşıyaka
    assert small["status"] == "suppressed" and small["value"] is None and small["numerator"] is None
    assert small["lower_ci"] is None and small["denominator"] == 40
    assert "küçük sayı kuralıyla gizlendi" in small["note"] and "suppressed by the disclosure rule" in small["note_en"]
    assert small["note"].endswith("; küçük sayı") and small["note_en"].endswith("; küçük sayı")  # the user's note
    assert {v["source_id"] for v in got.values()} == {report.source_id}

    src = sql(import_db, "SELECT title_tr, title_en, url, licence_tr, licence_en, attribution_tr, attribution_en, "
                         "file_path, sha256, bytes, notes FROM sources WHERE source_id = $id", {"id": report.source_id})
    title, title_en, url, licence, licence_en, attribution, attribution_en, file_path, sha, size, notes = src[0]
    assert file_path == "veri.csv" and "veri.csv" in title and title_en == title and size == f.stat().st_size
    assert report.source_id.endswith(sha[:10]) and len(sha) == 64
    assert (url, licence, attribution) == ("https://example.org/test", "CC0 (test fixture)", "Test fixture")
    assert (licence_en, attribution_en) == (licence, attribution)  # the entry gives one string for both
    assert notes == "imported by python -m atlas import"


@pytest.mark.parametrize("district,mahalle", [
    ("Karşıyaka", "Bostanlı"), ("KARŞIYAKA", "BOSTANLI MAHALLESİ"), ("karsiyaka", "Bostanlı Mah."),
    ("Karsiyaka", "bostanli mh."),
])
def test_name_spellings_match(import_db, tmp_path, district, mahalle):
    f = write_csv(tmp_path / "a.csv", [row(level="mahalle", district=district, mahalle=mahalle, value=10)])
    import_file(f, import_db)
    assert ("mahalle", "91002", "2023") in values(import_db)


def test_utf8_with_bom(import_db, tmp_path):
    f = write_csv(tmp_path / "bom.csv", [row(district="Karşıyaka", value=11)], encoding="utf-8-sig")
    assert f.read_bytes().startswith(b"\xef\xbb\xbf")
    assert parse_file(f).encoding == "utf-8-sig"
    import_file(f, import_db)
    assert values(import_db)[("district", "9001", "2023")]["value"] == 11


def test_windows_1254_turkish_names_kept(import_db, tmp_path):
    note = "İlçe Sağlık Müdürlüğü verisi: ş ğ ı İ Ş Ğ"
    f = write_csv(tmp_path / "tr.csv", [
        row(district="KARŞIYAKA", value=10, note=note),
        row(level="mahalle", district="Karşıyaka", mahalle="İNÖNÜ MAHALLESİ", value=20),
    ], sep=";", encoding="cp1254")
    f.read_bytes().decode("cp1254")
    with pytest.raises(UnicodeDecodeError):
        f.read_bytes().decode("utf-8")
    assert parse_file(f).encoding == "cp1254"
    import_file(f, import_db)
    got = values(import_db)
    assert got[("district", "9001", "2023")]["note"] == note
    assert got[("district", "9001", "2023")]["note_en"] == note  # one note, no English given: shown in both
    assert got[("mahalle", "91003", "2023")]["value"] == 20


def test_semicolon_and_decimal_comma(import_db, tmp_path):
    f = write_csv(tmp_path / "tr.csv", [
        row(district="Karşıyaka", value="12,5", numerator="154", denominator="1.232,0"),
        row(district="Bornova", value="7,25", lower_ci="6,5", upper_ci="8,0"),
    ], sep=";")
    parsed = parse_file(f)
    assert (parsed.delimiter, parsed.decimal_mark) == (";", ",")
    import_file(f, import_db)
    got = values(import_db)
    k = got[("district", "9001", "2023")]
    assert (k["value"], k["denominator"]) == (12.5, 1232.0)
    assert (k["lower_ci"], k["upper_ci"]) == pytest.approx(WILSON_154_1232, abs=1e-6)
    assert (got[("district", "9002", "2023")]["value"], got[("district", "9002", "2023")]["upper_ci"]) == (7.25, 8.0)


def test_excel_sep_line_counts_as_row(import_db, tmp_path):
    f = tmp_path / "sep.csv"
    f.write_text("sep=;\n" + ";".join(COLUMNS) + "\n" + "test_share;district;Karşıyaka;;;2023;abc;;;;;\n",
                 encoding="utf-8")
    assert rejected(import_db, f) == ["row 3: value: 'abc' is not a number (this file writes numbers like 1.234,5)"]


@pytest.mark.parametrize("text,mark,expected", [
    ("12,5", ",", 12.5), ("1.234,5", ",", 1234.5), ("1.234", ",", 1234.0), ("-3,0", ",", -3.0),
    ("12.5", ".", 12.5), ("1,234.5", ".", 1234.5), ("1 234", ",", 1234.0), ("7", ".", 7.0), ("", ",", None),
    ("1\u00a0234,5", ",", 1234.5),
])
def test_parse_number(text, mark, expected):
    assert parse_number(text, mark) == expected


@pytest.mark.parametrize("texts,delimiter,mark", [
    (["12,5", "3"], ",", ","), (["12.5", "3"], ";", "."), (["1.234", "5"], ";", ","), (["1.234", "5"], ",", "."),
    (["12,5", "1.234,5", "12.5"], ";", ","),
])
def test_detect_decimal_mark(texts, delimiter, mark):
    assert detect_decimal_mark(texts, delimiter) == mark


def test_xlsx(import_db, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Gösterge", "Düzey", "İlçe", "Mahalle", "Alan kodu", "Dönem", "Değer", "Pay", "Payda",
               "Alt sınır", "Üst sınır", "Not"])
    ws.append(["test_share", "ilçe", "KARŞIYAKA", None, None, 2023, None, 25, 200, None, None, "şğİ"])
    ws.append(["test_share", "mahalle", "Bornova", "Atatürk", None, "2023", "12,5", None, None, None, None, None])
    ws.append([None] * 12)
    ws.append(["test_share", "Mahalle", None, None, 91002, 2023, 33.3, None, None, 30, 36.6, None])
    f = tmp_path / "veri.xlsx"
    wb.save(f)
    report = import_file(f, import_db)
    assert report.rows == 3
    got = values(import_db)
    k = got[("district", "9001", "2023")]
    assert k["value"] == pytest.approx(12.5) and k["note"] == "şğİ"
    assert (k["lower_ci"], k["upper_ci"]) == pytest.approx(WILSON_25_200, abs=1e-6)
    assert got[("mahalle", "92001", "2023")]["value"] == 12.5
    assert got[("mahalle", "91002", "2023")]["upper_ci"] == 36.6


def test_xlsx_percent_cell_rejected(import_db, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(COLUMNS))
    ws.append(["test_share", "district", "Bornova", None, None, 2023, 0.125])
    ws["G2"].number_format = "0.0%"
    f = tmp_path / "yuzde.xlsx"
    wb.save(f)
    assert "row 2: value: '12.5%' has a percent sign" in one_problem(import_db, f)


def test_new_indicator_with_entry(db, tmp_path):
    entry = write_entry(tmp_path / "yeni.toml")
    f = write_csv(tmp_path / "yeni.csv", [
        row(indicator_id="test_new_rate", district="Karşıyaka", period="2022", numerator=12, denominator=4000),
        row(indicator_id="test_new_rate", level="mahalle", district="Bornova", mahalle="Kazımdirik",
            period="2022", value=2.5),
    ])
    before = snapshot(db)
    report = import_file(f, db, entry)
    assert (report.indicator_id, report.new_indicator, report.rows) == ("test_new_rate", True, 2)
    stored = sql(db, "SELECT origin, theme, title_en, value_type, metadata_json FROM indicators "
                     "WHERE indicator_id = 'test_new_rate'")
    origin, theme, title_en, value_type, meta = stored[0]
    assert (origin, theme, title_en, value_type) == ("import", "population", "Test rate", "rate")
    assert meta == load_entry(None, entry).to_json()
    assert indicator_from_json(meta).scale == 1000
    got = values(db, "test_new_rate")
    assert got[("district", "9001", "2022")]["value"] == pytest.approx(3.0)  # 12 / 4000 × 1000
    assert got[("district", "9001", "2022")]["lower_ci"] is None  # Wilson is for proportions only
    assert set(values(db)) == {("district", "9001", "2023"), ("district", "9002", "2023")}  # untouched
    assert len(snapshot(db)["sources"]) == len(before["sources"]) + 1


def test_reimport_replaces_only_the_periods_in_the_file(db, tmp_path):
    entry = write_entry(tmp_path / "yeni.toml")
    ind = "test_new_rate"
    import_file(write_csv(tmp_path / "y2022.csv", [row(indicator_id=ind, district="Bornova", period="2022",
                                                       value=1)]), db, entry)
    import_file(write_csv(tmp_path / "y2023.csv", [row(indicator_id=ind, district="Bornova", value=2),
                                                   row(indicator_id=ind, district="Karşıyaka", value=3)]), db)
    report = import_file(write_csv(tmp_path / "y2023b.csv", [row(indicator_id=ind, district="Karşıyaka",
                                                                 value=4)]), db)
    assert report.new_indicator is False
    assert "replaces the 2 value(s) already stored for test_new_rate period 2023" in report.warnings
    got = values(db, ind)
    assert {k: v["value"] for k, v in got.items()} == {("district", "9002", "2022"): 1,
                                                      ("district", "9001", "2023"): 4}


def test_reimport_same_file_is_idempotent(import_db, tmp_path):
    f = write_csv(tmp_path / "a.csv", [row(district="Bornova", value=5)])
    first = import_file(f, import_db)
    after_first = values(import_db)
    second = import_file(f, import_db)
    assert first.source_id == second.source_id
    assert values(import_db) == after_first
    assert sql(import_db, "SELECT count(*) FROM sources WHERE source_id = $id", {"id": first.source_id}) == [(1,)]


def test_entry_updates_an_imported_indicator_to_add_a_period(db, tmp_path):
    ind = "test_new_rate"
    import_file(write_csv(tmp_path / "a.csv", [row(indicator_id=ind, district="Bornova", value=1)]), db,
                write_entry(tmp_path / "e1.toml"))
    f = write_csv(tmp_path / "b.csv", [row(indicator_id=ind, district="Bornova", period="2024", value=2)])
    assert "period 2024 is not in the periods of test_new_rate (2022, 2023)" in one_problem(db, f)
    report = import_file(f, db, write_entry(tmp_path / "e2.toml", periods='["2022", "2023", "2024"]'))
    assert any("catalogue entry of test_new_rate was replaced" in w for w in report.warnings)
    assert set(values(db, ind)) == {("district", "9002", "2023"), ("district", "9002", "2024")}


def test_warnings_for_inconsistent_values_and_unchecked_disclosure(import_db, tmp_path):
    f = write_csv(tmp_path / "a.csv", [row(district="Bornova", value=14, numerator=25, denominator=200),
                                       row(district="Karşıyaka", value=20)])
    report = import_file(f, import_db)
    assert "1 value(s) differ from numerator ÷ denominator × 100 (row 2: 14 vs 12.50); the given values are " \
           "stored" in report.warnings
    assert any(w.startswith("1 value(s) lack the numerator or denominator") for w in report.warnings)
    assert "note: 1 value(s) differ" in report.summary()


def test_dry_run_writes_nothing(import_db, tmp_path):
    f = write_csv(tmp_path / "a.csv", [row(district="Bornova", value=5)])
    before = snapshot(import_db)
    report = import_file(f, import_db, dry_run=True)
    assert report.rows == 1
    assert snapshot(import_db) == before


def test_negative_allowed_by_entry(db, tmp_path):
    entry = write_entry(tmp_path / "e.toml", id="test_change", value_type="percent_change", min_count=0,
                        extra="allow_negative = true")
    f = write_csv(tmp_path / "a.csv", [row(indicator_id="test_change", district="Bornova", value="-4.5",
                                           lower_ci="-6", upper_ci="-3")])
    import_file(f, db, entry)
    assert values(db, "test_change")[("district", "9002", "2023")]["value"] == -4.5


# --- rejected files: each says why, row-numbered, and writes nothing --------------------------


def test_unknown_indicator_suggests_close_ids(import_db, tmp_path):
    f = write_csv(tmp_path / "a.csv", [row(indicator_id="test_shares", district="Bornova", value=1)])
    msg = one_problem(import_db, f)
    assert "unknown indicator 'test_shares'" in msg and "did you mean test_share?" in msg and "--entry" in msg


def test_catalogue_indicator_is_not_changed_by_import(db, tmp_path):
    f = write_csv(tmp_path / "a.csv", [row(district="Bornova", value=1)])
    msg = one_problem(db, f)
    assert "'test_share' comes from the catalogue" in msg and "python -m atlas build" in msg


def test_entry_for_catalogue_indicator_rejected(db, tmp_path):
    entry = write_entry(tmp_path / "e.toml", id="test_share")
    f = write_csv(tmp_path / "a.csv", [row(district="Bornova", value=1)])
    assert "'test_share' comes from the catalogue" in one_problem(db, f, entry)


def test_unknown_district_with_suggestions(import_db, tmp_path):
    f = write_csv(tmp_path / "a.csv", [row(district="Bornova", value=1), row(district="Karsiyka", value=2)])
    assert one_problem(import_db, f) == "row 3: unknown district 'Karsiyka'; closest: Karşıyaka"


def test_mahalle_is_matched_within_its_district(import_db, tmp_path):
    f = write_csv(tmp_path / "a.csv", [row(level="mahalle", district="Bornova", mahalle="Bostanlı", value=1)])
    assert one_problem(import_db, f).startswith("row 2: unknown mahalle in Bornova 'Bostanlı'")


def test_mahalle_without_district(import_db, tmp_path):
    f = write_csv(tmp_path / "a.csv", [row(level="mahalle", mahalle="Bostanlı", value=1)])
    assert "row 2: mahalle 'Bostanlı' has no district" in one_problem(import_db, f)


def test_unknown_and_disagreeing_area_codes(import_db, tmp_path):
    f = write_csv(tmp_path / "a.csv", [
        row(area_code="9999", value=1),
        row(area_code="9001", district="Bornova", value=1),
        row(level="mahalle", area_code="9001", value=1),
    ])
    assert rejected(import_db, f) == [
        "row 2: area_code '9999' is not a district of the atlas",
        "row 3: area_code 9001 is Karşıyaka but the names say Bornova",
        "row 4: area_code '9001' is not a mahalle of the atlas",
    ]


def test_ambiguous_name_lists_candidates():
    resolver = AreaResolver([("district", "1", "Konak", "35"), ("mahalle", "11", "Atatürk", "1"),
                             ("mahalle", "12", "ATATÜRK MAH.", "1")])
    r = ParsedRow(row=5, indicator_id="x", level="mahalle", district="Konak", mahalle="Atatürk", area_code=None,
                  period="2023", period_sort=2023, value=1, numerator=None, denominator=None, lower_ci=None,
                  upper_ci=None, note=None)
    code, problem = resolver.resolve(r)
    assert code is None and problem.startswith("mahalle in Konak 'Atatürk' is ambiguous") and "area_code" in problem


def test_unknown_level(import_db, tmp_path):
    f = write_csv(tmp_path / "a.csv", [row(level="köy", district="Bornova", value=1)])
    assert one_problem(import_db, f) == "row 2: level is 'köy'; use district (ilçe) or mahalle"


def test_level_not_in_entry_levels(db, tmp_path):
    entry = write_entry(tmp_path / "e.toml", levels='["district"]')
    f = write_csv(tmp_path / "a.csv", [row(indicator_id="test_new_rate", level="mahalle", district="Bornova",
                                           mahalle="Atatürk", value=1)])
    assert one_problem(db, f, entry) == "row 2: level mahalle is not in the levels of test_new_rate (district)"


def test_period_not_in_entry_names_allowed_periods(db, tmp_path):
    entry = write_entry(tmp_path / "e.toml")
    f = write_csv(tmp_path / "a.csv", [row(indicator_id="test_new_rate", district="Bornova", period="2021",
                                           value=1)])
    assert one_problem(db, f, entry).startswith(
        "row 2: period 2021 is not in the periods of test_new_rate (2022, 2023)")


def test_bad_period(import_db, tmp_path):
    f = write_csv(tmp_path / "a.csv", [row(district="Bornova", period="23", value=1)])
    assert one_problem(import_db, f) == "row 2: period '23' is not a year (2023) or a span of years (2021-2025)"


def test_duplicates_after_name_matching(import_db, tmp_path):
    f = write_csv(tmp_path / "a.csv", [row(district="Karşıyaka", value=1), row(district="Bornova", value=2),
                                       row(district="KARSIYAKA", value=3)])
    assert one_problem(import_db, f) == (
        "row 4: duplicate: district Karşıyaka period 2023 is already given in row 2")


def test_non_numeric_values(import_db, tmp_path):
    f = write_csv(tmp_path / "a.csv", [row(district="Bornova", value="yok"),
                                       row(district="Karşıyaka", value="12%")])
    assert rejected(import_db, f) == [
        "row 2: value: 'yok' is not a number (this file writes numbers like 1234.5)",
        "row 3: value: '12%' has a percent sign; write the number alone (e.g. '12') in the indicator's unit",
    ]


def test_mixed_decimal_marks(import_db, tmp_path):
    f = write_csv(tmp_path / "a.csv", [row(district="Bornova", value="12,5"), row(district="Karşıyaka",
                                                                                  value="13,5"),
                                       row(level="mahalle", district="Bornova", mahalle="Atatürk", value="1.5")],
                  sep=";")
    assert one_problem(import_db, f) == (
        "row 4: value: '1.5' is not a number (this file writes numbers like 1.234,5)")


def test_negative_values(import_db, tmp_path):
    f = write_csv(tmp_path / "a.csv", [row(district="Bornova", value="-1"),
                                       row(district="Karşıyaka", value=5, numerator=-2, denominator=40)])
    problems = rejected(import_db, f)
    assert "row 2: value is negative (-1) and test_share does not allow negative values" in problems
    assert "row 3: numerator is negative (-2)" in problems


def test_numerator_above_denominator(import_db, tmp_path):
    f = write_csv(tmp_path / "a.csv", [row(district="Bornova", numerator=50, denominator=40)])
    assert one_problem(import_db, f) == "row 2: numerator 50 is larger than denominator 40"


def test_proportion_above_scale(import_db, tmp_path):
    f = write_csv(tmp_path / "a.csv", [row(district="Bornova", value=120)])
    assert one_problem(import_db, f).startswith("row 2: value 120 is above 100")


def test_ci_checks(import_db, tmp_path):
    f = write_csv(tmp_path / "a.csv", [
        row(district="Bornova", value=10, lower_ci=8),
        row(district="Karşıyaka", value=10, lower_ci=11, upper_ci=14),
        row(level="mahalle", district="Bornova", mahalle="Atatürk", value=40, numerator=10, denominator=100),
    ])
    problems = rejected(import_db, f)
    assert problems[0] == "row 2: give both lower_ci and upper_ci, or neither"
    assert problems[1] == "row 3: the CI [11, 14] is not around the value 10 (lower_ci ≤ value ≤ upper_ci)"
    assert problems[2].startswith("row 4: value 40 is outside the 95 % CI computed from numerator and denominator")
    assert len(problems) == 3


def test_zero_denominator_and_no_value(import_db, tmp_path):
    f = write_csv(tmp_path / "a.csv", [row(district="Bornova", numerator=0, denominator=0),
                                       row(district="Karşıyaka", note="veri yok")])
    problems = rejected(import_db, f)
    assert "row 2: denominator must be above 0, got 0" in problems
    assert any(p.startswith("row 3: no value: give value") for p in problems)


def test_value_required_when_it_cannot_be_computed(db, tmp_path):
    entry = write_entry(tmp_path / "e.toml", value_type="count", min_count=0)
    f = write_csv(tmp_path / "a.csv", [row(indicator_id="test_new_rate", district="Bornova", numerator=3,
                                           denominator=10)])
    assert one_problem(db, f, entry) == ("row 2: no value: test_new_rate is a count, so value cannot be computed "
                                         "from numerator and denominator")


def test_all_suppressed_is_rejected(import_db, tmp_path):
    f = write_csv(tmp_path / "a.csv", [row(district="Bornova", numerator=2, denominator=40)])
    assert "every value would be suppressed" in one_problem(import_db, f)


def test_all_problems_are_collected_and_sorted(import_db, tmp_path):
    f = write_csv(tmp_path / "a.csv", [
        row(district="Bornova", value="x"),
        row(level="il", district="Bornova", value=1),
        row(district="Nowhere", value=1),
        row(district="Karşıyaka", value=1, period="2023/24"),
    ], header=list(COLUMNS) + ["extra"])
    problems = rejected(import_db, f)
    assert [p.split(":")[0] for p in problems] == ["row 1", "row 2", "row 3", "row 4", "row 5"]
    assert problems[0].startswith("row 1: unknown column 'extra'")


def test_problem_list_is_capped(import_db, tmp_path):
    f = write_csv(tmp_path / "a.csv", [row(district="Bornova", value=f"x{i}") for i in range(60)])
    problems = rejected(import_db, f)
    assert len(problems) == 51 and problems[-1] == "… and 10 more problem(s) not listed"
    with pytest.raises(ImportRejected, match="60 problems"):
        import_file(f, import_db)


def test_blank_rows_keep_row_numbers(import_db, tmp_path):
    f = tmp_path / "a.csv"
    f.write_text(HEADER + "\ntest_share,district,Bornova,,,2023,1,,,,,\n,,,,,,,,,,,\n\n"
                          "test_share,district,Karşıyaka,,,2023,bad,,,,,\n", encoding="utf-8")
    assert one_problem(import_db, f).startswith("row 5: value: 'bad'")


def test_missing_columns(import_db, tmp_path):
    f = write_csv(tmp_path / "a.csv", [{"indicator_id": "test_share", "district": "Bornova"}],
                  header=["indicator_id", "district", "note"])
    problems = rejected(import_db, f)
    assert "row 1: missing column 'level'" in problems
    assert "row 1: missing column 'period'" in problems
    assert "row 1: missing column 'value' (or both 'numerator' and 'denominator')" in problems


def test_areas_are_checked_even_when_the_indicator_is_unknown(import_db, tmp_path):
    f = write_csv(tmp_path / "a.csv", [row(indicator_id="nope", district="Nowhere", value=1)])
    problems = rejected(import_db, f)
    assert problems[0].startswith("unknown indicator 'nope'")
    assert problems[1] == "row 2: unknown district 'Nowhere'"


def test_several_indicators_in_one_file(import_db, tmp_path):
    f = write_csv(tmp_path / "a.csv", [row(district="Bornova", value=1),
                                       row(indicator_id="other", district="Bornova", value=1)])
    assert "several indicators (test_share, other)" in one_problem(import_db, f)


def test_entry_problems(db, tmp_path):
    f = write_csv(tmp_path / "a.csv", [row(indicator_id="test_new_rate", district="Bornova", value=1)])
    bad_theme = write_entry(tmp_path / "e1.toml", theme="weather")
    assert "--entry: e1.toml [[indicator]] (indicator 'test_new_rate'): key 'theme': 'weather' is not allowed" \
        in one_problem(db, f, bad_theme)
    other_id = write_entry(tmp_path / "e2.toml", id="another_rate")
    assert "defines 'another_rate' but the file's indicator_id is 'test_new_rate'" in one_problem(db, f, other_id)
    (tmp_path / "e3.toml").write_text("[[indicator]]\nid = 'a'\n[[indicator]]\nid = 'b'\n", encoding="utf-8")
    assert "exactly one [[indicator]] table" in one_problem(db, f, tmp_path / "e3.toml")


def test_unreadable_files(import_db, tmp_path):
    assert "no such file" in one_problem(import_db, tmp_path / "missing.csv")
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    assert "save it as .xlsx" in one_problem(import_db, tmp_path / "old.xls")
    (tmp_path / "empty.csv").write_bytes(b"")
    assert "empty" in one_problem(import_db, tmp_path / "empty.csv")
    (tmp_path / "header_only.csv").write_text(HEADER + "\n", encoding="utf-8")
    assert "no data rows" in one_problem(import_db, tmp_path / "header_only.csv")


# --- the shipped template ------------------------------------------------------------------------


def test_template_parses_and_matches_its_entry():
    parsed = parse_file(TEMPLATE)
    assert parsed.problems == ()
    assert parsed.columns == COLUMNS
    assert len(parsed.rows) >= 5
    assert all((r.note, r.note_en) == EXAMPLE_NOTE for r in parsed.rows)
    assert {r.level for r in parsed.rows} == {"district", "mahalle"}
    themes = [t.id for t in load_themes(INDICATORS_DIR / "themes.toml")]
    who = [w.code for w in load_who(INDICATORS_DIR / "who_healthy_cities.toml")]
    (ind_id,) = {r.indicator_id for r in parsed.rows}
    ind = load_entry(None, TEMPLATE_ENTRY)
    assert ind.id == ind_id and ind.theme in themes and ind.who_code in who
    checked, problems, _ = check_rows(parsed.rows, ind)
    assert problems == [] and len(checked) == len(parsed.rows)
    assert any(v.status == "suppressed" for v in checked)  # the template shows the disclosure rule


def test_template_areas_resolve_except_those_missing_from_tiny_db(db):
    problems = rejected(db, TEMPLATE, TEMPLATE_ENTRY)
    assert problems and all("unknown district 'Konak'" in p for p in problems)
