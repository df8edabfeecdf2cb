"""The kiosk's core (atlas.kiosk): playlist checking, the loop's state machine, the area card, zoom."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from atlas import db, queries
from atlas.views import map_view as mapview
from atlas.catalogue import indicator_from_json
from atlas.kiosk import loop
from atlas.kiosk.card import area_card, comparison_sentence
from atlas.kiosk.playlist import (DEFAULT_PLAYLIST, IDLE_ENV, IZMIR_BOUNDS, Zoom, load_playlist,
                                  validate_playlist)
from atlas.kiosk.zoom import zoom_bounds
from atlas.views.profile import area_profile
from atlas.views.view_state import Availability
from tests.factories import sample_indicator

BORNOVA = "1203"


# --- playlist, without a database --------------------------------------------------------------

INDICATORS = {"share": sample_indicator(id="share", levels=("district", "mahalle")),
              "count": sample_indicator(id="count", value_type="count", levels=("district",))}
AVAIL = Availability(pd.DataFrame({
    "indicator_id": ["share", "share", "share", "count"],
    "level": ["district", "district", "mahalle", "district"],
    "period": ["2023", "2021", "2023", "2025"],
    "period_sort": [2023, 2021, 2023, 2025],
}))
AREAS = {"9001": "district", "91001": "mahalle"}
CAPTION = {"tr": "Bir cümle.", "en": "One sentence."}


def _check(doc: dict):
    return validate_playlist(doc, indicators=INDICATORS, availability=AVAIL, area_levels=AREAS, path="test.toml")


def test_a_good_story_gets_its_defaults():
    pl = _check({"story": [{"indicator": "share", "caption": CAPTION}]})
    assert not pl.problems and not pl.fallback
    (story,) = pl.stories
    assert (story.id, story.level, story.period, story.scheme, story.k) == ("story 1", "district", "2023",
                                                                            "quantiles", 5)
    assert story.zoom == Zoom("izmir") and story.duration == 20 and pl.idle_reset_s == 60
    assert story.caption.get("en") == "One sentence."


@pytest.mark.parametrize("entry, key, words", [
    ({"indicator": "nope"}, "indicator", "'nope' is not in the catalogue"),
    ({"indicator": "count", "level": "mahalle"}, "level", "no values at mahalle level"),
    ({"indicator": "share", "level": "street"}, "level", "'street' is not one of district, mahalle"),
    ({"indicator": "share", "period": "1999"}, "period", "no district values for '1999'; it has 2023, 2021"),
    ({"indicator": "share", "classification": "jenks"}, "classification", "'jenks' is not one of quantiles"),
    ({"indicator": "share", "classes": 12}, "classes", "12 is not a whole number from 3 to 9"),
    ({"indicator": "share", "zoom": "mars"}, "zoom", "'mars' is not izmir, data or the code"),
    ({"indicator": "share", "zoom": "91001"}, "zoom", "is a mahalle but the story's level is district"),
    ({"indicator": "share", "zoom": [[40, 20], [41, 21]]}, "zoom", "within İzmir"),
    ({"indicator": "share", "duration": 0}, "duration", "0 is not a number of seconds from 2 to 600"),
    ({"indicator": "share", "duration": "long"}, "duration", "'long' is not a number of seconds"),
    ({"indicator": "share", "caption": {"tr": "x"}}, "caption.en", "missing or empty"),
    ({"indicator": "share", "caption": {"tr": "x" * 301, "en": "y"}}, "caption.tr", "301 characters long"),
    ({"indicator": "share", "captions": CAPTION}, "captions", "unknown key"),
    ({"id": "twice", "indicator": "share"}, "id", "'twice' is used by an earlier story"),
])
def test_a_bad_entry_is_named_with_its_key_and_left_out(entry, key, words):
    good = {"id": "twice", "indicator": "share", "caption": CAPTION}
    bad = {"caption": CAPTION, **entry}
    pl = _check({"story": [good, bad]})
    assert [s.id for s in pl.stories] == ["twice"]
    (problem,) = pl.problems
    assert problem.entry.startswith("story 2") and problem.key == key
    assert words in problem.message, problem.message
    assert "this story is left out" in str(problem) and f"key '{key}'" in str(problem)


def test_the_entry_name_uses_the_story_id():
    pl = _check({"story": [{"id": "heat", "indicator": "nope", "caption": CAPTION}]})
    assert pl.problems[0].entry == 'story 1 ("heat")'


def test_no_usable_story_falls_back_to_a_map_and_says_so():
    pl = _check({"story": [{"indicator": "nope", "caption": CAPTION}]})
    assert pl.fallback and len(pl.stories) == 1 and pl.stories[0].id == "fallback"
    assert "fallback" in pl.report() and "'nope'" in pl.report()


def test_settings_are_checked_and_the_environment_overrides_the_idle_time(monkeypatch):
    pl = _check({"settings": {"idle_reset_seconds": 5, "default_duration_seconds": 7, "colour": "red"},
                 "story": [{"indicator": "share", "caption": CAPTION}]})
    assert pl.idle_reset_s == 60  # 5 is below 10: the default is used, and said
    assert pl.stories[0].duration == 7
    assert {(p.entry, p.key) for p in pl.problems} == {("settings", "idle_reset_seconds"), ("settings", "colour")}
    monkeypatch.setenv(IDLE_ENV, "4")
    assert _check({"story": [{"indicator": "share", "caption": CAPTION}]}).idle_reset_s == 4
    monkeypatch.setenv(IDLE_ENV, "soon")
    pl = _check({"story": [{"indicator": "share", "caption": CAPTION}]})
    assert pl.idle_reset_s == 60 and pl.problems[0].key == IDLE_ENV


def test_a_missing_or_broken_file_is_reported_not_raised(tmp_path):
    missing = load_playlist(tmp_path / "none.toml", indicators=INDICATORS, availability=AVAIL, area_levels=AREAS)
    assert missing.fallback and "does not exist" in str(missing.problems[0])
    broken = tmp_path / "broken.toml"
    broken.write_text("[[story]\nindicator = ", encoding="utf-8")
    result = load_playlist(broken, indicators=INDICATORS, availability=AVAIL, area_levels=AREAS)
    assert result.fallback and "is not valid TOML" in str(result.problems[0]) and len(result.problems) == 1


# --- playlist against the real database ----------------------------------------------------------

@pytest.fixture(scope="module")
def real(real_db):
    con = db.connect(real_db)
    try:
        meta = queries.run(con, "list_indicator_metadata")
        inds = {i: indicator_from_json(m) for i, m in zip(meta["indicator_id"], meta["metadata_json"])}
        avail = Availability(queries.run(con, "list_indicator_views"))
        areas = queries.run(con, "list_area_names")
        yield {"con": con, "indicators": inds, "availability": avail,
               "area_levels": dict(zip(areas["code"], areas["level"]))}
    finally:
        con.close()


def test_the_default_playlist_is_all_real_indicators_with_no_problem(real, monkeypatch):
    monkeypatch.delenv(IDLE_ENV, raising=False)
    pl = load_playlist(DEFAULT_PLAYLIST, indicators=real["indicators"], availability=real["availability"],
                       area_levels=real["area_levels"])
    assert not pl.problems, pl.report()
    assert len(pl.stories) >= 5 and not pl.fallback and pl.idle_reset_s == 60
    assert {"pop_density", "pop_change", "lst_summer_mean", "green_fraction", "svi_mean",
            "elderly_share_grid"} <= set(pl.indicators)
    grid = [s for s in pl.stories if s.indicator in ("lst_summer_mean", "green_fraction", "svi_mean",
                                                     "elderly_share_grid")]
    for story in grid:  # honest captions: the grid covers central İzmir only
        assert "merkez İzmir" in story.caption.tr and "central İzmir" in story.caption.en, story.id


def test_the_kiosk_check_command_reports_and_sets_the_exit_status(real_db, tmp_path, capsys, monkeypatch):
    from atlas.kiosk.__main__ import main

    monkeypatch.delenv(IDLE_ENV, raising=False)
    assert main(["check", "--db", str(real_db), "--playlist", str(DEFAULT_PLAYLIST)]) == 0
    bad = tmp_path / "bad.toml"
    bad.write_text('[[story]]\nid = "x"\nindicator = "pop_density"\nlevel = "mahalle"\nperiod = "2025"\n'
                   'caption = { tr = "a", en = "b" }\n', encoding="utf-8")
    assert main(["check", "--db", str(real_db), "--playlist", str(bad)]) == 1
    out = capsys.readouterr().out
    assert """story 1 ("x"), key 'period': pop_density has no mahalle values for '2025'; it has 2023""" in out


# --- the loop ------------------------------------------------------------------------------------

def test_position_walks_the_playlist_and_wraps():
    d = (5.0, 10.0, 5.0)
    assert loop.position(d, 0) == loop.Position(0, 0, 5.0, 0.0)
    assert loop.position(d, 4.9).index == 0
    assert loop.position(d, 5.0) == loop.Position(1, 0, 10.0, 0.0)
    assert loop.position(d, 19.0).index == 2
    p = loop.position(d, 20.0 * 7 + 6)
    assert (p.index, p.cycle, p.remaining) == (1, 7, 9.0)
    assert loop.position(d, -3).index == 0
    with pytest.raises(ValueError):
        loop.position((), 1)


def test_a_touch_keeps_the_story_on_screen_and_idle_goes_back_to_the_start():
    d = (5.0, 5.0)
    s = loop.start(100.0)
    assert loop.shown(s, d, 106.0).index == 1
    s = loop.touched(s, d, 109.9, on_screen=0)  # the page still showed story 1 when the visitor touched it
    assert s.mode == "visitor" and s.story == 0 and s.last_activity == 109.9
    assert loop.shown(s, d, 500.0).index == 0 and math.isinf(loop.shown(s, d, 500.0).remaining)
    s = loop.set_lang(loop.choose_area(s, d, 120.0, BORNOVA), d, 130.0, "en")
    assert (s.area, s.lang, s.last_activity) == (BORNOVA, "en", 130.0)
    assert loop.wake_in(s, d, 150.0, 60) == pytest.approx(40.0)
    assert not loop.idle_reset_due(s, 189.9, 60)
    assert loop.step(s, 189.9, 60) is s
    back = loop.step(s, 190.0, 60)
    assert (back.mode, back.lang, back.area, back.loop_start, back.resets) == ("attract", "tr", None, 190.0, 1)
    assert loop.shown(back, d, 190.0).index == 0


def test_the_browser_reports_touches_the_server_never_saw():
    s = loop.touched(loop.start(0.0), (5.0,), 10.0)
    # the visitor kept panning the map: 70 s after the last server-side touch the browser says 5 s idle
    assert not loop.idle_reset_due(s, 80.0, 60, browser_idle_s=5.0)
    assert loop.wake_in(s, (5.0,), 80.0, 60, browser_idle_s=5.0) == pytest.approx(55.0)
    assert loop.idle_reset_due(s, 80.0, 60, browser_idle_s=61.0)
    assert loop.idle_reset_due(s, 80.0, 60)  # nothing from the browser: the server's own view


def test_attract_mode_never_resets_and_wakes_for_the_next_story():
    s = loop.start(0.0)
    assert loop.step(s, 10_000.0, 60) is s
    assert loop.wake_in(s, (5.0, 10.0), 7.0, 60) == pytest.approx(8.0)


def test_the_state_checks_its_values():
    with pytest.raises(ValueError):
        loop.KioskState(mode="sleep")
    with pytest.raises(ValueError):
        loop.set_lang(loop.start(0), (5.0,), 1.0, "de")


# --- the area card -------------------------------------------------------------------------------

PLAYLIST_INDICATORS = ("lst_summer_mean", "pop_density", "pop_change", "green_fraction", "elderly_share_grid",
                       "svi_mean")


def test_district_card_in_plain_words(real):
    profile = area_profile(real["con"], BORNOVA)
    card = area_card(profile, ("pop_change", *PLAYLIST_INDICATORS), "tr")
    assert (card.code, card.name, card.subtitle) == (BORNOVA, "Bornova", "İlçe")
    assert [r.indicator_id for r in card.rows] == ["pop_change", "lst_summer_mean", "pop_density",
                                                   "green_fraction", "elderly_share_grid", "svi_mean"]
    heat = card.rows[1]
    assert heat.value.endswith("°C") and heat.izmir.startswith("İzmir: ")
    assert heat.sentence.startswith("İzmir'den daha ") and "düşük olması daha iyidir" in heat.sentence
    assert heat.rank.startswith("9 ilçe arasında") and "(1 = en iyi)" in heat.rank
    assert any("merkez İzmir" in note for note in card.notes)
    english = area_card(profile, PLAYLIST_INDICATORS, "en")
    assert english.subtitle == "District"
    assert english.rows[0].sentence.startswith(("Higher than İzmir", "Lower than İzmir"))


def test_mahalle_outside_the_grid_says_why_there_is_no_value(real):
    con = real["con"]
    rows = con.execute("SELECT area_code FROM indicator_values WHERE indicator_id = 'lst_summer_mean' "
                       "AND level = 'mahalle' AND status = 'missing' AND coverage < 0.5 ORDER BY area_code "
                       "LIMIT 1").fetchall()
    card = area_card(area_profile(con, rows[0][0]), PLAYLIST_INDICATORS, "en")
    assert card.subtitle.startswith("Mahalle in ")
    # the values come first; the indicators without one are listed once, with the reason
    assert [r.indicator_id for r in card.rows] == ["pop_density"]
    (gap,) = card.gaps
    assert gap.reason == "No data: the satellite grid covers less than half of this area."
    assert gap.titles[0] == "Summer land-surface temperature" and len(gap.titles) == 4
    assert "pop_change" not in [r.indicator_id for r in card.rows]  # district level only


def test_comparison_sentences_follow_the_verdict(real):
    profile = area_profile(real["con"], BORNOVA)
    row = profile.get("pop_density")
    from dataclasses import replace

    assert comparison_sentence(replace(row, verdict="worse"), "en") == "Worse than İzmir."
    assert comparison_sentence(replace(row, verdict="similar"), "tr") == "İzmir'e benzer."
    assert comparison_sentence(replace(row, value=None, status="suppressed"), "en") == \
        "Not shown: the numbers are too small."
    total = profile.get("pop_total")
    assert comparison_sentence(total, "en") == "A count; it is not compared with İzmir's total."


def test_zoom_bounds(real):
    inds = real["indicators"]
    mv = mapview.build_map_view(real["con"], inds["lst_summer_mean"], "2014-2024", "mahalle", "quantiles", 5, "tr")
    province = [list(IZMIR_BOUNDS[0]), list(IZMIR_BOUNDS[1])]
    assert zoom_bounds(Zoom("izmir"), mv) == province
    (s, w), (n, e) = zoom_bounds(Zoom("data"), mv)
    (ps, pw), (pn, pe) = province
    assert ps < s < n < pn and pw < w < e < pe and (n - s) < 0.5  # central İzmir: the grid
    (s2, w2), (n2, e2) = zoom_bounds(Zoom("area", area=BORNOVA), mv)
    assert s < n2 and s2 < n  # Bornova's mahalle overlap the grid's box
    assert zoom_bounds(Zoom("bounds", bounds=((38.3, 27.0), (38.5, 27.3))), mv) == [[38.3, 27.0], [38.5, 27.3]]


def test_a_path_that_is_not_a_file():
    pl = load_playlist(Path("/"), indicators=INDICATORS, availability=AVAIL, area_levels=AREAS)
    assert pl.fallback and pl.problems[0].entry == "file"
