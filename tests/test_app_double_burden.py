"""AppTest: the double-burden page (and the equity page grouped by SEGE-2022) on the real build."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


@pytest.fixture(autouse=True)
def _fresh_caches(fresh_caches):
    """Every test starts and ends with empty Streamlit caches (tests/conftest.py)."""


def _run(monkeypatch, db, page="pages/double_burden.py", **params) -> AppTest:
    monkeypatch.setenv("ATLAS_DB", str(db))
    at = AppTest.from_file(str(ROOT / "atlas_app.py"), default_timeout=90)
    at.switch_page(page)
    at.query_params.update(params)
    return at.run()


def _params(at):
    return {k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()}


def test_heat_and_vulnerability_in_turkish_by_default(monkeypatch, real_db):
    at = _run(monkeypatch, real_db)
    assert not at.exception and not at.warning and not at.error
    assert at.header[0].value == "Çifte yük: Yaz yüzey sıcaklığı × Sosyal kırılganlık skoru"
    assert _params(at) == {"x": "lst_summer_mean", "y": "svi_mean", "level": "mahalle", "lang": "tr"}
    text = " ".join(m.value for m in at.markdown)
    assert "Nüfus ağırlıklı korelasyon r = " in text and "%95 GA" in text and "sağ üst hücrede" in text
    assert len(at.get("component_instance")) == 1  # the bivariate map
    assert at.subheader[0].value == "İkisinde de daha kötü" and len(at.dataframe[0].value) > 0
    assert any("Eminoglu" in c.value for c in at.caption)  # sources named


def test_sege_and_elderly_by_district_in_english(monkeypatch, real_db):
    at = _run(monkeypatch, real_db, x="sege_score", y="adults_65plus_share", level="district", lang="en")
    assert not at.exception and not at.warning and not at.error
    assert at.header[0].value.startswith("Double burden: Socio-economic development score (SEGE-2022) × ")
    assert "Population-weighted correlation r = " in " ".join(m.value for m in at.markdown)
    captions = " ".join(c.value for c in at.caption)
    assert "Caveat:" in captions and "PDF" in captions  # SEGE's transcription caveat
    assert at.sidebar.selectbox(key="bv_w_x").value == "sege_score"
    assert [d.proto.label for d in at.get("download_button")] == [
        "Download the classes (CSV)", "Download the map (PDF)", "Download the map (PNG, 200 dpi)"]


def test_widgets_change_the_view_and_the_url(monkeypatch, real_db):
    at = _run(monkeypatch, real_db, lang="en")
    at.sidebar.radio(key="bv_w_level").set_value("district").run()
    assert not at.exception and _params(at)["level"] == "district"
    at.sidebar.selectbox(key="bv_w_y").set_value("lst_summer_mean").run()  # the same as x: x takes the old y
    assert not at.exception
    p = _params(at)
    assert p["y"] == "lst_summer_mean" and p["x"] != p["y"]


@pytest.mark.parametrize("params, bad", [
    ({"x": "<b>nope</b>", "y": "svi_mean"}, "x"),
    ({"x": "svi_mean", "y": "svi_mean"}, "y"),
    ({"level": "moon"}, "level"),
    ({"x": "sege_score", "level": "mahalle"}, "x"),  # SEGE is district-only
    ({"x": "[click](http://evil.example)", "y": "'; DROP TABLE areas; --"}, "x"),
])
@pytest.mark.parametrize("lang", ["tr", "en"])
def test_bad_url_values_give_a_notice_not_an_exception(monkeypatch, real_db, params, bad, lang):
    at = _run(monkeypatch, real_db, lang=lang, **params)
    assert not at.exception and not at.error
    assert at.warning, "a notice about the link"
    assert any(f"“{bad}”" in w.value for w in at.warning)
    shown = " ".join(w.value for w in at.warning)
    assert "[click]" not in shown  # echoed literally (Markdown escaped), never as a link
    assert at.header  # the page is drawn with the defaults


def test_equity_page_groups_districts_by_sege_tier_with_its_caveat(monkeypatch, real_db):
    at = _run(monkeypatch, real_db, page="pages/equity.py", indicator="adults_65plus_share", period="2018",
              level="district", stratifier="sege_tier", lang="en")
    assert not at.exception and not at.error
    assert at.sidebar.selectbox(key="eq_w_stratifier").value == "sege_tier"
    assert at.sidebar.radio(key="eq_w_groups").disabled  # one group per tier
    assert not at.warning
    assert any("Caveat:" in c.value and "PDF" in c.value and "SEGE-2022" in c.value for c in at.caption)
    groups = at.dataframe[1].value
    assert len(groups) == 5 and groups.iloc[0, 1] == "tier 5 (most disadvantaged)"


def test_equity_page_groups_districts_by_sege_quintiles(monkeypatch, real_db):
    at = _run(monkeypatch, real_db, page="pages/equity.py", indicator="adults_65plus_share", period="2018",
              level="district", stratifier="sege_score", groups="5")
    assert not at.exception and not at.error
    assert len(at.dataframe[1].value) == 5
    assert any("Dikkat:" in c.value and "PDF" in c.value for c in at.caption)  # the caveat, in Turkish
    measures = at.dataframe[0].value
    assert "Eğim eşitsizlik indeksi (SII)" in set(measures["Ölçü"])


def test_back_on_the_double_burden_page_its_boxes_show_the_view(monkeypatch, real_db):
    from app_support.bivariate.state import W

    at = _run(monkeypatch, real_db)
    params = _params(at)
    x = at.selectbox(key=W["x"]).value
    at.switch_page("pages/indicators.py").run()
    at.query_params.clear()
    at.query_params.update(params)
    at.switch_page("pages/double_burden.py").run()
    assert not at.exception
    assert at.selectbox(key=W["x"]).value == x == params["x"]
