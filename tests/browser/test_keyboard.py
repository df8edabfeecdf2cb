"""Issue #22: the core task with the keyboard only — choose an indicator, find a mahalle, open its
profile — in Chromium on the real app; every control reached on the way shows a visible focus ring."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

MAX_TABS = 60


def _focused(page) -> dict:
    return page.evaluate("""() => {
      const el = document.activeElement;
      const label = el.getAttribute('aria-label') || (el.labels && el.labels[0] && el.labels[0].innerText)
                    || (el.closest('label') && el.closest('label').innerText) || '';
      const box = el.closest('[data-testid]');
      return {tag: el.tagName.toLowerCase(), label: label.trim(), text: (el.innerText || '').trim().slice(0, 60),
              testid: box ? box.getAttribute('data-testid') : ''};
    }""")


def _focus_ring_visible(page) -> bool:
    """The focused control, or the box Streamlit draws around it (up to three levels up), shows a ring:
    an outline of at least 2 px or a box shadow."""
    return page.evaluate("""() => {
      let n = document.activeElement;
      for (let i = 0; i < 4 && n; i++, n = n.parentElement) {
        const s = getComputedStyle(n);
        if ((s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || (s.boxShadow && s.boxShadow !== 'none'))
          return true;
      }
      return false;
    }""")


def _tab_to(page, matches, what: str) -> dict:
    """Press Tab until the focused control satisfies ``matches``; fail naming what was reached."""
    seen = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        f = _focused(page)
        seen.append(f"{f['tag']}:{f['label'] or f['text']}")
        if matches(f):
            assert _focus_ring_visible(page), f"{what}: focused but no visible focus ring ({f})"
            return f
    raise AssertionError(f"{what} not reached with {MAX_TABS} Tabs; focus went: {' → '.join(seen)}")


def _settled(page) -> None:
    page.wait_for_selector('[data-test-script-state="notRunning"]', state="attached")
    page.wait_for_load_state("networkidle")
    page.wait_for_selector('[data-test-script-state="notRunning"]', state="attached")


def test_choose_an_indicator_find_a_mahalle_and_open_its_profile_with_the_keyboard(page, app_url):
    page.goto(f"{app_url}/?lang=en")
    expect(page.get_by_role("heading", name="İzmir Health Equity Atlas")).to_be_visible()
    _settled(page)
    page.locator("body").focus()

    # 1. the indicator: a combobox; type to filter, Enter to choose
    _tab_to(page, lambda f: f["tag"] == "input" and f["label"] == "Indicator", "the indicator box")
    page.keyboard.type("Summer land")
    page.keyboard.press("Enter")
    _settled(page)
    expect(page).to_have_url(re.compile(r"indicator=lst_summer_mean"))

    # 2. the level: radio buttons, arrows move the choice
    _tab_to(page, lambda f: f["tag"] == "input" and f["label"] in ("district", "mahalle"), "the level radios")
    page.keyboard.press("ArrowRight")
    _settled(page)
    expect(page).to_have_url(re.compile(r"level=mahalle"))

    # 3. find a mahalle by typing in the area search
    _tab_to(page, lambda f: f["tag"] == "input" and f["label"] == "Find a mahalle or district", "the area search")
    page.keyboard.type("Bostanlı")
    expect(page.get_by_role("option", name=re.compile("Bostanlı"))).to_be_visible()
    page.keyboard.press("Enter")
    _settled(page)
    expect(page.get_by_text(re.compile(r"Selected area: .*Bostanlı"))).to_be_visible()

    # 4. open its profile through the link the page offers
    _tab_to(page, lambda f: f["tag"] == "a" and "profile" in f["text"].lower(), "the profile link")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/profile\?.*area="))
    expect(page.get_by_role("heading", name=re.compile("Bostanlı"))).to_be_visible()
