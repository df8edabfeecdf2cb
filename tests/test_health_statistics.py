"""Health statistics of issue #19: crude rates, DSRs (Dobson), standard populations and age bands,
indirectly standardised ratios and rates, pooled periods.

Reference values: PHEindicatormethods' DSR vignette (worked example "zero deaths for a specific age
band", printed to 7 significant figures) and hand-worked examples with the arithmetic written out.
Funnel plots, suppression and smoothing are in tests/test_health_small_areas.py.
"""

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from atlas.errors import CatalogueError
from atlas.statistics import rates, ratios
from atlas.statistics import standards as st
from atlas.statistics.intervals import Z95, Z998

ESP_BANDS = [f"{a}-{a + 4}" for a in range(0, 90, 5)] + ["90+"]


def byar(o, z=Z95):
    return (o * (1 - 1 / (9 * o) - z / (3 * math.sqrt(o))) ** 3,
            (o + 1) * (1 - 1 / (9 * (o + 1)) + z / (3 * math.sqrt(o + 1))) ** 3)


# --- standard populations (data) -------------------------------------------------------------------

def test_standard_populations_are_the_published_tables():
    esp = st.standard_population("esp2013")
    assert esp.default and st.DEFAULT_STANDARD == "esp2013"
    assert [b.label for b in esp.bands] == ESP_BANDS
    assert esp.weights[:4] == (5000, 5500, 5500, 5500) and esp.weights[-3:] == (2500, 1500, 1000)
    assert esp.total == 100_000
    infant = st.standard_population("esp2013_infant")
    assert [b.label for b in infant.bands[:3]] == ["0", "1-4", "5-9"]
    assert infant.weights[:2] == (1000, 4000) and infant.total == 100_000
    who = st.standard_population("who2001")
    assert len(who.bands) == 21 and who.bands[-1].label == "100+"
    assert who.weights[0] == 8860 and who.weights[-1] == 5
    assert who.total == 100_035  # the rounded percentages of Ahmad et al. (2001) Table 4, × 1,000
    for s in st.load_standards().values():
        assert s.source and s.url.startswith("https://")


def test_unknown_standard_names_the_ones_there_are():
    with pytest.raises(st.AgeBandError, match="esp2013, esp2013_infant, who2001"):
        st.standard_population("esp1976")


def test_standards_file_fails_loudly_on_unknown_or_missing_keys(tmp_path: Path):
    text = st.STANDARDS_FILE.read_text(encoding="utf-8")
    bad = tmp_path / "a.toml"
    bad.write_text(text.replace('id = "who2001"', 'id = "who2001"\ncolour = "red"'), encoding="utf-8")
    with pytest.raises(CatalogueError, match="'colour': unknown key"):
        st.load_standards(bad)
    bad.write_text(text.replace("default = true", "default = false"), encoding="utf-8")
    with pytest.raises(CatalogueError, match="exactly one standard must have default = true"):
        st.load_standards(bad)
    bad.write_text(text.replace('"85-89", "90+"]\nweights = [5000', '"85-89", "91+"]\nweights = [5000', 1),
                   encoding="utf-8")
    with pytest.raises(CatalogueError, match="Ages 90 are missing"):
        st.load_standards(bad)


# --- age bands --------------------------------------------------------------------------------------

@pytest.mark.parametrize("label, band", [("0", (0, 1)), ("1-4", (1, 5)), ("1–4", (1, 5)), ("5 - 9", (5, 10)),
                                         ("85+", (85, None)), ("90 ve üzeri", (90, None)), ("90 and over", (90, None)),
                                         ("90 yaş ve üstü", (90, None)), ("5-9 yaş", (5, 10)), ("65 years or older", (65, None)),
                                         ("0 yaş", (0, 1)),
                                         (7, (7, 8))])
def test_parse_band(label, band):
    assert st.parse_band(label) == st.AgeBand(*band)
    assert st.parse_band(st.parse_band(label).label) == st.AgeBand(*band)  # the label reads back


