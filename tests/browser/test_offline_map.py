"""A folium map drawn with st_folium through app_support.chrome.offline_map works with no network: its
polygons draw in Chromium and every request (the component iframe's too) goes to 127.0.0.1."""

from __future__ import annotations

import os
import shutil
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ROOT, serve_script

pytestmark = pytest.mark.browser

APP_SCRIPT = ROOT / "tests" / "browser" / "offline_map_app.py"
STATIC = ROOT / "static"
LOCAL_SCHEMES = {"data", "blob", "about"}


@pytest.fixture(scope="module")
def offline_map_url(tmp_path_factory):
    """Serve offline_map_app.py the way the app is served: from the repository root, with
    ``static/`` beside the script (a link to the repository's static/, as for atlas_app.py)."""
    if not (STATIC / "vendor" / ".stamp").is_file():
        pytest.fail("static/vendor is missing: run scripts/setup.sh (npm ci + scripts/vendor_assets.py)")
    app_dir = tmp_path_factory.mktemp("offline_map_app")
    script = app_dir / APP_SCRIPT.name
    shutil.copyfile(APP_SCRIPT, script)
    (app_dir / "static").symlink_to(STATIC, target_is_directory=True)
    pythonpath = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    env = {**os.environ, "PYTHONPATH": pythonpath}
    with serve_script(script, env, app_dir / "streamlit.log") as url:
        yield url


def test_map_draws_three_polygons_and_only_talks_to_localhost(page, page_requests, offline_map_url):
    bad_responses: list[str] = []
    page.context.on("response", lambda r: bad_responses.append(f"{r.status} {r.url}")
                    if r.status >= 400 else None)
    page.context.on("requestfailed", lambda r: bad_responses.append(f"failed {r.url}"))

    page.goto(offline_map_url)
    expect(page.get_by_text("remote assets: 0")).to_be_visible()
    frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]')
    expect(frame.locator("path.leaflet-interactive")).to_have_count(3)
    expect(frame.locator(".leaflet-control-attribution")).to_be_visible()  # control kept
    expect(frame.locator(".leaflet-control-zoom-in")).to_be_visible()  # leaflet.css applied
    expect(frame.locator("img.leaflet-tile")).to_have_count(0)  # no tile layer
    expect(frame.locator("img.leaflet-marker-icon")).to_have_attribute(
        "src", "../../app/static/vendor/leaflet/images/marker-icon.png")
    expect(page.get_by_test_id("stException")).to_have_count(0)
    page.wait_for_load_state("networkidle")

    vendor = [u for u in page_requests if "/app/static/vendor/" in u]
    assert any(u.endswith("/leaflet/leaflet.js") for u in vendor), page_requests
    outside = [u for u in page_requests
               if urlsplit(u).scheme not in LOCAL_SCHEMES and urlsplit(u).hostname != "127.0.0.1"]
    assert not outside, "requests left 127.0.0.1:\n" + "\n".join(outside)
    assert not bad_responses, "requests failed:\n" + "\n".join(bad_responses)
