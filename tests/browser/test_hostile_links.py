"""Issue #16: every page opened with hostile query strings, in Chromium on the real app.

For each page and each hostile value (Markdown, HTML, very long, control characters, repeated
parameters) the value goes into every URL parameter the page reads. The test then asserts:
* no exception element (and no traceback text) on the page;
* no request leaves 127.0.0.1 (images, scripts, iframes of every frame: the context sees them all);
* no element points off 127.0.0.1 except the atlas's own links to the sources in its database
  (an ``<a>`` whose host is a source's or an indicator's URL): no image, frame, script or link the
  atlas did not write;
* where the page echoes the value (a notice naming the parameter), it is shown as literal text.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

import duckdb
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

LOCAL_SCHEMES = {"data", "blob", "about", ""}
EXCEPTION = '[data-testid="stException"]'
TITLE = "İzmir Sağlıkta Eşitlik Atlası"
# (name, value, the literal text a reader must see where the page echoes it: 40 characters at most)
HOSTILE = [
    ("markdown-image", "![p](http://example.org/x.png)", "![p](http://example.org/x.png)"),
    ("phishing", "**Oturum süresi doldu.** [Tekrar giriş yapın](http://example.org/login)",
     "**Oturum süresi doldu.** [Tekrar giriş"),
    ("html", '<img src="http://example.org/h.png" onerror="alert(1)"><script>alert(2)</script>'
             '<iframe src="http://example.org/f"></iframe>', '<img src="http://example.org/h.png" o'),
    # (the server refuses a request line over 16 kB before the app sees it: 2,000 letters in one parameter)
    ("very-long", "ş" * 2000 + "![p](http://example.org/long.png)", "şşşşşşşşşş"),
    ("control", "a\x00b\x1b[31m\u202ec\r\n# Başlık\t[x](http://example.org/c)", None),
]
# the parameters each page reads from its URL (the kiosk and the lists read none but ``lang``)
PAGES = {
    "": ("indicator", "period", "level", "scheme", "k", "area", "lang"),
    "profile": ("area", "indicator", "level", "period", "scheme", "lang"),
    "equity": ("indicator", "period", "level", "stratifier", "groups", "lang"),
    "indicators": ("lang",),
    "methods": ("lang",),
    "kiosk": ("lang",),
}
ECHOED = {"", "profile", "equity"}  # pages that name a rejected value in a notice

_URL_ATTRIBUTES = """() => {
  const out = [];
  for (const el of document.querySelectorAll('*')) {
    for (const name of ['src', 'href', 'srcset', 'data', 'action', 'poster', 'xlink:href', 'formaction']) {
      const v = el.getAttribute(name);
      if (v) out.push([el.tagName.toLowerCase(), name, v]);
    }
    const bg = el.style && el.style.backgroundImage;
    if (bg && bg.includes('url(')) out.push([el.tagName.toLowerCase(), 'style', bg]);
  }
  return out;
}"""


@pytest.fixture(scope="module")
def own_link_hosts(app_db) -> set[str]:
    """Hosts the atlas itself links to: the URLs of the sources in its database."""
    con = duckdb.connect(str(app_db), read_only=True)
    try:
        urls = [r[0] for r in con.execute("SELECT url FROM sources").fetchall()]  # (indicators' URLs are sources)
    finally:
        con.close()
    # + the map library's own attribution link, which Leaflet writes into every map
    return {urlsplit(u).hostname for u in urls if urlsplit(u).hostname} | {"leafletjs.com"}


def _off_machine(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme not in LOCAL_SCHEMES and parts.hostname not in ("127.0.0.1", None)


def _query(page_path: str, value: str, name: str) -> str:
    keys = [key for key in PAGES[page_path] if key != "lang"]
    if name == "very-long":
        return urlencode([(key, value if i == 0 else "x") for i, key in enumerate(keys or ["lang"])]
                         + ([("lang", "tr")] if keys else []))
    pairs = [(key, value) for key in keys] + [("lang", value if not keys else "tr")]
    if name == "control":
        return urlencode(pairs)
    # repeated parameters: a harmless first value, then the hostile one (Streamlit keeps the last)
    return urlencode([(key, "x") for key, _ in pairs] + pairs)


def _wait_finished(page) -> None:
    """Poll until the script has run and the page rests (no sleeps)."""
    page.wait_for_selector('[data-test-script-state="notRunning"]', state="attached")
    page.wait_for_load_state("networkidle")
    page.wait_for_selector('[data-test-script-state="notRunning"]', state="attached")


@pytest.mark.parametrize("page_path", list(PAGES))
def test_hostile_query_strings_show_only_text(page, page_requests, app_url, own_link_hosts, page_path):
    for name, value, shown in HOSTILE:
        where = f"/{page_path} with {name}"
        page.goto(f"{app_url}/{page_path}?{_query(page_path, value, name)}")
        if page_path != "kiosk":
            expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
        _wait_finished(page)

        expect(page.locator(EXCEPTION)).to_have_count(0)
        assert "Traceback" not in page.inner_text("body"), where

        elements = []
        for frame in page.frames:  # the map's iframe too
            elements += [(frame.url, *e) for e in frame.evaluate(_URL_ATTRIBUTES)]
        foreign = [e for e in elements if _off_machine(e[3])
                   and not (e[1] == "a" and e[2] == "href" and urlsplit(e[3]).hostname in own_link_hosts)]
        assert not foreign, f"{where}: elements point off 127.0.0.1:\n" + "\n".join(map(str, foreign))
        assert not any("example.org" in e[3] for e in elements), where

        outside = [u for u in page_requests if _off_machine(u)]
        assert not outside, f"{where}: requests left 127.0.0.1:\n" + "\n".join(outside)

        if page_path in ECHOED and shown is not None:
            text = page.inner_text("[data-testid='stMain']").replace("\u2060", "")
            assert shown in text, f"{where}: the value is not shown as text"
