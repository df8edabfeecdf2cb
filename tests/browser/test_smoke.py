"""Smoke test in a real browser: the app opens, shows the indicator table, and stays on 127.0.0.1."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

LOCAL_SCHEMES = {"data", "blob", "about"}


def _dataframe(page):
    return page.get_by_test_id("stDataFrame")


def test_indicators_page_shows_table_and_only_talks_to_localhost(page, page_requests, app_url):
    page.goto(f"{app_url}/indicators")

    expect(page.get_by_role("heading", name="İzmir Sağlıkta Eşitlik Atlası")).to_be_visible()
    table = _dataframe(page)
    expect(table).to_be_visible()
    expect(table.get_by_text("Nüfus yoğunluğu")).to_be_attached()  # the grid's accessible table
    expect(page.get_by_text("İdari sınırlar: HGM, OCHA/HDX COD-AB aracılığıyla")).to_be_visible()  # footer, Turkish
    expect(page.get_by_test_id("stException")).to_have_count(0)
    page.wait_for_load_state("networkidle")

    assert page_requests, "no requests were recorded"
    outside = [u for u in page_requests
               if urlsplit(u).scheme not in LOCAL_SCHEMES and urlsplit(u).hostname != "127.0.0.1"]
    assert not outside, "requests left 127.0.0.1:\n" + "\n".join(outside)


def test_language_switch_to_english(page, app_url):
    page.goto(f"{app_url}/indicators")
    expect(_dataframe(page).get_by_text("Nüfus yoğunluğu")).to_be_attached()

    page.get_by_test_id("stSidebar").get_by_text("English").click()

    expect(page.get_by_role("heading", name="İzmir Health Equity Atlas")).to_be_visible()
    expect(_dataframe(page).get_by_text("Population density")).to_be_attached()
    expect(page).to_have_url(re.compile(r"[?&]lang=en\b"))


def test_first_session_opening_a_page_url_gets_the_full_app(page, app_db, tmp_path):
    """A fresh server whose first visitor opens /indicators directly: Streamlit would run the
    pages/ file bare (v1 multipage mode); the page must still show the title and language switch."""
    from tests.browser.conftest import serve_app

    with serve_app(app_db, tmp_path / "fresh.log") as url:
        page.goto(f"{url}/indicators")
        expect(page.get_by_role("heading", name="İzmir Sağlıkta Eşitlik Atlası")).to_be_visible()
        expect(page.get_by_test_id("stSidebar").get_by_text("English")).to_be_visible()
        expect(_dataframe(page).get_by_text("Nüfus yoğunluğu")).to_be_attached()
        nav = page.get_by_test_id("stSidebarNav")  # our navigation, not Streamlit's v1 file-name menu
        expect(nav.get_by_text("Veri ve yöntem")).to_be_visible()
        expect(nav.get_by_text("atlas app")).to_have_count(0)
