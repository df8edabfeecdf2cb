"""Cached data of the kiosk page: the checked playlist, the area lists and the area cards.

Keyed by the database file (a rebuild is picked up) and, for the playlist, by the playlist file's
path and modification time (an edited playlist is picked up on the next story). Every cache has a
small ``max_entries``, so a kiosk looping all day holds a fixed amount of memory.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from atlas.kiosk.card import Card, area_card
from atlas.kiosk.playlist import IDLE_ENV, Playlist, area_levels_from, load_playlist, playlist_path
from atlas.views.profile import turkish_sort_key

from ..map import data as map_data
from ..profile import data as profile_data
from ..chrome.page import database_signature


@st.cache_data(show_spinner=False, max_entries=4)
def _playlist(signature: str, path: str, mtime_ns: int, idle_env: str) -> Playlist:
    areas = map_data.areas()
    result = load_playlist(
        Path(path), indicators=map_data.indicators(), availability=map_data.availability(),
        area_levels=area_levels_from(zip(areas["level"], areas["code"])))
    print(result.report(), file=sys.stderr, flush=True)  # once per load: the operator's terminal
    return result


def playlist() -> Playlist:
    """The playlist as checked against the current database (reloaded when the file changes)."""
    path = playlist_path()
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        mtime = -1
    return _playlist(database_signature(), str(path), mtime, os.environ.get(IDLE_ENV, ""))


@dataclass(frozen=True)
class AreaLists:
    districts: tuple[tuple[str, str], ...]  # (code, name), Turkish alphabetical order
    mahalle: dict[str, tuple[tuple[str, str], ...]]  # district code -> its mahalle (code, name)
    names: dict[str, str]  # code -> name, every district and mahalle
    parent: dict[str, str]  # mahalle code -> district code
    levels: dict[str, str]  # code -> level


@st.cache_data(show_spinner=False, max_entries=4)
def _area_lists(signature: str) -> AreaLists:
    areas = map_data.areas()
    districts = sorted(((str(r.code), str(r.name)) for r in areas.itertuples(index=False) if r.level == "district"),
                       key=lambda item: turkish_sort_key(item[1]))
    mahalle: dict[str, list[tuple[str, str]]] = {code: [] for code, _ in districts}
    parent = {}
    for r in areas.itertuples(index=False):
        if r.level == "mahalle":
            mahalle.setdefault(str(r.parent_code), []).append((str(r.code), str(r.name)))
            parent[str(r.code)] = str(r.parent_code)
    ordered = {code: tuple(sorted(items, key=lambda item: turkish_sort_key(item[1])))
               for code, items in mahalle.items()}
    return AreaLists(tuple(districts), ordered, dict(zip(areas["code"].astype(str), areas["name"].astype(str))),
                     parent, dict(zip(areas["code"].astype(str), areas["level"].astype(str))))


def area_lists() -> AreaLists:
    return _area_lists(database_signature())


@st.cache_data(show_spinner=False, max_entries=256)
def _card(signature: str, code: str, indicator_ids: tuple[str, ...], lang: str) -> Card:
    return area_card(profile_data.area_profile(code, lang), indicator_ids, lang)


def card(code: str, indicator_ids: tuple[str, ...], lang: str) -> Card:
    """The area card of ``code`` (AreaNotFound when there is no such area)."""
    return _card(database_signature(), code, tuple(indicator_ids), lang)
