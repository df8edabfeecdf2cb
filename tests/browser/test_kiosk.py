"""The kiosk in Debian's Chromium at 1920×1080, served by ``scripts/kiosk.sh`` (kiosk configuration):
no Streamlit chrome, the map paints, the caption changes after the story's duration, a tap opens the
area card, the idle reset returns to the loop, no request leaves 127.0.0.1, and after a server
restart the page resumes the loop by itself."""

from __future__ import annotations

import os
import re
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, ROOT, SERVER_START_TIMEOUT_S, _free_port, _wait_until_healthy

pytestmark = pytest.mark.browser

MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
LOCAL_SCHEMES = {"data", "blob", "about"}
STORY_S = 4
IDLE_S = 6
BORNOVA = (38.47, 27.24)  # lat, lon inside Bornova
PLAYLIST = f"""
[settings]
default_duration_seconds = {STORY_S}

[[story]]
id = "growth"
indicator = "pop_change"
level = "district"
caption = {{ tr = "Birinci hikâye: nüfus değişimi.", en = "First story: population change." }}

[[story]]
id = "heat"
indicator = "lst_summer_mean"
level = "mahalle"
zoom = "data"
caption = {{ tr = "İkinci hikâye: yüzey sıcaklığı.", en = "Second story: surface temperature." }}
"""


