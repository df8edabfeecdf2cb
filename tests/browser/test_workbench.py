"""The data workbench in a real browser (issue #18): an editor signs in (password mode), uploads the
example file with its entry, sees the preview map, publishes; a second, public server on the same
database (no ATLAS_EDITOR) shows the new indicator on its next rerun; the editor rolls back and it is
gone. Screenshots of each step go to ``test-artifacts/workbench/``."""

from __future__ import annotations

import os
import re
import shutil

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, ROOT, serve_script

pytestmark = pytest.mark.browser

PASSWORD = "tarayici-parola-42"
EXAMPLE = ROOT / "examples" / "import_template.csv"
EXAMPLE_ENTRY = ROOT / "examples" / "import_template_entry.toml"
TITLE_TR = "ÖRNEK: Tam aşılı çocukların yüzdesi"
SHOTS = ARTIFACTS / "workbench"
STEP_TIMEOUT_MS = 90_000


@pytest.fixture
def served_copy(app_db, tmp_path):
    path = tmp_path / "served" / "atlas.duckdb"
    path.parent.mkdir()
    shutil.copyfile(app_db, path)
    return path


def _env(db, **extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("ATLAS_EDITOR", "ATLAS_KIOSK", "ATLAS_PROXY_SECRET_FILE", "ATLAS_EDITOR_PASSWORD_HASH")}
    return {**env, "ATLAS_DB": str(db), **extra}


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _file_input(page, key: str):
    return page.locator(f".st-key-{key} input[type=file]")


def _indicator_listed(page):
    return page.get_by_test_id("stDataFrame").get_by_text(TITLE_TR)


def test_editor_publishes_the_example_and_rolls_it_back(page, browser, served_copy, tmp_path):
    from atlas.workbench.password import hash_password

    editor_env = _env(served_copy, ATLAS_EDITOR="1", ATLAS_EDITOR_PASSWORD_HASH=hash_password(PASSWORD))
    with serve_script("atlas_app.py", editor_env, tmp_path / "editor.log") as editor, \
            serve_script("atlas_app.py", _env(served_copy), tmp_path / "public.log") as public:
        # the public server has no such page
        public_page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        public_page.set_default_timeout(STEP_TIMEOUT_MS)
        public_page.goto(f"{public}/indicators")
        expect(public_page.get_by_test_id("stDataFrame").get_by_text("Nüfus yoğunluğu")).to_be_attached(timeout=STEP_TIMEOUT_MS)
        expect(public_page.get_by_test_id("stSidebarNav").get_by_text("Veri yönetimi")).to_have_count(0, timeout=STEP_TIMEOUT_MS)
        expect(_indicator_listed(public_page)).to_have_count(0, timeout=STEP_TIMEOUT_MS)

        page.set_default_timeout(STEP_TIMEOUT_MS)
        page.goto(f"{editor}/data_management")
        expect(page.get_by_role("heading", name="Veri yönetimi")).to_be_visible(timeout=STEP_TIMEOUT_MS)
        expect(page.locator("input[type=file]")).to_have_count(0, timeout=STEP_TIMEOUT_MS)  # no upload before signing in
        _shot(page, "01_sign_in")
        page.get_by_label("Adınız (sürüm geçmişinde görünür)").fill("ayse.yilmaz")
        page.get_by_label("Parola", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Oturum aç").click()
        expect(page.get_by_text("ayse.yilmaz olarak oturum açıldı.")).to_be_visible(timeout=STEP_TIMEOUT_MS)
        expect(page.get_by_role("button", name="Şablonu indir (XLSX)")).to_be_visible(timeout=STEP_TIMEOUT_MS)

        _file_input(page, "wb_entry_toml").set_input_files(str(EXAMPLE_ENTRY))
        expect(page.get_by_text("Tanım tamam: example_full_immunisation.")).to_be_visible(timeout=STEP_TIMEOUT_MS)
        _file_input(page, "wb_file_values").set_input_files(str(EXAMPLE))
        _shot(page, "02_upload")
        page.get_by_role("button", name="Denetle ve önizle").click()
        expect(page.get_by_text("Sorun bulunmadı", exact=False)).to_be_visible(timeout=STEP_TIMEOUT_MS)
        preview = page.locator('iframe[title^="streamlit_folium"]').first
        expect(preview).to_be_visible(timeout=STEP_TIMEOUT_MS)
        expect(preview.content_frame.locator("path.leaflet-interactive").first).to_be_attached(timeout=STEP_TIMEOUT_MS)
        preview.scroll_into_view_if_needed()
        page.wait_for_timeout(1500)  # the map draws its areas
        _shot(page, "03_preview")
        page.get_by_text("Şu an yayımlanmış olanla karşılaştırma").scroll_into_view_if_needed()
        _shot(page, "03b_comparison")

        page.get_by_role("button", name="Yayımla", exact=True).click()
        done = page.get_by_text("sürümü olarak yayımlandı", exact=False)
        expect(done).to_be_visible(timeout=STEP_TIMEOUT_MS)
        done.scroll_into_view_if_needed()
        _shot(page, "04_published")

        # the public session, already open, sees it on its next rerun (no restart, no reload)
        public_page.get_by_test_id("stSidebar").get_by_text("English").click()
        public_page.get_by_test_id("stSidebar").get_by_text("Türkçe").click()
        expect(_indicator_listed(public_page)).to_be_attached(timeout=STEP_TIMEOUT_MS)
        _shot(public_page, "05_public_sees_it")

        # roll back to the version before the publish
        page.get_by_role("button", name="Bu sürümü geri yükle…").click()
        page.get_by_role("button", name=re.compile(r"^Evet, v\d+ sürümünü geri yükle$")).click()
        restored = page.get_by_text("sürümü yeniden yayında", exact=False)
        expect(restored).to_be_visible(timeout=STEP_TIMEOUT_MS)
        restored.scroll_into_view_if_needed()
        _shot(page, "06_rolled_back")
        public_page.get_by_test_id("stSidebar").get_by_text("English").click()
        public_page.get_by_test_id("stSidebar").get_by_text("Türkçe").click()
        expect(public_page.get_by_test_id("stDataFrame").get_by_text("Nüfus yoğunluğu")).to_be_attached(timeout=STEP_TIMEOUT_MS)
        expect(_indicator_listed(public_page)).to_have_count(0, timeout=STEP_TIMEOUT_MS)
        _shot(public_page, "07_public_after_rollback")
