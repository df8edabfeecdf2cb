"""The kiosk sensor's value as Python reads it: never raises on what a browser sends, and hands
back every touch and tap not handled yet, oldest first, each once."""

from __future__ import annotations

import pytest

from app_support.kiosk.sensor import parse


def _value(seq=5, event="tick", queue=None, **extra):
    value = {"sid": "abc", "seq": seq, "event": event, "idle_ms": 2500, "w": 1080, "h": 1920, **extra}
    if queue is not None:
        value["queue"] = queue
    return value


@pytest.mark.parametrize("value", [
    None, "tap", [], {}, {"event": "tick"}, _value(event="explode"), _value(seq="x"),
    _value(event="tap"), _value(event="tap", lat=38.4, lng=999), _value(event="tap", lat="n", lng=27),
])
def test_malformed_values_are_ignored(value):
    assert parse(value) is None


def test_a_plain_event():
    event = parse(_value(event="tap", lat=38.47, lng=27.24))
    assert (event.sid, event.seq, event.event, event.point) == ("abc", 5, "tap", (27.24, 38.47))
    assert (event.idle_s, event.width, event.height) == (2.5, 1080, 1920)
    assert [e.seq for e in event.unseen(None)] == [5]
    assert event.unseen(("abc", 5)) == ()


def test_the_queue_brings_back_what_a_later_event_overwrote():
    value = parse(_value(seq=7, event="tick", queue=[
        {"seq": 3, "event": "touch"}, {"seq": 4, "event": "tap", "lat": 38.47, "lng": 27.24},
        {"seq": 6, "event": "tap", "lat": 38.40, "lng": 27.10}]))
    assert [(e.seq, e.event) for e in value.unseen(("abc", 2))] == [(3, "touch"), (4, "tap"), (6, "tap"), (7, "tick")]
    assert [e.seq for e in value.unseen(("abc", 4))] == [6, 7]  # 3 and 4 were handled already
    assert [e.point for e in value.unseen(("abc", 4)) if e.point] == [(27.10, 38.40)]
    # a reloaded page has a new sid: its events are all new
    assert [e.seq for e in value.unseen(("old-page", 99))] == [3, 4, 6, 7]


def test_a_queue_entry_that_makes_no_sense_is_dropped_the_rest_kept():
    value = parse(_value(seq=9, event="idle", queue=[
        "tap", {"seq": 1}, {"seq": 2, "event": "tap", "lat": 91, "lng": 27}, {"seq": 3, "event": "nope"},
        {"seq": 4, "event": "tap", "lat": 38.47, "lng": 27.24}, {"seq": 9, "event": "idle"}]))
    assert [(e.seq, e.event) for e in value.unseen(None)] == [(4, "tap"), (9, "idle")]
    assert parse(_value(queue="not a list")).unseen(None)[0].seq == 5
