"""Issue #16, findings 1 and 2: no Markdown injection.

1. A value from a shared link is echoed into a notice as literal text, cut to a sane length: no
   image, no link, no emphasis; on the map, the equity page and the area profile.
2. An imported indicator's metadata (title, source, licence, definition, method, caveat) is shown
   as text in the footer, the map and equity captions and the Data & methods page; ``source_url``
   must be an http(s) URL (refused at import, naming the value) and is linked only then, as a
   plain link with escaped text. The exports print the same text as it is (no mathtext).

What the browser does with a notice is checked here with a CommonMark parser (markdown-it-py)
plus the two rules of GitHub-flavoured Markdown that CommonMark lacks and Streamlit's renderer
applies: bare-URL and e-mail autolinks (mdast-util-gfm-autolink-literal runs these regexes over
the text *after* backslash escapes are resolved, so an escape alone does not stop them).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import pytest
import streamlit as st
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from atlas.errors import ImportRejected
from atlas.importing import COLUMNS, import_file
from tests.conftest import ROOT
from tests.factories import make_tiny_db

APP = ROOT / "atlas_app.py"
IMAGE = "![p](http://example.org/x.png)"
PHISHING = "**Oturum süresi doldu.** [Tekrar giriş yapın](http://example.org/login)"
PHISHING_SHOWN = "**Oturum süresi doldu.** [Tekrar giriş…"  # cut to 40 characters

_MD = MarkdownIt("commonmark").enable(["strikethrough", "table"])
# mdast-util-gfm-autolink-literal (Streamlit's Markdown): bare URLs and e-mail addresses in text
_GFM_BARE_URL = re.compile(r"(https?://|www(?=\.))", re.IGNORECASE)
_GFM_EMAIL = re.compile(r"[-.\w+]+@[-\w]+(?:\.[-\w]+)+", re.ASCII)
_ACTIVE = {"image", "code_inline", "code_block", "fence", "heading_open", "bullet_list_open", "ordered_list_open",
           "blockquote_open", "table_open", "s_open", "autolink"}
# Raw HTML is shown as text: Streamlit adds rehype-raw only with unsafe_allow_html (documented: "HTML tags
# found in the body will be escaped and therefore treated as pure text"), never used for such text.
_AS_TEXT = {"html_inline", "html_block"}


def rendered(markdown: str) -> tuple[str, list[str], set[str]]:
    """(the text a reader sees, the links' targets, the kinds of element) of Streamlit Markdown."""
    text, links, kinds = [], [], set()
    for token in _MD.parse(markdown):
        kinds.add(token.type)
        if token.type in _AS_TEXT:
            text.append(token.content)
        for child in token.children or ():
            kinds.add(child.type)
            if child.type == "link_open":
                links.append(child.attrs["href"])
            elif child.type == "text":
                text.append(child.content)
                assert not _GFM_BARE_URL.search(child.content), f"a bare URL would become a link: {child.content!r}"
                assert not _GFM_EMAIL.search(child.content), f"an e-mail address would become a link: {child.content!r}"
            elif child.type in _AS_TEXT:
                text.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                text.append(" ")
    return "".join(text).replace("\u2060", ""), links, kinds


def assert_inert(markdown: str, *, links: tuple[str, ...] = (), allow: set[str] = frozenset()) -> str:
    """``markdown`` makes no image, HTML, code, heading, list... and links only to ``links``; its text."""
    text, found, kinds = rendered(markdown)
    assert not (kinds & _ACTIVE) - set(allow), (markdown, kinds & _ACTIVE)
    assert set(found) <= set(links), (markdown, found)
    return text


@pytest.fixture(autouse=True)
def _fresh_caches(fresh_caches):
    """Every test starts and ends with empty Streamlit caches (tests/conftest.py)."""


def _open(monkeypatch, db: Path, page: str, **params) -> AppTest:
    monkeypatch.setenv("ATLAS_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.switch_page(page)
    at.query_params.update(params)
    return at.run()


# --- finding 1: a value from the link, echoed in a notice -------------------------------------


@pytest.mark.parametrize("page, param", [("pages/map.py", "indicator"), ("pages/equity.py", "indicator"),
                                         ("pages/equity.py", "stratifier"), ("pages/map.py", "area"),
                                         ("pages/profile.py", "area")])
@pytest.mark.parametrize("value, shown", [(IMAGE, IMAGE), (PHISHING, PHISHING_SHOWN)])
def test_a_link_value_is_echoed_as_literal_short_text(monkeypatch, tiny_db, page, param, value, shown):
    at = _open(monkeypatch, tiny_db, page, **{param: value})
    assert not at.exception
    notices = [w.value for w in at.warning]
    assert len(notices) == 1, notices
    text = assert_inert(notices[0])
    assert shown in text, (text, shown)  # the value, literally, cut to 40 characters
    assert "example.org/login" not in notices[0]


def test_control_characters_and_other_markup_in_a_link_value(monkeypatch, tiny_db):
    value = "x\n\n# Başlık\n<http://example.org> a@example.org www.example.org `k` $x$ :red[y]"
    at = _open(monkeypatch, tiny_db, "pages/map.py", indicator=value)
    assert not at.exception
    text = assert_inert(at.warning[0].value)
    assert "(x # Başlık <http://example.org> a@examp…)" in text  # one line, 40 characters


# --- finding 2: an imported indicator's metadata ----------------------------------------------

HOSTILE = {
    "title": {"tr": "İçe aktarılan **gösterge** ![x](http://example.org/x.png)",
              "en": "Imported **indicator** ![x](http://example.org/x.png)"},
    "definition": {"tr": "Tanım ![x](http://example.org/x.png) bkz. http://example.org <img src=x onerror=alert(1)>",
                   "en": "Definition ![x](http://example.org/x.png) see http://example.org <img src=x onerror=alert(1)>"},
    "source": "Kaynak ![x](http://example.org/x.png) http://example.org $\\frac{x$",
    "licence": "**CC0** [lisans](http://example.org/l) www.example.org",
    "method": {"tr": "_yöntem_ `kod` <http://example.org/m> a@example.org", "en": "_method_ `code` <http://example.org/m>"},
    "caveat": {"tr": "# Uyarı\n\n- madde [y](http://evil)", "en": "# Caveat\n\n- item [y](http://evil)"},
}
IMPORTED = "city_hostile"
SOURCE_URL = "https://example.org/kaynak"


def _entry(path: Path, source_url: str = SOURCE_URL) -> Path:
    def toml(value) -> str:  # a JSON string or object is a TOML basic string / inline table
        if isinstance(value, dict):
            return "{ " + ", ".join(f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in value.items()) + " }"
        return json.dumps(value, ensure_ascii=False)

    lines = ["[[indicator]]", f'id = "{IMPORTED}"', 'theme = "population"',
             *(f"{key} = {toml(value)}" for key, value in HOSTILE.items()),
             'unit = { tr = "binde", en = "per 1,000" }', "scale = 1000", 'value_type = "rate"', "decimals = 1",
             'polarity = "lower_is_better"', f"source_url = {json.dumps(source_url)}", 'periods = ["2023"]',
             'levels = ["district"]', "disclosure = { min_count = 0 }"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _values(path: Path) -> Path:
    rows = [{"indicator_id": IMPORTED, "level": "district", "district": d, "period": "2023", "value": v}
            for d, v in (("Karşıyaka", 2.5), ("Bornova", 4.0))]
    path.write_text("\n".join([",".join(COLUMNS)] + [",".join(str(r.get(c, "")) for c in COLUMNS) for r in rows])
                    + "\n", encoding="utf-8")
    return path


def _with_themes(db: Path) -> Path:
    con = duckdb.connect(str(db))
    con.execute("INSERT INTO themes VALUES ('population', 'Nüfus', 'Population')")
    con.close()
    return db


@pytest.fixture
def imported_db(tmp_path) -> Path:
    db = _with_themes(make_tiny_db(tmp_path / "atlas.duckdb"))
    import_file(_values(tmp_path / "degerler.csv"), db, _entry(tmp_path / "giris.toml"))
    return db


@pytest.mark.parametrize("bad", ["javascript:alert(1)", "http://x) [y](http://evil"])
def test_import_refuses_a_source_url_that_is_not_http(tmp_path, bad):
    db = _with_themes(make_tiny_db(tmp_path / "atlas.duckdb"))
    with pytest.raises(ImportRejected) as info:
        import_file(_values(tmp_path / "degerler.csv"), db, _entry(tmp_path / "giris.toml", bad))
    problem = " ".join(info.value.problems)
    assert "source_url" in problem and repr(bad) in problem and "http://" in problem and "https://" in problem


def _own(body: str) -> set[str]:
    """The elements the atlas itself writes in ``body``: its lists ("- **Field:** value", the footer's
    sources) and an indicator's id as code."""
    if re.fullmatch(r"`[a-z][a-z0-9_]*`", body):
        return {"code_inline"}
    return {"bullet_list_open"} if body.startswith(("- **", "**")) else set()


def _markdown_of(at: AppTest) -> list[str]:
    return ([m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
            + [e.label for e in at.expander] + [h.value for h in at.header] + [h.value for h in at.subheader])


def test_methods_page_shows_imported_metadata_as_text(monkeypatch, imported_db):
    at = _open(monkeypatch, imported_db, "pages/methods.py")
    assert not at.exception
    shown = []
    for body in _markdown_of(at):
        shown.append(assert_inert(body, links=("https://example.org/test", SOURCE_URL), allow=_own(body)))
    text = "\n".join(shown)
    for literal in (HOSTILE["title"]["tr"], HOSTILE["definition"]["tr"], HOSTILE["source"], HOSTILE["licence"],
                    HOSTILE["method"]["tr"], "# Uyarı - madde [y](http://evil)"):
        assert literal in text, literal
    sources = at.dataframe[0].value
    assert SOURCE_URL in list(sources.iloc[:, 3])  # the URL column


def test_footer_map_and_equity_captions_show_imported_metadata_as_text(monkeypatch, imported_db):
    links = ("https://example.org/test", SOURCE_URL)
    for page in ("pages/indicators.py", "pages/map.py", "pages/equity.py"):
        at = _open(monkeypatch, imported_db, page, indicator=IMPORTED, period="2023", level="district")
        assert not at.exception, page
        text = "\n".join(assert_inert(body, links=links, allow=_own(body)) for body in _markdown_of(at))
        assert HOSTILE["source"] in text and HOSTILE["licence"] in text, page  # the footer, and the page's caption
        if page != "pages/indicators.py":
            assert HOSTILE["title"]["tr"] in text, page


def test_a_stored_source_url_that_is_not_http_is_never_a_link(monkeypatch, imported_db):
    """A database written before the check (or by hand): the app still links to http(s) URLs only."""
    con = duckdb.connect(str(imported_db))
    meta = json.loads(con.execute("SELECT metadata_json FROM indicators WHERE indicator_id = $i", {"i": IMPORTED}).fetchone()[0])
    for bad in ("javascript:alert(1)", "http://x) [y](http://evil"):
        meta["source_url"] = bad
        con.execute("UPDATE indicators SET metadata_json = $m WHERE indicator_id = $i", {"m": json.dumps(meta), "i": IMPORTED})
        con.execute("UPDATE sources SET url = $u WHERE url = $old OR source_id LIKE 'import_%'", {"u": bad, "old": SOURCE_URL})
        con.close()
        at = _open(monkeypatch, imported_db, "pages/methods.py")
        assert not at.exception
        for body in _markdown_of(at):
            assert_inert(body, links=("https://example.org/test",), allow=_own(body))
        urls = list(at.dataframe[0].value.iloc[:, 3])
        assert bad not in urls and "https://example.org/test" in urls
        st.cache_data.clear()
        st.cache_resource.clear()
        con = duckdb.connect(str(imported_db))
    con.close()


def test_exports_print_imported_metadata_as_it_is(imported_db):
    """matplotlib would read "$...$" as mathtext (and fail on "$\\frac{x$"): the export prints it."""
    import xml.etree.ElementTree as ET

    from atlas.catalogue import indicator_from_json
    from atlas.export.render import render_map
    from atlas.views import map_view

    con = duckdb.connect(str(imported_db), read_only=True)
    try:
        meta = con.execute("SELECT metadata_json FROM indicators WHERE indicator_id = $i", {"i": IMPORTED}).fetchone()[0]
        mv = map_view.build_map_view(con, indicator_from_json(meta), "2023", "district", "quantiles", 2, "tr")
        svg = render_map(mv, fmt="svg")
        render_map(mv, fmt="pdf")
    finally:
        con.close()
    texts = " ".join(t.text or "" for t in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text"))
    assert "$\\frac{x$" in texts and "![x](http://example.org/x.png)" in texts


def test_kiosk_source_line_and_legend_are_escaped_html(imported_db):
    """The kiosk draws with st.html (no Markdown): the imported source, licence and title are escaped HTML."""
    from atlas.catalogue import indicator_from_json
    from atlas.views import map_view
    from app_support.kiosk.page import _legend_html, _source_html

    con = duckdb.connect(str(imported_db), read_only=True)
    try:
        meta = con.execute("SELECT metadata_json FROM indicators WHERE indicator_id = $i", {"i": IMPORTED}).fetchone()[0]
        mv = map_view.build_map_view(con, indicator_from_json(meta), "2023", "district", "quantiles", 2, "tr")
    finally:
        con.close()
    html = _source_html(mv) + _legend_html(mv)
    assert "<img" not in html and "<a " not in html and "&lt;" not in HOSTILE["source"]
    assert "![x](http://example.org/x.png)" in html and "**CC0** [lisans](http://example.org/l)" in html


def test_profile_spine_chart_stays_one_html_block(monkeypatch, imported_db):
    """The spine chart is HTML in st.markdown: a blank line in an imported title must not end the block
    and let Markdown read the rest (an image from elsewhere)."""
    title = "Başlık\n\n![x](http://example.org/x.png)\n\nson"
    con = duckdb.connect(str(imported_db))
    meta = json.loads(con.execute("SELECT metadata_json FROM indicators WHERE indicator_id = $i", {"i": IMPORTED}).fetchone()[0])
    meta["title"] = {"tr": title, "en": title}
    con.execute("UPDATE indicators SET metadata_json = $m, title_tr = $t, title_en = $t WHERE indicator_id = $i",
                {"m": json.dumps(meta), "t": title, "i": IMPORTED})
    con.close()
    at = _open(monkeypatch, imported_db, "pages/profile.py", area="9001")
    assert not at.exception
    svg = [m.value for m in at.markdown if m.value.startswith("<svg")]
    assert len(svg) == 1
    blocks = [t.type for t in MarkdownIt("commonmark").parse(svg[0]) if t.level == 0 and not t.type.endswith("_close")]
    assert blocks == ["html_block"], blocks