@pytest.mark.parametrize("bands, message", [
    (["0-4", "5-9", "5-9", "10+"], "The age band 5-9 is listed twice."),
    (["0-4", "4-9", "10+"], "The age bands 0-4 and 4-9 overlap."),
    (["0-4", "10-14", "15+"], "Ages 5-9 are missing between the age bands 0-4 and 10-14."),
    (["1-4", "5+"], "The age bands start at 1; they must start at 0."),
    (["0-4", "5-9"], "The last age band 5-9 is closed; the oldest band must be open"),
    (["0-4", "5+", "90+"], "The age band 90+ lies above the open top band 5+."),
    (["0-4", "five"], "The age band 'five' cannot be read"),
    (["0-4", "9-5", "10+"], "The age band '9-5' ends before it starts."),
    ([], "No age bands were given."),
])
def test_check_bands_names_the_problem(bands, message):
    with pytest.raises(st.AgeBandError) as exc:
        st.check_bands(bands)
    assert message in str(exc.value)


def test_age_band_errors_read_in_turkish():
    with pytest.raises(st.AgeBandError) as exc:
        st.check_bands(["0-4", "10-14", "15+"])
    assert exc.value.in_language("tr") == "0-4 ve 10-14 yaş grupları arasında 5-9 yaşları eksik."


def test_check_bands_sorts_and_accepts_office_styles():
    got = st.check_bands(["85+", "1-4", "0"] + [f"{a}-{a + 4}" for a in range(5, 85, 5)])
    assert got[0] == st.AgeBand(0, 1) and got[1] == st.AgeBand(1, 5) and got[-1] == st.AgeBand(85, None)


def test_align_office_bands_to_esp2013():
    # office: 0, 1-4, 5-year bands, 85+ → ESP's 0-4 (0 and 1-4 added) … 80-84, 85+ (ESP 85-89 + 90+)
    office = ["0", "1-4"] + ESP_BANDS[1:17] + ["85+"]
    counts = list(range(1, 20))
    pops = [100 * (i + 1) for i in range(19)]
    a = st.align_to_standard(office, counts, pops, "esp2013")
    assert [b.label for b in a.bands] == ESP_BANDS[:17] + ["85+"]
    assert a.counts[0] == 1 + 2 and a.populations[0] == 100 + 200
    assert a.weights[0] == 5000 and a.weights[-1] == 1500 + 1000
    assert sum(a.counts) == sum(counts) and sum(a.populations) == sum(pops)
    assert [b.label for b in a.merged] == ["0-4", "85+"]
    # against the infant variant the office's 0 and 1-4 stay apart
    b = st.align_to_standard(office, counts, pops, "esp2013_infant")
    assert [x.label for x in b.bands[:2]] == ["0", "1-4"] and b.weights[:2] == (1000, 4000)
    assert [x.label for x in b.merged] == ["85+"]
    # WHO: 85+ takes 85-89, 90-94, 95-99 and 100+: 440 + 150 + 40 + 5 = 635
    c = st.align_to_standard(office, counts, pops, "who2001")
    assert c.weights[-1] == 635


def test_align_refuses_bands_that_share_no_boundary():
    with pytest.raises(st.AgeBandError, match="share no boundary"):
        st.align_to_standard(["0-2", "3+"], [1, 2], [10, 20], "esp2013")
    with pytest.raises(st.AgeBandError, match=r"age bands: 3, counts: 2, populations: 3"):
        st.align_to_standard(["0-4", "5-9", "10+"], [1, 2], [10, 20, 30], "esp2013")


# --- crude rates --------------------------------------------------------------------------------------

