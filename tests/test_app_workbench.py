"""AppTest: the data workbench page (issue #18) — the editor gate, upload → check → preview → publish,
the problems of a bad file in the page's language, the new-indicator entry and rollback.

Each test works on its own copy of the real build (publishing replaces the file), with the example
indicator of ``examples/`` already imported where a test needs an indicator imported before.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from atlas.workbench.password import hash_password
from tests.conftest import ROOT

PAGE = "pages/data_management.py"
PASSWORD = "deneme-parola-123"
EXAMPLE = ROOT / "examples" / "import_template.csv"
EXAMPLE_ENTRY = ROOT / "examples" / "import_template_entry.toml"
EXAMPLE_ID = "example_full_immunisation"


@pytest.fixture(autouse=True)
def _fresh_caches(fresh_caches):
    """Every test starts and ends with empty Streamlit caches (tests/conftest.py)."""


@pytest.fixture(scope="module")
def password_hash() -> str:
    return hash_password(PASSWORD)


@pytest.fixture
def db(tmp_path, real_db) -> Path:
    """A copy of the real build this test may publish into."""
    path = tmp_path / "served" / "atlas.duckdb"
    path.parent.mkdir()
    shutil.copyfile(real_db, path)
    return path


@pytest.fixture
def db_with_example(db) -> Path:
    """The copy with the example indicator imported (as ``python -m atlas import … --entry`` does)."""
    from atlas.importing import import_file

    import_file(EXAMPLE, db, EXAMPLE_ENTRY)
    return db


@pytest.fixture(autouse=True)
def _navigation_as_on_the_server(monkeypatch):
    """AppTest forgets before every run that ``st.navigation`` turned Streamlit's v1 ``pages/`` mode off
    (``PagesManager.uses_pages_directory = None``), so each run first executes the page bare and
    ``ensure_app_navigation`` reruns it — which drops the click of a button. The server decides once
    per process; this keeps AppTest to what the server does after its first session."""
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


@pytest.fixture(autouse=True)
def _no_delay(monkeypatch):
    """A failed sign-in answers at once here (the delay itself: tests/test_workbench_password.py)."""
    from app_support.workbench import gate

    monkeypatch.setattr(gate, "BASE_DELAY_S", 0.0)


def _env(monkeypatch, db: Path, password_hash: str | None, *, editor: bool = True) -> None:
    monkeypatch.setenv("ATLAS_DB", str(db))
    monkeypatch.delenv("ATLAS_PROXY_SECRET_FILE", raising=False)
    monkeypatch.delenv("ATLAS_KIOSK", raising=False)
    monkeypatch.delenv("ATLAS_EDITOR_PASSWORD_HASH_FILE", raising=False)
    if editor:
        monkeypatch.setenv("ATLAS_EDITOR", "1")
    else:
        monkeypatch.delenv("ATLAS_EDITOR", raising=False)
    if password_hash:
        monkeypatch.setenv("ATLAS_EDITOR_PASSWORD_HASH", password_hash)
    else:
        monkeypatch.delenv("ATLAS_EDITOR_PASSWORD_HASH", raising=False)


def _open(monkeypatch, db: Path, password_hash: str | None, *, lang: str = "en") -> AppTest:
    _env(monkeypatch, db, password_hash)
    at = AppTest.from_file(str(ROOT / "atlas_app.py"), default_timeout=120)
    at.switch_page(PAGE)
    at.query_params["lang"] = lang
    return at.run()


def _sign_in(at: AppTest, name: str = "ayse.yilmaz", password: str = PASSWORD) -> AppTest:
    at.text_input(key="wb_name").input(name)
    at.text_input(key="wb_password").input(password)
    return at.button(key="wb_sign_in").click().run()


def _signed_in(monkeypatch, db, password_hash, *, lang="en") -> AppTest:
    at = _sign_in(_open(monkeypatch, db, password_hash, lang=lang))
    assert not at.exception, at.exception
    return at


def _texts(at: AppTest) -> str:
    parts = [e.value for kind in ("markdown", "caption", "info", "success", "warning", "error", "subheader", "header")
             for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


def _upload(at: AppTest, data: bytes, name: str = "veriler.csv", kind: str = "values") -> AppTest:
    at.file_uploader(key=f"wb_file_{kind}").set_value((name, data, "text/csv"))
    return at.run()


def _check(at: AppTest) -> AppTest:
    return at.button(key="wb_check").click().run()


def _staging_files(db: Path) -> list[Path]:
    folder = db.parent / "workbench" / "staging"
    return sorted(p for p in folder.glob("*") if p.is_file()) if folder.is_dir() else []


def _values(db: Path, indicator_id: str) -> dict[tuple[str, str], float]:
    """The stored values, read from a copy of the file: DuckDB hands a process the database instance it
    already has open for a path (the app's cached connection), which may be the file before a swap."""
    import tempfile

    from atlas.db import connect

    folder = tempfile.mkdtemp(prefix="wb-read-")
    copy = Path(folder) / "read.duckdb"
    shutil.copyfile(db, copy)
    con = connect(copy)
    try:
        rows = con.execute("SELECT level, area_code, value FROM indicator_values WHERE indicator_id = ?",
                           [indicator_id]).fetchall()
    finally:
        con.close()
        shutil.rmtree(folder, ignore_errors=True)
    return {(level, code): value for level, code, value in rows}


# --- the gate ------------------------------------------------------------------------------------


def test_without_the_editor_switch_the_page_does_not_exist(monkeypatch, db, password_hash):
    _env(monkeypatch, db, password_hash, editor=False)
    at = AppTest.from_file(str(ROOT / "atlas_app.py"), default_timeout=120).run()
    assert not at.exception
    with pytest.raises(ValueError, match="Known pages"):
        at.switch_page(PAGE)
    # nor on a kiosk, even with the switch on
    _env(monkeypatch, db, password_hash, editor=True)
    monkeypatch.setenv("ATLAS_KIOSK", "1")
    at = AppTest.from_file(str(ROOT / "atlas_app.py"), default_timeout=120).run()
    with pytest.raises(ValueError, match="Known pages"):
        at.switch_page(PAGE)


def test_editor_without_sign_in_sees_only_the_sign_in_form(monkeypatch, db, password_hash):
    at = _open(monkeypatch, db, password_hash)
    assert not at.exception
    assert not at.file_uploader and not at.get("download_button")
    assert [t.key for t in at.text_input] == ["wb_name", "wb_password"]
    at = _sign_in(at, password="wrong-password-0")
    assert "Wrong name or password" in _texts(at)
    assert not at.file_uploader
    at = _sign_in(at)
    assert not at.exception
    assert "Signed in as ayse.yilmaz." in _texts(at)
    assert at.file_uploader(key="wb_file_values")


def test_without_any_sign_in_configured_nobody_gets_in(monkeypatch, db):
    at = _open(monkeypatch, db, None)
    assert not at.exception and not at.file_uploader and not at.text_input
    assert "No editor sign-in is configured" in _texts(at)


def test_the_publish_glue_refuses_a_session_with_no_user(monkeypatch, db, password_hash):
    """A crafted call of the publish and staging functions without a signed-in editor raises."""
    from app_support.workbench import upload
    from atlas.workbench import stage

    _env(monkeypatch, db, password_hash)
    with pytest.raises(PermissionError, match="no editor is signed in"):
        upload.publish_now(object(), None, "en")
    with pytest.raises(PermissionError):
        stage.stage_import(EXAMPLE.read_bytes(), "x.csv", None, db, user=None)
    with pytest.raises(PermissionError):
        stage.publish_staged(object(), user=None)
    assert not _staging_files(db)


# --- upload, check, preview, publish ---------------------------------------------------------------


def test_a_good_file_is_previewed_and_published(monkeypatch, db_with_example, password_hash):
    db = db_with_example
    before = _values(db, EXAMPLE_ID)
    at = _signed_in(monkeypatch, db, password_hash)
    assert [b.proto.label for b in at.get("download_button")][:2] == [
        "Download the template (XLSX)", "Template for counts by age band (XLSX)"]
    data = EXAMPLE.read_text(encoding="utf-8").replace(",4512,4801,", ",4600,4801,").encode("utf-8")
    at = _upload(at, data)
    assert at.radio(key="wb_which").value == "existing"
    assert at.selectbox(key="wb_indicator").value == EXAMPLE_ID
    at = _check(at)
    assert not at.exception, at.exception
    text = _texts(at)
    assert "No problems found: 6 values in veriler.csv." in text
    assert len(_staging_files(db)) == 1
    # the preview: the map of the staged values with its legend, the table, the equity summary, the diff
    assert at.get("component_instance"), "no preview map"
    assert "EXAMPLE: Children fully immunised" in text
    assert "Equity summary" in text
    assert any("legend" in h.proto.body.lower() for h in at.get("html"))
    assert at.dataframe
    assert "Compared with what is published now" in text
    assert _values(db, EXAMPLE_ID) == before  # nothing published yet
    at = at.button(key="wb_publish").click().run()
    assert not at.exception, at.exception
    assert "Published as version" in _texts(at)
    after = _values(db, EXAMPLE_ID)
    changed = {k for k in after if after[k] != before.get(k)}
    assert changed and all(level in ("district", "province") for level, _ in changed)  # Karşıyaka and İzmir
    assert not _staging_files(db)


def test_a_bad_file_gets_a_problems_table_in_turkish_and_nothing_is_staged(monkeypatch, db_with_example,
                                                                          password_hash):
    db = db_with_example
    bad = (EXAMPLE.read_text(encoding="utf-8").replace("Bornova,,,2024,93.1", "Bornovva,,,2024,93.1")
           .replace(",11,12,", ",13,12,"))
    at = _signed_in(monkeypatch, db, password_hash, lang="tr")
    at = _check(_upload(at, bad.encode("utf-8")))
    assert not at.exception, at.exception
    assert "Dosya kabul edilmedi" in _texts(at)
    table = at.dataframe[0].value
    rows = list(table.iloc[:, 0])
    assert 3 in rows and 7 in rows  # Bornovva on row 3, 13 of 12 on row 7 (the header is row 1)
    problems = " ".join(str(v) for col in (2, 3) for v in table.iloc[:, col])
    assert "Bornova" in problems  # the suggestion
    assert table.to_dict("records") == [
        {"Satır": 3, "Sütun": "ilçe", "Sorun": "bilinmeyen ilçe 'Bornovva'; en yakınlar: Bornova, Balçova",
         "En yakın adlar": "Bornova, Balçova"},
        {"Satır": 7, "Sütun": "pay", "Sorun": "pay 13, paydadan (12) büyük", "En yakın adlar": ""}]
    assert at.get("download_button")[-1].proto.label == "Sorunları indir (CSV)"
    assert not _staging_files(db)
    assert not [b for b in at.button if b.key == "wb_publish"]


def test_a_new_indicator_from_its_entry_file(monkeypatch, db, password_hash):
    at = _signed_in(monkeypatch, db, password_hash)
    assert at.radio(key="wb_which").value == "new"  # nothing imported yet: only a new indicator
    at.file_uploader(key="wb_entry_toml").set_value(("entry.toml", EXAMPLE_ENTRY.read_bytes(), "text/plain"))
    at = _upload(at, EXAMPLE.read_bytes(), name="import_template.csv")
    assert "The entry is complete: example\\_full\\_immunisation." in _texts(at)
    at = _check(at)
    assert not at.exception, at.exception
    assert "No problems found: 6 values" in _texts(at)
    at = at.button(key="wb_publish").click().run()
    assert "Published as version" in _texts(at)
    assert len(_values(db, EXAMPLE_ID)) >= 6


def test_a_point_layer_is_checked_previewed_and_published(monkeypatch, db, password_hash):
    examples = ROOT / "docs" / "examples"
    at = _signed_in(monkeypatch, db, password_hash)
    at = at.radio(key="wb_kind").set_value("points").run()
    at.text_input(key="wb_layer").input("pharmacies")
    at.file_uploader(key="wb_layer_entry").set_value(
        ("entry.toml", (examples / "pharmacies_example_entry.toml").read_bytes(), "text/plain"))
    at = _upload(at, (examples / "pharmacies_example.csv").read_bytes(), name="eczaneler.csv", kind="points")
    at = _check(at)
    assert not at.exception, at.exception
    text = _texts(at)
    assert "No problems found: 10 points in eczaneler.csv." in text, text
    assert "The points as they will appear" in text
    spec_args = at.get("component_instance")[0].proto.json_args
    assert "window.atlasPoints.render(" in spec_args and "static/geo/points-" not in spec_args  # data inline
    at = at.button(key="wb_publish").click().run()
    assert "Published as version" in _texts(at)
    from atlas.db import connect

    con = connect(db)
    try:
        assert con.execute("SELECT count(*) FROM points WHERE layer_id = 'pharmacies'").fetchone()[0] == 10
    finally:
        con.close()


def test_a_published_file_is_rolled_back_from_the_history(monkeypatch, db_with_example, password_hash):
    db = db_with_example
    before = _values(db, EXAMPLE_ID)
    at = _signed_in(monkeypatch, db, password_hash)
    data = EXAMPLE.read_text(encoding="utf-8").replace(",4512,4801,", ",4600,4801,").encode("utf-8")
    at = _check(_upload(at, data))
    at = at.button(key="wb_publish").click().run()
    assert not at.exception, at.exception
    assert _values(db, EXAMPLE_ID) != before
    history = at.dataframe[-1].value
    assert len(history) == 2  # the data served before (kept so it can be restored) and the publish
    assert "veriler.csv" in " ".join(str(v) for v in history.iloc[:, 4])
    at = at.button(key="wb_restore").click().run()
    assert "Restore" in " ".join(w.value for w in at.warning)
    at = at.button(key="wb_restore_confirm").click().run()
    assert not at.exception, at.exception
    assert _values(db, EXAMPLE_ID) == before
    assert "is served again" in _texts(at)


def test_the_new_indicator_form_is_checked_by_the_catalogue_rules(monkeypatch, db, password_hash):
    at = _signed_in(monkeypatch, db, password_hash)
    assert at.radio(key="wb_which").value == "new"
    texts = {"id": "asi_tamamlama", "title_tr": "Tam aşılı çocuklar (deneme)", "title_en": "Children fully immunised "
             "(test)", "definition_tr": "Deneme tanımı.", "definition_en": "Test definition.", "unit_tr": "%",
             "unit_en": "%", "source": "Deneme kaynağı (kurgusal)", "source_url": "javascript:alert(1)",
             "licence": "CC0", "periods": "2024", "method_tr": "Pay ÷ payda × 100.", "method_en": "Numerator ÷ "
             "denominator × 100."}
    for key, value in texts.items():
        widget = next(w for w in [*at.text_input, *at.text_area] if w.key == f"wb_entry_{key}")
        widget.input(value)
    submit = next(b for b in at.button if b.label == "Check the entry")
    at = submit.click().run()
    assert not at.exception, at.exception
    errors = " ".join(e.value for e in at.error)
    assert "Source address (URL):" in errors and "is not a web address the atlas may link to" in errors
    assert not _staging_files(db)
    next(w for w in at.text_input if w.key == "wb_entry_source_url").input("https://example.org/asi")
    at = next(b for b in at.button if b.label == "Check the entry").click().run()
    assert "The entry is complete: asi\\_tamamlama." in _texts(at)
    data = EXAMPLE.read_text(encoding="utf-8").replace(EXAMPLE_ID, "asi_tamamlama").encode("utf-8")
    at = _check(_upload(at, data))
    assert not at.exception, at.exception
    assert "No problems found: 6 values" in _texts(at)
    at = at.button(key="wb_publish").click().run()
    assert "Published as version" in _texts(at)
    assert len(_values(db, "asi_tamamlama")) >= 6


def test_a_publish_after_someone_else_s_is_told_to_look_again(monkeypatch, db_with_example, password_hash):
    from atlas.workbench import stage

    db = db_with_example
    at = _signed_in(monkeypatch, db, password_hash)
    data = EXAMPLE.read_text(encoding="utf-8").replace(",4512,4801,", ",4600,4801,").encode("utf-8")
    at = _check(_upload(at, data))
    assert "No problems found" in _texts(at)
    # another editor publishes in between
    other = EXAMPLE.read_text(encoding="utf-8").replace(",388,420,", ",390,420,").encode("utf-8")
    stage.publish_staged(stage.stage_import(other, "other.csv", None, db, user="mehmet"), user="mehmet")
    mehmet = _values(db, EXAMPLE_ID)
    at = at.button(key="wb_publish").click().run()
    assert not at.exception, at.exception
    assert "The data changed since your preview" in _texts(at)
    assert _values(db, EXAMPLE_ID) == mehmet  # nothing of this session was published
    assert len(_staging_files(db)) == 1  # the file was staged again against the new data
    at = at.button(key="wb_publish").click().run()
    assert "Published as version" in _texts(at)
    after = _values(db, EXAMPLE_ID)
    assert after != mehmet and not _staging_files(db)


def test_behind_the_proxy_only_the_proxy_signs_in(monkeypatch, db, password_hash, tmp_path):
    """With a proxy secret configured the page trusts the proxy's header alone: no password form (even
    with a password hash set), and a request without the proxy's headers gets nothing."""
    secret = tmp_path / "proxy-secret"
    secret.write_text("s" * 40, encoding="ascii")
    _env(monkeypatch, db, password_hash)
    monkeypatch.setenv("ATLAS_PROXY_SECRET_FILE", str(secret))
    from app_support.server import identity

    identity._secret.cache_clear()
    try:
        at = AppTest.from_file(str(ROOT / "atlas_app.py"), default_timeout=120)
        at.switch_page(PAGE)
        at.query_params["lang"] = "en"
        at.run()
        assert not at.exception, at.exception
        assert "Sign in through the city's sign-in page" in _texts(at)
        assert not at.text_input and not at.file_uploader
    finally:
        identity._secret.cache_clear()


def test_signing_out_takes_the_upload_away(monkeypatch, db, password_hash):
    at = _signed_in(monkeypatch, db, password_hash)
    assert at.file_uploader
    at = at.button(key="wb_sign_out").click().run()
    assert not at.exception
    assert not at.file_uploader and [t.key for t in at.text_input] == ["wb_name", "wb_password"]
