"""Families of measures in the views (issue #19): which member to show, what the legend, tooltip, table,
export and methods say, and the funnel plot's data. Fictional data (tests/family_db.py)."""

from __future__ import annotations

import io
import math

import duckdb
import numpy as np
import pandas as pd
import pytest

from atlas import db
from atlas.catalogue import indicator_from_json
from atlas.statistics.intervals import Z95, Z998
from atlas.views import map_view as mapview
from atlas.views import measures
from atlas.views.funnel_plot import FunnelPlot, NoFunnel, funnel_kind, funnel_plot
from atlas.views.map_geometry import level_geojson
from atlas.views.methods import measure_rows
from atlas.views.profile import area_profile
from tests.family_db import FAMILY, make_family_db


@pytest.fixture
def family_db(tmp_path):
    return make_family_db(tmp_path / "family.duckdb")


@pytest.fixture
def con(family_db):
    c = db.connect(family_db)
    yield c
    c.close()


@pytest.fixture
def inds(con):
    rows = con.execute("SELECT indicator_id, metadata_json FROM indicators").fetchall()
    return {i: indicator_from_json(m) for i, m in rows}


# --- which member --------------------------------------------------------------------------------


def test_the_list_shows_one_entry_per_family(inds):
    ids = sorted(inds)
    assert measures.listed(ids, inds) == ["deaths", "test_score", "test_share"]
    # a member whose head has no values stays listed (never hidden entirely)
    assert "deaths__crude" in measures.listed([i for i in ids if i != "deaths"], inds)


def test_members_are_in_the_order_of_the_measure_choice(inds):
    family = measures.members(inds, FAMILY)
    assert [m.id for m in family] == ["deaths__crude", "deaths", "deaths__dsr_who2001", "deaths__dsr_izmir",
                                      "deaths__smr", "deaths__isr", "deaths__eb_global", "deaths__eb_spatial"]
    assert measures.measure_options(family) == ["crude_rate", "dsr", "smr", "isr", "eb_global", "eb_spatial"]
    assert measures.standard_options(family) == ["esp2013", "who2001", "izmir"]
    assert measures.member_id(family, "dsr", "who2001") == "deaths__dsr_who2001"
    assert measures.member_id(family, "dsr", None) == "deaths"  # the first standard: ESP 2013
    assert measures.member_id(family, "eb_spatial") == "deaths__eb_spatial"
    with pytest.raises(ValueError, match="no 'sir' measure"):
        measures.member_id(family, "sir")


def test_a_level_change_keeps_the_measure_where_it_exists(inds):
    levels = {i: list(ind.levels) for i, ind in inds.items()}
    assert measures.indicator_for_level(inds, levels, "deaths__dsr_who2001", "district") == "deaths__dsr_who2001"
    # smoothed rates are mahalle values only: at district level the head is shown
    assert measures.indicator_for_level(inds, levels, "deaths__eb_spatial", "district") == "deaths"
    assert measures.family_levels(inds, levels, "deaths__eb_spatial", ("district", "mahalle")) == ["district", "mahalle"]


# --- words ----------------------------------------------------------------------------------------


def test_notes_name_the_measure_and_the_standard(inds):
    en = {i: measures.measure_note(ind, "en") for i, ind in inds.items()}
    assert "age-standardised to the European Standard Population 2013" in en["deaths"]
    assert "WHO World Standard Population" in en["deaths__dsr_who2001"]
    assert "İzmir's own population" in en["deaths__dsr_izmir"]
    assert "not age-standardised" in en["deaths__crude"]
    assert en["deaths__eb_spatial"].startswith("Smoothed: Empirical Bayes, spatial neighbours")
    assert en["deaths__eb_global"].startswith("Smoothed: Empirical Bayes, global")
    assert en["test_share"] is None  # a ready value says nothing more
    tr = measures.measure_note(inds["deaths"], "tr")
    assert "Avrupa Standart Nüfusu 2013" in tr and "standartlaştırılmış" in tr
    assert measures.measure_note(inds["deaths__eb_global"], "tr").startswith("Düzleştirilmiş")