def test_crude_rate_byar_by_hand():
    # 25 deaths in 50,000: 25 / 50,000 × 100,000 = 50 per 100,000
    # Byar: 25·(1 − 1/225 − 1.96/15)³ = 16.174, 26·(1 − 1/234 + 1.96/(3·√26))³ = 36.906 → ÷ 50,000 × 100,000
    r = rates.crude_rate(25, 50_000)
    assert r.value == 50 and r.method == "byar"
    lo, hi = byar(25)
    assert (r.lower_95, r.upper_95) == pytest.approx((lo * 2, hi * 2))
    assert (r.lower_95, r.upper_95) == pytest.approx((32.3485, 73.8129), abs=1e-4)
    lo, hi = byar(25, Z998)
    assert (r.lower_998, r.upper_998) == pytest.approx((lo * 2, hi * 2))


def test_crude_rate_exact_for_small_counts():
    # 3 events in 10,000: exact Poisson (Garwood) limits of 3 are 0.61867 and 8.76727 → × 10 per 100,000
    r = rates.crude_rate(3, 10_000)
    assert r.value == 30 and r.method == "exact_poisson"
    assert (r.lower_95, r.upper_95) == pytest.approx((6.18672, 87.67273), abs=1e-5)


def test_crude_rate_per_1000_and_bad_input():
    assert rates.crude_rate(12, 4000, multiplier=1000).value == 3.0
    with pytest.raises(ValueError, match="populations must be finite numbers > 0"):
        rates.crude_rate(3, 0)
    with pytest.raises(ValueError, match="counts must be finite numbers ≥ 0"):
        rates.crude_rate(-1, 10)


# --- DSR ----------------------------------------------------------------------------------------------

# PHEindicatormethods DSR vignette, "Zero deaths for a specific age band within a small geography":
# phe_dsr(df3, dths, pop) with the default esp2013 prints  8283.016  6570.819  10289.65
VIGNETTE_POPS = [30, 35, 35, 35, 40, 40, 45, 50, 50, 50, 60, 60, 70, 75, 70, 60, 20, 20, 15]
VIGNETTE_DEATHS = dict(zip([0, 5, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90],
                           [1, 1, 1, 1, 3, 3, 3, 3, 10, 10, 10, 10, 8, 8, 8, 8]))


def test_dsr_matches_phe_vignette():
    deaths = [VIGNETTE_DEATHS.get(a, 0) for a in range(0, 95, 5)]
    d = rates.directly_standardised_rate(ESP_BANDS, deaths, VIGNETTE_POPS)
    assert d.standard == "esp2013" and d.method == "dobson" and d.count == 88
    assert round(d.value, 3) == 8283.016
    assert round(d.lower_95, 3) == 6570.819
    assert round(d.upper_95, 2) == 10289.65


def test_dsr_by_hand():
    # three bands, weights 50/30/20 (Σw = 100), counts 2/6/12, populations 1000/800/400:
    # DSR = (50·2/1000 + 30·6/800 + 20·12/400)/100 = (0.1 + 0.225 + 0.6)/100 = 0.00925 → 925 per 100,000
    # var = (2·(50/1000)² + 6·(30/800)² + 12·(20/400)²)/100² = (0.005 + 0.0084375 + 0.03)/10⁴ = 4.34375e-6
    # O = 20; limits = DSR + √(var/O)·(O_L/U − O), O_L/U Byar's limits of 20
    d = rates.dsr_from_weights([2, 6, 12], [1000, 800, 400], [50, 30, 20])
    assert d.value == pytest.approx(925.0)
    k = math.sqrt(4.34375e-6 / 20)
    lo, hi = byar(20)
    assert d.lower_95 == pytest.approx((0.00925 + k * (lo - 20)) * 1e5)
    assert d.upper_95 == pytest.approx((0.00925 + k * (hi - 20)) * 1e5)
    assert (d.lower_95, d.upper_95) == pytest.approx((562.026, 1432.505), abs=1e-3)


