"""The double-burden core (atlas.bivariate): tertiles, orientation, palette, correlation, the view."""

from __future__ import annotations

import math

import numpy as np
import pytest

from atlas.bivariate.classes import PALETTE, WORSE_BOTH, cell_colour, tertile_classes
from atlas.bivariate.correlation import weighted_correlation
from atlas.bivariate.cvd import MIN_DELTA_E, VISIONS, delta_e2000, min_difference
from atlas.bivariate.view import (BivariateError, bivariate_view, correlation_text, export_frame, layer,
                                  legend_html, resolve_state)
from atlas.equity.stratify import StratificationError
from atlas.views.view_state import Availability

from tests.test_sege import cat, district_db  # noqa: F401  (fixtures: the catalogue; six districts with share, SEGE and population)


# --- tertiles and orientation ----------------------------------------------------------------

VALUES = [10, 20, 30, 40, 50, 60]
POPS = [1, 1, 1, 1, 1, 5]


def test_population_weighted_tertiles_by_hand_lower_is_better():
    # worse = high. From 60 down, cumulative population 5, 6, 7, 8, 9, 10 of 10; midpoints
    # 2.5, 5.5, 6.5, 7.5, 8.5, 9.5 → shares .25 | .55 .65 | .75 .85 .95 → thirds 1 | 2 2 | 3 3 3
    # class = 3 − third: 60 → 2 (worse), 50 and 40 → 1, 30, 20, 10 → 0 (better)
    assert tertile_classes(VALUES, POPS, "lower_is_better").tolist() == [0, 0, 0, 1, 1, 2]


def test_population_weighted_tertiles_by_hand_higher_is_better():
    # worse = low. From 10 up, cumulative 1, 2, 3, 4, 5, 10; midpoints .05 .15 .25 | .35 .45 | .75
    assert tertile_classes(VALUES, POPS, "higher_is_better").tolist() == [2, 2, 2, 1, 1, 0]


def test_no_polarity_is_oriented_high():
    assert tertile_classes(VALUES, POPS, "no_judgement").tolist() == [0, 0, 0, 1, 1, 2]


def test_equal_populations_give_plain_tertiles():
    assert tertile_classes([1, 2, 3, 4, 5, 6], [1] * 6, "lower_is_better").tolist() == [0, 0, 1, 1, 2, 2]


def test_tertile_errors():
    with pytest.raises(StratificationError, match="2 areas cannot make 3 groups"):
        tertile_classes([1, 2], [1, 1], "lower_is_better")
    with pytest.raises(StratificationError, match="population above 0"):
        tertile_classes([1, 2, 3], [1, 0, 1], "lower_is_better")


# --- palette ---------------------------------------------------------------------------------

def test_palette_corners():
    assert len(PALETTE) == 9 and len(set(PALETTE)) == 9
    assert cell_colour(0, 0) == "#f3f3f3"  # better on both: light grey
    assert cell_colour(2, 0) == "#509dc2"  # worse on x only: blue
    assert cell_colour(0, 2) == "#f3b300"  # worse on y only: orange
    assert cell_colour(*WORSE_BOTH) == "#000000"
    with pytest.raises(ValueError):
        cell_colour(3, 0)


def test_ciede2000_matches_sharmas_test_data():
    # Sharma, Wu & Dalal (2005), table 1, pairs 1 and 17
    assert delta_e2000(np.array([50, 2.6772, -79.7751]), np.array([50, 0, -82.7485])) == pytest.approx(2.0425, abs=1e-4)
    assert delta_e2000(np.array([50, 2.5, 0]), np.array([73, 25, -18])) == pytest.approx(27.1492, abs=1e-4)


@pytest.mark.parametrize("vision", VISIONS)
def test_palette_stays_distinguishable_with_colour_vision_deficiency(vision):
    assert min_difference(PALETTE, vision) >= MIN_DELTA_E


def test_stevens_pink_blue_would_not():
    stevens = ["#e8e8e8", "#ace4e4", "#5ac8c8", "#dfb0d6", "#a5add3", "#5698b9", "#be64ac", "#8c62aa", "#3b4994"]
    assert min_difference(stevens, "protanopia") < MIN_DELTA_E


# --- correlation -----------------------------------------------------------------------------

