"""Shared page chrome and cached resources for the Streamlit pages.

* ``page_chrome(build_pages)`` — the one place that draws what every page shares: the atlas
  title, the TR/EN language switch in the sidebar and the source attribution footer; and the
  one call of ``st.navigation``. A *bare* page (the kiosk, ``/kiosk``) gets none of it: no
  navigation menu, no sidebar, no title, no footer.
* ``kiosk_server()`` — True when the server runs in kiosk configuration (``ATLAS_KIOSK=1``, set by
  ``scripts/kiosk.sh``): then the kiosk is the only page.
* ``get_connection()`` / ``load_table()`` — one cached read-only DuckDB connection for the
  whole server, a cursor per query, query results cached by (query name, JSON parameters).
  Cached frames are shared: never modify them in place (``assign``/``rename`` make copies).
* ``md_escape(text)`` / ``md_echo(value)`` / ``md_link(text, url)`` — text the atlas did not write
  (catalogue and imported metadata, names, a value from the URL) in Streamlit Markdown: always
  literal, never a link, image or emphasis; a value from the URL also cut to ``ECHO_MAX`` characters;
  a link only to an http(s) URL.
"""

from __future__ import annotations

import json
import os
import re
import threading
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import Any, Callable, Iterator, Sequence
from urllib.parse import quote

import duckdb
import pandas as pd
import streamlit as st

import atlas.config
import atlas.db
import atlas.queries
from atlas.catalogue import http_url_problem
from atlas.errors import MissingDataError, QueryError

from atlas.i18n import DEFAULT_LANG, LANGS, gettext, language_name

KIOSK_ENV = "ATLAS_KIOSK"  # "1": kiosk configuration (scripts/kiosk.sh)
LANG_KEY = "lang"  # session-state key and URL query parameter (?lang=en)
LANG_WIDGET_KEY = "lang_switch"  # the sidebar radio's own key
# True while a page runs inside page_chrome() (i.e. through atlas_app.py's st.navigation).
_IN_CHROME: ContextVar[bool] = ContextVar("atlas_in_chrome", default=False)


# --- Cached resources ------------------------------------------------------------------------

def database_signature() -> str:
    """Identifies the database file as it is now (path, inode, modification time).

    ``build`` and ``import`` replace the file atomically, so a new signature means new data: the
    cached connection and query results are keyed by it and the app picks up a rebuilt database
    on the next rerun, without a restart.
    """
    path = atlas.config.db_path()
    try:
        stat = path.stat()
    except FileNotFoundError:
        return f"{path}|missing"
    return f"{path}|{stat.st_ino}|{stat.st_mtime_ns}"