def test_dsr_of_population_with_the_standards_age_structure_equals_its_crude_rate():
    for sid in ("esp2013", "who2001"):
        std = st.standard_population(sid)
        pops = [w * 3 for w in std.weights]  # the standard's shape, three times as many people
        counts = [(i * 7) % 11 + 1 for i in range(len(pops))]
        d = rates.directly_standardised_rate([b.label for b in std.bands], counts, pops, sid)
        assert d.value == pytest.approx(rates.crude_rate(sum(counts), sum(pops)).value, rel=1e-12)


def test_dsr_against_izmirs_own_population_equals_izmirs_crude_rate():
    bands = ["0", "1-4"] + ESP_BANDS[1:17] + ["85+"]
    izmir_pop = [40_000, 160_000] + [250_000 - 5000 * i for i in range(16)] + [60_000]
    izmir_deaths = [120, 20] + [10 + 30 * i for i in range(16)] + [9000]
    own = st.own_population_standard(bands, izmir_pop, source="TÜİK ADNKS 2023 (fictional test figures)")
    assert own.id == "own" and own.title.en == "İzmir's own population"
    d = rates.directly_standardised_rate(bands, izmir_deaths, izmir_pop, own)
    assert d.standard == "own"
    assert d.value == pytest.approx(sum(izmir_deaths) / sum(izmir_pop) * 1e5, rel=1e-12)


def test_dsr_not_calculated_below_ten_events():
    d = rates.directly_standardised_rate(["0-44", "45+"], [3, 6], [1000, 1000])
    assert d.value is None and d.lower_95 is None and d.count == 9
    assert "at least 10 events" in d.note.get("en")
    assert d.note.get("tr") != d.note.get("en")
    row = d.row()  # as atlas.values.frame takes it: suppressed, no value, the note kept
    assert row["status"] == "suppressed" and row["value"] is None and row["numerator"] == 9 and row["note"] is d.note
    assert rates.directly_standardised_rate(["0-44", "45+"], [4, 6], [1000, 1000]).value is not None


def test_dsr_with_merged_top_band_uses_the_summed_weight():
    # office 0-44 / 45+ against ESP: weights 0-44 = 5000+3·5500+2·6000+6500+2·7000 = 54000, 45+ = 46000
    d = rates.directly_standardised_rate(["0-44", "45+"], [10, 40], [20_000, 10_000])
    expected = (54_000 * 10 / 20_000 + 46_000 * 40 / 10_000) / 100_000 * 1e5
    assert d.value == pytest.approx(expected)


# --- ratios -------------------------------------------------------------------------------------------

def test_isratio_and_israte_by_hand():
    # reference: 50 / 100,000 aged 0-64, 300 / 50,000 aged 65+; area: 1,000 and 2,000 people
    # E = 1000·50/100000 + 2000·300/50000 = 0.5 + 12 = 12.5; O = 5 + 10 = 15; SMR = 15/12.5 = 1.2
    r = ratios.indirectly_standardised_ratio([5, 10], [1000, 2000], [50, 300], [100_000, 50_000])
    assert r.value == pytest.approx(1.2) and r.denominator == pytest.approx(12.5) and r.method == "byar"
    lo, hi = byar(15)
    assert (r.lower_95, r.upper_95) == pytest.approx((lo / 12.5, hi / 12.5))
    # the same as 100 = as expected, and from the observed total alone
    r100 = ratios.indirectly_standardised_ratio(15, [1000, 2000], [50, 300], [100_000, 50_000], refvalue=100)
    assert r100.value == pytest.approx(120) and r100.upper_95 == pytest.approx(100 * hi / 12.5)
    # ISRate = SMR × reference crude rate = 1.2 × 350/150,000 × 100,000 = 1.2 × 233.33 = 280
    i = ratios.indirectly_standardised_rate([5, 10], [1000, 2000], [50, 300], [100_000, 50_000])
    assert i.value == pytest.approx(280.0)
    assert i.upper_95 == pytest.approx(hi / 12.5 * 350 / 150_000 * 1e5)


