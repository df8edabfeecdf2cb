"""AppTest: the Map explorer page on the real build (widgets, URL state, notices, table)."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from tests.payloads import app_areas


@pytest.fixture(autouse=True)
def _fresh_caches(fresh_caches):
    """Every test starts and ends with empty Streamlit caches (tests/conftest.py)."""


def _run(monkeypatch, db, **params) -> AppTest:
    monkeypatch.setenv("ATLAS_DB", str(db))
    at = AppTest.from_file(str(ROOT / "atlas_app.py"), default_timeout=60)
    at.query_params.update(params)
    return at.run()


def _layer(at: AppTest) -> dict:
    """The view the map layer sends to the browser (the argument of atlasChoropleth.render)."""
    comps = at.get("component_instance")
    assert len(comps) == 1, "expected one st_folium map"
    fg = json.loads(comps[0].proto.json_args)["feature_group"]
    start = fg.index("window.atlasChoropleth.render(")
    # the third argument: a JSON object (group and map names come first)
    view, _ = json.JSONDecoder().raw_decode(fg, fg.index("{", start))
    return view


def _params(at: AppTest) -> dict:
    return {k: at.query_params[k][0] if isinstance(at.query_params[k], list) else at.query_params[k]
            for k in at.query_params}


def test_default_view_is_district_population_density_in_turkish(monkeypatch, real_db):
    at = _run(monkeypatch, real_db)
    assert not at.exception and not at.warning
    assert at.subheader[0].value == "Nüfus yoğunluğu"
    layer = _layer(at)
    assert layer["level"] == "district" and layer["geometry"].startswith("../../app/static/geo/district-")
    assert layer["outlines"] is None and layer["n"] == 30 and "codes" not in layer and "tips" not in layer
    areas = app_areas(layer)
    assert len(areas) == 30
    assert "kişi/km²" in areas["1203"]["v"] and areas["1203"]["r"]  # Bornova's value with its unit, ranked
    assert layer["text"]["rankSuffix"] == " / 30 (1 = en yüksek)"
    params = _params(at)
    assert params["indicator"] == "pop_density" and params["level"] == "district" and params["lang"] == "tr"
    table = at.dataframe[0].value
    assert len(table) == 30 and "Bornova" in set(table["Bölge"])
    assert [b.label for b in at.get("download_button")] == ["CSV indir", "GeoJSON indir"]
    legend = "".join(h.proto.body for h in at.get("html"))
    assert "kişi/km²" in legend and "(6 bölge)" in legend


def test_switching_indicator_changes_layer_and_url(monkeypatch, real_db):
    at = _run(monkeypatch, real_db)
    before = _layer(at)
    at.sidebar.selectbox(key="map_w_indicator").set_value("lst_summer_mean").run()
    assert not at.exception
    after = _layer(at)
    assert at.subheader[0].value == "Yaz yüzey sıcaklığı"
    assert after["renderId"] != before["renderId"] and after["cols"]["v"] != before["cols"]["v"]
    assert _params(at)["indicator"] == "lst_summer_mean"
    assert _params(at)["period"] == "2014-2024"  # the period follows the indicator


def test_mahalle_level_draws_district_outlines_and_hides_islands(monkeypatch, real_db):
    at = _run(monkeypatch, real_db)
    at.sidebar.radio(key="map_w_level").set_value("mahalle").run()
    assert not at.exception
    layer = _layer(at)
    assert layer["level"] == "mahalle" and layer["outlines"].startswith("../../app/static/geo/district-")
    assert 1200 < len(app_areas(layer)) < 1360 == layer["n"]  # islands, OSB and free zones hidden
    legend = "".join(h.proto.body for h in at.get("html"))
    assert "ada, organize sanayi veya serbest bölge alanı gizli" in legend
    assert not at.dataframe  # the long table is drawn on demand
    at.toggle(key="map_show_table").set_value(True).run()
    assert len(at.dataframe[0].value) == len(app_areas(layer))
    at.sidebar.checkbox(key="map_show_hidden").check().run()
    assert len(app_areas(_layer(at))) == 1360
    assert _params(at)["level"] == "mahalle"


def test_scheme_and_classes_follow_the_widgets(monkeypatch, real_db):
    at = _run(monkeypatch, real_db)
    at.sidebar.slider(key="map_w_k").set_value(7).run()
    assert len({a["key"] for a in app_areas(_layer(at)).values() if a["key"].isdigit()}) == 7
    assert _params(at)["k"] == "7"
    at.sidebar.selectbox(key="map_w_scheme").set_value("compare_izmir").run()
    assert not at.exception
    assert at.sidebar.slider(key="map_w_k").disabled
    legend = "".join(h.proto.body for h in at.get("html"))
    assert "İzmir" in legend
    assert _params(at)["scheme"] == "compare_izmir"


def test_url_restores_a_view_with_a_selected_area(monkeypatch, real_db):
    at = _run(monkeypatch, real_db, indicator="pop_total", period="2023", level="mahalle", scheme="natural_breaks",
              k="4", area="1203")
    assert not at.exception and not at.warning
    assert at.sidebar.selectbox(key="map_w_indicator").value == "pop_total"
    assert at.sidebar.selectbox(key="map_w_scheme").value == "natural_breaks"
    assert at.sidebar.selectbox(key="map_w_area").value == "1203"
    layer = _layer(at)
    assert layer["focus"] == "1203" and layer["focusBounds"][0][0] < layer["focusBounds"][1][0]
    assert any("Seçili bölge: Bornova (ilçe)" in m.value for m in at.markdown)


def test_bad_url_parameters_fall_back_with_notices(monkeypatch, real_db):
    at = _run(monkeypatch, real_db, indicator="nope", level="street", scheme="'; DROP TABLE areas; --", k="99",
              area="xx")
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "“indicator” değeri (nope)" in warnings and "“level” değeri (street)" in warnings
    assert "DROP TABLE" in warnings and "3 ile 9 arasında" in warnings and "(xx) bulunamadı" in warnings
    assert at.subheader[0].value == "Nüfus yoğunluğu"
    assert _params(at)["k"] == "5" and _params(at)["scheme"] == "quantiles"
    # the notices stay until the user changes the view, then go
    at.sidebar.slider(key="map_w_k").set_value(4).run()
    assert not at.warning


def test_english_labels_and_numbers(monkeypatch, real_db):
    at = _run(monkeypatch, real_db, lang="en")
    assert at.subheader[0].value == "Population density"
    layer = _layer(at)
    assert "people/km²" in app_areas(layer)["1203"]["v"]
    assert layer["text"]["rank"] == "Rank" and layer["text"]["districtOf"] == "district"
    assert [b.label for b in at.get("download_button")] == ["Download CSV", "Download GeoJSON"]
    assert list(at.dataframe[0].value.columns)[:3] == ["Code", "Area", "Value"]


def test_missing_database_says_where_to_build_it(monkeypatch, tmp_path):
    at = _run(monkeypatch, tmp_path / "absent.duckdb")
    assert not at.exception
    assert "absent.duckdb" in at.error[0].value


def test_a_level_too_large_for_one_list_is_searched_by_text(monkeypatch, real_db):
    """Above SEARCH_LIST_MAX areas the search is a text box and a short list of matches (30,000
    options would be sent on every rerun); picking a match selects the area as the list does."""
    import app_support.map.state as map_state
    monkeypatch.setattr(map_state, "SEARCH_LIST_MAX", 50)
    at = _run(monkeypatch, real_db, indicator="pop_density", level="mahalle")
    assert not at.exception
    assert [s.key for s in at.sidebar.selectbox].count("map_w_area") == 0  # nothing typed: no list yet
    at.sidebar.text_input(key="map_search_text").input("bornova").run()
    pick = at.sidebar.selectbox(key="map_w_area")
    assert pick.options[0] == "Bornova (ilçe)" and len(pick.options) <= map_state.SEARCH_MATCHES
    assert all("bornova" in o.lower() for o in pick.options)
    pick.set_value("1203").run()
    assert not at.exception and _params(at)["area"] == "1203" and _layer(at)["focus"] == "1203"
    at.sidebar.text_input(key="map_search_text").input("xq'; DROP TABLE areas; --").run()
    assert not at.exception and "bölge yok" in " ".join(c.value for c in at.sidebar.caption)
    assert at.sidebar.selectbox(key="map_w_area").options == ["Bornova (ilçe)"]  # the selection stays
    at.sidebar.text_input(key="map_search_text").input("a").run()
    assert "İlk 30 sonuç" in " ".join(c.value for c in at.sidebar.caption)


def test_back_on_the_map_its_boxes_show_the_view_and_the_first_option_can_be_chosen(monkeypatch, real_db):
    # Streamlit drops the state of widgets that were not drawn on a run (the visitor was on the profile or
    # equity page). Coming back with the URL the session wrote, the boxes must show the view again — before
    # the fix the indicator box fell back to its first option while the map still showed the URL's
    # indicator, so choosing that option did nothing (bench/bench_load.py counted it as an error).
    from app_support.map.state import WIDGETS

    at = _run(monkeypatch, real_db, indicator="lst_summer_mean", level="district")
    box = at.selectbox(key=WIDGETS["indicator"])
    first = box.options[0]
    assert box.value == "lst_summer_mean" and first != "lst_summer_mean"
    params = _params(at)
    at.switch_page("pages/profile.py").run()  # the map's widgets are not drawn: Streamlit drops their state
    assert not at.exception
    at.query_params.clear()
    at.query_params.update(params)  # back to the map with the URL this session wrote
    at.switch_page("pages/map.py").run()
    assert not at.exception
    assert at.selectbox(key=WIDGETS["indicator"]).value == "lst_summer_mean"
    assert _params(at)["indicator"] == "lst_summer_mean"
    at.selectbox(key=WIDGETS["indicator"]).select_index(0).run()
    assert not at.exception and _params(at)["indicator"] != "lst_summer_mean"
