"""The kiosk's state machine, as pure functions of the state and the time.

Two modes:

* ``attract`` — nobody is touching the screen: the playlist plays in a loop. Which story is on
  screen follows from the time alone (:func:`position`: seconds since the loop started, modulo
  the loop's length), so a late or lost timer never makes the loop drift or stall: the next run
  simply shows the story of *now*.
* ``visitor`` — someone touched the screen: the story on screen stays (its map, legend and
  caption), the visitor picks an area (on the map or from the lists) and the language. After
  ``idle_reset_s`` seconds without a touch (:func:`idle_reset_due`) everything goes back to the
  start: attract mode, story 1, Turkish, no area selected (:func:`back_to_start`).

Time is whatever monotonic clock the caller uses (seconds). Touches the server never sees (a
visitor panning the map) are known to the browser only: it reports how long it has been idle
(``browser_idle_s``), and the later of the two is the last activity.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Sequence

from ..i18n import DEFAULT_LANG, LANGS

MODES = ("attract", "visitor")


@dataclass(frozen=True)
class Position:
    """Where the loop is: story ``index`` in its ``cycle``-th pass (0 = first), ``remaining``
    seconds before the next story, ``elapsed`` seconds into this story."""

    index: int
    cycle: int
    remaining: float
    elapsed: float


@dataclass(frozen=True)
class KioskState:
    mode: str = "attract"
    loop_start: float = 0.0  # when story 1 of the current attract loop started
    last_activity: float = 0.0  # the last touch the server saw (visitor mode)
    story: int = 0  # the story kept on screen in visitor mode
    lang: str = DEFAULT_LANG
    area: str | None = None  # the selected district or mahalle
    resets: int = 0  # how many times the kiosk went back to the start (idle or button)

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"mode {self.mode!r} is not one of {', '.join(MODES)}")
        if self.lang not in LANGS:
            raise ValueError(f"language {self.lang!r} is not one of {', '.join(LANGS)}")


def _check_durations(durations: Sequence[float]) -> None:
    if not durations or any(not (d > 0) or math.isinf(d) for d in durations):
        raise ValueError(f"story durations must be positive seconds, at least one; got {list(durations)!r}")


def position(durations: Sequence[float], elapsed: float) -> Position:
    """The story on screen ``elapsed`` seconds after the loop started (negative counts as 0)."""
    _check_durations(durations)
    total = float(sum(durations))
    elapsed = max(0.0, float(elapsed))
    cycle, into = divmod(elapsed, total)
    for index, duration in enumerate(durations):
        if into < duration:
            return Position(index, int(cycle), duration - into, into)
        into -= duration
    # floating-point remainder at the very end of a cycle: the first story of the next one
    return Position(0, int(cycle) + 1, float(durations[0]), 0.0)


def start(now: float) -> KioskState:
    """A fresh kiosk: the loop starts at story 1, in Turkish."""
    return KioskState(loop_start=now, last_activity=now)


def shown(state: KioskState, durations: Sequence[float], now: float) -> Position:
    """The story on screen: by the clock in attract mode, the kept one in visitor mode."""
    if state.mode == "attract":
        return position(durations, now - state.loop_start)
    index = min(state.story, len(durations) - 1)
    return Position(index, 0, math.inf, 0.0)


def touched(state: KioskState, durations: Sequence[float], now: float, on_screen: int | None = None) -> KioskState:
    """Someone touched the screen: leave the loop and note the time.

    The story kept is ``on_screen`` (the one the page last showed, so a touch just as the clock
    moves on keeps what the visitor saw) or, without it, the one due by the clock.
    """
    if state.mode == "attract":
        story = position(durations, now - state.loop_start).index
        if on_screen is not None and 0 <= on_screen < len(durations):
            story = on_screen
        return replace(state, mode="visitor", story=story, last_activity=now)
    return replace(state, last_activity=max(state.last_activity, now))


def choose_area(state: KioskState, durations: Sequence[float], now: float, code: str | None,
                on_screen: int | None = None) -> KioskState:
    """Select a district or mahalle (None clears the selection: the area lists are shown)."""
    return replace(touched(state, durations, now, on_screen), area=code)


def set_lang(state: KioskState, durations: Sequence[float], now: float, lang: str,
             on_screen: int | None = None) -> KioskState:
    if lang not in LANGS:
        raise ValueError(f"language {lang!r} is not one of {', '.join(LANGS)}")
    return replace(touched(state, durations, now, on_screen), lang=lang)


def back_to_start(state: KioskState, now: float) -> KioskState:
    """The loop again from story 1, in Turkish, with nothing selected."""
    return KioskState(loop_start=now, last_activity=now, resets=state.resets + 1)


def idle_seconds(state: KioskState, now: float, browser_idle_s: float | None = None) -> float:
    """Seconds since the last touch: the later of what the server saw and what the browser reports."""
    last = state.last_activity
    if browser_idle_s is not None and browser_idle_s >= 0 and not math.isnan(browser_idle_s):
        last = max(last, now - browser_idle_s)
    return max(0.0, now - last)


def idle_reset_due(state: KioskState, now: float, idle_reset_s: float, browser_idle_s: float | None = None) -> bool:
    """True in visitor mode once nobody has touched the screen for ``idle_reset_s`` seconds."""
    return state.mode == "visitor" and idle_seconds(state, now, browser_idle_s) >= idle_reset_s


def step(state: KioskState, now: float, idle_reset_s: float, browser_idle_s: float | None = None) -> KioskState:
    """The state at ``now``: back to the start when the idle time is up, else unchanged."""
    if idle_reset_due(state, now, idle_reset_s, browser_idle_s):
        return back_to_start(state, now)
    return state


def wake_in(state: KioskState, durations: Sequence[float], now: float, idle_reset_s: float,
            browser_idle_s: float | None = None) -> float:
    """Seconds until something changes by itself: the next story (attract) or the idle reset (visitor)."""
    if state.mode == "attract":
        return position(durations, now - state.loop_start).remaining
    return max(0.0, idle_reset_s - idle_seconds(state, now, browser_idle_s))