def test_methods_rows_give_the_standard_with_its_source(inds):
    rows = measure_rows(inds["deaths__dsr_who2001"], "en")
    assert [r[0] for r in rows] == ["Measure", "Standard population"]
    assert "Ahmad OB" in rows[1][1] and "21 age bands" in rows[1][1] and rows[1][2].startswith("https://")
    izmir = measure_rows(inds["deaths__dsr_izmir"], "tr")
    assert izmir[1][1].startswith("İzmir'in kendi nüfusu") and izmir[1][2] is None
    assert measure_rows(inds["deaths__crude"], "en")[0][1].startswith("Crude rate")
    assert measure_rows(inds["test_share"], "en") == []


def test_count_texts_are_formatted_and_never_for_a_suppressed_value(inds):
    got = measures.count_texts(inds["deaths__crude"], [12, 60, None, 1234], [8000, 9000, None, 56789],
                               ["ok", "ok", "suppressed", "ok"], "tr")
    assert got == ["12 olay · nüfus 8.000", "60 olay · nüfus 9.000", "", "1.234 olay · nüfus 56.789"]
    en = measures.count_texts(inds["deaths__crude"], [1, 12], [800, 8000], ["ok", "ok"], "en")
    assert en == ["1 event · population 800", "12 events · population 8,000"]
    # counts stored with a suppressed row (they should not be) are still not shown
    assert measures.count_texts(inds["test_share"], [3], [10], ["suppressed"], "en") == [""]
    assert measures.count_texts(inds["test_share"], [30], [200], ["ok"], "en") == ["30 / 200"]
    # a density's denominator is an area, not a count: not shown
    density = inds["test_share"].__class__(**{**inds["test_share"].__dict__, "value_type": "density"})
    assert measures.count_texts(density, [5000], [2.5], ["ok"], "en") == [""]


# --- the map view: legend, tooltip payload, table, downloads -------------------------------------


def test_map_view_of_a_member_says_what_it_is(con, inds):
    mv = mapview.build_map_view(con, inds["deaths__eb_spatial"], "2023", "mahalle", "quantiles", 3, "en")
    notes = [n.get("en") for n in mv.notes]
    assert notes[0].startswith("Smoothed: Empirical Bayes, spatial neighbours")
    assert mv.title == "Deaths (smoothed, neighbours)"
    mv = mapview.build_map_view(con, inds["deaths"], "2023", "district", "compare_izmir", 3, "tr")
    assert "Avrupa Standart Nüfusu 2013" in mv.notes[0].get("tr")
    plain = mapview.build_map_view(con, inds["test_share"], "2023", "district", "quantiles", 3, "en")
    assert not any("standardised" in n.get("en") for n in plain.notes)


def test_payload_carries_counts_of_ok_values_only(con, inds):
    mv = mapview.build_map_view(con, inds["deaths__crude"], "2023", "mahalle", "quantiles", 3, "en")
    order = level_geojson(con, "mahalle").codes
    payload = mapview.layer_payload(mv, order)
    counts = dict(zip(order, payload["cols"]["c"].split("|")))
    assert counts["91001"] == "12 events · population 8,000"
    assert counts["91002"] == "60 events · population 9,000"
    assert counts["91003"] == ""  # suppressed: no number
    status = dict(zip(order, payload["cols"]["s"].split("|")))
    assert status["91003"] == "suppressed"
    assert "8,000" not in payload["cols"]["v"]


def _write(path, sql: str) -> None:
    c = duckdb.connect(str(path))
    c.execute(sql)
    c.close()


def test_counts_of_a_suppressed_row_never_leave_the_view(family_db):
    # a database that (wrongly) kept counts with a suppressed value: the view blanks them
    _write(family_db, "UPDATE indicator_values SET numerator = 3, denominator = 7000 "
                      "WHERE indicator_id = 'deaths__crude' AND area_code = '91003'")
    con = db.connect(family_db)
    inds = {i: indicator_from_json(m) for i, m in con.execute("SELECT indicator_id, metadata_json FROM indicators").fetchall()}
    mv = mapview.build_map_view(con, inds["deaths__crude"], "2023", "mahalle", "quantiles", 3, "en")
    row = mv.frame[mv.frame["area_code"] == "91003"].iloc[0]
    assert row["status"] == "suppressed" and math.isnan(row["numerator"]) and math.isnan(row["denominator"])
    payload = mapview.layer_payload(mv, level_geojson(con, "mahalle").codes)
    assert "7,000" not in payload["cols"]["c"] and "3 event" not in payload["cols"]["c"]
    csv = pd.read_csv(io.BytesIO(mapview.to_csv(mv)), encoding="utf-8-sig", dtype={"area_code": str})
    sup = csv[csv["area_code"] == "91003"].iloc[0]
    assert pd.isna(sup["numerator"]) and pd.isna(sup["denominator"])
    assert b"7000" not in mapview.to_geojson(mv)


