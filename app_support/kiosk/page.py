"""The kiosk page (``/kiosk``): attract loop, area card, idle reset — the Streamlit glue.

One run of the page:

1. read the kiosk's state (``atlas.kiosk.loop.KioskState``, one small frozen object in the
   session) and the sensor's events not handled yet (``kiosk_sensor``), each applied once, oldest first
   (a first touch leaves the loop, a map tap selects the area there with ``area_at``; every
   event says how long the browser has been idle); buttons and the search change the state in
   their callbacks;
2. ``loop.step``: back to the start when the idle time is up;
3. draw: the sensor (told when to wake up next), the top bar (title, TR/EN, "find your area" or
   "back to start"), the map (``base_map`` + the story's ``payload_layer``: the Leaflet map is kept,
   only the layer changes), and the panel (the story's caption, legend and source; or the area
   lists and the area card).

Nothing here keeps growing: the session holds a fixed set of keys, the caches have
``max_entries``, and while nobody touches the screen the page reruns once per story.
Errors never show details: a data problem shows a short notice and the sensor retries.
"""

from __future__ import annotations

import html
import time
import uuid
from typing import Any, Callable

import folium
import streamlit as st
from streamlit_folium import st_folium

from atlas.errors import AtlasError
from atlas.kiosk import loop
from atlas.kiosk.card import Card
from atlas.kiosk.playlist import Playlist, Story
from atlas.kiosk.zoom import zoom_bounds
from atlas.mapping.legend_html import legend_html
from atlas.views.map_view import MapView, area_at, focus_bounds

from . import data as kiosk_data
from . import sensor as kiosk_sensor
from ..map import data as map_data
from ..map.choropleth import base_map, payload_layer
from ..chrome.labels import LEVELS
from ..chrome.page import document_language, md_escape, name_maps
from atlas.i18n import LANGS, N_, gettext, label, language_name, ngettext, pgettext
from .style import MAP_CSS, PAGE_CSS

STATE_KEY = "kiosk_state"
EVENT_KEY = "kiosk_event_seen"
SIZE_KEY = "kiosk_viewport"
TOKEN_KEY = "kiosk_token"
RUN_KEY = "kiosk_run"
ON_SCREEN_KEY = "kiosk_on_screen"
FIT_KEY = "kiosk_fit_key"
NOTE_KEY = "kiosk_note"  # holds the message of the note shown on the card, or None
OUTSIDE_NOTE = N_("No area there; touch a coloured area on the map.")
SEARCH_KEY = "kiosk_search"
MAP_KEY = "kiosk_map"

DEFAULT_SIZE = (1920, 1080)
TOP_BAR_PX = 96
FOOTER_PX = 34
RETRY_S = 15.0  # when the data cannot be shown, try again this often
MAX_DISTRICT_COLUMNS = 3


def clock() -> float:
    """The kiosk's clock (monotonic seconds); tests replace it."""
    return time.monotonic()


# --- state ------------------------------------------------------------------------------------

def _state() -> loop.KioskState:
    state = st.session_state.get(STATE_KEY)
    if not isinstance(state, loop.KioskState):
        state = loop.start(clock())
        st.session_state[STATE_KEY] = state
    return state


def _save(state: loop.KioskState) -> None:
    st.session_state[STATE_KEY] = state


def _on_screen() -> int | None:
    value = st.session_state.get(ON_SCREEN_KEY)
    return value if isinstance(value, int) else None


def _act(change: Callable[..., loop.KioskState], *args: Any) -> None:
    """A widget callback: apply ``change(state, durations, now, *args)`` (any touch keeps the kiosk awake)."""
    try:
        durations = kiosk_data.playlist().durations
    except AtlasError:
        return
    _save(change(_state(), durations, clock(), *args))
    st.session_state[NOTE_KEY] = None


def _choose(code: str | None) -> None:
    _act(lambda s, d, now: loop.choose_area(s, d, now, code, _on_screen()))


def _lang(lang: str) -> None:
    _act(lambda s, d, now: loop.set_lang(s, d, now, lang, _on_screen()))