@contextmanager
def kiosk_server(db: Path, playlist: Path, log_path: Path, port: int | None = None):
    """``scripts/kiosk.sh --no-setup`` on 127.0.0.1; yields (base URL, process)."""
    port = port or _free_port()
    env = {**os.environ, "ATLAS_DB": str(db), "ATLAS_KIOSK_PLAYLIST": str(playlist),
           "ATLAS_KIOSK_IDLE_S": str(IDLE_S), "PORT": str(port)}
    with log_path.open("ab") as log:
        proc = subprocess.Popen(["bash", "scripts/kiosk.sh", "--no-setup"], cwd=ROOT, env=env, stdout=log,
                                stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(url, proc, log_path, SERVER_START_TIMEOUT_S)
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@pytest.fixture(scope="module")
def playlist(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("kiosk") / "playlist.toml"
    path.write_text(PLAYLIST, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def kiosk_url(app_db, playlist, tmp_path_factory):
    log = tmp_path_factory.mktemp("kiosk-log") / "kiosk.log"
    with kiosk_server(app_db, playlist, log) as (url, _proc):
        yield url


@pytest.fixture
def screen(browser, request):
    """A 1920×1080 touch screen; every request it makes is recorded in ``screen.requests``."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.requests = []
    context.on("request", lambda req: page.requests.append(req.url))
    page.on("websocket", lambda ws: page.requests.append(ws.url))
    try:
        yield page
    finally:
        if getattr(getattr(request.node, "rep_call", None), "failed", False):
            ARTIFACTS.mkdir(exist_ok=True)
            try:
                page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"))
            except Exception:  # noqa: BLE001 - the page may be gone
                pass
        context.close()


def _map_frame(page):
    page.locator(MAP_IFRAME).wait_for()
    for _ in range(300):
        for frame in page.frames:
            if "streamlit_folium" in frame.url:
                try:
                    if frame.evaluate("typeof window.atlasState === 'object' && !!window.atlasState.painted"):
                        return frame
                except Exception:  # noqa: BLE001 - the frame is still loading
                    pass
        page.wait_for_timeout(100)
    raise AssertionError("the map never painted")


def _tap(page, frame, lat_lon) -> None:
    x, y = frame.evaluate("([lat, lon]) => { const p = window.map.latLngToContainerPoint([lat, lon]);"
                          " return [p.x, p.y]; }", list(lat_lon))
    box = page.locator(MAP_IFRAME).bounding_box()
    page.touchscreen.tap(box["x"] + x, box["y"] + y)


def _wait_story(page, story_id: str, timeout_s: float) -> None:
    page.wait_for_function("id => { const s = document.querySelector('.kiosk-story');"
                           " return s && s.dataset.storyId === id && s.dataset.mode === 'attract'; }",
                           arg=story_id, timeout=timeout_s * 1000)


def _wait_tap_story(page) -> None:
    """Wait for the story the taps are made on (growth, a district map) and let its map settle."""
    _wait_story(page, "growth", STORY_S * 3 + 10)
    page.wait_for_timeout(800)


def test_no_streamlit_chrome_map_paints_and_caption_changes(screen, kiosk_url):
    page = screen
    page.goto(f"{kiosk_url}/kiosk")
    frame = _map_frame(page)
    assert frame.evaluate("window.atlasState.n") > 0 and frame.evaluate("window.atlasState.error") is None
    for test_id in ("stHeader", "stToolbar", "stMainMenu", "stAppDeployButton", "stSidebar", "stSidebarNav",
                    "stSidebarCollapsedControl", "stExpandSidebarButton", "stDecoration", "stStatusWidget"):
        assert not any(el.is_visible() for el in page.get_by_test_id(test_id).all()), test_id
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_text("Deploy")).to_have_count(0)
    # touch targets of at least 48 px, large type
    for button in page.locator("button:visible").all():
        box = button.bounding_box()
        assert box["height"] >= 48 and box["width"] >= 48, (button.inner_text(), box)
    caption_px = page.locator(".kiosk-caption").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert caption_px >= 24
    # the caption changes after the story's duration, by itself
    first = page.locator(".kiosk-caption").inner_text()
    page.wait_for_function("first => { const c = document.querySelector('.kiosk-caption');"
                           " return c && c.innerText !== first; }", arg=first, timeout=(STORY_S * 2 + 10) * 1000)
    second = page.locator(".kiosk-caption").inner_text()
    assert {first, second} == {"Birinci hikâye: nüfus değişimi.", "İkinci hikâye: yüzey sıcaklığı."}
    expect(page.locator(".kiosk-story")).to_have_attribute("data-mode", "attract")
    page.wait_for_load_state("networkidle")
    outside = [u for u in page.requests
               if urlsplit(u).scheme not in LOCAL_SCHEMES and urlsplit(u).hostname != "127.0.0.1"]
    assert page.requests and not outside, "requests left 127.0.0.1:\n" + "\n".join(outside)


def test_a_tap_opens_the_card_and_the_idle_reset_returns_to_the_loop(screen, kiosk_url):
    page = screen
    page.goto(f"{kiosk_url}/kiosk")
    frame = _map_frame(page)
    _wait_tap_story(page)
    _tap(page, frame, BORNOVA)
    card = page.locator(".kiosk-card")
    expect(card).to_have_attribute("data-area", "1203")
    expect(card.locator("h2")).to_have_text("Bornova")
    expect(card).to_contain_text("İzmir")
    expect(page.locator(".kiosk-story")).to_have_attribute("data-mode", "visitor")
    # two touches to a mahalle: the district's mahalle are listed as big buttons
    page.locator("button").filter(has_text=re.compile(r"^Kazımdirik$")).click()
    expect(card.locator("h2")).to_have_text("Kazımdirik")
    page.get_by_role("button", name="English").click()
    expect(card).to_contain_text("This area compared with İzmir")
    # panning the map reruns nothing, but it is a touch: the idle time counts from it
    page.wait_for_timeout(2000)
    box = page.locator(MAP_IFRAME).bounding_box()
    page.mouse.move(box["x"] + 300, box["y"] + 300)
    page.mouse.down()
    page.mouse.move(box["x"] + 420, box["y"] + 380, steps=6)
    page.mouse.up()
    started = time.monotonic()
    page.wait_for_function("() => { const s = document.querySelector('.kiosk-story');"
                           " return s && s.dataset.mode === 'attract'; }", timeout=(IDLE_S + 15) * 1000)
    waited = time.monotonic() - started
    assert IDLE_S - 1 <= waited <= IDLE_S + 3, waited
    # a tap on the same spot as the previous visitor's still counts (below)
    expect(page.locator(".kiosk-card")).to_have_count(0)
    expect(page.locator(".kiosk-story")).to_have_attribute("data-lang", "tr")
    expect(page.get_by_role("button", name="Bölgeni bul")).to_be_visible()
    _wait_tap_story(page)
    _tap(page, frame, BORNOVA)
    expect(page.locator(".kiosk-card")).to_have_attribute("data-area", "1203")


def test_nonsense_and_fast_taps_do_not_break_it(screen, kiosk_url):
    page = screen
    page.goto(f"{kiosk_url}/kiosk")
    frame = _map_frame(page)
    page.get_by_role("button", name="Bölgeni bul").click()
    search = page.get_by_test_id("stSelectbox")
    search.click()
    page.keyboard.type("xq'; DROP TABLE areas; --")
    page.wait_for_timeout(500)
    options = page.get_by_role("option").all_inner_texts()
    assert options in ([], ["No results"]), options  # nothing matches; nothing was sent to the server
    page.keyboard.press("Escape")
    for lat_lon in [(38.42, 27.14), BORNOVA, (38.6, 26.6), (38.30, 27.40), (38.9, 27.0)] * 2:  # land, sea, …
        _tap(page, frame, lat_lon)
    for _ in range(4):
        page.get_by_role("button", name=re.compile("^(English|Türkçe)$")).click()
    page.wait_for_timeout(1500)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.locator(".kiosk-story")).to_have_count(1)
    expect(page.locator(".kiosk-story")).to_have_attribute("data-mode", "visitor")


def test_after_a_server_restart_the_page_resumes_the_loop_by_itself(screen, app_db, playlist, tmp_path):
    page = screen
    port = _free_port()
    log = tmp_path / "restart.log"
    navigations = []
    page.on("framenavigated", lambda f: navigations.append(f.url) if f == page.main_frame else None)
    with kiosk_server(app_db, playlist, log, port) as (url, _proc):
        page.goto(f"{url}/kiosk")
        _map_frame(page)
        _wait_story(page, "heat", STORY_S * 3 + 10)
    # the server is down: the page notices and says so quietly (the title's "reconnecting" mark)
    page.wait_for_function("document.documentElement.getAttribute('data-kiosk-offline') === '1'",
                           timeout=60_000)
    with kiosk_server(app_db, playlist, log, port):
        # a new server: the page reconnects and the loop starts again from the first story, untouched
        _wait_story(page, "growth", 60)
        _wait_story(page, "heat", STORY_S * 3 + 10)
    assert len(navigations) == 1, navigations  # it recovered without reloading


# Streamlit reruns with the newest value of a component: when the sensor sends a second event (the
# next story's "tick") before the server has read a tap, the server only ever sees the second one.
# This makes that happen on purpose, inside the sensor's frame (so Streamlit still knows who sent
# them): from the moment the test arms it, the sensor's values are held until a "tick" comes, and
# only that newest value is passed on.
HOLD_UNTIL_TICK = """() => {
  const parent = window.parent;
  window.__armed = false;
  window.__forwarded = [];
  const hold = function (msg, origin) {
    const value = msg && msg.type === 'streamlit:setComponentValue' && msg.value;
    if (!window.__armed || !value) { return parent.postMessage(msg, origin); }
    if (value.event === 'tick') {
      window.__armed = false;
      window.__forwarded.push(value);
      return parent.postMessage(msg, origin);
    }
  };
  window.parent = new Proxy(parent, {get: (target, key) => {
    if (key === 'postMessage') { return hold; }
    const v = Reflect.get(target, key);
    return typeof v === 'function' ? v.bind(target) : v;
  }});
}"""


def _sensor_frame(page):
    for _ in range(100):
        for frame in page.frames:
            if "kiosk_sensor" in frame.url:
                return frame
        page.wait_for_timeout(100)
    raise AssertionError("no kiosk sensor on the page")


def test_a_tap_just_before_the_next_story_still_opens_the_card(screen, kiosk_url):
    page = screen
    page.goto(f"{kiosk_url}/kiosk")
    frame = _map_frame(page)
    _wait_tap_story(page)
    sensor = _sensor_frame(page)
    sensor.evaluate(HOLD_UNTIL_TICK)
    sensor.evaluate("() => { window.__armed = true; }")
    _tap(page, frame, BORNOVA)  # held: the server does not see it before the story's tick
    sensor.wait_for_function("() => window.__forwarded.length === 1", timeout=(STORY_S + 5) * 1000)
    held = sensor.evaluate("window.__forwarded[0]")
    assert held["event"] == "tick" and [e["event"] for e in held["queue"]] == ["touch", "tap"], held
    card = page.locator(".kiosk-card")
    expect(card).to_have_attribute("data-area", "1203")  # the tick carried the tap along
    expect(page.locator(".kiosk-story")).to_have_attribute("data-story-id", "growth")

