"""AppTest: the Equity page on the real build."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


@pytest.fixture(autouse=True)
def _fresh_caches(fresh_caches):
    """Every test starts and ends with empty Streamlit caches (tests/conftest.py)."""


def _run(monkeypatch, db, **params) -> AppTest:
    monkeypatch.setenv("ATLAS_DB", str(db))
    at = AppTest.from_file(str(ROOT / "atlas_app.py"), default_timeout=90)
    at.switch_page("pages/equity.py")
    at.query_params.update(params)
    return at.run()


def _params(at):
    return {k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()}


def test_heat_by_vulnerability_in_turkish(monkeypatch, real_db):
    at = _run(monkeypatch, real_db, indicator="lst_summer_mean", period="2014-2024", level="mahalle")
    assert not at.exception and not at.warning
    assert at.header[0].value == "Eşitlik: Yaz yüzey sıcaklığı"
    assert "Sosyal kırılganlık skoru" in at.info[0].value and "°C" in at.info[0].value
    measures = at.dataframe[0].value
    assert len(measures) == 21 and "Eğim eşitsizlik indeksi (SII)" in set(measures["Ölçü"])
    assert at.sidebar.selectbox(key="eq_w_stratifier").value == "svi_mean"
    assert len(at.get("component_instance")) == 2  # the LISA map and the potential-gain map
    assert _params(at)["stratifier"] == "svi_mean" and _params(at)["groups"] == "5"


def test_widgets_change_the_report(monkeypatch, real_db):
    at = _run(monkeypatch, real_db, indicator="lst_summer_mean", period="2014-2024", level="mahalle")
    at.sidebar.radio(key="eq_w_groups").set_value(10).run()
    assert not at.exception
    groups = at.dataframe[1].value
    assert len(groups) == 10
    at.sidebar.radio(key="eq_w_level").set_value("district").run()
    assert not at.exception
    assert _params(at)["level"] == "district"
    at.sidebar.selectbox(key="eq_w_stratifier").set_value("districts").run()
    assert len(at.dataframe[1].value) == 9  # one group per district with a value (the grid covers 9)
    assert "9 ilçe arasında" in at.info[0].value


def test_english_and_not_applicable_measures(monkeypatch, real_db):
    at = _run(monkeypatch, real_db, indicator="pop_change", period="2021-2025", level="district", lang="en")
    assert at.header[0].value.startswith("Equity: Population change")
    table = at.dataframe[0].value
    sii = table[table["Measure"].str.contains("SII")].iloc[0]
    assert sii["CI method"] == "not applicable" and "order" in sii["Note"]
    assert any("Hot and cold spots are computed at mahalle level" in c.value for c in at.caption)


def test_bad_url_parameters_give_notices(monkeypatch, real_db):
    at = _run(monkeypatch, real_db, indicator="nope", stratifier="<script>", groups="7")
    assert not at.exception
    text = " ".join(w.value for w in at.warning)
    assert "(nope)" in text and "(<script>)" in text and "(7)" in text
    assert at.header[0].value.startswith("Eşitlik:")


def test_every_indicator_level_and_language_renders(monkeypatch, real_db):
    """The page for the whole real catalogue (latest period of every indicator × level), in Turkish
    and English: no exception, error or notice; the summary is the report's; the measures table has
    21 rows, a CI where one was computed and a reason where a measure does not apply; no cell or
    caption shows an unfilled placeholder."""
    import duckdb

    from atlas import queries

    con = duckdb.connect(str(real_db), read_only=True)
    views = queries.run(con, "list_indicator_views")
    con.close()
    monkeypatch.setenv("ATLAS_DB", str(real_db))
    checked = 0
    for (indicator_id, level), rows in views.groupby(["indicator_id", "level"]):
        period = str(rows.sort_values("period_sort").iloc[-1]["period"])
        for lang in ("tr", "en"):
            where = f"{indicator_id}/{level}/{period}/{lang}"
            at = AppTest.from_file(str(ROOT / "atlas_app.py"), default_timeout=90)
            at.switch_page("pages/equity.py")
            at.query_params.update(indicator=indicator_id, period=period, level=level, lang=lang)
            at.run()
            assert not at.exception and not at.error and not at.warning, where
            assert _params(at)["indicator"] == indicator_id and _params(at)["level"] == level, where
            assert at.header[0].value.startswith("Eşitlik: " if lang == "tr" else "Equity: "), where
            summary = at.info[0].value
            assert len(summary) > 80 and summary.endswith("."), where
            texts = [summary] + [c.value for c in at.caption] + [m.value for m in at.markdown]
            for text in texts:
                assert not re.search(r"\b(nan|None|NaN|inf)\b|[{}]", text), (where, text)
            measures = at.dataframe[0].value
            assert len(measures) == 21, where
            method, ci, note = measures.columns[3], measures.columns[2], measures.columns[-1]
            not_applicable = measures[method] == ("hesaplanamaz" if lang == "tr" else "not applicable")
            assert (measures.loc[not_applicable, note].str.len() > 10).all(), where
            with_ci = measures[ci] != "—"
            assert (with_ci == measures[method].isin(["analitik", "benzetim", "analytic", "simulation"])).all(), where
            for frame in at.dataframe:
                cells = frame.value.astype(str).to_numpy().ravel()
                assert not [c for c in cells if re.search(r"\b(nan|None|NaN|inf)\b|<NA>", c)], where
            checked += 1
    assert checked >= 24


def test_back_on_the_equity_page_its_boxes_show_the_view(monkeypatch, real_db):
    # Streamlit drops the state of widgets not drawn on a run; coming back with the URL the session wrote,
    # the boxes must show the view again (not their first option, which could then not be chosen).
    from app_support.equity.state import W

    at = _run(monkeypatch, real_db, indicator="lst_summer_mean", level="district")
    assert at.selectbox(key=W["indicator"]).value == "lst_summer_mean"
    params = _params(at)
    at.switch_page("pages/indicators.py").run()
    at.query_params.clear()
    at.query_params.update(params)
    at.switch_page("pages/equity.py").run()
    assert not at.exception
    assert at.selectbox(key=W["indicator"]).value == "lst_summer_mean"
    first = at.selectbox(key=W["indicator"]).options[0]
    at.selectbox(key=W["indicator"]).select_index(0).run()
    assert not at.exception and _params(at)["indicator"] != "lst_summer_mean" and first
