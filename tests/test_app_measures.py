"""AppTest: a family of measures (issue #19) on the map, the equity page's funnel plot, the profile's
smoothed rates and the methods page. Fictional data (tests/family_db.py)."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from tests.family_db import make_family_db


@pytest.fixture(autouse=True)
def _fresh_caches(fresh_caches):
    """Every test starts and ends with empty Streamlit caches (tests/conftest.py)."""


@pytest.fixture
def family_db(tmp_path):
    return make_family_db(tmp_path / "family.duckdb")


def _open(monkeypatch, db, page: str, **params) -> AppTest:
    monkeypatch.setenv("ATLAS_DB", str(db))
    at = AppTest.from_file(str(ROOT / "atlas_app.py"), default_timeout=60)
    at.switch_page(page)
    at.query_params.update(params)
    return at.run()


def _params(at: AppTest) -> dict:
    return {k: at.query_params[k][0] if isinstance(at.query_params[k], list) else at.query_params[k]
            for k in at.query_params}


def _legend(at: AppTest) -> str:
    return "".join(h.proto.body for h in at.get("html") if "atlas-legend" in h.proto.body)


def _layer(at: AppTest) -> dict:
    comps = at.get("component_instance")
    fg = json.loads(comps[0].proto.json_args)["feature_group"]
    start = fg.index("window.atlasChoropleth.render(")
    view, _ = json.JSONDecoder().raw_decode(fg, fg.index("{", start))
    return view


def _radio(at: AppTest, key: str):
    found = [r for r in at.sidebar.radio if r.key == key]
    return found[0] if found else None


# --- map ------------------------------------------------------------------------------------------


def test_map_lists_the_family_once_and_offers_measure_and_standard(monkeypatch, family_db):
    at = _open(monkeypatch, family_db, "pages/map.py", indicator="deaths", level="mahalle", lang="en")
    assert not at.exception and not at.warning
    indicator = at.sidebar.selectbox(key="map_w_indicator")
    assert indicator.value == "deaths" and indicator.options == [
        "Deaths (age-standardised, ESP 2013)", "Test score", "Test share"]
    measure = _radio(at, "map_w_measure")
    assert measure.options == ["Crude rate", "Age-standardised rate", "Standardised ratio (SMR)",
                               "Indirectly standardised rate", "Smoothed (Empirical Bayes, global)",
                               "Smoothed (Empirical Bayes, spatial)"]
    assert measure.value == "dsr"
    standard = _radio(at, "map_w_standard")
    assert standard.options == ["ESP 2013", "WHO World Standard", "İzmir"] and standard.value == "esp2013"
    assert "age-standardised to the European Standard Population 2013" in _legend(at)


def test_choosing_a_standard_and_a_measure_changes_the_url_and_legend(monkeypatch, family_db):
    at = _open(monkeypatch, family_db, "pages/map.py", indicator="deaths", level="district", lang="en")
    at = _radio(at, "map_w_standard").set_value("who2001").run()
    assert not at.exception
    assert _params(at)["indicator"] == "deaths__dsr_who2001"
    assert "age-standardised to the WHO World Standard Population" in _legend(at)
    assert at.sidebar.selectbox(key="map_w_indicator").value == "deaths"  # the list still shows the family
    at = _radio(at, "map_w_measure").set_value("crude_rate").run()
    assert _params(at)["indicator"] == "deaths__crude"
    assert _radio(at, "map_w_standard") is None  # a crude rate has no standard population
    assert "not age-standardised" in _legend(at) and "age-standardised to the" not in _legend(at)
    at = _radio(at, "map_w_measure").set_value("dsr").run()
    assert _params(at)["indicator"] == "deaths__dsr_who2001"  # the standard chosen before is kept


def test_a_link_to_a_smoothed_member_reopens_it(monkeypatch, family_db):
    at = _open(monkeypatch, family_db, "pages/map.py", indicator="deaths__eb_spatial", level="mahalle", lang="en")
    assert not at.exception and not at.warning
    assert _radio(at, "map_w_measure").value == "eb_spatial"
    assert at.sidebar.selectbox(key="map_w_indicator").value == "deaths"
    assert "Smoothed: Empirical Bayes, spatial neighbours" in _legend(at)
    assert _params(at)["indicator"] == "deaths__eb_spatial"
    # smoothed rates are mahalle values only: at district level the family's head is shown
    at = _radio(at, "map_w_level").set_value("district").run()
    assert not at.exception
    assert (_params(at)["indicator"], _params(at)["level"]) == ("deaths", "district")
    assert not any("Smoothed" in option for option in _radio(at, "map_w_measure").options)


def test_map_words_in_turkish(monkeypatch, family_db):
    at = _open(monkeypatch, family_db, "pages/map.py", indicator="deaths", level="district")
    assert _radio(at, "map_w_measure").label == "Ölçü"
    assert _radio(at, "map_w_measure").options[:2] == ["Ham hız", "Yaşa göre standartlaştırılmış hız"]
    assert _radio(at, "map_w_standard").label == "Standart nüfus"
    assert "Avrupa Standart Nüfusu 2013 esas alınarak standartlaştırılmış" in _legend(at)


def test_tooltip_and_table_show_counts_unless_suppressed(monkeypatch, family_db):
    at = _open(monkeypatch, family_db, "pages/map.py", indicator="deaths__crude", level="district", lang="en")
    counts = _layer(at)["cols"]["c"].split("|")
    status = _layer(at)["cols"]["s"].split("|")
    assert "40 events · population 20,000" in counts
    assert [c for c, s in zip(counts, status) if s == "suppressed"] == [""]
    table = at.dataframe[0].value.set_index("Code")
    assert table.loc["9001", "Events"] == 40 and table.loc["9001", "Population"] == 20_000
    assert table.loc["9002", "Events"] != table.loc["9002", "Events"]  # NaN: suppressed, no number
    assert table.loc["9002", "Note"] == "fewer than 5 events: suppressed"


# --- equity: funnel plot --------------------------------------------------------------------------


def _funnel_charts(at: AppTest) -> list:
    return [c for c in at.get("vega_lite_chart") if "Funnel plot" in c.proto.alt or "huni grafiği" in c.proto.alt]


def test_equity_page_draws_a_funnel_for_a_rate(monkeypatch, family_db):
    at = _open(monkeypatch, family_db, "pages/equity.py", indicator="deaths__crude", level="mahalle", lang="en")
    assert not at.exception
    assert "Funnel plot" in [s.value for s in at.subheader]
    charts = _funnel_charts(at)
    assert len(charts) == 1 and "1 above and 0 below the 99.8% limits" in charts[0].proto.alt
    assert any("95% control limits" in c.value and "Poisson" in c.value for c in at.caption)
    outliers = [df.value for df in at.dataframe if "Place on the funnel" in df.value.columns]
    assert len(outliers) == 1 and list(outliers[0]["Area"]) == ["Bostanlı (Karşıyaka)"]


def test_equity_page_explains_why_a_score_has_no_funnel(monkeypatch, family_db):
    at = _open(monkeypatch, family_db, "pages/equity.py", indicator="test_score", level="district")
    assert not at.exception
    assert "Huni grafiği" in [s.value for s in at.subheader]
    assert not _funnel_charts(at)
    assert any(c.value.startswith("Huni grafiği yalnızca hızlar") for c in at.caption)


# --- profile and methods --------------------------------------------------------------------------


def test_profile_shows_smoothed_beside_observed(monkeypatch, family_db):
    at = _open(monkeypatch, family_db, "pages/profile.py", area="91002", lang="en")
    assert not at.exception
    assert "Smoothed rates" in [s.value for s in at.subheader]
    table = [df.value for df in at.dataframe if "Observed (crude rate)" in df.value.columns][0]
    assert table.iloc[0]["Observed (crude rate)"] == "666.7 per 100,000"
    assert table.iloc[0]["Smoothed (Empirical Bayes, spatial)"] == "633.3 per 100,000"
    district = _open(monkeypatch, family_db, "pages/profile.py", area="9001", lang="en")
    assert "Smoothed rates" not in [s.value for s in district.subheader]


def test_methods_page_explains_each_member(monkeypatch, family_db):
    at = _open(monkeypatch, family_db, "pages/methods.py", lang="en")
    assert not at.exception
    text = "\n".join(m.value for m in at.markdown)
    assert "**Standard population:** European Standard Population 2013 (19 age bands" in text
    assert "Eurostat (2013)" in text
    assert "**Measure:** Smoothed: Empirical Bayes, spatial neighbours" in text
    assert "**Method:** Method: smoothed, neighbours" in text  # the member's stored method text
    labels = [e.label for e in at.expander]
    assert labels.index("**Deaths (crude)** — Population") == labels.index(
        "**Deaths (age-standardised, ESP 2013)** — Population") + 1  # members follow their head
