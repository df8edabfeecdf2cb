"""AppTest: the kiosk page on the real build — the loop advances, a bad playlist entry is reported,
a visitor's selection and language are cleared by the idle reset; the kiosk is drawn bare."""

from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

import app_support.kiosk.page as kiosk_page
from tests.conftest import ROOT

PLAYLIST = """
[settings]
idle_reset_seconds = 30
default_duration_seconds = 5

[[story]]
id = "density"
indicator = "pop_density"
level = "district"
caption = { tr = "Yoğunluk hikâyesi.", en = "The density story." }

[[story]]
id = "heat"
indicator = "lst_summer_mean"
level = "mahalle"
zoom = "data"
duration = 8
caption = { tr = "Sıcaklık hikâyesi.", en = "The heat story." }

[[story]]
id = "broken"
indicator = "no_such_indicator"
caption = { tr = "x", en = "x" }
"""


class FakeClock:
    def __init__(self, now: float = 1000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def _fresh_caches(fresh_caches):
    """Every test starts and ends with empty Streamlit caches (tests/conftest.py)."""


@pytest.fixture
def clock(monkeypatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(kiosk_page, "clock", fake)
    return fake


@pytest.fixture
def kiosk(monkeypatch, real_db, tmp_path, clock) -> AppTest:
    """The app in kiosk configuration (ATLAS_KIOSK=1) with a small playlist, after its first run."""
    playlist = tmp_path / "playlist.toml"
    playlist.write_text(PLAYLIST, encoding="utf-8")
    monkeypatch.setenv("ATLAS_DB", str(real_db))
    monkeypatch.setenv("ATLAS_KIOSK", "1")
    monkeypatch.setenv("ATLAS_KIOSK_PLAYLIST", str(playlist))
    monkeypatch.delenv("ATLAS_KIOSK_IDLE_S", raising=False)
    at = AppTest.from_file(str(ROOT / "atlas_app.py"), default_timeout=60)
    return at.run()


def _html(at: AppTest) -> str:
    return "".join(h.proto.body for h in at.get("html"))


def _story(at: AppTest) -> dict[str, str]:
    match = re.search(r'<div class="kiosk-story" ([^>]*)>', _html(at))
    assert match, "no story panel on the page"
    return dict(re.findall(r'data-([a-z-]+)="([^"]*)"', match.group(1)))


def _components(at: AppTest) -> dict[str, dict]:
    out = {}
    for c in at.get("component_instance"):
        args = json.loads(c.proto.json_args)
        out["sensor" if "wake_ms" in args else "map"] = args
    return out


def _layer(at: AppTest) -> dict:
    fg = _components(at)["map"]["feature_group"]
    view, _ = json.JSONDecoder().raw_decode(fg, fg.index("{", fg.index("window.atlasChoropleth.render(")))
    return view


def _card_area(at: AppTest) -> str | None:
    match = re.search(r'<div class="kiosk-card" data-area="([^"]+)"', _html(at))
    return match.group(1) if match else None


def test_the_loop_advances_with_the_clock(kiosk, clock):
    at = kiosk
    assert not at.exception
    assert _story(at) | {} == {"story-id": "density", "index": "0", "cycle": "0", "mode": "attract", "lang": "tr"}
    assert "Yoğunluk hikâyesi." in _html(at)
    assert 'lang="tr"' in _html(at)  # so the upper-case kicker writes İZMİR, not IZMIR
    sensor = _components(at)["sensor"]
    assert sensor["mode"] == "attract" and sensor["wake_ms"] == 5000 and sensor["idle_ms"] == 30_000
    layer = _layer(at)
    assert layer["level"] == "district" and layer["fit"]["key"] == "0:0"
    clock.now += 5.5
    at.run()
    assert _story(at)["story-id"] == "heat" and "Sıcaklık hikâyesi." in _html(at)
    assert "Yoğunluk hikâyesi." not in _html(at)
    assert _components(at)["sensor"]["wake_ms"] == 7500
    layer = _layer(at)
    assert layer["level"] == "mahalle" and layer["fit"]["key"] == "0:1"
    (s, w), (n, e) = layer["fit"]["bounds"]
    assert n - s < 0.5  # zoom = "data": the grid's central İzmir, not the province
    clock.now += 8.0  # a whole loop: back to the first story, second cycle
    at.run()
    assert _story(at) | {} == {"story-id": "density", "index": "0", "cycle": "1", "mode": "attract", "lang": "tr"}


def test_a_bad_playlist_entry_is_named_and_the_others_play(kiosk):
    at = kiosk
    assert not at.exception
    footer = re.search(r'<div class="kiosk-footer"[^>]*>(.*?)</div>', _html(at)).group(1)
    assert 'story 3 (&quot;broken&quot;), key &#x27;indicator&#x27;: &#x27;no_such_indicator&#x27; is not in the ' \
           'catalogue; this story is left out' in footer
    assert "Hikâye 1 / 2" in _html(at)  # two stories play


def test_a_visitor_then_the_idle_reset_returns_to_the_loop_in_turkish(kiosk, clock):
    at = kiosk
    clock.now += 6  # the heat story is on screen
    at.run()
    at.button(key="kiosk_find").click().run()  # "Bölgeni bul": the loop stops, the district list shows
    assert _story(at)["mode"] == "visitor" and _story(at)["story-id"] == "heat"
    assert len([b for b in at.button if b.key and b.key.startswith("kiosk_d_")]) == 30
    assert _components(at)["sensor"]["mode"] == "visitor"
    clock.now += 3
    at.button(key="kiosk_d_1203").click().run()  # Bornova
    assert _card_area(at) == "1203"
    assert "Bornova: mahalleni seç" in _html(at)
    assert _layer(at)["focus"] == "1203" or _layer(at)["level"] == "mahalle"
    clock.now += 3
    at.button(key="kiosk_lang").click().run()  # the toggle says "English"
    assert _story(at)["lang"] == "en" and "This area compared with İzmir" in _html(at)
    assert at.button(key="kiosk_back").label == "Back to start"
    clock.now += 29  # 29 s after the last touch: still the visitor's screen
    at.run()
    assert _card_area(at) == "1203" and _story(at)["mode"] == "visitor"
    clock.now += 2  # 31 s: back to the start
    at.run()
    assert not at.exception
    story = _story(at)
    assert (story["mode"], story["lang"], story["story-id"], story["index"]) == ("attract", "tr", "density", "0")
    assert _card_area(at) is None and at.button(key="kiosk_find").label == "Bölgeni bul"
    assert _layer(at)["focus"] is None and _layer(at)["fit"]["key"] == "1:0"  # a new zoom for the new loop


def test_back_to_start_and_search(kiosk, clock):
    at = kiosk
    at.button(key="kiosk_find").click().run()
    at.selectbox(key="kiosk_search").set_value("1203").run()
    assert _card_area(at) == "1203"
    assert at.selectbox(key="kiosk_search").value is None  # the search starts empty again
    at.button(key="kiosk_back").click().run()
    assert _story(at)["mode"] == "attract" and _card_area(at) is None
    at.button(key="kiosk_find").click().run()  # the next visitor: an empty search, no warnings
    assert at.selectbox(key="kiosk_search").value is None and not at.warning and not at.exception


def test_the_kiosk_has_no_chrome_and_no_way_to_other_pages(kiosk):
    at = kiosk
    assert not at.title and not at.sidebar.radio  # no atlas title, no language radio in a sidebar
    assert not at.get("download_button") and not at.get("file_uploader") and not at.text_input
    assert not at.get("page_link")
    with pytest.raises(ValueError, match=r"Known pages: \['[^']*/pages/kiosk.py', '[^']*/pages/kiosk.py'\]"):
        at.switch_page("pages/map.py")  # in kiosk configuration the kiosk is the only page


def test_kiosk_page_on_the_normal_server_is_bare_too(monkeypatch, real_db, tmp_path, clock):
    playlist = tmp_path / "playlist.toml"
    playlist.write_text(PLAYLIST, encoding="utf-8")
    monkeypatch.setenv("ATLAS_DB", str(real_db))
    monkeypatch.delenv("ATLAS_KIOSK", raising=False)
    monkeypatch.setenv("ATLAS_KIOSK_PLAYLIST", str(playlist))
    at = AppTest.from_file(str(ROOT / "atlas_app.py"), default_timeout=60).run()
    assert at.title[0].value == "İzmir Sağlıkta Eşitlik Atlası"  # the map page, with its chrome
    at.switch_page("pages/kiosk.py").run()
    assert not at.exception
    assert not at.title and not at.sidebar.radio
    assert _story(at)["story-id"] == "density"


def test_a_missing_database_shows_a_quiet_notice(monkeypatch, tmp_path, clock):
    monkeypatch.setenv("ATLAS_DB", str(tmp_path / "absent.duckdb"))
    monkeypatch.setenv("ATLAS_KIOSK", "1")
    at = AppTest.from_file(str(ROOT / "atlas_app.py"), default_timeout=60).run()
    assert not at.exception and not at.error  # no details on a public screen
    assert 'data-unavailable="1"' in _html(at)
    assert _components(at)["sensor"]["wake_ms"] == 15_000  # it tries again by itself


def _sensor_value(seq: int, event: str, queue: list[dict], sid: str = "page-1") -> dict:
    return {"sid": sid, "seq": seq, "event": event, "idle_ms": 0, "w": 1920, "h": 1080, "queue": queue}


def test_a_tap_carried_by_the_next_tick_opens_the_card_once(kiosk, clock):
    """Streamlit reruns with the sensor's newest value only: a tap followed at once by the next
    story's tick reaches the server inside the tick's queue, and is applied once."""
    at = kiosk
    assert _story(at)["story-id"] == "density"
    bornova = {"seq": 2, "event": "tap", "lat": 38.47, "lng": 27.24}
    at.session_state["kiosk_sensor"] = _sensor_value(3, "tick", [{"seq": 1, "event": "touch"}, bornova])
    clock.now += 5.2  # the tick came as the next story was due: the visitor tapped the one on screen
    at.run()
    assert not at.exception
    assert _card_area(at) == "1203" and _story(at)["story-id"] == "density"
    assert _components(at)["sensor"]["ack_sid"] == "page-1" and _components(at)["sensor"]["ack_seq"] == 3
    at.button(key="kiosk_back").click().run()
    assert _card_area(at) is None
    at.session_state["kiosk_sensor"] = _sensor_value(4, "tick", [bornova])  # acknowledged: not again
    at.run()
    assert _card_area(at) is None and _story(at)["mode"] == "attract"