def test_table_shows_events_and_population(con, inds):
    mv = mapview.build_map_view(con, inds["deaths__crude"], "2023", "mahalle", "quantiles", 3, "tr")
    table = mapview.table(mv)
    assert {"Olaylar", "Nüfus"} <= set(table.columns)
    assert mapview.table_count_columns(mv) == ("Olaylar", "Nüfus")
    by_code = table.set_index("Kod")
    assert by_code.loc["91002", "Olaylar"] == 60 and by_code.loc["91002", "Nüfus"] == 9000
    assert pd.isna(by_code.loc["91003", "Olaylar"]) and pd.isna(by_code.loc["91003", "Nüfus"])
    share = mapview.table(mapview.build_map_view(con, inds["test_share"], "2023", "district", "quantiles", 3, "en"))
    assert {"Numerator", "Denominator"} <= set(share.columns)
    score = mapview.table(mapview.build_map_view(con, inds["test_score"], "2023", "district", "quantiles", 3, "en"))
    assert "Numerator" not in score.columns  # no counts stored: no empty columns


def test_export_of_a_member_prints_the_measure(con, inds):
    from atlas.export.context import load_context
    from atlas.export.render import render_map
    from pypdf import PdfReader

    mv = mapview.build_map_view(con, inds["deaths__eb_spatial"], "2023", "mahalle", "quantiles", 3, "en")
    data = render_map(mv, fmt="pdf", paper="a4", orientation="landscape", permalink="http://atlas.example.org/",
                      context=load_context(con, mv))
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    assert "Deaths (smoothed, neighbours)" in text
    assert "Smoothed: Empirical Bayes, spatial neighbours" in text
    mv = mapview.build_map_view(con, inds["deaths__dsr_who2001"], "2023", "district", "quantiles", 3, "en")
    data = render_map(mv, fmt="pdf", paper="a4", orientation="landscape", permalink="http://atlas.example.org/",
                      context=load_context(con, mv))
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    assert "age-standardised to the WHO World Standard Population" in text


# --- the profile's smoothed rates ------------------------------------------------------------------


def test_profile_offers_smoothed_beside_observed(con):
    profile = area_profile(con, "91002", lang="en")
    rows = measures.smoothed_rows(profile.indicators, "en")
    assert len(rows) == 1
    r = rows[0]
    # crude 60 / 9,000 × 100,000 = 666.67; the fixture's smoothed values are 0.90 and 0.95 of it
    assert (r.title, r.observed, r.smoothed_global, r.smoothed_spatial) == (
        "Deaths (crude)", "666.7 per 100,000", "600.0 per 100,000", "633.3 per 100,000")
    table = measures.smoothed_table(rows, "tr")
    assert list(table.columns) == ["Gösterge", "Dönem", "Gözlenen (ham hız)", "Düzleştirilmiş (Ampirik Bayes, genel)",
                                   "Düzleştirilmiş (Ampirik Bayes, mekânsal)"]
    suppressed = measures.smoothed_rows(area_profile(con, "91003", lang="en").indicators, "en")[0]
    assert "Suppressed" in suppressed.observed or "suppressed" in suppressed.observed.lower()
    assert measures.smoothed_rows(area_profile(con, "9001", lang="en").indicators, "en") == []  # districts: none


# --- funnel plot ----------------------------------------------------------------------------------


def test_funnel_is_offered_for_rates_proportions_and_ratios_only(inds):
    kinds = {i: funnel_kind(ind) for i, ind in inds.items()}
    assert kinds == {"deaths": "rate", "deaths__dsr_who2001": "rate", "deaths__dsr_izmir": "rate",
                     "deaths__crude": "rate", "deaths__smr": "ratio", "deaths__isr": None, "deaths__eb_global": None,
                     "deaths__eb_spatial": None, "test_share": "proportion", "test_score": None}


