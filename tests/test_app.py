"""The Streamlit app through streamlit.testing (AppTest): no browser, real tiny database."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "atlas_app.py"
TITLE_TR = "İzmir Sağlıkta Eşitlik Atlası"


@pytest.fixture(autouse=True)
def _fresh_streamlit_caches():
    """The cached connection and query results belong to one database: drop them around each test."""
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


def _app(monkeypatch, db: Path, **query_params) -> AppTest:
    monkeypatch.setenv("ATLAS_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.query_params.update(query_params)
    at.switch_page("pages/indicators.py")
    return at.run()


def _indicator_titles(at: AppTest, column: str) -> list[str]:
    assert len(at.dataframe) == 1, "expected one indicator table"
    return at.dataframe[0].value[column].tolist()


def test_indicator_table_in_turkish_by_default(monkeypatch, tiny_db):
    at = _app(monkeypatch, tiny_db)
    assert not at.exception
    assert at.title[0].value == TITLE_TR
    assert _indicator_titles(at, "Gösterge") == ["Test payı"]
    assert at.session_state["lang"] == "tr"
    assert at.query_params.get("lang") == "tr"
    captions = " ".join(c.value for c in at.caption)
    assert "2026-01-01" in captions  # build date from get_build_info
    assert "Test verisi (kurgusal)" in captions  # attribution footer from list_sources, in Turkish
    assert "Test fixture (fictional)" not in captions


def test_switching_language_to_english(monkeypatch, tiny_db):
    at = _app(monkeypatch, tiny_db)
    at.sidebar.radio(key="lang_switch").set_value("en").run()
    assert not at.exception
    assert at.title[0].value == "İzmir Health Equity Atlas"
    assert _indicator_titles(at, "Indicator") == ["Test share"]
    assert at.query_params.get("lang") == "en"
    assert "Test fixture (fictional)" in " ".join(c.value for c in at.caption)  # the footer follows
    # and back again: the chrome survives reruns
    at.sidebar.radio(key="lang_switch").set_value("tr").run()
    assert _indicator_titles(at, "Gösterge") == ["Test payı"]


def test_language_from_url(monkeypatch, tiny_db):
    at = _app(monkeypatch, tiny_db, lang="en")
    assert not at.exception
    assert _indicator_titles(at, "Indicator") == ["Test share"]
    assert at.sidebar.radio(key="lang_switch").value == "en"


def test_unknown_language_in_url_falls_back_to_turkish(monkeypatch, tiny_db):
    at = _app(monkeypatch, tiny_db, lang="xx")
    assert not at.exception
    assert _indicator_titles(at, "Gösterge") == ["Test payı"]


def test_missing_database_shows_error_naming_the_file(monkeypatch, tmp_path):
    missing = tmp_path / "nowhere" / "atlas.duckdb"
    at = _app(monkeypatch, missing)
    assert not at.exception
    assert len(at.error) == 1
    message = at.error[0].value
    assert str(missing) in message
    assert "python -m atlas build" in message
    assert len(at.dataframe) == 0


def test_database_appearing_later_is_picked_up(monkeypatch, tmp_path):
    """A failed connection is not cached: once the database exists the next run shows it."""
    from tests.factories import make_tiny_db

    db = tmp_path / "later.duckdb"
    at = _app(monkeypatch, db)
    assert len(at.error) == 1
    make_tiny_db(db)
    at.run()
    assert not at.error
    assert _indicator_titles(at, "Gösterge") == ["Test payı"]


def test_every_page_starts_inside_the_app_navigation():
    """Pages in pages/ call ensure_app_navigation() before doing anything else (see atlas_app.py)."""
    import ast

    for page in sorted((ROOT / "pages").glob("*.py")):
        tree = ast.parse(page.read_text(encoding="utf-8"))
        body = [node for node in tree.body
                if not isinstance(node, (ast.Import, ast.ImportFrom))
                and not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))]  # docstring
        first = body[0] if body else None
        assert (isinstance(first, ast.Expr) and isinstance(first.value, ast.Call)
                and getattr(first.value.func, "id", None) == "ensure_app_navigation"), \
            f"{page.name} must call ensure_app_navigation() first"


def test_rebuilt_database_is_picked_up_without_restart(monkeypatch, tmp_path):
    """build/import replace the file atomically; the next rerun serves the new file."""
    import os

    from tests.factories import make_tiny_db, sample_indicator

    db = make_tiny_db(tmp_path / "atlas.duckdb")
    at = _app(monkeypatch, db)
    assert _indicator_titles(at, "Gösterge") == ["Test payı"]
    replacement = make_tiny_db(tmp_path / "new.duckdb")
    import duckdb

    con = duckdb.connect(str(replacement))
    con.execute("UPDATE indicators SET title_tr = 'Yeni başlık' WHERE indicator_id = $id",
                {"id": sample_indicator().id})
    con.close()
    os.replace(replacement, db)
    at.run()
    assert _indicator_titles(at, "Gösterge") == ["Yeni başlık"]
