"""Issue #22, point 5: a planner opens a shared link of the map on a phone (390 × 844).

The page must not scroll sideways; the map is visible and drawn (with place names); the legend and
the table are reached by scrolling down. Screenshots go to ``test-artifacts/small-screen/`` (kept
whether the test passes or fails, for the closing note of the issue)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import ARTIFACTS, PAGE_TIMEOUT_MS

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
SHOTS = ARTIFACTS / "small-screen"
MAP_IFRAME = 'iframe[title^="streamlit_folium"]'
# a shared link: an indicator with values for central İzmir only, at mahalle level, in English
LINK = "/?indicator=lst_summer_mean&period=2014-2024&level=mahalle&scheme=quantiles&k=5&lang=en"

# widest box of the page's own scrolling (the document and Streamlit's main section), against the viewport
OVERFLOW_JS = """() => {
  const doc = document.scrollingElement;
  const main = document.querySelector('[data-testid="stMain"]') || doc;
  const wide = [...document.querySelectorAll('[data-testid="stMain"] *')]
    .filter(el => el.getBoundingClientRect().right > innerWidth + 1 && getComputedStyle(el).position !== 'fixed')
    .slice(0, 5).map(el => (el.getAttribute('data-testid') || el.tagName) + ':' + Math.round(el.getBoundingClientRect().right));
  return {innerWidth, doc: doc.scrollWidth, main: main.scrollWidth, mainClient: main.clientWidth, wide};
}"""


def _settled(page) -> None:
    page.wait_for_selector('[data-test-script-state="notRunning"]', state="attached")
    page.wait_for_load_state("networkidle")
    page.wait_for_selector('[data-test-script-state="notRunning"]', state="attached")


def _map_frame(page):
    page.locator(MAP_IFRAME).wait_for()
    for _ in range(200):
        for frame in page.frames:
            if "streamlit_folium" in frame.url and frame.evaluate("typeof window.atlasState === 'object'"):
                return frame
        page.wait_for_timeout(50)
    raise AssertionError("the map iframe never loaded its layer script")


def _no_sideways_scroll(page, where: str) -> None:
    m = page.evaluate(OVERFLOW_JS)
    assert m["doc"] <= m["innerWidth"] + 1, f"{where}: the page scrolls sideways ({m})"
    assert m["main"] <= m["mainClient"] + 1, f"{where}: the main section scrolls sideways ({m})"


def test_shared_map_link_on_a_phone(browser, app_url):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    try:
        page.goto(app_url + LINK)
        expect(page.get_by_role("heading", name="İzmir Health Equity Atlas")).to_be_visible()
        _settled(page)
        frame = _map_frame(page)
        frame.wait_for_function("window.atlasState.renderId && window.atlasState.painted === window.atlasState.renderId")
        # the names: drawn once the map has settled on the values' bounds
        frame.wait_for_function("window.atlasState.labels && window.atlasState.labels.shown > 0")
        page.wait_for_timeout(1000)  # the fit's zoom animation
        _no_sideways_scroll(page, "opened")
        page.screenshot(path=str(SHOTS / "0-opened.png"))  # what the link shows first
        iframe = page.locator(MAP_IFRAME)
        iframe.scroll_into_view_if_needed()
        box = iframe.bounding_box()
        assert box is not None and box["width"] >= PHONE["width"] - 60 and box["height"] >= 300, box
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1, box
        expect(iframe).to_be_visible()
        _no_sideways_scroll(page, "map")
        page.screenshot(path=str(SHOTS / "1-map.png"))
        names = frame.evaluate("window.atlasState.labels.names")
        print(f"names on the phone map: {names}")

        # the note under the map: the indicator covers central İzmir only
        note = page.get_by_text("the map opens on them")
        expect(note).to_be_visible()

        legend = page.locator(".atlas-legend").first
        legend.scroll_into_view_if_needed()
        expect(legend).to_be_visible()
        lbox = legend.bounding_box()
        assert lbox is not None and lbox["x"] >= 0 and lbox["x"] + lbox["width"] <= PHONE["width"] + 1, lbox
        _no_sideways_scroll(page, "legend")
        page.screenshot(path=str(SHOTS / "2-legend.png"))

        # zoomed in (the map's + button): mahalle names replace the district names
        iframe.scroll_into_view_if_needed()
        inner = page.frame_locator(MAP_IFRAME)
        for _ in range(8):
            if frame.evaluate("window.atlasState.labels.zoom") >= 13:
                break
            inner.locator(".leaflet-control-zoom-in").click()
            page.wait_for_timeout(600)
        frame.wait_for_function("window.atlasState.labels.zoom >= 13 && window.atlasState.labels.classes.length > 0")
        classes = set(frame.evaluate("window.atlasState.labels.classes"))
        assert classes == {"mahalle"}, classes
        print(f"names at zoom 13: {frame.evaluate('window.atlasState.labels.names')}")
        page.screenshot(path=str(SHOTS / "2b-zoomed.png"))

        toggle = page.get_by_text("Show the table of")
        toggle.scroll_into_view_if_needed()
        toggle.click()
        _settled(page)
        table = page.locator('[data-testid="stDataFrame"]').first
        table.scroll_into_view_if_needed()
        expect(table).to_be_visible()
        tbox = table.bounding_box()
        assert tbox is not None and tbox["x"] >= 0 and tbox["x"] + tbox["width"] <= PHONE["width"] + 1, tbox
        _no_sideways_scroll(page, "table")
        page.screenshot(path=str(SHOTS / "3-table.png"))
    finally:
        context.close()


def test_place_names_on_the_desktop_map(browser, app_url):
    """The same names on a desktop screen, at the province's scale (district map, every district has
    a value): a planner can tell the districts apart without hovering."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    try:
        page.goto(app_url + "/?indicator=pop_density&period=2025&level=district&lang=tr")
        _settled(page)
        frame = _map_frame(page)
        frame.wait_for_function("window.atlasState.labels && window.atlasState.labels.shown >= 8")
        page.wait_for_timeout(1000)
        expect(page.get_by_text("harita bunlar üzerinde açılır")).to_have_count(0)  # every district has a value
        page.locator(MAP_IFRAME).scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "5-desktop-districts.png"))
        labels = frame.evaluate("window.atlasState.labels")
        print(f"desktop, zoom {labels['zoom']}: {labels['names']}")
        assert set(labels["classes"]) == {"district"}
    finally:
        context.close()