def _back_to_start() -> None:
    _save(loop.back_to_start(_state(), clock()))
    _clear_visitor_keys()


def _searched() -> None:
    code = st.session_state.get(SEARCH_KEY)
    st.session_state[SEARCH_KEY] = None  # the next search starts empty
    if isinstance(code, str):
        _choose(code)


def _clear_visitor_keys() -> None:
    st.session_state[NOTE_KEY] = None
    st.session_state[SEARCH_KEY] = None


def _apply_sensor(state: loop.KioskState, playlist: Playlist, now: float) -> tuple[loop.KioskState, float | None]:
    """Apply the sensor's events not handled yet, oldest first (a tap that came just before the
    next story's tick included); returns the state and the browser's idle seconds."""
    durations = playlist.durations
    value = kiosk_sensor.parse(st.session_state.get(kiosk_sensor.KEY))
    if value is None:
        return state, None
    if value.width and value.height:
        st.session_state[SIZE_KEY] = (value.width, value.height)
    unseen = value.unseen(st.session_state.get(EVENT_KEY))
    if not unseen:
        return state, None  # already handled; its idle time is old news
    st.session_state[EVENT_KEY] = value.ident
    for event in unseen:
        if event.event == "touch":
            state = loop.touched(state, durations, now, _on_screen())
        elif event.event == "tap" and event.point is not None:
            state = _clicked(state, durations, now, event.point, playlist)
    return state, value.idle_s


def _handled() -> tuple[str, int] | None:
    """(sid, seq) of the newest sensor event handled: the browser forgets the older ones."""
    seen = st.session_state.get(EVENT_KEY)
    return tuple(seen) if seen else None


def _clicked(state: loop.KioskState, durations: tuple[float, ...], now: float, point: tuple[float, float],
             playlist: Playlist) -> loop.KioskState:
    """A tap on the map at (lon, lat): select the area there, on the map of the story the visitor saw."""
    kept = loop.touched(state, durations, now, _on_screen())
    story = playlist.stories[loop.shown(kept, durations, now).index]
    try:
        mv = map_data.map_view(story.indicator, story.period, story.level, story.scheme, story.k, kept.lang)
        code = area_at(mv, *point)
    except (AtlasError, KeyError, ValueError):
        code = None
    state = loop.choose_area(kept, durations, now, code) if code else kept
    st.session_state[NOTE_KEY] = None if code else OUTSIDE_NOTE
    _save(state)
    return state


# --- drawing ----------------------------------------------------------------------------------

def _esc(text: Any) -> str:
    return html.escape(str(text))


def _div(css_class: str, text: str) -> str:
    """``text`` (escaped) in a div of ``css_class``."""
    return f'<div class="{css_class}">{_esc(text)}</div>'


def _kiosk_map() -> folium.Map:
    m = base_map()
    m.get_root().header.add_child(folium.Element(MAP_CSS), name="kiosk_map_css")
    return m


def _layer(mv: MapView, story: Story, state: loop.KioskState, fit_key: str, parent: dict[str, str]):
    focus = state.area if state.mode == "visitor" else None
    if focus and mv.level == "district" and focus in parent:
        focus = parent[focus]  # a mahalle on the district map: its district is outlined
    geometry = {**map_data.layer_geometry(mv.level), "focusBounds": focus_bounds(mv, focus) if focus else None,
                "fit": {"key": fit_key, "bounds": zoom_bounds(story.zoom, mv)}}
    payload = map_data.payload(story.indicator, story.period, story.level, story.scheme, story.k, state.lang)
    return payload_layer(payload, mv.level, geometry, focus=focus)


