"""The new-indicator form (atlas.workbench.entry_form): the entry made from a form, checked by the catalogue's
rules with problems per field in Turkish and English, and the entry as the TOML `--entry` takes."""

from __future__ import annotations

import tomllib
from pathlib import Path

import duckdb
import pytest

from atlas.catalogue import Disclosure, Indicator, Text, parse_indicator
from atlas.config import REPO_ROOT
from atlas.errors import CatalogueError
from atlas.importing import import_file, load_entry
from atlas.workbench import entry_form as F
from tests.factories import sample_indicator

GOOD = {
    "id": "child_immunisation", "title_tr": "Tam aşılı çocuklar", "title_en": "Children fully immunised",
    "definition_tr": "Aşı takvimini tamamlamış 2 yaş çocukların yüzdesi.",
    "definition_en": "Percentage of two-year-olds who completed the schedule.",
    "unit_tr": "%", "unit_en": "%", "scale": "100", "value_type": "proportion", "decimals": 1,
    "polarity": "higher_is_better", "theme": "health_services", "who_code": "B2",
    "source": "İzmir İl Sağlık Müdürlüğü (KURGUSAL test)", "source_url": "https://example.org/asi",
    "licence": "CC BY 4.0", "periods": "2023, 2021-2025", "levels": ["district", "mahalle"],
    "method_tr": "Pay / payda × 100.", "method_en": "Numerator / denominator × 100.",
    "min_count": "5", "min_denominator": "",
}
EXPECTED = Indicator(
    id="child_immunisation", theme="health_services", title=Text("Tam aşılı çocuklar", "Children fully immunised"),
    definition=Text("Aşı takvimini tamamlamış 2 yaş çocukların yüzdesi.",
                    "Percentage of two-year-olds who completed the schedule."),
    unit=Text("%", "%"), scale=100.0, value_type="proportion", decimals=1, polarity="higher_is_better",
    source="İzmir İl Sağlık Müdürlüğü (KURGUSAL test)", source_url="https://example.org/asi",
    licence="CC BY 4.0",
    method=Text("Pay / payda × 100.", "Numerator / denominator × 100."), periods=("2023", "2021-2025"),
    levels=("district", "mahalle"), disclosure=Disclosure(min_count=5, min_denominator=0), who_code="B2")


@pytest.fixture
def db(tiny_db: Path) -> Path:
    con = duckdb.connect(str(tiny_db))
    con.execute("INSERT INTO themes VALUES ('population', 'Nüfus', 'Population'), "
                "('health_services', 'Sağlık hizmetleri', 'Health services')")
    con.execute("INSERT INTO who_hc_indicators VALUES ('B2', 'B', 'Tam aşılı çocuklar', 'Children immunised')")
    con.close()
    return tiny_db


def form(db: Path, values: dict):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return F.entry_from_form(values, con)
    finally:
        con.close()


def test_fields_cover_the_issue_list():
    assert len(F.FIELDS) == 22 and len(set(F.FIELD_KEYS)) == 22
    assert {"id", "title_tr", "title_en", "definition_tr", "definition_en", "unit_tr", "unit_en", "scale",
            "value_type", "decimals", "polarity", "theme", "who_code", "source", "source_url", "licence",
            "periods", "levels", "method_tr", "method_en", "min_count", "min_denominator"} == set(F.FIELD_KEYS)
    assert [f.key for f in F.FIELDS if not f.required] == ["who_code", "min_count", "min_denominator"]


def test_field_choices_from_the_database(db):
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert F.field_choices(con, "tr") == {
            "theme": [("health_services", "Sağlık hizmetleri"), ("population", "Nüfus")],
            "who_code": [("B2", "B2 — Tam aşılı çocuklar")]}
    finally:
        con.close()


def test_a_good_form_makes_the_entry(db):
    ind, problems = form(db, GOOD)
    assert problems == [] and ind == EXPECTED


