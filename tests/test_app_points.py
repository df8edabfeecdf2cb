"""AppTest: point layers on the Map explorer (sidebar toggle, URL, notice, legend, attribution) and
the Area profile's nearest points, on the real build (issue #17, item 4)."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from tests.test_app_map import _layer, _params


@pytest.fixture(autouse=True)
def _fresh_caches(fresh_caches):
    """Every test starts and ends with empty Streamlit caches (tests/conftest.py)."""


def _run(monkeypatch, db, page: str | None = None, **params) -> AppTest:
    monkeypatch.setenv("ATLAS_DB", str(db))
    at = AppTest.from_file(str(ROOT / "atlas_app.py"), default_timeout=90)
    if page:
        at.switch_page(page)
    at.query_params.update(params)
    return at.run()


def _points(at: AppTest) -> dict:
    """The spec the map's points layer sends to the browser (the argument of atlasPoints.render)."""
    fg = json.loads(at.get("component_instance")[0].proto.json_args)["feature_group"]
    start = fg.index("window.atlasPoints.render(")
    spec, _ = json.JSONDecoder().raw_decode(fg, fg.index("{", start))
    return spec


def _html(at: AppTest) -> str:
    return "".join(h.proto.body for h in at.get("html"))


def test_points_from_the_url_are_drawn_with_legend_and_attribution(monkeypatch, real_db):
    at = _run(monkeypatch, real_db, points="bus_stops,parks_playgrounds", lang="en")
    assert not at.exception and not at.warning
    spec = _points(at)
    assert [layer["id"] for layer in spec["layers"]] == ["bus_stops", "parks_playgrounds"]
    stops = spec["layers"][0]
    # the data is a file the browser fetches once (not the 11,605 points inside every rerun)
    assert stops["data"].startswith("../../app/static/geo/points-bus_stops-") and stops["data"].endswith(".json")
    assert stops["labels"]["kinds"] == {"bus_stop": "bus stop"} and stops["labels"]["lines"] == "Lines: {lines}"
    legend = _html(at)
    assert "Bus stops (ESHOT) (11,605 points)" in legend and "Parks, gardens and playgrounds" in legend
    captions = " ".join(c.value for c in at.caption)
    assert "Bus stops: ESHOT / İzmir Büyükşehir Belediyesi" in captions
    assert "© OpenStreetMap contributors" in captions and "Share-alike (ODbL)" in captions
    assert _params(at)["points"] == "bus_stops,parks_playgrounds"
    assert at.sidebar.multiselect(key="map_w_points").value == ["bus_stops", "parks_playgrounds"]


def test_unknown_point_layer_in_the_url_gives_an_escaped_notice(monkeypatch, real_db):
    at = _run(monkeypatch, real_db, points="rail_stations,**nope**", lang="en")
    assert not at.exception
    assert len(at.warning) == 1
    text = at.warning[0].value
    assert "point layers that are not in the database" in text
    assert "(\\*\\*nope\\*\\*)" in text  # echoed as literal text, not bold
    assert "bus\\_stops, parks\\_playgrounds, rail\\_stations, sports\\_pitches" in text
    assert [layer["id"] for layer in _points(at)["layers"]] == ["rail_stations"]
    assert _params(at)["points"] == "rail_stations"


def test_toggling_a_layer_keeps_the_choropleth_and_writes_the_url(monkeypatch, real_db):
    at = _run(monkeypatch, real_db, lang="en")
    assert _points(at)["layers"] == [] and "points" not in _params(at)
    before = _layer(at)
    at.sidebar.multiselect(key="map_w_points").set_value(["rail_stations"]).run()
    assert not at.exception
    assert [layer["id"] for layer in _points(at)["layers"]] == ["rail_stations"]
    assert _layer(at)["renderId"] == before["renderId"]  # the choropleth's view is the same
    assert _params(at)["points"] == "rail_stations"
    assert "Rail stations (Metro M1 and İZBAN) (65 points)" in _html(at)
    at.sidebar.multiselect(key="map_w_points").set_value([]).run()
    assert _points(at)["layers"] == [] and "points" not in _params(at)
    assert "(65 points)" not in _html(at)


def test_profile_lists_the_nearest_points_of_each_layer(monkeypatch, real_db):
    at = _run(monkeypatch, real_db, page="pages/profile.py", area="23790", lang="en")  # Alsancak, Konak
    assert not at.exception
    assert "Nearest points" in [s.value for s in at.subheader]
    text = "\n".join(m.value for m in at.markdown)
    for title in ("Bus stops (ESHOT)", "Rail stations (Metro M1 and İZBAN)", "Parks, gardens and playgrounds",
                  "Sports pitches"):
        assert f"**{title}" in text.replace("\\", "")
    stops = [line for line in text.splitlines() if line.startswith("- **") and "bus stop" in line]
    assert len(stops) == 3 and all("Lines: " in line for line in stops)
    assert sum(1 for line in text.splitlines() if line.startswith("- **")) == 12  # 3 per layer
    captions = " ".join(c.value for c in at.caption)
    assert "© OpenStreetMap contributors" in captions and "UTM zone 35N" in captions


def test_export_panel_prints_the_layer_shown_on_the_map(monkeypatch, real_db):
    from app_support.export.panel import EXPANDER_KEY

    monkeypatch.setenv("ATLAS_DB", str(real_db))
    at = AppTest.from_file(str(ROOT / "atlas_app.py"), default_timeout=90)
    at.query_params.update({"points": "rail_stations", "lang": "en"})
    at.session_state[EXPANDER_KEY] = True
    at.run()
    assert not at.exception
    box = at.selectbox(key="export_points")
    assert box.value == "rail_stations" and box.options[0] == "None"
    assert len(at.get("image")) == 1  # the preview, drawn with the layer
    box.set_value(None).run()
    assert not at.exception and len(at.get("image")) == 1