def _story_html(story: Story, mv: MapView, pos: loop.Position, n: int, lang: str, attract: bool) -> str:
    level = (gettext("districts", lang) if story.level == "district" else pgettext("kiosk", "mahalle", lang))
    of = gettext("Story {n} of {total}", lang, n=pos.index + 1, total=n)
    kicker = f"{of} · {level} · {story.period}"
    parts = [f'<div class="kiosk-story" data-story-id="{_esc(story.id)}" data-index="{pos.index}" '
             f'data-cycle="{pos.cycle}" data-mode="{"attract" if attract else "visitor"}" data-lang="{lang}" lang="{lang}">',
             f'<div class="kiosk-kicker">{_esc(kicker)}</div>',
             f'<div class="kiosk-story-title">{_esc(mv.title)}</div>',
             f'<p class="kiosk-caption">{_esc(story.caption.get(lang))}</p>']
    if attract:
        total = story.duration
        parts.append(f'<div class="kiosk-progress"><span style="animation-duration:{total:.2f}s;'
                     f'animation-delay:-{max(0.0, total - pos.remaining):.2f}s"></span></div>')
    parts.append("</div>")
    return "".join(parts)


def _legend_html(mv: MapView) -> str:
    lang = mv.lang
    unit = mv.indicator.unit.get(lang)
    title = gettext("{title} ({unit})", lang, title=mv.title, unit=unit) if unit else mv.title
    notes = [note.get(lang) for note in mv.notes]
    return legend_html(mv.legend, title, lang, benchmark=mv.benchmark, notes=notes)


def _source_html(mv: MapView) -> str:
    ind = mv.indicator
    line = gettext("Source: {source} · {licence}", mv.lang, source=ind.source.get(mv.lang),
                   licence=ind.licence.get(mv.lang))
    return f'<div class="kiosk-source">{_esc(line)}</div>'


def _card_html(card: Card, lang: str) -> str:
    rows = []
    for r in card.rows:
        izmir = f'<div class="kiosk-row-izmir">{_esc(r.izmir)}</div>' if r.izmir else ""
        rank = f'<div class="kiosk-row-rank">{_esc(r.rank)}</div>' if r.rank else ""
        rows.append(f'<div class="kiosk-row tone-{_esc(r.tone)}" data-indicator="{_esc(r.indicator_id)}">'
                    f'<div class="kiosk-row-title">{_esc(r.title)} <span>· {_esc(r.period)}</span></div>'
                    f'<div class="kiosk-row-value">{_esc(r.value)}</div>{izmir}'
                    f'<div class="kiosk-row-sentence">{_esc(r.sentence)}</div>{rank}</div>')
    gaps = "".join(f'<div class="kiosk-gap"><b>{_esc(", ".join(g.titles))}</b>: {_esc(g.reason)}</div>'
                   for g in card.gaps)
    notes = gaps + "".join(f'<div class="kiosk-card-note">{_esc(n)}</div>' for n in card.notes)
    lead = gettext("This area compared with İzmir", lang)
    return (f'<div class="kiosk-card" data-area="{_esc(card.code)}" data-lang="{lang}" lang="{lang}">'
            f'<div class="kiosk-card-head"><h2>{_esc(card.name)}</h2>'
            f'<div class="kiosk-card-sub">{_esc(card.subtitle)}</div></div>'
            f'<div class="kiosk-card-lead">{_esc(lead)}</div>{"".join(rows)}{notes}</div>')


def _button_grid(items: tuple[tuple[str, str], ...], prefix: str, columns: int) -> None:
    cols = st.columns(columns)
    for i, (code, name) in enumerate(items):
        cols[i % columns].button(md_escape(name), key=f"{prefix}{code}", on_click=_choose, args=(code,),
                                 width="stretch")


def _top_bar(state: loop.KioskState, portrait: bool) -> None:
    lang = state.lang
    other = LANGS[(LANGS.index(lang) + 1) % len(LANGS)]
    title, toggle, action = st.columns([4.2, 1.4, 1.9] if portrait else [7, 1.3, 1.9], vertical_alignment="center")
    title.html(_div("kiosk-title", gettext("İzmir Health Equity Atlas", lang)))
    # the language toggle names the other language, in that language ("English" / "Türkçe")
    toggle.button(language_name(other), key="kiosk_lang", on_click=_lang, args=(other,),
                  width="stretch")
    if state.mode == "attract":
        action.button(gettext("Find your area", lang), key="kiosk_find", on_click=_choose, args=(None,), type="primary",
                      width="stretch")
    else:
        action.button(gettext("Back to start", lang), key="kiosk_back", on_click=_back_to_start, type="primary",
                      width="stretch")