def test_weighted_correlation_by_hand():
    # x = 1, 2, 3; y = 1, 3, 2; w = 1, 1, 2. Means: x̄ = 9/4 = 2.25, ȳ = 8/4 = 2.
    # Σw dx dy = (−1.25)(−1) + (−0.25)(1) + 2(0.75)(0) = 1; Σw dx² = 1.5625 + 0.0625 + 1.125 = 2.75;
    # Σw dy² = 1 + 1 + 0 = 2. r = 1 / √(2.75 · 2) = 0.426401. n_eff = 4² / 6 = 2.667 ≤ 3: no interval.
    c = weighted_correlation([1, 2, 3], [1, 3, 2], [1, 1, 2])
    assert c.r == pytest.approx(0.426401, abs=1e-6)
    assert c.n == 3 and c.n_eff == pytest.approx(8 / 3)
    assert c.lower is None and c.upper is None


def test_fisher_interval_by_hand():
    # equal weights: Pearson. dx = −3…3, dy = −2, −3, 0, −1, 2, 1, 3: Σdx dy = 25, Σdx² = Σdy² = 28,
    # r = 25/28 = 0.892857; z = atanh(r) = 1.435840; se = 1/√(7 − 3) = 0.5; z ± 1.959964·0.5
    c = weighted_correlation(range(1, 8), [2, 1, 4, 3, 6, 5, 7], [3] * 7)
    assert c.r == pytest.approx(25 / 28)
    assert c.n_eff == pytest.approx(7)
    assert c.lower == pytest.approx(math.tanh(1.435840 - 0.979982), abs=1e-5)
    assert c.upper == pytest.approx(math.tanh(1.435840 + 0.979982), abs=1e-5)
    assert c.lower == pytest.approx(0.42662, abs=1e-4) and c.upper == pytest.approx(0.98416, abs=1e-4)


def test_correlation_leaves_out_missing_and_zero_weights():
    c = weighted_correlation([1, 2, 3, np.nan, 5], [1, 3, 2, 4, 9], [1, 1, 2, 1, 0])
    assert c.n == 3 and c.r == pytest.approx(0.426401, abs=1e-6)
    assert weighted_correlation([1, 1, 1], [1, 2, 3], [1, 1, 1]).r is None


# --- the view on a hand-made layer -----------------------------------------------------------

def test_view_on_six_districts(district_db):
    from atlas.equity.stratify import _indicator

    share, score = _indicator(district_db, "share"), _indicator(district_db, "sege_score")
    v = bivariate_view(district_db, share, score, "district")
    f = v.frame.set_index("area_code")
    # share (lower is better): 10, 15, 20, 20, 25, 30 % with populations 100, 200, 100, 300, 200, 100.
    # From the worse (high) end: 30 (cum 100, mid .05), 25 (300, .20) → third 1; the tie 20 (9003 + 9004,
    # 400: cum 700, mid .50) → third 2; 15 (.80), 10 (.95) → third 3.
    assert f["x_class"].to_dict() == {"9001": 0, "9002": 0, "9003": 1, "9004": 1, "9005": 2, "9006": 2}
    # SEGE score (higher is better) 3.0, 2.0, 1.0, 0.5, −0.2, −0.5: from the low end −0.5 (.05), −0.2 (.20)
    # | 0.5 (mid 450 → .45), 1.0 (.65) | 2.0 (.80), 3.0 (.95)
    assert f["y_class"].to_dict() == {"9001": 0, "9002": 0, "9003": 1, "9004": 1, "9005": 2, "9006": 2}
    assert v.worse_on_both()["area_code"].tolist() == ["9005", "9006"]  # most populous first
    counts = v.cell_counts()
    assert counts[(2, 2)] == (2, 300.0) and counts[(1, 1)] == (2, 400.0) and counts[(0, 0)] == (2, 300.0)
    assert counts[(2, 0)] == (0, 0.0)
    assert v.x_ranges == ((10.0, 15.0), (20.0, 20.0), (25.0, 30.0))
    assert v.y_ranges == ((2.0, 3.0), (0.5, 1.0), (-0.5, -0.2))
    assert v.x_period == "2023" and v.y_period == "2022" and v.population_period == "2023"
    # the layer: one style key per area, worse on both drawn black
    lay = layer(v, "en")
    assert dict(zip(lay.codes, lay.keys))["9005"] == "x2y2" and lay.styles["x2y2"]["fillColor"] == "#000000"
    assert "worse third" in dict(zip(lay.codes, lay.tips))["9005"]
    assert "kötü" in dict(zip(layer(v, "tr").codes, layer(v, "tr").tips))["9005"]
    html = legend_html(v, "en")
    assert html.count("<td title=") == 9 and "Top right: worse on both" in html
    assert "r = " in correlation_text(v, "en")
    out = export_frame(v, "en")
    assert out["Worse on both"].tolist() == [False, False, False, False, True, True]


