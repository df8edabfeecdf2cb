"""AppTest: the Data & methods page on the real build."""

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


@pytest.fixture
def at(monkeypatch, real_db):
    st.cache_data.clear()
    st.cache_resource.clear()
    monkeypatch.setenv("ATLAS_DB", str(real_db))
    app = AppTest.from_file(str(ROOT / "atlas_app.py"), default_timeout=30)
    app.switch_page("pages/methods.py")
    yield app.run()
    st.cache_data.clear()
    st.cache_resource.clear()


def _text(at) -> str:
    parts = [e.value for e in at.markdown] + [e.value for e in at.caption] + [e.value for e in at.info]
    parts += [e.label for e in at.expander]
    return "\n".join(parts)


def test_methods_page_in_turkish(at):
    assert not at.exception
    assert at.header[0].value == "Veri ve yöntem"
    text = _text(at)
    assert "Yaz yüzey sıcaklığı" in text and "Düşük olması iyi" in text
    assert "32 göstergeden 5 tanesi için İzmir verisi var" in text  # C6 and the access indicators' C7, C9, C12, C13
    assert "Harita Genel Müdürlüğü" in text  # boundary terms
    assert "TÜİK seçmen profili, 2018 genel seçimi, danyelkoca/tuik aracılığıyla" in text  # a catalogue source
    sources = at.dataframe[0].value  # the sources table, every text in Turkish
    assert "İdari sınırlar: HGM, OCHA/HDX COD-AB aracılığıyla" in list(sources["Atıf"])
    assert "İzmir ilçe sınırları — OCHA/HDX COD-AB ADM2 (HGM)" in list(sources["Kaynak"])
    assert not any("via" in a for a in sources["Atıf"])
    who = at.dataframe[1].value
    assert len(who) == 32
    assert who.loc[who["Kod"] == "C6", "İzmir verisi"].item() == "var"
    assert who.loc[who["Kod"] == "A1", "İzmir verisi"].item() == "açık"


def test_methods_page_in_english(at):
    at.sidebar.radio(key="lang_switch").set_value("en").run()
    assert not at.exception
    assert at.header[0].value == "Data & methods"
    text = _text(at)
    assert "Summer land-surface temperature" in text and "Lower is better" in text
    assert "proxy" in text and "General Command of Mapping" in text
    sources = at.dataframe[0].value
    assert "HGM via OCHA/HDX COD-AB" in " ".join(sources["Attribution"])
    assert "TÜİK voter profile, 2018 general election, via danyelkoca/tuik" in text
