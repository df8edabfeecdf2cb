"""AppTest (issue #22, orientation): the map page sends the place names and opens on the areas with a
value (with a note of what is outside), and every page's maps have an accessible name."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


@pytest.fixture(autouse=True)
def _fresh_caches(fresh_caches):
    """Every test starts and ends with empty Streamlit caches (tests/conftest.py)."""


def _run(monkeypatch, db, page: str, **params) -> AppTest:
    monkeypatch.setenv("ATLAS_DB", str(db))
    at = AppTest.from_file(str(ROOT / "atlas_app.py"), default_timeout=90)
    at.switch_page(page)
    at.query_params.update(params)
    return at.run()


def _map_script(at: AppTest) -> str:
    scripts = [json.loads(c.proto.json_args)["feature_group"] for c in at.get("component_instance")
               if "feature_group" in json.loads(c.proto.json_args)]
    assert len(scripts) == 1, "one map on the page"
    return scripts[0]


def _decoded(script: str, call: str) -> dict:
    start = script.index("{", script.index(call))
    if call.startswith("(function"):  # the labels' loader: the spec is the call's second argument
        start = script.index("{", script.index("})(", script.index(call)) + 3)
    value, _ = json.JSONDecoder().raw_decode(script, start)
    return value


def _names(at: AppTest) -> list[str]:
    bodies = [h.proto.body for h in at.get("html") if "atlasMapNames" in h.proto.body]
    assert bodies, "no name_maps script on the page"
    text = bodies[-1]
    value, _ = json.JSONDecoder().raw_decode(text, text.index("[", text.index("window.atlasMapNames")))
    return value


def test_a_partly_covered_mahalle_map_opens_on_its_values_with_names(monkeypatch, real_db):
    at = _run(monkeypatch, real_db, "pages/map.py", indicator="lst_summer_mean", level="mahalle", lang="en")
    assert not at.exception
    assert "Values cover 212 of 1,295 mahalle; the map opens on them." in [c.value for c in at.caption]
    script = _map_script(at)
    view = _decoded(script, "window.atlasChoropleth.render(")
    (south, west), (north, east) = view["fit"]["bounds"]
    # central İzmir, not the province (37.8–39.4 °N, 26.2–28.5 °E)
    assert 38.2 < south < north < 38.6 and 26.8 < west < east < 27.3
    assert view["fit"]["key"].startswith("map:")
    spec = _decoded(script, "(function (map, spec)")
    assert [(layer["cls"], layer["minZoom"]) for layer in spec["layers"]] == [("district", 8), ("mahalle", 13)]
    assert all(layer["url"].startswith("../../app/static/geo/labels-") for layer in spec["layers"])
    assert spec["showHidden"] is False
    assert len(script.encode()) - len(json.dumps(view, ensure_ascii=False).encode()) < 3000  # names are not sent
    assert _names(at) == ["Map: Summer land-surface temperature, 2014-2024, mahalle"]


def test_an_area_chosen_in_the_link_is_zoomed_to_not_the_coverage(monkeypatch, real_db):
    at = _run(monkeypatch, real_db, "pages/map.py", indicator="pop_density", level="district", area="1203", lang="en")
    view = _decoded(_map_script(at), "window.atlasChoropleth.render(")
    assert view["focus"] == "1203" and view["focusBounds"] and view["fit"] is None
    assert not any("the map opens on them" in c.value for c in at.caption)  # every district has a value


def test_double_burden_and_equity_maps_are_named(monkeypatch, real_db):
    at = _run(monkeypatch, real_db, "pages/double_burden.py", lang="en")
    assert not at.exception
    assert _names(at) == ["Map: Double burden: Summer land-surface temperature × Social vulnerability score, "
                          "2014-2024 × 2026, mahalle"]
    at = _run(monkeypatch, real_db, "pages/equity.py", indicator="lst_summer_mean", level="mahalle", lang="en")
    assert not at.exception
    names = _names(at)
    assert names[-1] == "Map: Potential gain: Summer land-surface temperature, 2014-2024, mahalle"
    assert len(names) == len(at.get("component_instance"))
