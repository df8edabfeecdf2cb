"""The Map explorer at a level of more than CANVAS_ABOVE areas, where choropleth.js draws every area
on one canvas of its own (no Leaflet path per area): it paints, a hovered area shows its tooltip,
switching the indicator changes the drawn colours, and a click on an area opens its profile.

The app serves a small synthetic database (bench/synthetic.py: fictional Voronoi 'mahalle' over
İzmir's extent, just above the threshold)."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import shapely
from playwright.sync_api import expect

from app_support.map.choropleth import CANVAS_ABOVE
from atlas import db, queries
from atlas.views import map_view as mapview
from atlas.catalogue import indicator_from_json
from atlas.mapping import format_value
from tests.browser.conftest import serve_app
from tests.browser.test_map import MAP_IFRAME, _map_frame, _wait_painted

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
N_AREAS = CANVAS_ABOVE + 500
PERIOD = "2025"
ZOOM = 13  # the chosen area is a few hundred pixels wide at this zoom


def _synthetic():
    if str(ROOT / "bench") not in sys.path:
        sys.path.insert(0, str(ROOT / "bench"))
    import synthetic  # bench/synthetic.py

    return synthetic


@pytest.fixture(scope="module")
def canvas_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("canvas-db") / "synthetic.duckdb"
    _synthetic().build(path, N_AREAS)
    return path


@pytest.fixture(scope="module")
def canvas_url(canvas_db, tmp_path_factory):
    with serve_app(canvas_db, tmp_path_factory.mktemp("canvas-app") / "streamlit.log") as url:
        yield url


def _hex(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return tuple(int(colour[i:i + 2], 16) for i in (0, 2, 4))


@pytest.fixture(scope="module")
def area(canvas_db):
    """An area whose class colour differs between synthetic indicators A and B, with what the map
    must show for it (computed from the database, independently of the page)."""
    con = db.connect(canvas_db)
    try:
        meta = queries.run(con, "list_indicator_metadata")
        inds = {i: indicator_from_json(m) for i, m in zip(meta["indicator_id"], meta["metadata_json"])}
        views = {i: mapview.build_map_view(con, inds[i], PERIOD, "mahalle", "quantiles", 5, "tr")
                 for i in ("synthetic_a", "synthetic_b")}
    finally:
        con.close()
    a = views["synthetic_a"].frame.set_index("area_code")
    b = views["synthetic_b"].frame.set_index("area_code")
    fill_a = a["style_key"].map(lambda k: views["synthetic_a"].styles[k]["fillColor"])
    fill_b = b["style_key"].map(lambda k: views["synthetic_b"].styles[k]["fillColor"])
    ok = (a["status"] == "ok") & (b.loc[a.index, "status"] == "ok") & (fill_a != fill_b.loc[a.index])
    # a large one (an easy target), away from the edge of the extent
    centre = shapely.Point(27.4, 38.6)
    shapes = a.loc[ok, "geometry"].values  # degrees are fine for picking a large one near the centre
    candidates = a[ok].assign(size=shapely.area(shapes), dist=shapely.distance(shapes, centre))
    code = candidates[candidates["dist"] < 0.3].sort_values("size").index[-1]
    row = a.loc[code]
    point = row.geometry.representative_point()
    ind = views["synthetic_a"].indicator
    return {"code": code, "name": row["name"], "latlon": (point.y, point.x),
            "value": format_value(row["value"], ind.unit, "tr", ind.decimals),
            "fill_a": _hex(fill_a[code]), "fill_b": _hex(fill_b[code]),
            "n_shown": len(views["synthetic_a"].frame)}


def _zoom_to(frame, latlon, zoom=ZOOM) -> None:
    """Centre the map on ``latlon`` at ``zoom`` (panning and zooming never rerun the app). The map's first
    fit may still be animating, and its end would undo a new view: set it again until it stays."""
    frame.wait_for_function(
        """([lat, lon, z]) => { const m = window.map;
             if (m._animatingZoom) { return false; }
             if (m.getZoom() === z && m.getCenter().distanceTo([lat, lon]) < 50) { return true; }
             m.setView([lat, lon], z, {animate: false}); return false; }""", arg=[*latlon, zoom])


def _page_point(page, frame, latlon) -> tuple[float, float]:
    x, y = frame.evaluate("([lat, lon]) => { const p = window.map.latLngToContainerPoint([lat, lon]);"
                          " return [p.x, p.y]; }", list(latlon))
    box = page.locator(MAP_IFRAME).bounding_box()
    return box["x"] + x, box["y"] + y


PIXEL_JS = """([lat, lon]) => {
  const canvas = document.querySelector('.leaflet-atlasAreas-pane canvas');
  const at = window.map.latLngToLayerPoint([lat, lon]).subtract(L.DomUtil.getPosition(canvas));
  const ratio = canvas.width / canvas.clientWidth;
  const d = canvas.getContext('2d').getImageData(Math.round(at.x * ratio), Math.round(at.y * ratio), 1, 1).data;
  return [d[0], d[1], d[2], d[3]];
}"""


def _wait_pixel(frame, latlon, rgb, tolerance=4) -> None:
    """Poll until the canvas pixel at ``latlon`` is drawn in ``rgb`` (any opacity)."""
    frame.wait_for_function(
        "([args, rgb, tol]) => { const f = " + PIXEL_JS + "; const d = f(args);"
        " return d[3] > 0 && rgb.every((c, i) => Math.abs(c - d[i]) <= tol); }",
        arg=[list(latlon), list(rgb), tolerance])


def _open(page, canvas_url):
    """The map of indicator A at mahalle level, painted: (its frame, the painted renderId)."""
    page.goto(f"{canvas_url}/?indicator=synthetic_a&period={PERIOD}&level=mahalle&lang=tr")
    frame = _map_frame(page)
    return frame, _wait_painted(frame)


def test_canvas_map_paints_every_area_on_one_canvas(page, canvas_url, area):
    frame, _ = _open(page, canvas_url)
    state = frame.evaluate("window.atlasState")
    assert state["error"] is None and state["level"] == "mahalle"
    assert state["n"] == area["n_shown"] > CANVAS_ABOVE
    inner = page.frame_locator(MAP_IFRAME)
    expect(inner.locator(".leaflet-atlasAreas-pane canvas")).to_have_count(1)
    expect(inner.locator("path.leaflet-interactive")).to_have_count(0)  # no path per area
    expect(inner.locator("path[fill='none']")).to_have_count(30)  # the district outlines, on top
    _zoom_to(frame, area["latlon"])
    _wait_pixel(frame, area["latlon"], area["fill_a"])


def test_hovering_an_area_shows_its_tooltip(page, canvas_url, area):
    frame, _ = _open(page, canvas_url)
    _zoom_to(frame, area["latlon"])
    page.mouse.move(*_page_point(page, frame, area["latlon"]))
    tooltip = page.frame_locator(MAP_IFRAME).locator(".leaflet-tooltip")
    expect(tooltip).to_contain_text(area["name"])
    expect(tooltip).to_contain_text("ilçesi")
    expect(tooltip).to_contain_text(area["value"])
    expect(tooltip).to_contain_text("Sıra:")
    # and an outline around the hovered area (a path above the canvas)
    expect(page.frame_locator(MAP_IFRAME).locator("path[stroke='#222222']")).to_have_count(1)
    # leaving the map closes it
    page.mouse.move(5, 5)
    expect(tooltip).to_have_count(0)


def test_switching_indicator_changes_the_drawn_colours(page, canvas_url, area):
    frame, first = _open(page, canvas_url)
    _zoom_to(frame, area["latlon"])
    _wait_pixel(frame, area["latlon"], area["fill_a"])
    page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").filter(has_text="Gösterge").click()
    page.get_by_role("option", name="Sentetik gösterge B").click()
    _wait_painted(frame, previous=first)
    expect(page).to_have_url(re.compile(r"indicator=synthetic_b"))
    _wait_pixel(frame, area["latlon"], area["fill_b"])
    # the map was kept (same zoom): the switch only redrew the areas
    assert frame.evaluate("window.map.getZoom()") == ZOOM


def test_clicking_an_area_opens_its_profile(page, canvas_url, area):
    frame, _ = _open(page, canvas_url)
    _zoom_to(frame, area["latlon"])
    page.mouse.click(*_page_point(page, frame, area["latlon"]))
    page.wait_for_url(re.compile(r"/profile\?"))
    assert parse_qs(urlsplit(page.url).query)["area"] == [area["code"]]
    expect(page.get_by_role("heading", name=re.compile(area["name"]))).to_be_visible()


def _square(w, s, e, n, clockwise=False):
    ring = [[w, s], [e, s], [e, n], [w, n], [w, s]]
    return ring[::-1] if clockwise else ring


# Drawn by choropleth.js itself (the view the app sends, with inline geometry): a square with a
# hole wound like its outer ring, and a two-part area with one part on an island in that hole.
SHAPES_VIEW = {
    "geometry": {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": "H", "properties": {"name": "holed"},
         "geometry": {"type": "Polygon", "coordinates": [_square(27.0, 38.4, 27.2, 38.6),
                                                         _square(27.05, 38.45, 27.15, 38.55)]}},
        {"type": "Feature", "id": "M", "properties": {"name": "two parts"},
         "geometry": {"type": "MultiPolygon", "coordinates": [[_square(27.08, 38.48, 27.12, 38.52, True)],
                                                              [_square(27.3, 38.4, 27.4, 38.5)]]}},
    ]},
    "geometryKey": "test-shapes", "outlines": None, "focus": None, "focusBounds": None, "level": "test",
    "renderId": "test-shapes-1", "canvas": True,
    "styles": {"a": {"fillColor": "#ff0000", "fillOpacity": 1, "color": "#000000", "weight": 1},
               "b": {"fillColor": "#0000ff", "fillOpacity": 1, "color": "#000000", "weight": 1}},
    "codes": ["H", "M"], "keys": ["a", "b"], "tips": ["<b>holed area</b>", "<b>two-part area</b>"],
}


@pytest.mark.parametrize("latlon, rgb, tip", [
    ((38.42, 27.02), (255, 0, 0), "holed area"),        # the outer ring
    ((38.46, 27.06), None, None),                       # in the hole: nothing drawn, no tooltip
    ((38.50, 27.10), (0, 0, 255), "two-part area"),     # the island in the hole
    ((38.45, 27.35), (0, 0, 255), "two-part area"),     # the other part
])
def test_canvas_draws_and_finds_holes_and_multipolygons(page, canvas_url, latlon, rgb, tip):
    frame, app_view = _open(page, canvas_url)
    frame.evaluate("view => window.atlasChoropleth.render(null, window.map, view)", SHAPES_VIEW)
    _wait_painted(frame, previous=app_view)
    assert frame.evaluate("window.atlasState.n") == 2
    _zoom_to(frame, (38.5, 27.2), zoom=11)
    if rgb:
        _wait_pixel(frame, latlon, rgb)
    else:
        assert frame.evaluate(PIXEL_JS, list(latlon))[3] == 0
    page.mouse.move(*_page_point(page, frame, latlon))
    tooltip = page.frame_locator(MAP_IFRAME).locator(".leaflet-tooltip")
    if tip:
        expect(tooltip).to_contain_text(tip)
    else:
        page.mouse.move(*_page_point(page, frame, (38.42, 27.02)))  # a tooltip opens elsewhere...
        expect(tooltip).to_contain_text("holed area")
        page.mouse.move(*_page_point(page, frame, latlon))  # ...and closes in the hole
        expect(tooltip).to_have_count(0)