def _card_column(state: loop.KioskState, playlist: Playlist, story: Story, lists: kiosk_data.AreaLists) -> None:
    """Visitor mode: the area card, or the hint when no area is chosen yet."""
    lang = state.lang
    note = st.session_state.get(NOTE_KEY)
    if note:
        st.html(f'<div class="kiosk-note">{_esc(gettext(note, lang))}</div>')
    area = state.area if state.area in lists.levels else None
    card = None
    if area is not None:
        try:
            card = kiosk_data.card(area, (story.indicator, *playlist.indicators), lang)
        except AtlasError:
            card = None
    if card is not None:
        st.html(_card_html(card, lang))
    else:
        st.html(_div("kiosk-hint", gettext("Touch your area on the map or choose it from the list.", lang)))


def _list_column(state: loop.KioskState, lists: kiosk_data.AreaLists, columns: int) -> None:
    """Visitor mode: the search, then the districts or the chosen district's mahalle as big buttons."""
    lang = state.lang
    search = map_data.search("mahalle", lang)
    st.selectbox(gettext("Search: mahalle or district", lang), list(search), format_func=search.__getitem__, index=None,
                 placeholder=pgettext("kiosk", "Start typing…", lang), key=SEARCH_KEY, on_change=_searched)
    area = state.area if state.area in lists.levels else None
    district = area if area and lists.levels.get(area) == "district" else lists.parent.get(area or "")
    if not district:
        st.html(_div("kiosk-list-title", gettext("Choose your district", lang)))
        _button_grid(lists.districts, "kiosk_d_", columns)
        return
    name = lists.names.get(district, district)
    if area != district:
        st.button(gettext("{district} district", lang, district=md_escape(name)), key="kiosk_to_district", on_click=_choose,
                  args=(district,), width="stretch")
    st.button(gettext("Another district", lang), key="kiosk_other", on_click=_choose, args=(None,),
              width="stretch")
    if lists.mahalle.get(district):
        st.html(_div("kiosk-list-title", gettext("{district}: choose your mahalle", lang, district=name)))
        _button_grid(lists.mahalle[district], "kiosk_m_", columns)


def _attract_panel(state: loop.KioskState) -> None:
    lang = state.lang
    invite = gettext("Touch your district on the map or press “Find your area” to see your neighbourhood's values.", lang)
    st.html(f'<div class="kiosk-invite">{_esc(invite)}</div>')


def _footer(playlist: Playlist, state: loop.KioskState) -> None:
    lang = state.lang
    bits = []
    if state.mode == "visitor":
        s = playlist.idle_reset_s
        bits.append(gettext("The screen goes back to the start after a minute without a touch.", lang) if s == 60 else gettext("The screen goes back to the start after {s} seconds without a touch.", lang, s=f"{s:g}"))
    if playlist.problems:
        head = ngettext("Playlist: {n} problem (for the operator)", "Playlist: {n} problems (for the operator)",
                        len(playlist.problems), lang)
        bits.append(f"{head}: " + " · ".join(str(p) for p in playlist.problems))
    if bits:
        st.html(f'<div class="kiosk-footer" data-problems="{len(playlist.problems)}">{_esc("  —  ".join(bits))}</div>')


def _unavailable(token: str) -> None:
    lang = _state().lang
    value = kiosk_sensor.parse(st.session_state.get(kiosk_sensor.KEY))
    if value is not None:  # nothing can be shown: its events are dropped, not re-sent
        st.session_state[EVENT_KEY] = value.ident
    kiosk_sensor.sensor(token, "attract", RETRY_S, 60.0, ack=_handled())
    wait = gettext("The atlas cannot be shown right now. It will try again shortly.", lang)
    st.html(_div("kiosk-title", gettext("İzmir Health Equity Atlas", lang))
            + f'<div class="kiosk-note" data-unavailable="1">{_esc(wait)}</div>')