# PHEindicatormethods' ISR worksheet (R/isr_sheet.csv): per age band observed, population, reference
# count and population, the reference rate l_i and the expected count E_i = pop · refcount / refpop
PHE_ISR_SHEET = [
    (127, 636, 10303, 50520, 129.7052257), (25, 558, 2824, 57173, 27.56182114), (18, 609, 3225, 60213, 32.61795626),
    (21, 543, 3615, 54659, 35.91256701), (12, 384, 3641, 44345, 31.52878566), (27, 594, 3490, 50128, 41.35533035),
    (48, 669, 3789, 62163, 40.77732735), (27, 843, 3213, 67423, 40.17262655), (29, 660, 3031, 62899, 31.80432121),
    (32, 576, 2771, 55463, 28.7776716), (32, 606, 3089, 60479, 30.95180145), (34, 522, 3490, 49974, 36.45455637),
    (45, 426, 3595, 44140, 34.69574082), (65, 273, 4745, 40888, 31.68130014), (38, 300, 5514, 37239, 44.42117135),
    (68, 288, 7125, 30819, 66.58230312), (74, 153, 5694, 18136, 48.03606087), (82, 123, 6210, 15325, 49.84208809),
    (91, 207, 5757, 13918, 85.62286248),
]


def test_expected_counts_match_phe_isr_sheet():
    obs, pop, refcount, refpop, e_i = (list(c) for c in zip(*PHE_ISR_SHEET))
    for row in PHE_ISR_SHEET:
        assert ratios.expected_count([row[1]], [row[2]], [row[3]]) == pytest.approx(row[4], abs=1e-7)
    e = ratios.expected_count(pop, refcount, refpop)
    assert e == pytest.approx(sum(e_i), abs=1e-6)  # 868.50152
    r = ratios.indirectly_standardised_ratio(obs, pop, refcount, refpop)
    # O = 895, SMR = 895 / 868.50152 = 1.03051; Byar's limits of 895 / E
    lo, hi = byar(895)
    assert r.value == pytest.approx(1.030511, abs=1e-6)
    assert (r.lower_95, r.upper_95) == pytest.approx((lo / e, hi / e))


def test_isratio_exact_for_small_counts_and_zero():
    # O = 3, E = 400·10/1000 + 600·20/2000 = 4 + 6 = 10: exact limits of 3 (0.61867, 8.76727) / 10
    r = ratios.indirectly_standardised_ratio(3, [400, 600], [10, 20], [1000, 2000])
    assert r.method == "exact_poisson" and r.value == pytest.approx(0.3)
    assert (r.lower_95, r.upper_95) == pytest.approx((0.061867, 0.876727), abs=1e-6)
    z = ratios.indirectly_standardised_ratio(0, [400, 600], [10, 20], [1000, 2000])
    assert z.value == 0 and z.lower_95 == 0 and z.upper_95 == pytest.approx(3.688879 / 10, abs=1e-6)


def test_ratio_input_errors():
    with pytest.raises(ValueError, match="one value per age band"):
        ratios.expected_count([1, 2], [1], [1, 2])
    with pytest.raises(ValueError, match="reference populations must be finite numbers > 0"):
        ratios.expected_count([1, 2], [1, 1], [0, 2])
    with pytest.raises(ValueError, match="observed events must be finite numbers ≥ 0"):
        ratios.indirectly_standardised_ratio(-2, [1], [1], [10])


# --- properties: limits ---------------------------------------------------------------------------------

def _all_estimates(scale):
    """Crude rate, DSR and SMR of the same age structure with counts × scale."""
    counts = np.array([4, 10, 26, 60]) * scale
    pops = [5000, 4000, 3000, 1000]
    return [rates.crude_rate(counts.sum(), sum(pops)),
            rates.dsr_from_weights(counts, pops, [30, 30, 25, 15], min_count=0),
            ratios.indirectly_standardised_ratio(counts, pops, [10, 30, 90, 500], [10_000] * 4)]