def test_view_errors(district_db):
    from atlas.equity.stratify import _indicator

    share = _indicator(district_db, "share")
    with pytest.raises(BivariateError, match="two different indicators"):
        bivariate_view(district_db, share, share, "district")
    with pytest.raises(BivariateError, match="no values at mahalle level"):
        bivariate_view(district_db, share, _indicator(district_db, "sege_score"), "mahalle")


def test_text_from_data_is_escaped_in_the_legend_and_tooltips(district_db):
    from dataclasses import replace

    from atlas.catalogue import Text
    from atlas.equity.stratify import _indicator

    bad = replace(_indicator(district_db, "share"), title=Text("<script>x</script>", "<img src=x onerror=alert(1)>"))
    v = bivariate_view(district_db, bad, _indicator(district_db, "sege_score"), "district")
    assert "<img" not in legend_html(v, "en") and "&lt;img" in legend_html(v, "en")
    assert all("<img" not in t for t in layer(v, "en").tips)


# --- the URL ---------------------------------------------------------------------------------

def _avail():
    import pandas as pd

    rows = [("lst_summer_mean", "mahalle", "2014-2024", 2024), ("svi_mean", "mahalle", "2026", 2026),
            ("svi_mean", "district", "2026", 2026), ("sege_score", "district", "2022", 2022)]
    return Availability(pd.DataFrame(rows, columns=["indicator_id", "level", "period", "period_sort"]))


def test_resolve_state_defaults_and_notices():
    state, notices = resolve_state({}, _avail())
    assert (state.x, state.y, state.level) == ("lst_summer_mean", "svi_mean", "mahalle") and notices == []
    state, notices = resolve_state({"x": "sege_score", "y": "svi_mean", "level": "district"}, _avail())
    assert (state.x, state.y, state.level) == ("sege_score", "svi_mean", "district") and notices == []
    state, notices = resolve_state({"x": "<b>nope</b>", "y": "svi_mean", "level": "moon"}, _avail())
    assert (state.x, state.y, state.level) == ("lst_summer_mean", "svi_mean", "mahalle")
    assert [n.param for n in notices] == ["level", "x"]
    state, notices = resolve_state({"x": "svi_mean", "y": "svi_mean"}, _avail())
    assert state.x == "svi_mean" and state.y == "lst_summer_mean" and [n.param for n in notices] == ["y"]
    state, notices = resolve_state({"x": "sege_score", "level": "mahalle"}, _avail())
    assert state.x == "lst_summer_mean" and [n.param for n in notices] == ["x"]  # SEGE is district-only


# --- the print export ------------------------------------------------------------------------

def test_print_export_names_both_indicators_sources_and_the_link(district_db, monkeypatch):
    from atlas.equity.stratify import _indicator
    from atlas.errors import ExportError
    from atlas.export.bivariate import bivariate_permalink, render_bivariate

    monkeypatch.delenv("ATLAS_PUBLIC_URL", raising=False)
    v = bivariate_view(district_db, _indicator(district_db, "share"), _indicator(district_db, "sege_score"), "district")
    link = bivariate_permalink(v, "en")
    assert link == "http://127.0.0.1:8501/double_burden?x=share&y=sege_score&level=district&lang=en"
    svg = render_bivariate(v, "en", fmt="svg", permalink=link).decode("utf-8")
    for text in ("Double burden: Test share × Socio-economic development score (SEGE-2022)", "Test fixture",
                 "PDF", "brewer.seqseq2", "double_burden?x=share", "Population-weighted correlation"):
        assert text in svg.replace("&amp;", "&"), text
    assert render_bivariate(v, "tr", fmt="pdf").startswith(b"%PDF")
    assert render_bivariate(v, "tr", fmt="png", dpi=60).startswith(b"\x89PNG")
    with pytest.raises(ExportError, match="format must be one of png, svg, pdf"):
        render_bivariate(v, "en", fmt="gif")