def test_funnel_of_crude_rates_hand_worked(con, inds):
    mv = mapview.build_map_view(con, inds["deaths__crude"], "2023", "mahalle", "quantiles", 3, "en")
    plot = funnel_plot(mv)
    assert isinstance(plot, FunnelPlot) and plot.kind == "rate"
    assert plot.target == pytest.approx(100.0)  # İzmir: 400 / 400,000 × 100,000
    pts = plot.points.set_index("area_code")
    assert "91003" not in pts.index  # suppressed: not used
    # Bostanlı: 60 events in 9,000 people = 666.7 per 100,000; expected at İzmir's rate E = 9,000 × 0.001 = 9.
    # The 99.8 % upper limit for E = 9 is O_U / 9 × 100 with Gamma⁻¹(0.001; O_U) = 9, O_U ≈ 20.0, i.e.
    # ≈ 222 per 100,000: 666.7 lies far above it.
    assert pts.loc["91002", "flag"] == "high_998" and pts.loc["91002", "named"]
    assert pts.loc["91002", "label"] == "Bostanlı (Karşıyaka)"
    # Atatürk (Karşıyaka): 12 / 8,000 = 150 per 100,000, E = 8; 95 % upper ≈ 15.8 / 8 × 100 = 197: within
    assert pts.loc["91001", "flag"] == "within" and not pts.loc["91001", "named"]
    from scipy import stats

    lo, hi = 15.0, 25.0  # bisection for the shape a with Gamma⁻¹(0.001; a) = 9
    for _ in range(40):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if stats.gamma.ppf(0.001, mid) < 9 else (lo, mid)
    o_u = (lo + hi) / 2
    assert 19.5 < o_u < 20.5  # ≈ 20.0 events: the limit is ≈ 222 per 100,000
    from atlas.statistics.funnel import limits

    assert limits("rate", 100.0, [9000], multiplier=100_000, z=Z998)[1][0] == pytest.approx(o_u / 9 * 100, rel=1e-3)
    assert list(plot.outliers["area_code"]) == ["91002"]
    curve = plot.curve
    assert (curve["upper_998"] >= curve["upper_95"]).all() and (curve["lower_998"] <= curve["lower_95"]).all()
    assert "Poisson" in plot.caption and "99.8%" in plot.caption and "1 above and 0 below" in plot.description


def test_funnel_of_an_smr_uses_expected_events(con, inds):
    plot = funnel_plot(mapview.build_map_view(con, inds["deaths__smr"], "2023", "mahalle", "quantiles", 3, "en"))
    assert plot.kind == "ratio" and plot.target == pytest.approx(100.0)
    pts = plot.points.set_index("area_code")
    # SMR = 100 × 60 / (9,000 × 400 / 400,000) = 666.7, so E = 60 × 100 / 666.7 = 9 expected events
    assert pts.loc["91002", "x"] == pytest.approx(9.0)
    assert pts.loc["92002", "x"] == pytest.approx(5.0)
    assert plot.x_title == "Expected events" and pts.loc["91002", "flag"] == "high_998"


def test_funnel_of_a_proportion_hand_worked(family_db):
    _write(family_db, "INSERT INTO indicator_values (indicator_id, level, area_code, period, period_sort, value, "
                      "numerator, denominator, lower_ci, upper_ci, status, source_id) VALUES ('test_share', 'province', "
                      "'35', '2023', 2023, 13.333333333333334, 40, 300, NULL, NULL, 'ok', 'test_fixture')")
    con = db.connect(family_db)
    inds = {i: indicator_from_json(m) for i, m in con.execute("SELECT indicator_id, metadata_json FROM indicators").fetchall()}
    plot = funnel_plot(mapview.build_map_view(con, inds["test_share"], "2023", "district", "quantiles", 3, "en"))
    assert plot.kind == "proportion" and plot.x_title == "Denominator"
    # θ = 40 / 300 = 0.1333; n = 200: 1.96 × √(0.1333 × 0.8667 / 200) = 1.96 × 0.024037 = 0.047113
    # → 95 % limits 8.62 % … 18.04 %; Karşıyaka's 15.0 % (30 / 200) lies within
    from atlas.statistics.funnel import limits

    lo, hi = limits("proportion", 13.333333333333334, [200], multiplier=100, z=Z95)
    assert (round(lo[0], 2), round(hi[0], 2)) == (8.62, 18.04)
    assert set(plot.points["flag"]) == {"within"} and plot.outliers.empty