class _Connection:
    """The one read-only connection of the server, reopened when the database file changes.

    DuckDB keeps one database instance per path in a process: while the old connection is open,
    connecting again to the same path returns the old (replaced) file. So the old connection is
    closed before the new file is opened.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._signature: str | None = None
        self._con: duckdb.DuckDBPyConnection | None = None

    def get(self, signature: str) -> duckdb.DuckDBPyConnection:
        with self._lock:
            if signature != self._signature or self._con is None:
                if self._con is not None:
                    self._con.close()
                    self._con, self._signature = None, None
                self._con = atlas.db.connect()  # MissingDataError leaves nothing half-open
                self._signature = signature
            return self._con


@st.cache_resource(show_spinner=False)
def _connection() -> _Connection:
    return _Connection()


def get_connection(signature: str) -> duckdb.DuckDBPyConnection:
    """The read-only atlas database connection for the file ``signature`` names.

    Raises MissingDataError when the database does not exist (nothing is cached then).
    """
    return _connection().get(signature)


@st.cache_data(show_spinner=False, max_entries=256)
def load_table(signature: str, query_name: str, params_json: str) -> pd.DataFrame:
    """Run ``queries/<query_name>.sql`` with the JSON-encoded parameters, on its own cursor."""
    cursor = get_connection(signature).cursor()
    try:
        return atlas.queries.run(cursor, query_name, json.loads(params_json))
    finally:
        cursor.close()


def query(query_name: str, **params: Any) -> pd.DataFrame:
    """``load_table`` with keyword parameters (encoded with sorted keys, so the cache key is stable)."""
    return load_table(database_signature(), query_name, json.dumps(params, sort_keys=True))


def clear_caches() -> None:
    """Drop cached query results and the connection (e.g. after the database was rebuilt)."""
    load_table.clear()
    _connection.clear()


# --- Language -------------------------------------------------------------------------------

def current_lang() -> str:
    """The language chosen in the sidebar switch ('tr' or 'en'; Turkish by default)."""
    lang = st.session_state.get(LANG_KEY, DEFAULT_LANG)
    return lang if lang in LANGS else DEFAULT_LANG


def _initial_lang() -> str:
    # The language lives in st.session_state["lang"], a plain key (not the radio's own key: Streamlit
    # drops a widget's state in any run that does not draw the widget), and in the URL as ?lang=tr|en
    # so a link opens in its language. The radio only writes to it, through its on_change callback
    # (which runs before the script, so this is already the language of this run).
    if LANG_KEY not in st.session_state:
        requested = st.query_params.get(LANG_KEY)
        st.session_state[LANG_KEY] = requested if requested in LANGS else DEFAULT_LANG
    return current_lang()


def _language_switch() -> str:
    lang = _initial_lang()
    st.sidebar.radio(
        " / ".join(gettext("Language", other) for other in LANGS),  # readable whatever the page's language
        LANGS,
        index=LANGS.index(lang),
        format_func=language_name,
        key=LANG_WIDGET_KEY,
        horizontal=True,
        on_change=_language_changed,
    )
    lang = current_lang()
    if st.query_params.get(LANG_KEY) != lang:
        st.query_params[LANG_KEY] = lang
    return lang


def _language_changed() -> None:
    st.session_state[LANG_KEY] = st.session_state[LANG_WIDGET_KEY]


# --- Chrome ---------------------------------------------------------------------------------

def kiosk_server() -> bool:
    """True when the server runs in kiosk configuration (``ATLAS_KIOSK`` is 1/true/yes/on)."""
    return os.environ.get(KIOSK_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def _is_one_of(page: Any, pages: Sequence[Any]) -> bool:
    return any(page is p for p in pages)


def _requested_page(pages: Sequence[st.Page]) -> st.Page | None:
    """The page ``st.navigation(pages)`` is about to choose for this run, or None when unknown.

    Looked up the way Streamlit 1.67 resolves it (``PagesManager._resolve_page_script``: the
    page hash the browser asked for, else the URL path, else the default page); used only to
    decide before ``st.navigation`` whether its menu is drawn. If this ever guesses wrong,
    ``page_chrome`` sends the navigation again with the right position.
    """
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None or not pages:
        return None
    default = next((p for p in pages if getattr(p, "_default", False)), pages[0])
    try:
        manager = ctx.pages_manager
        wanted_hash = manager.intended_page_script_hash
        wanted_name = manager.intended_page_name
        if wanted_hash:
            return next((p for p in pages if p._script_hash == wanted_hash), default)
        if wanted_name:
            return next((p for p in pages if p.url_path == wanted_name), default)
    except AttributeError:  # Streamlit's internals changed: page_chrome corrects itself
        return None
    return default


@contextmanager
def page_chrome(build_pages: Callable[[str], tuple[Sequence[st.Page], Sequence[st.Page]]]) -> Iterator[st.Page]:
    """Navigation and the shared chrome around the page of this run; yields the page to run.

    ``build_pages(lang)`` returns ``(pages, bare)``: the pages for ``st.navigation`` (titles in
    ``lang``) and those of them drawn bare. Used once, in ``atlas_app.py``::

        with page_chrome(build_pages) as page:
            page.run()

    A normal page gets the language switch, the title and, after its body, the footer (a page
    that calls ``st.stop()`` ends without it); the navigation menu is in the sidebar. A bare page
    gets nothing: the menu is hidden (position "hidden") and nothing else is drawn.
    """
    lang = _initial_lang()
    pages, bare = build_pages(lang)
    guess_bare = _is_one_of(_requested_page(pages), bare)
    page = st.navigation(pages, position="hidden" if guess_bare else "sidebar")
    is_bare = _is_one_of(page, bare)
    if is_bare != guess_bare:  # the guess was wrong: send the navigation again, right this time
        page = st.navigation(pages, position="hidden" if is_bare else "sidebar")
    token = _IN_CHROME.set(True)
    if is_bare:
        st.set_page_config(page_title=gettext("İzmir Health Equity Atlas", DEFAULT_LANG), layout="wide", initial_sidebar_state="collapsed")
        try:
            yield page
        finally:
            _IN_CHROME.reset(token)
        return
    try:
        lang = _language_switch()
        st.set_page_config(page_title=gettext("İzmir Health Equity Atlas", lang), layout="wide")
        document_language(lang)
        st.title(gettext("İzmir Health Equity Atlas", lang))
        yield page
    finally:
        _IN_CHROME.reset(token)
    _attribution_footer(lang)


# Streamlit draws captions in its text colour at 60 % opacity (#797f83 on white: 4.05:1), links in them
# lighter still (2.96:1); WCAG 2.1 AA asks 4.5:1 for body text (axe, tests/browser/test_accessibility.py).
# Opaque #4f5a60 is 7.0:1 on white and 6.4:1 on the sidebar's #f2f5f5; the link blue #0b5394 7.6:1 / 7.0:1.
# A disabled widget's label is drawn at 40 % (#9ea4a6 on the sidebar: 2.3:1); its options stay greyed,
# the label (which names the setting) is read at full colour.
# Keyboard focus (2.4.7): Streamlit's sidebar links show none and its select boxes only a 1 px border
# colour; every focusable control gets a 3 px ring in the theme colour (#0b6e6e: 6.2:1 on white).
_CONTRAST_CSS = """<style>
[data-testid="stCaptionContainer"] { opacity: 1; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] * { color: #4f5a60; }
[data-testid="stWidgetLabel"] p { color: #1f2a30; }
[data-testid="stCaptionContainer"] a, [data-testid="stMarkdownContainer"] a { color: #0b5394; }
a:focus-visible, button:focus-visible, input:focus-visible, summary:focus-visible, [tabindex]:focus-visible,
[role="slider"]:focus-visible { outline: 3px solid #0b6e6e !important; outline-offset: 2px; }
[data-baseweb="select"] > div:focus-within, [data-baseweb="input"]:focus-within { box-shadow: 0 0 0 3px #0b6e6e; }
</style>"""


# A container of fixed height scrolls, but Streamlit does not let the keyboard reach it (WCAG 2.1.1;
# axe "scrollable-region-focusable"): make each such region focusable, now and when a rerun redraws it.
_SCROLL_FOCUS_JS = """
if (!window.atlasScrollFocus) {
  window.atlasScrollFocus = true;
  const mark = () => document.querySelectorAll('[data-testid="stVerticalBlock"][overflow="auto"]:not([tabindex])')
    .forEach(el => el.setAttribute('tabindex', '0'));
  mark();
  new MutationObserver(mark).observe(document.body, {childList: true, subtree: true});
}"""


# Streamlit names every st_folium iframe "streamlit_folium.st_folium", which is all a screen reader
# would announce. ``name_maps`` gives the page's maps, in page order, an ``aria-label`` (it comes before
# the title in an iframe's accessible name, and the title stays for scripts that look the map up); a
# MutationObserver labels an iframe again when Streamlit redraws it (WCAG 4.1.2).
_NAME_MAPS_JS = """
window.atlasMapNames = %s;
if (!window.atlasNameMaps) {
  window.atlasNameMaps = () => {
    document.querySelectorAll('iframe[title^="streamlit_folium"]').forEach((frame, i) => {
      const name = window.atlasMapNames[i];
      if (name && frame.getAttribute('aria-label') !== name) frame.setAttribute('aria-label', name);
    });
  };
  new MutationObserver(window.atlasNameMaps).observe(document.body, {childList: true, subtree: true});
}
window.atlasNameMaps();"""


def name_maps(names: Sequence[str]) -> None:
    """Name the page's maps for assistive technology (their iframes' titles), in page order."""
    # a name holds data (an imported indicator's title): '</' escaped so it can never close the script
    names_json = json.dumps(list(names), ensure_ascii=False).replace("</", "<\\/")
    st.html(f"<script>{_NAME_MAPS_JS % names_json}</script>", unsafe_allow_javascript=True)


def document_language(lang: str) -> None:
    """Set ``<html lang>`` to the page's language (Streamlit's page always says ``en``): screen readers
    choose their voice by it and browsers upper-case by it (Turkish i → İ). Also the shared contrast CSS."""
    if lang not in LANGS:  # (a code from our own list only: it is written into a script)
        raise ValueError(f"language {lang!r} is not one of {', '.join(LANGS)}")
    st.html(_CONTRAST_CSS)
    st.html(f"<script>document.documentElement.lang = {json.dumps(lang)};{_SCROLL_FOCUS_JS}</script>",
            unsafe_allow_javascript=True)


def ensure_app_navigation() -> None:
    """First call of every page in ``pages/``: make sure the page runs inside the app's chrome.

    Streamlit 1.67 decides per server, when the first session starts, that an app with a
    ``pages/`` folder is a v1 multipage app, and keeps that until ``st.navigation`` is called.
    If that first session opens a page URL directly, Streamlit runs the page file on its own
    (no title, no language switch, its own sidebar menu). This turns v1 mode off, as
    ``st.navigation`` itself does, and reruns, so ``atlas_app.py`` draws the page properly.
    """
    if _IN_CHROME.get():
        return
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False
    st.rerun()


def show_data_error(exc: MissingDataError | QueryError, lang: str) -> None:
    """Show why the data cannot be shown (the message names the file and what to do), then stop."""
    heading = (gettext("The atlas data is not available.", lang) if isinstance(exc, MissingDataError)
               else gettext("A query could not be run.", lang))
    st.error(f"**{heading}**\n\n{exc}")  # the atlas's own message (a file path the operator set)
    st.stop()


def format_timestamp(value: str) -> str:
    """'2026-01-01T00:00:00Z' -> '2026-01-01 00:00 UTC'; anything unparsable is returned as it is."""
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    suffix = " UTC" if when.utcoffset() is not None and when.utcoffset().total_seconds() == 0 else ""
    return when.strftime("%Y-%m-%d %H:%M") + suffix


# --- Text in Streamlit Markdown ---------------------------------------------------------------
#
# st.markdown, st.caption, st.info/warning/error/success, headers, expander, button and page-link
# labels render their text as GitHub-flavoured Markdown (with Streamlit's :colour[...] directives
# and $LaTeX$). Text the atlas did not write (a value from the URL, a name or a source from the
# database, an imported indicator's metadata) goes through md_escape/md_echo/md_link, never raw.
# Raw HTML in it is shown as text by Streamlit (no unsafe_allow_html where such text is shown), so
# "<" stays as it is unless it would start an autolink (<scheme:...>).

ECHO_MAX = 40  # characters of a user's value quoted back in a notice
WORD_JOINER = "\u2060"  # invisible; breaks the bare-URL autolinks of GFM (a regex over the text)

# Backslash-escaped: \ ` * _ [ ] | ~ $ # & (code, emphasis, links and images, Streamlit's
# :colour[...] directives, tables, strikethrough, LaTeX, headings, entities such as &#58;).
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~$#&])")
_MD_AUTOLINK = re.compile(r"<(?=[A-Za-z][A-Za-z0-9+.\-]{1,31}:)")  # <http:...>, <mailto:...>
_MD_LINE_START = re.compile(r"^(\s*)(?:([>+-])|(\d+)([.)]))")  # a quote or a list at the start
# GFM links bare URLs (http://, https://, www.) and e-mail addresses found in the text after
# escapes are resolved: a word joiner inside each trigger keeps it text.
_BARE_LINK = re.compile(r"(?<=:)(?=//)|(?<=[wW]{3})(?=\.)|(?<=@)")
_LINE_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")  # newlines and other control characters
_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def md_escape(text: object) -> str:
    """``text`` shown literally in Streamlit Markdown (labels, captions, notices, button labels).

    No link, image, emphasis, code, heading, list, table, LaTeX or directive can come out of it, and
    bare URLs and e-mail addresses are not turned into links. Line breaks become spaces (one line).
    """
    out = _LINE_BREAKS.sub(" ", str(text))
    out = _BARE_LINK.sub(WORD_JOINER, out)
    out = _MD_SPECIAL.sub(r"\\\1", out)
    out = _MD_AUTOLINK.sub(r"\\<", out)
    return _MD_LINE_START.sub(_escape_line_start, out, count=1)


def _escape_line_start(m: re.Match) -> str:
    return m.group(1) + ("\\" + m.group(2) if m.group(2) else m.group(3) + "\\" + m.group(4))


def shorten(text: object, limit: int = ECHO_MAX) -> str:
    """``text`` on one line, invisible and control characters removed, cut to ``limit`` characters
    (ending with "…" when cut)."""
    out = _LINE_BREAKS.sub(" ", _INVISIBLE.sub("", str(text))).strip()
    return out if len(out) <= limit else out[:limit - 1].rstrip() + "…"


def md_echo(value: object, limit: int = ECHO_MAX) -> str:
    """A value someone typed (a URL parameter, a search) quoted back in Markdown: literal and short."""
    return md_escape(shorten(value, limit))


def link_url(url: object) -> str | None:
    """``url`` as a Markdown link destination when it is an http(s) URL the atlas may link to
    (``atlas.catalogue.http_url_problem``), characters that could end the link percent-encoded;
    None for anything else (``javascript:``, a malformed or spaced URL)."""
    if not isinstance(url, str) or http_url_problem(url) is not None:
        return None
    return quote(url, safe="/:?#@!$&'*+,;=%~-._")


def md_link(text: object, url: object) -> str:
    """A Markdown link with escaped ``text`` to ``url``, or just the escaped text when ``url`` is not
    an http(s) URL (see ``link_url``)."""
    target = link_url(url)
    label = md_escape(text)
    return f"[{label}]({target})" if target and label.strip() else label


def _attribution_footer(lang: str) -> None:
    try:
        sources = query("list_sources", lang=lang)
    except (MissingDataError, QueryError):
        return  # the page has already said what is missing
    if sources.empty:
        return
    st.divider()
    lines = ["**" + gettext("Sources", lang) + "**"]
    for row in sources.itertuples(index=False):
        lines.append(f"- {md_link(row.attribution, row.url)} — {md_escape(row.licence)}")
    st.caption("\n".join(lines))
