"""AppTest: the Export panel (app_support.export.panel) through tests/export_panel_app.py."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from app_support.export.panel import EXPANDER_KEY
from tests.conftest import ROOT
from tests.test_export_render import make_export_db


@pytest.fixture(autouse=True)
def _fresh_caches(fresh_caches):
    """Every test starts and ends with empty Streamlit caches (tests/conftest.py)."""


@pytest.fixture
def app(monkeypatch, tmp_path):
    monkeypatch.setenv("ATLAS_DB", str(make_export_db(tmp_path / "export.duckdb")))
    monkeypatch.setenv("ATLAS_PUBLIC_URL", "https://atlas.example.org/")

    def run(opened: bool = True, **params) -> AppTest:
        at = AppTest.from_file(str(ROOT / "tests" / "export_panel_app.py"), default_timeout=60)
        at.query_params.update({"indicator": "test_share", "period": "2023", "level": "mahalle", "k": "3", **params})
        if opened:
            at.session_state[EXPANDER_KEY] = True
        return at.run()
    return run


def test_closed_panel_renders_nothing(app):
    at = app(opened=False)
    assert not at.exception
    assert at.get("expander")[0].label == "Dışa aktar / Export"
    assert not at.get("image") and not at.get("download_button")


def test_open_panel_shows_options_preview_and_downloads(app):
    at = app(lang="en")
    assert not at.exception and not at.error
    assert [s.label for s in at.selectbox] == ["Format", "Resolution (dpi)", "Zoom to a district"]
    assert [r.label for r in at.radio] == ["Paper", "Orientation"]
    assert at.selectbox(key="export_dpi").disabled  # PDF is vector
    assert len(at.get("image")) == 1
    buttons = at.get("download_button")
    assert [b.label for b in buttons] == ["Download PDF", "Data (CSV)", "Data package (CSV + GeoPackage + metadata, zip)"]
    assert all(b.proto.deferred_file_id for b in buttons)  # rendered only when clicked


def test_options_change_the_download(app):
    at = app()
    at.selectbox(key="export_format").set_value("png").run()
    assert not at.exception and not at.selectbox(key="export_dpi").disabled
    assert at.get("download_button")[0].label == "PNG indir"
    at.selectbox(key="export_zoom").set_value("9002").run()
    at.radio(key="export_orientation").set_value("portrait").run()
    assert not at.exception and not at.error and len(at.get("image")) == 1


def test_a_selected_area_is_the_default_zoom(app):
    at = app(area="92001")  # a mahalle of Bornova (9002)
    assert at.selectbox(key="export_zoom").value == "9002"


def test_a_full_temporary_folder_is_said_and_the_package_button_disabled(app, monkeypatch):
    # The data package is made after the click in another request: when the disk is full the visitor would get
    # nothing and no message (bench/drills.py, disk drill). The page checks first and says so.
    import collections
    import shutil

    usage = collections.namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda _path: usage(16 << 20, (16 << 20) - 1024, 1024))
    at = app(lang="en")
    assert not at.exception
    warning = " ".join(w.value for w in at.warning)
    assert "temporary folder" in warning and "is full (0.0 MB free, 32 MB needed)" in warning
    assert "The CSV still works" in warning
    buttons = {b.label: b for b in at.get("download_button")}
    assert buttons["Data package (CSV + GeoPackage + metadata, zip)"].proto.disabled
    assert not buttons["Data (CSV)"].proto.disabled
    tr = app(lang="tr")
    assert "geçici" in " ".join(w.value for w in tr.warning)


def test_room_in_the_temporary_folder_shows_no_warning(app):
    at = app(lang="en")
    assert not at.warning
    assert not {b.label: b for b in at.get("download_button")}["Data package (CSV + GeoPackage + metadata, zip)"].proto.disabled
