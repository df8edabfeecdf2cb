"""AppTest: the Area profile page on the real build."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


@pytest.fixture
def open_profile(monkeypatch, real_db):
    st.cache_data.clear()
    st.cache_resource.clear()
    monkeypatch.setenv("ATLAS_DB", str(real_db))

    def _open(**params) -> AppTest:
        app = AppTest.from_file(str(ROOT / "atlas_app.py"), default_timeout=30)
        app.switch_page("pages/profile.py")
        app.query_params.update(params)
        return app.run()

    yield _open
    st.cache_data.clear()
    st.cache_resource.clear()


def _svg(at: AppTest) -> ET.Element:
    found = [m.value for m in at.markdown if m.value.startswith("<svg")]
    assert len(found) == 1, "expected one spine chart"
    return ET.fromstring(found[0])


def _table(at: AppTest):
    assert len(at.dataframe) == 1, "expected one profile table"
    return at.dataframe[0].value


def test_district_profile_in_turkish(open_profile):
    at = open_profile(area="1448", indicator="pop_density", period="2025", level="district", scheme="quantiles",
                      k="5")
    assert not at.exception
    assert at.header[0].value == "Karşıyaka"
    assert "**ilçe**" in [m.value for m in at.markdown]
    # issue #17: the profile ends with the nearest points of each point layer
    assert [s.value for s in at.subheader] == ["Omurga grafiği", "Tablo", "Dönemlere göre değişim", "En yakın noktalar"]
    svg = _svg(at)
    assert svg.get("role") == "img"
    assert svg.find("{http://www.w3.org/2000/svg}title").text.startswith("Karşıyaka: göstergeler")
    table = _table(at).set_index("Gösterge")
    assert table.loc["Nüfus yoğunluğu", "Değer"] == "6.659,3 kişi/km²"
    assert table.loc["Nüfus yoğunluğu", "İzmir"] == "378,8 kişi/km²"
    assert table.loc["Nüfus yoğunluğu", "Bölge sayısı"] == 30
    verdict = table.loc["Nüfus yoğunluğu", "İzmir ile karşılaştırma"]
    assert verdict == "İzmir'den yüksek (güven aralığı yok, test edilmedi)"
    assert table.loc["Nüfus", "İzmir ile karşılaştırma"] == "karşılaştırılmadı (İzmir değeri toplamdır)"
    assert "İlçe değeri" not in table.columns
    assert len(at.get("vega_lite_chart")) == 2  # population and density have three periods each
    assert at.selectbox[0].value == "1448"
    link = at.get("page_link")[0].proto
    assert link.label == "← Haritaya dön"
    assert link.query_string == ("level=district&indicator=pop_density&period=2025&scheme=quantiles&k=5"
                                 "&area=1448&lang=tr")


def test_language_switch_to_english(open_profile):
    at = open_profile(area="1448")
    at.sidebar.radio(key="lang_switch").set_value("en").run()
    assert not at.exception
    assert [s.value for s in at.subheader] == ["Spine chart", "Table", "Trend over periods", "Nearest points"]  # issue #17
    assert "**district**" in [m.value for m in at.markdown]
    table = _table(at).set_index("Indicator")
    assert table.loc["Population density", "Value"] == "6,659.3 people/km²"
    assert table.loc["Population density", "Compared with İzmir"].startswith("Higher than İzmir")
    assert _svg(at).find("{http://www.w3.org/2000/svg}title").text.startswith("Karşıyaka: indicators compared")
    assert at.selectbox[0].label == "Choose an area"


def test_mahalle_shows_its_district_value(open_profile):
    at = open_profile(area="23690")
    assert not at.exception
    assert at.header[0].value == "Bostanlı"
    assert "**Karşıyaka ilçesi** · mahalle" in [m.value for m in at.markdown]
    table = _table(at).set_index("Gösterge")
    assert table.loc["Nüfus yoğunluğu", "İlçe değeri"] == "6.703,1 kişi/km²"  # Karşıyaka, 2023
    assert table.loc["Nüfus yoğunluğu", "Dönem"] == "2023"
    assert at.get("page_link")[0].proto.query_string == "level=mahalle&area=23690&lang=tr"
    texts = [t.text for t in _svg(at).iter("{http://www.w3.org/2000/svg}text")]
    assert "İlçe" in texts and "6.703,1" in texts
    assert len(at.get("vega_lite_chart")) == 0  # mahalle values have one period each
    assert "Bu bölgenin hiçbir göstergesinde birden fazla dönem yok." in [c.value for c in at.caption]


def test_bad_area_warns_and_offers_the_picker(open_profile):
    at = open_profile(area="99999<b>")
    assert not at.exception
    assert len(at.warning) == 1 and "99999" in at.warning[0].value and "kodlu bir ilçe ya da mahalle yok" in \
        at.warning[0].value
    assert not at.dataframe and not [m for m in at.markdown if m.value.startswith("<svg")]
    assert at.selectbox[0].value is None
    at.selectbox[0].set_value("1203").run()  # Bornova
    assert not at.exception
    assert at.header[0].value == "Bornova" and at.query_params.get("area") == "1203"
    assert not at.warning


def test_no_area_asks_for_one(open_profile):
    at = open_profile()
    assert not at.exception
    assert at.header[0].value == "Bölge profili"
    assert "Profilini görmek için" in at.info[0].value
    options = at.selectbox[0].options
    assert len(options) == 30 + 1360
    assert options[0] == "Aliağa (ilçe)" and "Bostanlı — Karşıyaka" in options
