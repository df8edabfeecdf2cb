"""The kiosk's playlist of "stories": read from a TOML file, checked against the database.

A story is one map the kiosk shows while nobody touches it: an indicator × period × level, drawn
with a classification, zoomed somewhere, with a caption of one or two sentences in Turkish and
English, for a number of seconds. The default playlist is ``kiosk/playlist.toml``;
``ATLAS_KIOSK_PLAYLIST`` names another file. Format::

    [settings]                       # optional
    idle_reset_seconds = 60          # back to the loop after this long without a touch (10..3600)
    default_duration_seconds = 20    # for stories without a duration (2..600)

    [[story]]
    id = "heat"                      # optional; names the story in reports (default "story N")
    indicator = "lst_summer_mean"    # an indicator id of the catalogue
    period = "2014-2024"             # optional: the newest period with values at the level
    level = "mahalle"                # optional: district, else the indicator's first level
    classification = "natural_breaks"  # optional: quantiles (default), natural_breaks,
                                     #   equal_interval, std_mean, compare_izmir
    classes = 5                      # optional, 3..9 (default 5; compare_izmir ignores it)
    zoom = "data"                    # optional: "izmir" (default), "data" (the areas with values),
                                     #   an area code ("1203"), or [[south, west], [north, east]]
    duration = 20                    # optional, seconds (2..600)
    caption = { tr = "…", en = "…" }  # required, each at most 300 characters

``load_playlist`` never raises for a bad file or entry: every problem becomes a
:class:`Problem` naming the entry and the key (what is wrong is a message of the atlas's
catalogues: ``problem.get(lang)``; ``str(problem)`` is English, for the operator's terminal), the
bad entry is left out, and a playlist left with no story gets one fallback story
(:data:`FALLBACK_INDICATOR`) so the screen still shows a map.
Plain data and no Streamlit.
"""

from __future__ import annotations

import math
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

from ..catalogue import Indicator, Text
from ..config import REPO_ROOT
from ..i18n import SOURCE_LANG, gettext, lazy, ngettext
from ..views.view_state import K_RANGE, LEVELS, SCHEMES, Availability

DEFAULT_PLAYLIST = REPO_ROOT / "kiosk" / "playlist.toml"
PLAYLIST_ENV = "ATLAS_KIOSK_PLAYLIST"
IDLE_ENV = "ATLAS_KIOSK_IDLE_S"

DEFAULT_IDLE_S = 60.0
DEFAULT_DURATION_S = 20.0
DEFAULT_SCHEME = "quantiles"
DEFAULT_K = 5
IDLE_RANGE = (10.0, 3600.0)
IDLE_ENV_RANGE = (3.0, 3600.0)  # the environment may go lower (tests, the soak)
DURATION_RANGE = (2.0, 600.0)
CAPTION_MAX = 300
ZOOM_WORDS = ("izmir", "data")
# İzmir province with a margin, as the map's own bounds (app_support/map/choropleth.py IZMIR_BOUNDS).
IZMIR_BOUNDS = ((37.80, 26.20), (39.40, 28.50))
FALLBACK_INDICATOR = "pop_density"
FALLBACK_CAPTION = lazy.gettext("Population density in İzmir's districts (TÜİK). Touch your area to see its values.")

STORY_KEYS = ("id", "indicator", "period", "level", "classification", "classes", "zoom", "duration", "caption")
SETTINGS_KEYS = ("idle_reset_seconds", "default_duration_seconds")


@dataclass(frozen=True)
class Zoom:
    """Where a story's map is zoomed: ``kind`` is ``izmir``, ``data``, ``area`` (``area`` holds the
    code) or ``bounds`` (``bounds`` holds ((south, west), (north, east)))."""

    kind: str = "izmir"
    area: str | None = None
    bounds: tuple[tuple[float, float], tuple[float, float]] | None = None


