"""AppTest: the Equity page's choice of reference group (MDRW, MDRU, PAR, PAF), kept in the URL."""

from __future__ import annotations

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


def _row(at, name):
    table = at.dataframe[0].value
    return table[table[table.columns[0]] == name].iloc[0]


def _params(at):
    return {k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()}


VIEW = dict(indicator="lst_summer_mean", period="2014-2024", level="district", lang="en")


def test_choosing_a_reference_district_fills_mdrw_and_goes_into_the_link(monkeypatch, real_db):
    at = _run(monkeypatch, real_db, **VIEW)
    assert not at.exception and not at.warning
    mdrw = "Mean difference from the reference group, weighted (MDRW)"
    assert _row(at, mdrw).iloc[1] == "—"  # districts are unordered: no reference yet, the note says so
    assert "needs a reference group" in _row(at, mdrw).iloc[-1]
    box = at.sidebar.selectbox(key="eq_w_reference")
    assert box.label == "Reference group (MDRW, MDRU, PAR, PAF)" and "Bornova" in box.options  # labels shown
    at = box.set_value("2056").run()
    assert not at.exception
    assert _row(at, mdrw).iloc[1] != "—" and _params(at)["reference"] == "2056"


def test_a_link_with_an_unknown_reference_says_so_and_drops_it(monkeypatch, real_db):
    at = _run(monkeypatch, real_db, reference="zzz", **VIEW)
    assert not at.exception
    assert len(at.warning) == 1 and "zzz" in at.warning[0].value and "reference" in at.warning[0].value
    assert "reference" not in _params(at)


def test_a_hostile_reference_in_the_link_is_echoed_as_text(monkeypatch, real_db):
    at = _run(monkeypatch, real_db, reference="[x](https://evil.example)**b**", **VIEW)
    assert not at.exception and len(at.warning) == 1
    shown = at.warning[0].value
    assert "](https://evil.example)" not in shown and "**b**" not in shown  # escaped, not a link or bold
