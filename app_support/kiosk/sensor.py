"""The kiosk's sensor: a tiny custom component (plain HTML/JS in ``kiosk_sensor/``, no build step,
served by the app itself) that tells the page about the browser.

It is invisible. Python tells it the mode and when to wake up (:func:`sensor`); it answers with
an event — ``size`` (first load and resize, with the viewport size), ``touch`` (the first touch
while the loop plays), ``tap`` (a tap on the map, with its longitude and latitude), ``tick`` (the
next story is due), ``idle`` (nobody touched the page, the map included, for the idle time),
``retry`` — each carrying the milliseconds since the last touch, and the touches, taps and idle
events the server has not acknowledged yet (Streamlit reruns with a component's newest value only).
Every event reruns the page once; nothing else does while the loop plays, so the map is only
re-sent when the story changes. See ``kiosk_sensor/index.html`` for the browser side, including
how it recovers when its events get no answer (server restarted, session lost).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import streamlit.components.v1 as components

_DIR = Path(__file__).resolve().parent / "sensor_frontend"
_component = components.declare_component("kiosk_sensor", path=str(_DIR))
KEY = "kiosk_sensor"
EVENTS = ("size", "touch", "tap", "tick", "idle", "retry")


@dataclass(frozen=True)
class SensorEvent:
    sid: str
    seq: int
    event: str
    idle_s: float  # seconds since the last touch in the browser
    width: int
    height: int
    point: tuple[float, float] | None = None  # (lon, lat) of a map tap
    # touches, taps and idle events the server has not acknowledged, oldest first, this one included
    # when it is one of them (Streamlit reruns with the newest value only: see index.html)
    queue: tuple["SensorEvent", ...] = ()

    @property
    def ident(self) -> tuple[str, int]:
        return self.sid, self.seq

    def unseen(self, seen: tuple[str, int] | None) -> tuple["SensorEvent", ...]:
        """The events of this value not handled yet, oldest first, given the newest one handled."""
        last = seen[1] if seen and seen[0] == self.sid else -1
        events = {e.seq: e for e in self.queue}
        events.setdefault(self.seq, self)
        return tuple(events[k] for k in sorted(events) if k > last)


_MAX_QUEUE = 32


def _point(value: dict) -> tuple[float, float]:
    lon, lat = float(value["lng"]), float(value["lat"])
    if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
        raise ValueError(f"tap outside the world: {lon}, {lat}")
    return lon, lat


def _event(value: dict, sid: str, idle_s: float, width: int, height: int) -> SensorEvent:
    event = str(value["event"])
    if event not in EVENTS:
        raise ValueError(f"unknown sensor event {event!r}")
    return SensorEvent(sid=sid, seq=int(value["seq"]), event=event, idle_s=idle_s, width=width, height=height,
                       point=_point(value) if event == "tap" else None)


def parse(value: Any) -> SensorEvent | None:
    """The sensor's value as an event, or None when it is missing or malformed (never raises).

    A malformed entry of the queue is dropped; the rest is kept.
    """
    if not isinstance(value, dict):
        return None
    try:
        sid = str(value["sid"])[:64]
        idle_s = max(0.0, float(value.get("idle_ms", 0)) / 1000.0)
        width = max(0, min(20000, int(value.get("w", 0))))
        height = max(0, min(20000, int(value.get("h", 0))))
        latest = _event(value, sid, idle_s, width, height)
    except (KeyError, TypeError, ValueError):
        return None
    queue = []
    raw = value.get("queue")
    for item in (raw if isinstance(raw, list) else [])[-_MAX_QUEUE:]:
        try:
            queue.append(_event(item, sid, idle_s, width, height))
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
    return replace(latest, queue=tuple(queue))


def sensor(token: str, mode: str, wake_s: float, idle_s: float, area: str | None = None,
           ack: tuple[str, int] | None = None) -> SensorEvent | None:
    """Draw the sensor (height 0) and return its latest event (also one already handled).

    ``area``: the selected area; when it changes, the browser scrolls the area card to the top of
    its panel (a visitor who picked a mahalle far down the list sees its card, not the list).
    ``ack``: (sid, seq) of the newest event handled, so the browser stops re-sending older ones.
    """
    ack_sid, ack_seq = ack if ack else ("", -1)
    value = _component(token=token, mode=mode, wake_ms=int(max(0.0, wake_s) * 1000),
                       idle_ms=int(idle_s * 1000), area=area or "", ack_sid=ack_sid, ack_seq=ack_seq,
                       key=KEY, default=None)
    return parse(value)