@dataclass(frozen=True)
class Story:
    id: str
    indicator: str
    period: str
    level: str
    scheme: str
    k: int
    zoom: Zoom
    caption: Text | lazy.Message  # the playlist's caption (data), or the fallback story's (a message)
    duration: float


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the playlist file or an entry (the entry is left out)."""

    entry: str  # 'file', 'settings', 'environment' or 'story 3 ("heat")' (the names the file uses)
    key: str | None
    text: lazy.Message  # what is wrong

    @property
    def message(self) -> str:
        """What is wrong, in English (the operator's terminal)."""
        return self.text.get(SOURCE_LANG)

    def get(self, lang: str) -> str:
        """Where and what is wrong, in ``lang``."""
        if self.key:
            return gettext("{entry}, key '{key}': {problem}", lang, entry=self.entry, key=self.key,
                           problem=self.text.get(lang))
        return f"{self.entry}: {self.text.get(lang)}"

    def __str__(self) -> str:
        return self.get(SOURCE_LANG)


@dataclass(frozen=True)
class Playlist:
    stories: tuple[Story, ...]
    problems: tuple[Problem, ...]
    idle_reset_s: float
    path: str
    fallback: bool = False  # True when no entry was usable and the fallback story is shown

    @property
    def durations(self) -> tuple[float, ...]:
        return tuple(s.duration for s in self.stories)

    @property
    def loop_seconds(self) -> float:
        return float(sum(self.durations))

    @property
    def indicators(self) -> tuple[str, ...]:
        """The playlist's indicators, each once, in playlist order."""
        return tuple(dict.fromkeys(s.indicator for s in self.stories))

    def report(self, lang: str = SOURCE_LANG) -> str:
        """A short text for the operator: what was loaded and every problem (English by default: the terminal)."""
        lines = [ngettext("kiosk playlist {path}: {n} story ({seconds} s per loop), idle reset after {idle} s",
                          "kiosk playlist {path}: {n} stories ({seconds} s per loop), idle reset after {idle} s",
                          len(self.stories), lang, path=self.path, seconds=format(self.loop_seconds, "g"),
                          idle=format(self.idle_reset_s, "g"))]
        if self.fallback:
            lines.append("  " + gettext("no usable story: showing the fallback story (population density by district)",
                                        lang))
        lines += [f"  - {p.get(lang)}" for p in self.problems]
        return "\n".join(lines)


class _Bad(Exception):
    def __init__(self, key: str | None, message: lazy.Message):
        super().__init__(message)
        self.key = key
        self.message = message


def playlist_path() -> Path:
    """``ATLAS_KIOSK_PLAYLIST`` when set, else ``kiosk/playlist.toml``."""
    given = os.environ.get(PLAYLIST_ENV, "").strip()
    return Path(given).expanduser() if given else DEFAULT_PLAYLIST


def idle_override() -> tuple[float | None, Problem | None]:
    """``ATLAS_KIOSK_IDLE_S`` as seconds (None when not set), or a problem when it is not a number in range."""
    raw = os.environ.get(IDLE_ENV, "").strip()
    if not raw:
        return None, None
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    lo, hi = IDLE_ENV_RANGE
    if not lo <= value <= hi:
        return None, Problem("environment", IDLE_ENV, lazy.gettext(
            "{value} is not a number of seconds from {lo} to {hi}; the playlist's setting is used",
            value=repr(raw), lo=format(lo, "g"), hi=format(hi, "g")))
    return value, None


# --- checking values -------------------------------------------------------------------------

def _number(raw: Mapping[str, Any], key: str, default: float, lo: float, hi: float) -> float:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not lo <= float(value) <= hi:
        raise _Bad(key, lazy.gettext("{value} is not a number of seconds from {lo} to {hi}", value=repr(value),
                                     lo=format(lo, "g"), hi=format(hi, "g")))
    return float(value)


def _text(raw: Mapping[str, Any], key: str) -> str | None:
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise _Bad(key, lazy.gettext("{value} is not text", value=repr(value)))
    return str(value).strip()


def _caption(raw: Mapping[str, Any]) -> Text:
    value = raw.get("caption")
    if not isinstance(value, Mapping):
        raise _Bad("caption", lazy.gettext("missing; give {example}", example='caption = { tr = "…", en = "…" }'))
    unknown = sorted(set(value) - {"tr", "en"})
    if unknown:
        raise _Bad("caption", lazy.gettext("unknown language(s) {languages}; use tr and en",
                                           languages=", ".join(unknown)))
    texts = {}
    for lang in ("tr", "en"):
        text = value.get(lang)
        if not isinstance(text, str) or not text.strip():
            raise _Bad(f"caption.{lang}", lazy.gettext("missing or empty"))
        text = " ".join(text.split())
        if len(text) > CAPTION_MAX:
            raise _Bad(f"caption.{lang}", lazy.ngettext(
                "is {n} character long; keep it to one or two sentences (at most {max} characters)",
                "is {n} characters long; keep it to one or two sentences (at most {max} characters)",
                len(text), max=CAPTION_MAX))
        texts[lang] = text
    return Text(texts["tr"], texts["en"])


def _bounds(value: Any) -> tuple[tuple[float, float], tuple[float, float]]:
    try:
        (s, w), (n, e) = value
        s, w, n, e = (float(x) for x in (s, w, n, e))
    except (TypeError, ValueError):
        raise _Bad("zoom", lazy.gettext("{value} is not [[south, west], [north, east]] in degrees within İzmir",
                                        value=repr(value))) from None
    (lo_s, lo_w), (hi_n, hi_e) = IZMIR_BOUNDS
    if not (lo_s <= s < n <= hi_n and lo_w <= w < e <= hi_e):
        raise _Bad("zoom", lazy.gettext(
            "{value} is not [[south, west], [north, east]] in degrees within İzmir ({south}–{north} N, "
            "{west}–{east} E, south < north, west < east)", value=repr(value), south=lo_s, north=hi_n, west=lo_w,
            east=hi_e))
    return (s, w), (n, e)


def _zoom(value: Any, level: str, area_levels: Mapping[str, str]) -> Zoom:
    if value is None:
        return Zoom()
    if isinstance(value, list):
        return Zoom("bounds", bounds=_bounds(value))
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise _Bad("zoom", lazy.gettext("{value} is not one of {words}, an area code or [[s, w], [n, e]]",
                                        value=repr(value), words=", ".join(ZOOM_WORDS)))
    word = value.strip()
    if word in ZOOM_WORDS:
        return Zoom(word)
    area_level = area_levels.get(word)
    if area_level is None:
        raise _Bad("zoom", lazy.gettext("{value} is not {words} or the code of a district or mahalle",
                                        value=repr(word), words=", ".join(ZOOM_WORDS)))
    if area_level == "mahalle" and level != "mahalle":
        raise _Bad("zoom", lazy.gettext("{value} is a mahalle but the story's level is {level}; zoom to its district "
                                        "instead", value=repr(word), level=level))
    return Zoom("area", area=word)


def _story(n: int, raw: Any, default_duration: float, indicators: Mapping[str, Indicator],
           availability: Availability, area_levels: Mapping[str, str], seen: set[str]) -> Story:
    if not isinstance(raw, Mapping):
        raise _Bad(None, lazy.gettext("is not a table; write each story as [[story]] with key = value lines"))
    unknown = sorted(set(raw) - set(STORY_KEYS))
    if unknown:
        raise _Bad(unknown[0], lazy.gettext("unknown key; a story has {keys}", keys=", ".join(STORY_KEYS)))
    story_id = _text(raw, "id") or f"story {n}"
    if story_id in seen:
        raise _Bad("id", lazy.gettext("{id} is used by an earlier story", id=repr(story_id)))
    ind = _text(raw, "indicator")
    if not ind:
        raise _Bad("indicator", lazy.pgettext("a key of the playlist", "missing"))
    if ind not in indicators:
        raise _Bad("indicator", lazy.gettext("{indicator} is not in the catalogue", indicator=repr(ind)))
    levels = availability.levels(ind)
    if not levels:
        raise _Bad("indicator", lazy.gettext("{indicator} has no values in the database", indicator=repr(ind)))
    level = _text(raw, "level") or levels[0]
    if level not in LEVELS:
        raise _Bad("level", lazy.gettext("{value} is not one of {allowed}", value=repr(level), allowed=", ".join(LEVELS)))
    if level not in levels:
        raise _Bad("level", lazy.gettext("{indicator} has no values at {level} level; it has {levels}", indicator=ind,
                                         level=level, levels=", ".join(levels)))
    periods = availability.periods(ind, level)
    period = _text(raw, "period") or periods[0]
    if period not in periods:
        raise _Bad("period", lazy.gettext("{indicator} has no {level} values for {period}; it has {periods}",
                                          indicator=ind, level=level, period=repr(period), periods=", ".join(periods)))
    scheme = _text(raw, "classification") or DEFAULT_SCHEME
    if scheme not in SCHEMES:
        raise _Bad("classification", lazy.gettext("{value} is not one of {allowed}", value=repr(scheme),
                                                  allowed=", ".join(SCHEMES)))
    k = raw.get("classes", DEFAULT_K)
    if isinstance(k, bool) or not isinstance(k, int) or not K_RANGE[0] <= k <= K_RANGE[1]:
        raise _Bad("classes", lazy.gettext("{value} is not a whole number from {lo} to {hi}", value=repr(k),
                                           lo=K_RANGE[0], hi=K_RANGE[1]))
    zoom = _zoom(raw.get("zoom"), level, area_levels)
    duration = _number(raw, "duration", default_duration, *DURATION_RANGE)
    caption = _caption(raw)
    return Story(story_id, ind, period, level, scheme, k, zoom, caption, duration)


def _entry_name(n: int, raw: Any) -> str:
    sid = raw.get("id") if isinstance(raw, Mapping) else None
    return f'story {n} ("{sid}")' if isinstance(sid, str) and sid.strip() else f"story {n}"


def fallback_story(availability: Availability, duration: float = DEFAULT_DURATION_S) -> Story | None:
    """Population density by district, newest period (None when the database has no such values)."""
    for ind in (FALLBACK_INDICATOR, *availability.indicators):
        for level in availability.levels(ind):
            return Story("fallback", ind, availability.periods(ind, level)[0], level, DEFAULT_SCHEME, DEFAULT_K,
                         Zoom(), FALLBACK_CAPTION, duration)
    return None


def validate_playlist(doc: Mapping[str, Any], *, indicators: Mapping[str, Indicator], availability: Availability,
                      area_levels: Mapping[str, str], path: str = "<playlist>") -> Playlist:
    """Check a parsed playlist against the catalogue (``indicators``), what the database holds
    (``availability``) and the area codes (``area_levels``: code → level)."""
    problems: list[Problem] = []
    unknown = sorted(set(doc) - {"settings", "story"})
    for key in unknown:
        problems.append(Problem("file", key, lazy.gettext("unknown table; the file has [settings] and [[story]] "
                                                          "entries")))
    settings = doc.get("settings", {})
    idle, default_duration = DEFAULT_IDLE_S, DEFAULT_DURATION_S
    if not isinstance(settings, Mapping):
        problems.append(Problem("settings", None, lazy.gettext("is not a table; write [settings] with key = value "
                                                               "lines")))
        settings = {}
    for key in sorted(set(settings) - set(SETTINGS_KEYS)):
        problems.append(Problem("settings", key, lazy.gettext("unknown key; settings are {keys}",
                                                              keys=", ".join(SETTINGS_KEYS))))
    for key, lo_hi, default in (("idle_reset_seconds", IDLE_RANGE, DEFAULT_IDLE_S),
                                ("default_duration_seconds", DURATION_RANGE, DEFAULT_DURATION_S)):
        try:
            value = _number(settings, key, default, *lo_hi)
        except _Bad as bad:
            problems.append(Problem("settings", bad.key, lazy.gettext("{problem}; {default} is used",
                                                                      problem=bad.message, default=format(default, "g"))))
            value = default
        if key == "idle_reset_seconds":
            idle = value
        else:
            default_duration = value
    override, env_problem = idle_override()
    if env_problem:
        problems.append(env_problem)
    if override is not None:
        idle = override

    raw_stories = doc.get("story", [])
    if not isinstance(raw_stories, list):
        problems.append(Problem("file", "story", lazy.gettext("write each story as a [[story]] table")))
        raw_stories = []
    stories: list[Story] = []
    seen: set[str] = set()
    for n, raw in enumerate(raw_stories, start=1):
        try:
            story = _story(n, raw, default_duration, indicators, availability, area_levels, seen)
        except _Bad as bad:
            problems.append(Problem(_entry_name(n, raw), bad.key, lazy.gettext("{problem}; this story is left out",
                                                                               problem=bad.message)))
            continue
        seen.add(story.id)
        stories.append(story)
    if not raw_stories and not problems:
        problems.append(Problem("file", "story", lazy.gettext("the playlist has no [[story]] entries")))
    fallback = False
    if not stories:
        story = fallback_story(availability, default_duration)
        if story is not None:
            stories, fallback = [story], True
    return Playlist(tuple(stories), tuple(problems), idle, path, fallback)


def read_playlist_file(path: Path) -> tuple[dict[str, Any], Problem | None]:
    """The parsed TOML file, or ``({}, problem)`` when it cannot be read."""
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh), None
    except FileNotFoundError:
        return {}, Problem("file", None, lazy.gettext("{path} does not exist; copy kiosk/playlist.toml or unset "
                                                      "{variable}", path=str(path), variable=PLAYLIST_ENV))
    except (OSError, UnicodeDecodeError) as exc:
        return {}, Problem("file", None, lazy.gettext("{path} cannot be read ({error})", path=str(path),
                                                      error=str(exc)))
    except tomllib.TOMLDecodeError as exc:
        return {}, Problem("file", None, lazy.gettext("{path} is not valid TOML ({error})", path=str(path),
                                                      error=str(exc)))


def load_playlist(path: Path, *, indicators: Mapping[str, Indicator], availability: Availability,
                  area_levels: Mapping[str, str]) -> Playlist:
    """Read and check the playlist file; never raises for a bad file or entry (see the module doc)."""
    doc, problem = read_playlist_file(path)
    playlist = validate_playlist(doc, indicators=indicators, availability=availability, area_levels=area_levels,
                                 path=str(path))
    if problem is None:
        return playlist
    # the file itself is the problem: report that first (not "no [[story]] entries")
    others = tuple(p for p in playlist.problems if not (p.entry == "file" and p.key == "story"))
    return Playlist(playlist.stories, (problem, *others), playlist.idle_reset_s, str(path), playlist.fallback)


def area_levels_from(rows: Iterable[tuple[str, str]]) -> dict[str, str]:
    """code → level from (level, code) pairs (e.g. queries/list_area_names.sql)."""
    return {str(code): str(level) for level, code in rows}
