"""Issue #22: axe-core on every page, in Turkish and English, the kiosk included, with the map painted.

axe-core comes from the npm registry (package.json devDependencies; `npm ci` in scripts/setup.sh) and
is injected by Playwright into the page and every frame (the map's iframe too). The run checks WCAG
2.0/2.1 A and AA rules. A violation of impact *serious* or *critical* fails the test (each is printed
with its rule and selectors); every violation found is written to
``test-artifacts/accessibility/axe-<page>-<lang>.json`` and summarised in ``axe-report.md`` there.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, ROOT

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
REPORT_DIR = ARTIFACTS / "accessibility"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING = {"serious", "critical"}
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
PAGES = {  # name: (path, has a map)
    "map": ("", True),
    "map-mahalle": ("?level=mahalle", True),
    "profile": ("profile?area=1203", False),
    "equity": ("equity", False),  # (the district default: no CI, so no hot-spot or gain map)
    "equity-mahalle": ("equity?indicator=lst_summer_mean&level=mahalle", True),
    "double-burden": ("double_burden", True),
    "indicators": ("indicators", False),
    "methods": ("methods", False),
    "kiosk": ("kiosk", True),
}


@pytest.fixture(scope="module", autouse=True)
def _fresh_report():
    """The report describes this run only."""
    for old in REPORT_DIR.glob("axe-*"):
        old.unlink()


def _wait_ready(page, has_map: bool) -> None:
    page.wait_for_selector('[data-test-script-state="notRunning"]', state="attached")
    if has_map:
        page.locator(MAP_IFRAME).first.wait_for()
        frame = None
        for _ in range(400):
            frame = next((f for f in page.frames if "streamlit_folium" in f.url
                          and f.evaluate("typeof window.atlasState === 'object' && !!window.atlasState.painted")), None)
            if frame is not None:
                break
            page.wait_for_timeout(50)
        assert frame is not None, "the map never painted"
    page.wait_for_load_state("networkidle")
    page.wait_for_selector('[data-test-script-state="notRunning"]', state="attached")


def _axe(page) -> dict:
    source = AXE.read_text(encoding="utf-8")
    for frame in page.frames:  # axe checks iframes only where it is loaded too
        if frame.url.startswith("http://127.0.0.1"):
            frame.evaluate(source)
    return page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, iframes: true, resultTypes: ['violations']})",
        WCAG_TAGS)


def _write_report(name: str, lang: str, violations: list[dict]) -> None:
    REPORT_DIR.mkdir(parents=True, exist_ok=True)
    (REPORT_DIR / f"axe-{name}-{lang}.json").write_text(json.dumps(violations, ensure_ascii=False, indent=1),
                                                      encoding="utf-8")
    lines = [f"## {name} ({lang})", ""]
    lines += [f"- **{v['impact']}** `{v['id']}`: {v['help']} — {len(v['nodes'])} element(s), e.g. "
              f"`{v['nodes'][0]['target']}`" for v in violations] or ["- no violation"]
    with (REPORT_DIR / "axe-report.md").open("a", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n\n")


def test_axe_core_is_installed_by_setup():
    assert AXE.is_file(), f"{AXE} is missing: scripts/setup.sh installs it (npm ci, package.json devDependencies)"


@pytest.mark.parametrize("lang", ["tr", "en"])
@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_or_critical_wcag_violation(page, app_url, name, lang):
    path, has_map = PAGES[name]
    sep = "&" if "?" in path else "?"
    page.goto(f"{app_url}/{path}{sep}lang={lang}")
    _wait_ready(page, has_map)
    if name == "kiosk":  # (the kiosk starts in its playlist's language; a visitor switches it with a button)
        expect(page.locator("html")).to_have_attribute("lang", re.compile(r"^(tr|en)$"))
    else:
        expect(page.locator("html")).to_have_attribute("lang", lang)
    violations = _axe(page)["violations"]
    _write_report(name, lang, violations)
    bad = [v for v in violations if v["impact"] in FAILING]
    assert not bad, f"{name} ({lang}): serious or critical WCAG violations:\n" + "\n".join(
        f"  {v['impact']} {v['id']} ({v['help']}): " + "; ".join(str(n["target"]) for n in v["nodes"][:5])
        for v in bad)


def test_the_map_tells_assistive_technology_what_it_shows(page, app_url):
    """The map's iframe is named (aria-label) after what it shows (title, period, level), in the page's
    language, and the name follows a change of level (Streamlit's own title is "streamlit_folium.st_folium")."""
    page.goto(f"{app_url}/?indicator=pop_density&level=district&period=2025&lang=en")
    _wait_ready(page, True)
    expect(page.locator(MAP_IFRAME).first).to_have_attribute("aria-label", "Map: Population density, 2025, district")
    page.goto(f"{app_url}/?indicator=pop_density&level=mahalle&period=2023&lang=tr")
    _wait_ready(page, True)
    expect(page.locator(MAP_IFRAME).first).to_have_attribute("aria-label", "Harita: Nüfus yoğunluğu, 2023, mahalle")
    # a switch in the same session (a rerun redraws the iframe): the label follows
    page.get_by_test_id("stSidebar").get_by_text("ilçe", exact=True).click()
    expect(page.locator(MAP_IFRAME).first).to_have_attribute("aria-label", re.compile(r"^Harita: Nüfus yoğunluğu, \d{4}, ilçe$"))