def test_problems_per_field_in_both_languages(db):
    bad = dict(GOOD, id="Çocuk aşı", title_en="  ", scale="yüz", decimals="7", theme="sport", who_code="Z9",
               source_url="javascript:alert(1)", periods="2023, 20x3", levels=["district", "köy"],
               min_count="-1", min_denominator="2,5")
    ind, problems = form(db, bad)
    assert ind is None
    assert [(p.field, p.get("en")) for p in problems] == [
        ("id", "'Çocuk aşı' is not an id: use lower-case letters, digits and _, starting with a letter "
               "(2 to 63 characters)"),
        ("title_en", "required: fill in this field"),
        ("scale", "'yüz' is not a number"),
        ("decimals", "must be 0 to 6"),
        ("theme", "'sport' is not one of the choices"),
        ("who_code", "'Z9' is not one of the choices"),
        ("source_url", "'javascript:alert(1)' is not a web address the atlas may link to: give an http:// or "
                       "https:// address with a host, without spaces, quotes, <, > or \\"),
        ("periods", "period '20x3' is not a year (2023) or a span of years (2021-2025)"),
        ("levels", "'köy' is not one of the choices"),
        ("min_count", "must be 0 or more"),
        ("min_denominator", "'2,5' is not a whole number"),
    ]
    assert [p.get("tr") for p in problems][:3] == [
        "'Çocuk aşı' bir kod değil: küçük harf, rakam ve _ kullanın; bir harfle başlasın (2 ile 63 karakter)",
        "zorunlu: bu alanı doldurun", "'yüz' bir sayı değil"]


def test_periods_are_written_as_the_atlas_writes_them(db):
    ind, problems = form(db, dict(GOOD, periods="2021 - 2025; 2024"))
    assert problems == [] and ind.periods == ("2021-2025", "2024")
    _, problems = form(db, dict(GOOD, periods="2024, 2024"))
    assert [(p.field, p.get("en")) for p in problems] == [("periods", "period 2024 is given twice")]
    _, problems = form(db, dict(GOOD, periods="1900"))
    assert problems[0].get("en") == "period '1900' names the year 1900; a period lies within " \
                                    f"1950–{__import__('atlas.importing.limits').importing.limits.last_year()}"


def test_a_catalogue_indicator_cannot_be_replaced(db):
    _, problems = form(db, dict(GOOD, id="test_share"))
    assert [(p.field, p.get("en")) for p in problems] == [
        ("id", "'test_share' is an indicator of the atlas's catalogue, which an import cannot change; "
               "choose a new id")]


def test_unknown_form_field_fails_loudly(db):
    with pytest.raises(ValueError, match="unknown form field 'colour'"):
        form(db, dict(GOOD, colour="red"))


def test_a_catalogue_error_lands_on_the_field_its_key_names():
    exc = CatalogueError("form (indicator 'x'): key 'disclosure': key 'min_denominator': expected int, got str 'a'")
    problem = F._catalogue_problem(exc)
    assert problem.field == "min_denominator"
    assert problem.get("en") == "the catalogue refuses this value: expected int, got str 'a'"
    assert problem.get("tr") == "katalog bu değeri kabul etmiyor: expected int, got str 'a'"
    assert F._catalogue_problem(CatalogueError("form: missing key 'title'")).field == "title_tr"


def roundtrip(ind: Indicator) -> Indicator:
    return parse_indicator(tomllib.loads(F.entry_toml(ind))["indicator"][0], "entry_toml")


@pytest.mark.parametrize("ind", [
    EXPECTED,
    sample_indicator(),
    sample_indicator(allow_negative=True, proxy=True, ordinal=True, scale=0.001, decimals=0,
                     caveat=Text('"tırnak" \\ ters\nsatır\tsekme', "del \x7f and 🙂"),
                     source=Text("Kaynak", "Source"), licence="=HYPERLINK(\"x\")"),
])
def test_entry_toml_round_trips(ind):
    assert roundtrip(ind) == ind


def test_entry_toml_of_the_example_entry_round_trips():
    ind = load_entry(None, REPO_ROOT / "examples" / "import_template_entry.toml")
    assert roundtrip(ind) == ind


def test_the_forms_entry_imports_with_the_cli_importer(db, tmp_path):
    ind, _ = form(db, GOOD)
    entry = tmp_path / "yeni.toml"
    entry.write_text(F.entry_toml(ind), encoding="utf-8")
    data = tmp_path / "asi.csv"
    data.write_text("indicator_id,level,district,period,numerator,denominator\n"
                    "child_immunisation,district,Karşıyaka,2023,90,100\n"
                    "child_immunisation,district,Bornova,2023,45,50\n", encoding="utf-8")
    report = import_file(data, db, entry)
    assert (report.indicator_id, report.rows, report.new_indicator) == ("child_immunisation", 2, True)
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert load_entry(con, entry) == ind
    finally:
        con.close()