def test_funnel_is_not_offered_with_a_reason(con, inds):
    for ind_id, level, words in (("test_score", "district", "rates, proportions and standardised ratios only"),
                                 ("deaths__eb_global", "mahalle", "Smoothed rates are not shown"),
                                 ("deaths__isr", "district", "standardised ratio (SMR)"),
                                 ("test_share", "district", "no İzmir value")):
        got = funnel_plot(mapview.build_map_view(con, inds[ind_id], "2023", level, "quantiles", 3, "en"))
        assert isinstance(got, NoFunnel) and words in got.reason, (ind_id, got)
    tr = funnel_plot(mapview.build_map_view(con, inds["test_score"], "2023", "district", "quantiles", 3, "tr"))
    assert tr.reason.startswith("Huni grafiği yalnızca")


@pytest.mark.parametrize("kind, target, multiplier", [("rate", 100.0, 100_000), ("ratio", 100.0, 1.0)])
def test_funnel_flags_agree_with_the_control_limits(kind, target, multiplier):
    """funnel_flags tests rates and ratios without solving for each area's limits; the places it gives
    are those of the limits themselves (atlas.statistics.funnel.limits), including counts near 0."""
    from atlas.statistics.funnel import funnel_flags, limits

    rng = np.random.default_rng(19)
    d = rng.uniform(200, 60_000, 60) if kind == "rate" else rng.uniform(0.3, 60, 60)
    v = np.concatenate([rng.gamma(2.0, target / 2, 58), [0.0, target * 9]])
    l95, u95 = limits(kind, target, d, multiplier=multiplier, z=Z95)
    l998, u998 = limits(kind, target, d, multiplier=multiplier, z=Z998)
    expected = ["low_998" if x < a else "low_95" if x < b else "high_998" if x > e else "high_95" if x > c
                else "within" for x, a, b, c, e in zip(v, l998, l95, u95, u998)]
    assert funnel_flags(kind, target, v, d, multiplier=multiplier) == expected
    assert len(set(expected)) >= 4  # the sample reaches both sides of the funnel


def test_funnel_says_when_areas_differ_far_more_than_chance(real_db):
    # Shares of whole mahalle populations near a bus stop: the denominators are thousands of residents, so
    # the binomial limits are tight and most mahalle lie outside them — the caption must say the limits
    # mean little here (overdispersion), and must not say it for the tiny fixture above (4 areas).
    con = db.connect(real_db)
    ind = indicator_from_json(con.execute("SELECT metadata_json FROM indicators WHERE indicator_id = "
                                          "'bus_stop_within_400m'").fetchone()[0])
    period = con.execute("SELECT max(period) FROM indicator_values WHERE indicator_id = 'bus_stop_within_400m'").fetchone()[0]
    plot = funnel_plot(mapview.build_map_view(con, ind, period, "mahalle", "quantiles", 5, "en"))
    outside = int(plot.points["flag"].isin(["high_998", "low_998"]).sum())
    assert outside > 0.10 * len(plot.points) and len(plot.points) > 1000
    assert "overdispersion" in plot.caption and f"{outside:,} of {len(plot.points):,} areas" in plot.caption
    tr = funnel_plot(mapview.build_map_view(con, ind, period, "mahalle", "quantiles", 5, "tr"))
    assert "aşırı yayılım" in tr.caption
    # Hundreds of mahalle at 0 % lie below the limits: the names must not pile up there (they did: a smear of
    # 20 names on one line); at most one name per quarter decade of the denominator at one value.
    named = plot.points[plot.points["named"]]
    assert 1 <= len(named) <= 20
    import numpy as np

    spots = list(zip(np.floor(np.log10(named["x"]) * 4).astype(int), named["value"].round(0)))
    assert len(spots) == len(set(spots)), spots


def test_a_funnel_of_few_areas_does_not_claim_overdispersion(con, inds):
    plot = funnel_plot(mapview.build_map_view(con, inds["deaths__crude"], "2023", "mahalle", "quantiles", 3, "en"))
    assert len(plot.outliers) >= 1 and "overdispersion" not in plot.caption