def test_998_interval_contains_95_interval():
    for scale in (0.1, 0.5, 1, 3, 20):
        for e in _all_estimates(scale):
            assert e.lower_998 <= e.lower_95 <= e.value <= e.upper_95 <= e.upper_998, (e.statistic, scale)


def test_intervals_widen_as_counts_fall():
    previous = None
    for scale in (20, 3, 1, 0.5, 0.1):
        widths = [(e.upper_95 - e.lower_95) / e.value for e in _all_estimates(scale)]
        if previous is not None:
            assert all(w > p for w, p in zip(widths, previous)), scale
        previous = widths


def test_estimate_limits_accessor():
    r = rates.crude_rate(25, 50_000)
    assert r.limits("99.8") == (r.lower_998, r.upper_998)
    with pytest.raises(ValueError, match="'95' or '99.8'"):
        r.limits("90")


# --- pooled periods ------------------------------------------------------------------------------------

def _yearly():
    rows = []
    for year in range(2019, 2024):
        rows.append({"area": "Karaburun", "band": "0-64", "period": year, "count": year - 2018, "population": 9000})
        rows.append({"area": "Karaburun", "band": "65+", "period": year, "count": 2, "population": 1000})
    return pd.DataFrame(rows)


def test_pool_periods_adds_counts_and_person_years():
    out = rates.pool_periods(_yearly(), range(2019, 2024), by=["area", "band"])
    young = out[out["band"] == "0-64"].iloc[0]
    # 1 + 2 + 3 + 4 + 5 = 15 events over 5 × 9,000 = 45,000 person-years
    assert young["count"] == 15 and young["population"] == 45_000 and young["period"] == "2019-2023"
    pooled = rates.crude_rate(out["count"].sum(), out["population"].sum())
    assert pooled.value == pytest.approx(25 / 50_000 * 1e5)  # 15 + 10 events in 50,000 person-years


def test_pool_periods_refuses_a_missing_year_and_gaps():
    frame = _yearly()
    frame = frame[~((frame["period"] == 2021) & (frame["band"] == "65+"))]
    with pytest.raises(ValueError, match=r"has the years \[2019, 2020, 2022, 2023\]"):
        rates.pool_periods(frame, range(2019, 2024), by=["area", "band"])
    with pytest.raises(ValueError, match="consecutive years"):
        rates.period_label([2019, 2021])
    assert rates.period_label([2023]) == "2023"


def test_estimates_become_value_rows():
    from atlas.values import frame
    from tests.factories import sample_indicator

    ind = sample_indicator(id="test_dsr", value_type="rate", scale=100_000.0, periods=("2019-2023",))
    deaths = [VIGNETTE_DEATHS.get(a, 0) for a in range(0, 95, 5)]
    ok = rates.directly_standardised_rate(ESP_BANDS, deaths, VIGNETTE_POPS)
    few = rates.directly_standardised_rate(["0-44", "45+"], [3, 6], [1000, 1000])
    small = rates.crude_rate(3, 10_000)
    rows = [{"area_code": code, **e.row()} for code, e in (("a", ok), ("b", few), ("c", small))]
    out = frame(ind, "district", "2019-2023", "test", rows).set_index("area_code")
    assert out.loc["a", "value"] == ok.value and out.loc["a", "lower_ci"] == ok.lower_95
    assert out.loc["a", "numerator"] == 88 and out.loc["a", "status"] == "ok"
    assert out.loc["b", "status"] == "suppressed" and out.loc["b", "note_en"].startswith("not calculated")
    # 3 events: the catalogue's disclosure rule (count < 5) suppresses the crude rate as well
    assert out.loc["c", "status"] == "suppressed" and np.isnan(out.loc["c", "value"])
    assert out.loc["a", "period_sort"] == 2023
