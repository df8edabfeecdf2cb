"""Issue #16 finding 3: "Compared with İzmir" for imported indicators, and no traceback on any page.

The import computes the İzmir (province) value where it can (``atlas/importing/province.py``) and
stores it, so every view has it; where there is none, the app does not offer the scheme, a URL that
asks for it falls back with a notice, the map view falls back to quantiles with a note, and
``python -m atlas export --scheme compare_izmir`` refuses with one clear message.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from atlas import cli, queries
from atlas.catalogue import indicator_from_json
from atlas.importing import import_file
from atlas.views.map_view import NO_IZMIR_NOTE, build_map_view
from atlas.views.view_state import SCHEMES, Availability, resolve_view, with_changes
from tests.conftest import ROOT
from tests.factories import MAHALLE, make_tiny_db
from tests.test_importer import row, write_csv, write_entry

NEW = "test_new_rate"


@pytest.fixture(autouse=True)
def _fresh_caches(fresh_caches):
    """Every test starts and ends with empty Streamlit caches (tests/conftest.py)."""


def _sql(db: Path, statement: str) -> None:
    con = duckdb.connect(str(db))
    try:
        con.execute(statement)
    finally:
        con.close()


def _province(db: Path, indicator_id: str) -> dict:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("SELECT period, value, numerator, denominator, lower_ci, upper_ci, status, note_en "
                           "FROM indicator_values WHERE indicator_id = $id AND level = 'province'",
                           {"id": indicator_id}).fetchall()
    finally:
        con.close()
    return {r[0]: r[1:] for r in rows}


@pytest.fixture
def db(tmp_path) -> Path:
    """The tiny database with themes, and one imported rate: 2023 gives every district with its counts
    (so İzmir's value can be computed) and three mahalle; 2022 gives one district only (no İzmir value).
    test_share (catalogue) has no İzmir value either."""
    path = make_tiny_db(tmp_path / "tiny.duckdb")
    _sql(path, "INSERT INTO themes VALUES ('population', 'Nüfus', 'Population')")
    rows = [row(indicator_id=NEW, district="Karşıyaka", numerator=30, denominator=2000),
            row(indicator_id=NEW, district="Bornova", numerator=12, denominator=1000),
            row(indicator_id=NEW, district="Bornova", period="2022", value=9.5)]
    rows += [row(indicator_id=NEW, level="mahalle", area_code=code, numerator=10 + i, denominator=1000)
             for i, (code, _, _) in enumerate(MAHALLE[:3])]
    import_file(write_csv(tmp_path / "rate.csv", rows), path, write_entry(tmp_path / "rate.toml"))
    return path


# --- the import stores the İzmir value ------------------------------------------------------


def test_import_computes_and_stores_the_izmir_value(db, tmp_path):
    got = _province(db, NEW)
    assert set(got) == {"2023"}  # 2022 covers one of the two districts: no İzmir value
    value, num, den, lo, hi, status, note = got["2023"]
    assert (value, num, den, status) == (pytest.approx(14.0), 42, 3000, "ok")  # (30 + 12) / (2000 + 1000) × 1000
    assert lo is None and hi is None  # a rate gets no CI at import, as its areas
    assert note == "computed at import from the 2 districts: sum of numerators ÷ sum of denominators"


def test_import_report_says_why_there_is_no_izmir_value(tmp_path):
    path = make_tiny_db(tmp_path / "t.duckdb")
    _sql(path, "UPDATE indicators SET origin = 'import' WHERE indicator_id = 'test_share'")
    report = import_file(write_csv(tmp_path / "a.csv", [row(district="Bornova", numerator=10, denominator=100)]), path)
    assert report.izmir == ("period 2023: no İzmir value, so the areas cannot be compared with İzmir (1 of the 2 "
                            "district areas of the atlas are not in the file)",)
    assert _province(path, "test_share") == {}
    # every district, as proportions: the İzmir value with its Wilson CI
    report = import_file(write_csv(tmp_path / "b.csv", [row(district="Bornova", numerator=10, denominator=100),
                                                        row(district="Karşıyaka", value=20, numerator=20,
                                                            denominator=100)]), path)
    assert report.izmir == ("period 2023: İzmir value 15.0 computed from the 2 district rows",)
    value, num, den, lo, hi, status, _ = _province(path, "test_share")["2023"]
    assert (value, num, den) == (pytest.approx(15.0), 30, 200) and 10.3 < lo < 15.0 < hi < 20.7
    # a given value that is not numerator ÷ denominator: the sums would not be İzmir's value
    report = import_file(write_csv(tmp_path / "c.csv", [row(district="Bornova", value=10.6, numerator=10,
                                                            denominator=100),
                                                        row(district="Karşıyaka", numerator=20, denominator=100)]),
                         path)
    assert "row 2's value differs from numerator ÷ denominator × 100" in report.izmir[0]
    assert _province(path, "test_share") == {}  # the re-import replaced the period, its İzmir value too


def test_import_of_a_count_stores_the_total(tmp_path):
    path = make_tiny_db(tmp_path / "t.duckdb")
    _sql(path, "INSERT INTO themes VALUES ('population', 'Nüfus', 'Population')")
    entry = write_entry(tmp_path / "count.toml", id="test_count", value_type="count", min_count=0)
    import_file(write_csv(tmp_path / "n.csv", [row(indicator_id="test_count", district="Bornova", value=7),
                                               row(indicator_id="test_count", district="Karşıyaka", value=5)]),
                path, entry)
    assert _province(path, "test_count")["2023"][:2] == (12, None)


# --- views: the scheme is offered only with an İzmir value; a URL falls back with a notice ----


def test_map_view_and_url_without_izmir_value(db):
    con = duckdb.connect(str(db), read_only=True)
    try:
        inds = {i: indicator_from_json(m) for i, m in con.execute(
            "SELECT indicator_id, metadata_json FROM indicators").fetchall()}
        avail = Availability(queries.run(con, "list_indicator_views"))
        # the exact request of the issue: compare_izmir for an indicator without an İzmir value
        mv = build_map_view(con, inds["test_share"], "2023", "district", "compare_izmir", 5, "en")
        assert mv.scheme == "quantiles" and NO_IZMIR_NOTE.get("en") in [n.en for n in mv.notes]
        mv = build_map_view(con, inds[NEW], "2023", "district", "compare_izmir", 5, "en")
        assert mv.scheme == "compare_izmir" and mv.comparator.value == pytest.approx(14.0)
        assert set(mv.frame["diff_izmir"].round(6)) == {round(15.0 - 14.0, 6), round(12.0 - 14.0, 6)}
    finally:
        con.close()
    assert "compare_izmir" in avail.schemes(NEW, "2023") and "compare_izmir" not in avail.schemes(NEW, "2022")
    view, notices = resolve_view({"indicator": NEW, "period": "2022", "scheme": "compare_izmir"}, avail)
    assert view.scheme == "quantiles" and [(n.param, n.given, n.used) for n in notices] == [
        ("scheme", "compare_izmir", "quantiles")]
    assert "compare_izmir" not in notices[0].allowed
    view, notices = resolve_view({"indicator": NEW, "period": "2023", "scheme": "compare_izmir"}, avail)
    assert view.scheme == "compare_izmir" and notices == []
    assert with_changes(view, avail, period="2022").scheme == "quantiles"


def test_cli_export_compare_izmir(capsys, db, tmp_path):
    out = tmp_path / "x.csv"
    code = cli.main(["export", "--indicator", NEW, "--period", "2022", "--level", "district", "--scheme",
                     "compare_izmir", "--db", str(db), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err and not out.exists()
    assert err.strip() == ("error: the indicator 'test_new_rate' has no İzmir value for period '2022', so its areas "
                           "cannot be compared with İzmir; choose another --scheme: quantiles, natural_breaks, "
                           "equal_interval, std_mean, hot_spots")
    code = cli.main(["export", "--indicator", NEW, "--period", "2023", "--level", "district", "--scheme",
                     "compare_izmir", "--db", str(db), "--out", str(out)])
    assert code == 0 and out.exists(), capsys.readouterr().err
    assert "14" in out.read_text(encoding="utf-8-sig")


# --- no traceback, anywhere -----------------------------------------------------------------


def test_error_details_are_off_in_every_configuration():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"
    for launcher in ("start.sh", "kiosk.sh"):
        assert "--client.showErrorDetails none" in (ROOT / "scripts" / launcher).read_text(encoding="utf-8")


def test_tables_offer_no_unescaped_csv_download_in_any_configuration():
    # Streamlit's own table download writes "=HYPERLINK(...)" raw (finding 4): it is off everywhere,
    # the atlas's downloads (atlas/views/spreadsheet.py) are the way to take data away.
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["disableDataExport"] is True
    for launcher in ("start.sh", "kiosk.sh"):
        assert "--client.disableDataExport true" in (ROOT / "scripts" / launcher).read_text(encoding="utf-8")


def _app(monkeypatch, db: Path, page: str | None, **params) -> AppTest:
    monkeypatch.setenv("ATLAS_DB", str(db))
    at = AppTest.from_file(str(ROOT / "atlas_app.py"), default_timeout=60)
    if page:
        at.switch_page(page)
    at.query_params.update(params)
    return at.run()


def _param(at: AppTest, key: str) -> str | None:
    v = at.query_params.get(key)
    return v[0] if isinstance(v, list) else v


def test_every_page_scheme_and_level_of_every_indicator(monkeypatch, db):
    """Every page × scheme × level × period of every indicator (the catalogue's one and an imported one):
    no exception element; a scheme that cannot be drawn falls back with a notice."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        views = queries.run(con, "list_indicator_views")
        areas = [r[0] for r in con.execute("SELECT code FROM areas WHERE level <> 'province'").fetchall()]
    finally:
        con.close()
    avail = Availability(views)
    checked = 0
    for indicator, level, period in views[["indicator_id", "level", "period"]].itertuples(index=False):
        for scheme in SCHEMES:
            where = f"map {indicator}/{level}/{period}/{scheme}"
            at = _app(monkeypatch, db, None, indicator=indicator, level=level, period=period, scheme=scheme)
            assert not at.exception, f"{where}: {at.exception[0].value}"
            if scheme in avail.schemes(indicator, period):
                assert _param(at, "scheme") == scheme, where
            else:
                # the notice names the parameter and what was given (escaped for Markdown: compare\_izmir)
                notice = " ".join(w.value for w in at.warning).replace("\\", "")
                assert _param(at, "scheme") == "quantiles" and "“scheme”" in notice and "compare_izmir" in notice, where
            checked += 1
        at = _app(monkeypatch, db, "pages/equity.py", indicator=indicator, level=level, period=period)
        assert not at.exception, f"equity {indicator}/{level}/{period}: {at.exception[0].value}"
    for area in areas:
        for indicator in sorted(set(views["indicator_id"])):
            at = _app(monkeypatch, db, "pages/profile.py", area=area, indicator=indicator, scheme="compare_izmir")
            assert not at.exception, f"profile {area}/{indicator}: {at.exception[0].value}"
    for page in ("pages/indicators.py", "pages/methods.py", "pages/kiosk.py"):
        at = _app(monkeypatch, db, page)
        assert not at.exception, f"{page}: {at.exception[0].value}"
    assert checked == len(views) * len(SCHEMES) and len(views) == 4
