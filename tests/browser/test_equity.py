"""The Equity page in Debian's Chromium: summary, measures, both maps painted, offline."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'


def test_equity_page_shows_summary_measures_and_maps(page, page_requests, app_url):
    page.goto(f"{app_url}/equity?indicator=lst_summer_mean&period=2014-2024&level=mahalle&lang=en")
    expect(page.get_by_role("heading", name="Equity: Summer land-surface temperature")).to_be_visible(timeout=60_000)
    expect(page.get_by_test_id("stAlert").first).to_contain_text("most disadvantaged fifth")
    expect(page.get_by_text("Summary measures of inequality")).to_be_visible()
    maps = page.locator(MAP_IFRAME)
    expect(maps).to_have_count(2)
    for i in range(2):
        maps.nth(i).scroll_into_view_if_needed()
        inner = page.frame_locator(MAP_IFRAME).nth(i)
        expect(inner.locator("path.leaflet-interactive").first).to_be_attached()
    lisa_fills = page.frame_locator(MAP_IFRAME).nth(0).locator("path[data-key='HH']")
    expect(lisa_fills.first).to_be_attached()  # hot spots drawn
    expect(page.get_by_test_id("stException")).to_have_count(0)
    page.wait_for_load_state("networkidle")
    outside = [u for u in page_requests if urlsplit(u).scheme not in {"data", "blob", "about"}
               and urlsplit(u).hostname != "127.0.0.1"]
    assert not outside, "requests left 127.0.0.1:\n" + "\n".join(outside)
