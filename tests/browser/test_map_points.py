"""Point layers in Debian's Chromium on the real build (issue #17, item 4): the bus-stop layer is
turned on, its 11,605 stops are drawn on the points canvas over the choropleth, a station's tooltip
shows its name as text beside the area's own tooltip, and no request leaves 127.0.0.1."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from atlas import db
from tests.browser.test_map import LOCAL_SCHEMES, MAP_IFRAME, _map_frame, _wait_painted

pytestmark = pytest.mark.browser

PAINTED_POINTS = ("() => { const s = window.atlasState && window.atlasState.points;"
                  " return s && s.renderId && s.painted === s.renderId; }")
# non-transparent pixels of the points canvas (the pane points.js makes above the areas)
INKED = ("() => { const c = document.querySelector('.leaflet-atlasPoints-pane canvas'); if (!c) return 0;"
         " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;"
         " for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) n++; } return n; }")


@pytest.fixture(scope="module")
def station(app_db):
    con = db.connect(app_db)
    try:
        name, lon, lat = con.execute("SELECT name, lon, lat FROM points WHERE layer_id = 'rail_stations' "
                                     "AND name IS NOT NULL ORDER BY point_id LIMIT 1").fetchone()
        n_stops = con.execute("SELECT count(*) FROM points WHERE layer_id = 'bus_stops'").fetchone()[0]
    finally:
        con.close()
    return {"name": name, "lat_lon": (lat, lon), "n_stops": n_stops}


def test_bus_stops_layer_is_drawn_offline(page, page_requests, app_url, station):
    page.goto(f"{app_url}/?points=bus_stops,rail_stations&lang=en")
    frame = _map_frame(page)
    _wait_painted(frame)
    frame.wait_for_function(PAINTED_POINTS)
    layers = frame.evaluate("window.atlasState.points.layers")
    assert layers == {"bus_stops": station["n_stops"], "rail_stations": 65}
    assert station["n_stops"] == 11605
    assert frame.evaluate(INKED) > 5000  # thousands of markers' pixels on the canvas
    expect(page.locator(".atlas-point-legend")).to_have_count(2)
    expect(page.get_by_text("Bus stops (ESHOT) (11,605 points)")).to_be_visible()

    # a station's tooltip: its name (as text) and its kind
    frame.evaluate("([lat, lon]) => window.map.setView([lat, lon], 15, {animate: false})", list(station["lat_lon"]))
    page.wait_for_timeout(400)
    x, y = frame.evaluate("([lat, lon]) => { const p = window.map.latLngToContainerPoint([lat, lon]);"
                          " return [p.x, p.y]; }", list(station["lat_lon"]))
    box = page.locator(MAP_IFRAME).bounding_box()
    page.mouse.move(box["x"] + x + 1, box["y"] + y + 1)
    tooltip = page.frame_locator(MAP_IFRAME).locator(".atlas-point-tooltip")
    expect(tooltip).to_contain_text("station")
    assert tooltip.locator("b").first.text_content() == station["name"]
    # the area under the station keeps its own tooltip (the points' canvas lets the mouse through)
    expect(page.frame_locator(MAP_IFRAME).locator(".leaflet-tooltip:not(.atlas-point-tooltip)")).to_have_count(1)

    page.wait_for_load_state("networkidle")
    outside = [u for u in page_requests
               if urlsplit(u).scheme not in LOCAL_SCHEMES and urlsplit(u).hostname != "127.0.0.1"]
    assert page_requests and not outside, "requests left 127.0.0.1:\n" + "\n".join(outside)


def test_turning_the_layer_off_clears_the_points_canvas(page, app_url):
    page.goto(f"{app_url}/?points=bus_stops&lang=en")
    frame = _map_frame(page)
    _wait_painted(frame)
    frame.wait_for_function(PAINTED_POINTS)
    assert frame.evaluate(INKED) > 5000
    before = frame.evaluate("window.atlasState.renderId")
    page.get_by_role("button", name="Clear all").click()  # the multiselect's clear button
    frame.wait_for_function("() => Object.keys(window.atlasState.points.layers).length === 0")
    frame.wait_for_function(PAINTED_POINTS)
    assert frame.evaluate(INKED) == 0
    assert frame.evaluate("window.atlasState.renderId") == before  # the choropleth was not redrawn