def render() -> None:
    """Draw the kiosk page (called by ``pages/kiosk.py``)."""
    st.html(PAGE_CSS)
    document_language(_state().lang)
    now = clock()
    token = st.session_state.setdefault(TOKEN_KEY, uuid.uuid4().hex[:12])
    run = int(st.session_state.get(RUN_KEY, 0)) + 1
    st.session_state[RUN_KEY] = run
    run_token = f"{token}:{run}"
    try:
        playlist = kiosk_data.playlist()
        lists = kiosk_data.area_lists()
    except AtlasError:
        _unavailable(run_token)
        return
    if not playlist.stories:
        _unavailable(run_token)
        return
    durations = playlist.durations
    state, browser_idle = _apply_sensor(_state(), playlist, now)
    stepped = loop.step(state, now, playlist.idle_reset_s, browser_idle)
    if stepped.resets != state.resets:
        _clear_visitor_keys()
    state = stepped
    _save(state)

    pos = loop.shown(state, durations, now)
    story = playlist.stories[pos.index]
    try:
        mv = map_data.map_view(story.indicator, story.period, story.level, story.scheme, story.k, state.lang)
    except (AtlasError, KeyError, ValueError):
        _unavailable(run_token)
        return

    attract = state.mode == "attract"
    if attract:
        st.session_state[FIT_KEY] = f"{state.resets}:{pos.index}"  # the same text every loop: the same layer script
    fit_key = st.session_state.get(FIT_KEY) or f"{state.resets}:{pos.index}"
    st.session_state[ON_SCREEN_KEY] = pos.index
    wake = loop.wake_in(state, durations, now, playlist.idle_reset_s, browser_idle)
    kiosk_sensor.sensor(run_token, state.mode, wake, playlist.idle_reset_s, state.area, ack=_handled())

    width, height = st.session_state.get(SIZE_KEY) or DEFAULT_SIZE
    portrait = height > width
    _top_bar(state, portrait)
    body_h = max(360, height - TOP_BAR_PX - FOOTER_PX - 24)
    story_html = (f'<div class="kiosk-panel">{_story_html(story, mv, pos, len(durations), state.lang, attract)}'
                  f'{_legend_html(mv)}{_source_html(mv)}</div>')
    # The map keeps its place in the page in both modes (only the column widths change), so its
    # iframe and Leaflet map are kept; only the layer changes.
    if portrait:
        map_h = int(body_h * 0.55)
        map_box, panel_box = st.container(), st.container()
        panel_h = max(240, body_h - map_h - 16)
    else:
        map_h = panel_h = body_h
        left, right = st.columns([63, 37] if attract else [48, 52], gap="medium")
        map_box, panel_box = left.container(), right.container()
    with map_box:
        # map taps come from the sensor (every tap, also one on the same spot as the last visitor's);
        # st_folium returns nothing, so panning and zooming never rerun the page
        st_folium(_kiosk_map(), key=MAP_KEY, height=map_h, use_container_width=True,
                  feature_group_to_add=_layer(mv, story, state, fit_key, lists.parent), returned_objects=[])
    # the map's accessible name (issue #22), set from the panel: its script's element never moves the map
    map_name = gettext("Map: {title}, {period}, {level}", state.lang, title=mv.title, period=story.period,
                       level=label(LEVELS, story.level, state.lang))
    with panel_box:
        if attract:
            with st.container(height=panel_h, border=False):
                st.html(story_html)
                name_maps([map_name])
                _attract_panel(state)
        else:
            card_col, list_col = st.columns([56, 44] if not portrait else [58, 42], gap="small")
            with card_col.container(height=panel_h, border=False):
                _card_column(state, playlist, story, lists)
                st.html(story_html)
                name_maps([map_name])
            with list_col.container(height=panel_h, border=False):
                _list_column(state, lists, 2)
    _footer(playlist, state)
