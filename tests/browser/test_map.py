"""The Map explorer in Debian's Chromium on the real build: polygons, legend, tooltip, switching,
click → profile, language, and no request leaving 127.0.0.1."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
import shapely
from playwright.sync_api import expect

from atlas import db
from atlas.views import map_view as mapview
from atlas.catalogue import indicator_from_json
from atlas.mapping import format_value
from atlas import queries

pytestmark = pytest.mark.browser

MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
LOCAL_SCHEMES = {"data", "blob", "about"}
BORNOVA = "1203"


def _map_frame(page):
    """The st_folium iframe as a Frame (for evaluate), once Leaflet and our layer script are there."""
    page.locator(MAP_IFRAME).wait_for()
    for _ in range(200):
        for frame in page.frames:
            if "streamlit_folium" in frame.url and frame.evaluate("typeof window.atlasState === 'object'"):
                return frame
        page.wait_for_timeout(50)
    raise AssertionError("the map iframe never loaded its layer script")


def _wait_painted(frame, previous: str | None = None) -> str:
    """Poll until the current view is drawn (and differs from ``previous``); returns its renderId."""
    frame.wait_for_function(
        "prev => window.atlasState && window.atlasState.renderId && window.atlasState.painted === "
        "window.atlasState.renderId && window.atlasState.renderId !== prev", arg=previous)
    return frame.evaluate("window.atlasState.renderId")


def _fills(page) -> dict[str, str]:
    paths = page.frame_locator(MAP_IFRAME).locator("path.leaflet-interactive")
    return dict(paths.evaluate_all("ps => ps.map(p => [p.getAttribute('data-code'), p.getAttribute('fill')])"))


@pytest.fixture(scope="module")
def expected(app_db):
    """What the map must show, computed from the database independently of the page."""
    con = db.connect(app_db)
    try:
        meta = queries.run(con, "list_indicator_metadata")
        inds = {i: indicator_from_json(m) for i, m in zip(meta["indicator_id"], meta["metadata_json"])}
        district = mapview.build_map_view(con, inds["pop_density"], "2025", "district", "quantiles", 5, "tr")
        mahalle = mapview.build_map_view(con, inds["pop_density"], "2023", "mahalle", "quantiles", 5, "tr")
    finally:
        con.close()
    row = district.frame.set_index("area_code").loc[BORNOVA]
    point = shapely.Point(row.geometry.representative_point())
    value = format_value(row.value, inds["pop_density"].unit, "tr", inds["pop_density"].decimals)
    return {"bornova_value": value, "bornova_point": (point.y, point.x),
            "n_mahalle": len(mahalle.frame)}


def _hover_area(page, frame, lat_lon) -> None:
    x, y = frame.evaluate("([lat, lon]) => { const p = window.map.latLngToContainerPoint([lat, lon]);"
                          " return [p.x, p.y]; }", list(lat_lon))
    box = page.locator(MAP_IFRAME).bounding_box()
    page.mouse.move(box["x"] + x, box["y"] + y)


def test_district_map_paints_30_polygons_with_legend_offline(page, page_requests, app_url):
    page.goto(app_url)
    frame = _map_frame(page)
    _wait_painted(frame)
    expect(page.frame_locator(MAP_IFRAME).locator("path.leaflet-interactive")).to_have_count(30)
    fills = _fills(page)
    assert len(set(fills.values())) == 5, fills  # five quantile classes, five colours
    legend = page.locator(".atlas-legend")
    expect(legend).to_be_visible()
    expect(legend).to_contain_text("kişi/km²")
    expect(legend).to_contain_text("(6 bölge)")
    # the legend sits beside the map, never on it
    m, lg = page.locator(MAP_IFRAME).bounding_box(), legend.bounding_box()
    assert lg["x"] >= m["x"] + m["width"] or lg["y"] >= m["y"] + m["height"]
    expect(frame.locator(".leaflet-control-scale-line")).to_have_count(1)  # kilometres only, no miles
    expect(frame.locator(".leaflet-control-scale-line")).to_contain_text("km")
    expect(page.get_by_test_id("stException")).to_have_count(0)
    page.wait_for_load_state("networkidle")
    outside = [u for u in page_requests
               if urlsplit(u).scheme not in LOCAL_SCHEMES and urlsplit(u).hostname != "127.0.0.1"]
    assert page_requests and not outside, "requests left 127.0.0.1:\n" + "\n".join(outside)


def test_mahalle_map_paints_every_mahalle_under_district_outlines(page, app_url, expected):
    page.goto(f"{app_url}/?indicator=pop_density&period=2023&level=mahalle&lang=tr")
    frame = _map_frame(page)
    _wait_painted(frame)
    inner = page.frame_locator(MAP_IFRAME)
    expect(inner.locator("path.leaflet-interactive")).to_have_count(expected["n_mahalle"])
    # district outlines: 30 non-interactive paths drawn without fill
    outlines = inner.locator("path:not(.leaflet-interactive)[fill='none']")
    expect(outlines).to_have_count(30)
    # a mahalle's tooltip names its district (put together in the browser from the geometry file)
    _hover_area(page, frame, expected["bornova_point"])
    tooltip = inner.locator(".leaflet-tooltip")
    expect(tooltip).to_contain_text("Bornova ilçesi")
    expect(tooltip).to_contain_text("kişi/km²")


def test_tooltip_shows_the_value_of_a_known_district(page, app_url, expected):
    page.goto(app_url)
    frame = _map_frame(page)
    _wait_painted(frame)
    _hover_area(page, frame, expected["bornova_point"])
    tooltip = page.frame_locator(MAP_IFRAME).locator(".leaflet-tooltip")
    expect(tooltip).to_contain_text("Bornova")
    expect(tooltip).to_contain_text(expected["bornova_value"])
    expect(tooltip).to_contain_text("Sıra:")
    expect(tooltip).to_contain_text("İzmir:")


def test_switching_indicator_changes_the_fill_colours(page, app_url):
    page.goto(app_url)
    frame = _map_frame(page)
    first = _wait_painted(frame)
    before = _fills(page)
    page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").filter(has_text="Gösterge").click()
    page.get_by_role("option", name="Yaz yüzey sıcaklığı").click()
    _wait_painted(frame, previous=first)
    after = _fills(page)
    assert set(after) == set(before) and after != before
    expect(page).to_have_url(re.compile(r"indicator=lst_summer_mean"))
    # the same iframe was kept (only the layer was replaced): the map was not re-created
    assert frame.evaluate("window.atlasState.renderId") != first


def test_clicking_a_district_opens_its_profile(page, app_url, expected):
    page.goto(app_url)
    frame = _map_frame(page)
    _wait_painted(frame)
    x, y = frame.evaluate("([lat, lon]) => { const p = window.map.latLngToContainerPoint([lat, lon]);"
                          " return [p.x, p.y]; }", list(expected["bornova_point"]))
    box = page.locator(MAP_IFRAME).bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_url(re.compile(r"/profile\?"))
    assert parse_qs(urlsplit(page.url).query)["area"] == [BORNOVA]
    expect(page.get_by_role("heading", name=re.compile("Bornova"))).to_be_visible()


def test_language_switch_changes_map_labels(page, app_url, expected):
    page.goto(app_url)
    frame = _map_frame(page)
    first = _wait_painted(frame)
    page.get_by_test_id("stSidebar").get_by_text("English").click()
    expect(page.get_by_role("heading", name="Population density")).to_be_visible()
    expect(page.locator(".atlas-legend")).to_contain_text("people/km²")
    _wait_painted(frame, previous=first)
    _hover_area(page, frame, expected["bornova_point"])
    tooltip = page.frame_locator(MAP_IFRAME).locator(".leaflet-tooltip")
    expect(tooltip).to_contain_text("Rank:")
    expect(page).to_have_url(re.compile(r"[?&]lang=en\b"))


def test_unreachable_basemap_does_not_stop_the_map(page, app_db, tmp_path):
    """An optional basemap (ATLAS_BASEMAP_URL) that cannot be reached: the polygons still paint."""
    import os

    from tests.browser.conftest import serve_script

    env = {**os.environ, "ATLAS_DB": str(app_db),
           "ATLAS_BASEMAP_URL": "http://127.0.0.1:9/tiles/{z}/{x}/{y}.png"}  # port 9: nothing listens
    with serve_script("atlas_app.py", env, tmp_path / "basemap.log") as url:
        page.goto(url)
        frame = _map_frame(page)
        _wait_painted(frame)
        inner = page.frame_locator(MAP_IFRAME)
        expect(inner.locator("path.leaflet-interactive")).to_have_count(30)
        expect(inner.locator("img.leaflet-tile").first).to_be_attached()  # the tile layer is there
