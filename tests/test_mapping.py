"""atlas.mapping: classes, colours, number formats and legends, on small readable examples."""

import itertools
import json
import math
import re
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

from atlas.catalogue import Disclosure, Indicator, Text
from atlas.mapping import (CLASS_STYLE, COMPARE_COLOURS, SCHEMES, STATUS_PATTERNS, STATUS_STYLES, benchmark_label,
                           classify, colours_for, format_int, format_number, format_range, format_value,
                           legend_items, sequential)
from atlas.mapping.classify import STD_MEAN_MULTIPLES
from atlas.mapping.palette import SEQUENTIAL

ROOT = Path(__file__).resolve().parent.parent
NUMERIC = ("quantiles", "natural_breaks", "equal_interval", "std_mean")


def indicator(unit=("%", "%"), decimals=1, polarity="lower_is_better"):
    return Indicator(id="x", theme="t", title=Text("X", "X"), definition=Text("d", "d"), unit=Text(*unit),
                     scale=1, value_type="proportion", decimals=decimals, polarity=polarity, source="s",
                     source_url="https://example.org", licence="l", method=Text("m", "m"), periods=("2023",),
                     levels=("district",), disclosure=Disclosure())


# --- schemes: worked examples ------------------------------------------------------------------


def test_quantiles_of_one_to_ten():
    c = classify(range(1, 11), "quantiles", 5)
    # 20th percentile of 1..10 (linear): 1 + 0.2 × 9 = 2.8, then 4.6, 6.4, 8.2, 10
    assert c.bins == pytest.approx((2.8, 4.6, 6.4, 8.2, 10.0))
    assert c.counts == (2, 2, 2, 2, 2)
    assert c.classes == (0, 0, 1, 1, 2, 2, 3, 3, 4, 4)
    assert c.k == 5 and c.notes == ()
    assert c.ranges[0] == pytest.approx((1.0, 2.8)) and c.ranges[4] == pytest.approx((8.2, 10.0))
    assert c.edges == pytest.approx((1.0, 2.8, 4.6, 6.4, 8.2, 10.0))


def test_equal_interval_zero_to_ten():
    c = classify(range(0, 11), "equal_interval", 5)
    assert c.bins == (2.0, 4.0, 6.0, 8.0, 10.0)
    # upper bounds are inclusive: 0 1 2 | 3 4 | 5 6 | 7 8 | 9 10
    assert c.counts == (3, 2, 2, 2, 2)
    assert c.ranges == ((0.0, 2.0), (2.0, 4.0), (4.0, 6.0), (6.0, 8.0), (8.0, 10.0))


def test_equal_interval_keeps_empty_classes():
    c = classify([0, 1, 2, 3, 4, 10], "equal_interval", 5)
    assert c.bins == (2.0, 4.0, 6.0, 8.0, 10.0)
    assert c.counts == (3, 2, 0, 0, 1)


def test_natural_breaks_find_clusters():
    c = classify([1, 2, 3, 10, 11, 12, 20, 21, 22], "natural_breaks", 3)
    assert c.bins == (3.0, 12.0, 22.0)
    assert c.classes == (0, 0, 0, 1, 1, 1, 2, 2, 2)


@pytest.mark.parametrize("n, k, seed", [(12, 3, 0), (40, 5, 1), (150, 7, 2), (300, 9, 3)])
def test_natural_breaks_match_mapclassify(n, k, seed):
    import mapclassify

    y = np.random.default_rng(seed).lognormal(size=n) * 100
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = mapclassify.FisherJenks(y, k=k).bins
    assert classify(y, "natural_breaks", k).bins == pytest.approx(tuple(expected))


def test_std_mean_worked_example():
    # mean 5, sample SD 4 (deviations -6 -2 0 0 2 6, sum of squares 80, / 5 = 16)
    values = [-1, 3, 5, 5, 7, 11]
    c = classify(values, "std_mean", 3)  # mean ± 1 SD → breaks 1 and 9
    assert c.bins == (1.0, 9.0, 11.0)
    assert c.counts == (1, 4, 1)
    c4 = classify(values, "std_mean", 4)  # adds a break at the mean
    assert c4.bins == (1.0, 5.0, 9.0, 11.0)
    assert c4.counts == (1, 3, 1, 1)


def test_std_mean_drops_breaks_beyond_the_data_and_says_so():
    c = classify([-1, 3, 5, 5, 7, 11], "std_mean", 5)  # -3 and 13 lie outside [-1, 11]
    assert c.bins == (1.0, 9.0, 11.0)
    assert c.k == 3 and c.k_requested == 5
    assert any("3 classes instead of 5" in n.en for n in c.notes)
    assert any("-2, -1, +1, +2" in n.en for n in c.notes)
    assert all(n.tr for n in c.notes)


def test_std_mean_matches_mapclassify_when_all_breaks_fall_inside():
    import mapclassify

    y = np.concatenate([np.linspace(0, 10, 50), [-40, 50]])  # long tails: ±2 SD inside the range
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = mapclassify.StdMean(y).bins
    c = classify(y, "std_mean", 5)
    assert c.k == 5
    assert c.bins == pytest.approx(tuple(expected))


def test_std_mean_multiples_cover_every_k():
    assert set(STD_MEAN_MULTIPLES) == set(range(2, 10))
    for k, m in STD_MEAN_MULTIPLES.items():
        assert len(m) == k - 1 and list(m) == sorted(m) and tuple(-x for x in reversed(m)) == m


# --- edge cases ---------------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", NUMERIC)
def test_bins_include_min_and_max_and_never_repeat(scheme):
    rng = np.random.default_rng(7)
    for data in (rng.normal(size=60), rng.lognormal(size=60), rng.integers(0, 4, size=60)):
        c = classify(data, scheme, 6)
        assert c.edges[0] == data.min() and c.bins[-1] == data.max()
        assert list(c.bins) == sorted(set(c.bins))
        assert sum(c.counts) == len(data)
        for v, cls in zip(data, c.classes):  # every value lies in its class range
            lo, hi = c.ranges[cls]
            assert lo <= v <= hi


@pytest.mark.parametrize("scheme", NUMERIC)
def test_fewer_distinct_values_than_k(scheme):
    c = classify([1, 1, 2, 2, 3, 3], scheme, 5)
    assert c.k <= 3 and c.k_requested == 5
    assert len(set(c.bins)) == len(c.bins)
    assert any("Only 3 distinct values" in n.en for n in c.notes)
    assert any("Yalnızca 3 farklı değer" in n.tr for n in c.notes)


def test_quantiles_with_many_ties_merge_classes_and_say_why():
    c = classify([1] * 8 + [2, 3], "quantiles", 3)
    assert c.bins == (1.0, 3.0)
    assert c.counts == (8, 2)
    assert any("tied values" in n.en for n in c.notes)


@pytest.mark.parametrize("scheme", NUMERIC)
def test_all_values_equal_gives_one_class(scheme):
    c = classify([4.5, 4.5, 4.5], scheme, 5)
    assert c.k == 1 and c.bins == (4.5,) and c.counts == (3,) and c.classes == (0, 0, 0)
    assert c.ranges == ((4.5, 4.5),)
    assert any("All values are the same" in n.en for n in c.notes)


@pytest.mark.parametrize("scheme", NUMERIC)
def test_one_valid_value(scheme):
    c = classify([None, 7, float("nan")], scheme, 4)
    assert c.k == 1 and c.classes == (-1, 0, -1) and c.bins == (7.0,)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_no_valid_values(scheme):
    c = classify([None, float("nan")], scheme, 4, benchmark=1.0)
    assert c.k == 0 and c.bins == () and c.classes == (-1, -1) and c.edges == ()
    assert c.notes and "No valid values" in c.notes[0].en
    assert colours_for(c) == []


def test_nan_none_inf_and_non_ok_statuses_are_not_classified():
    values = [1, None, 2, float("nan"), 3, float("inf"), 4, 100]
    statuses = ["ok", "missing", "ok", "suppressed", "ok", "ok", "ok", "suppressed"]
    c = classify(values, "equal_interval", 3, statuses=statuses)
    assert c.classes[1] == c.classes[3] == c.classes[5] == c.classes[7] == -1
    assert c.bins[-1] == 4.0  # the suppressed 100 plays no part
    assert c.n_valid == 4


@pytest.mark.parametrize("k", [0, 1, 10, -3, 2.5, True, "5"])
def test_k_out_of_range(k):
    with pytest.raises(ValueError, match="from 2 to 9"):
        classify([1, 2, 3], "quantiles", k)


def test_unknown_scheme_lists_the_schemes():
    with pytest.raises(ValueError) as err:
        classify([1, 2, 3], "jenks", 3)
    for s in SCHEMES:
        assert s in str(err.value)


def test_bad_inputs():
    with pytest.raises(ValueError, match="polarity"):
        classify([1, 2], "quantiles", 3, polarity="up")
    with pytest.raises(ValueError, match="number or None"):
        classify([1, "2"], "quantiles", 3)
    with pytest.raises(ValueError, match="statuses has 1 entries"):
        classify([1, 2], "quantiles", 3, statuses=["ok"])


def test_result_is_plain_and_frozen():
    c = classify(np.array([1.0, 2.0, 3.0, 4.0]), "quantiles", np.int64(2))
    assert all(type(b) is float for b in c.bins) and all(type(i) is int for i in c.classes)
    with pytest.raises(AttributeError):
        c.k_requested = 3  # frozen


# --- compare with İzmir -------------------------------------------------------------------------

VALUES = [10, 20, 30, 40, 50]
LOWER = [8, 14, 27, 38, 49]
UPPER = [12, 31, 33, 42, 51]
# vs İzmir = 30: CI below, contains, contains, above, above


@pytest.mark.parametrize("polarity, categories, classes", [
    ("higher_is_better", ("better", "similar", "worse"), (2, 1, 1, 0, 0)),
    ("lower_is_better", ("better", "similar", "worse"), (0, 1, 1, 2, 2)),
    ("no_judgement", ("lower", "similar", "higher"), (0, 1, 1, 2, 2)),
])
def test_compare_izmir_with_confidence_intervals(polarity, categories, classes):
    c = classify(VALUES, "compare_izmir", 3, lower=LOWER, upper=UPPER, benchmark=30, polarity=polarity)
    assert c.categories == categories and c.classes == classes
    assert c.counts == tuple(classes.count(i) for i in range(3))
    assert c.bins == () and c.benchmark == 30.0
    # ranges are the smallest and largest value in each class
    assert c.ranges[categories.index("similar")] == (20.0, 30.0)


def test_compare_izmir_colours_follow_polarity():
    hib = classify(VALUES, "compare_izmir", 3, lower=LOWER, upper=UPPER, benchmark=30, polarity="higher_is_better")
    colours = colours_for(hib)
    area_colour = [colours[i] for i in hib.classes]
    assert area_colour[0] == COMPARE_COLOURS["worse"] and area_colour[4] == COMPARE_COLOURS["better"]
    lib = classify(VALUES, "compare_izmir", 3, lower=LOWER, upper=UPPER, benchmark=30, polarity="lower_is_better")
    assert colours_for(lib)[lib.classes[0]] == COMPARE_COLOURS["better"]
    with pytest.raises(ValueError, match="polarity"):
        colours_for(lib, "higher_is_better")


def test_ci_touching_izmir_is_similar():
    c = classify([35, 25], "compare_izmir", 3, lower=[30, 20], upper=[40, 30], benchmark=30,
                 polarity="lower_is_better")
    assert [c.categories[i] for i in c.classes] == ["similar", "similar"]


def test_without_any_ci_no_area_is_called_similar():
    c = classify([10, 30, 50], "compare_izmir", 3, benchmark=30, polarity="lower_is_better")
    assert c.categories == ("lower_value", "equal_value", "higher_value")
    assert [c.categories[i] for i in c.classes] == ["lower_value", "equal_value", "higher_value"]
    assert "no statistical test" in c.notes[0].en and "test yapılmadı" in c.notes[0].tr
    c2 = classify([10, 50], "compare_izmir", 3, benchmark=30)
    assert c2.categories == ("lower_value", "higher_value")  # 'equal' only when it occurs
    assert not {"similar", "better", "worse"} & set(c2.categories)


def test_one_area_without_ci_makes_the_whole_map_untested():
    c = classify([10, 50, 60], "compare_izmir", 3, lower=[8, 45, None], upper=[12, 55, None], benchmark=30,
                 polarity="higher_is_better")
    assert c.categories == ("lower_value", "higher_value")
    assert c.notes[0].en.startswith("1 area has no confidence interval")


def test_excluded_areas_do_not_need_a_ci():
    c = classify([10, None, 50], "compare_izmir", 3, lower=[8, None, 45], upper=[12, None, 55], benchmark=30,
                 statuses=["ok", "missing", "ok"])
    assert c.categories == ("lower", "similar", "higher") and c.classes == (0, -1, 2)


def test_compare_izmir_input_errors():
    with pytest.raises(ValueError, match="İzmir value"):
        classify([1, 2], "compare_izmir", 3)
    with pytest.raises(ValueError, match="lower 5.0 above upper 4.0"):
        classify([1, 2], "compare_izmir", 3, lower=[0, 5], upper=[2, 4], benchmark=1)
    with pytest.raises(ValueError, match="lower has 1 entries"):
        classify([1, 2], "compare_izmir", 3, lower=[0], upper=[2, 3], benchmark=1)
    with pytest.raises(ValueError, match="benchmark_ci"):
        classify([1, 2], "compare_izmir", 3, benchmark=1, benchmark_ci=(2, 1))


def test_benchmark_ci_is_recorded_not_used():
    kw = dict(lower=LOWER, upper=UPPER, benchmark=30, polarity="no_judgement")
    a = classify(VALUES, "compare_izmir", 3, **kw)
    b = classify(VALUES, "compare_izmir", 3, benchmark_ci=(25, 35), **kw)
    assert a.classes == b.classes and b.benchmark_ci == (25.0, 35.0)


# --- palettes -----------------------------------------------------------------------------------


def luminance(hex_colour):
    """WCAG relative luminance."""
    def lin(c):
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (lin(int(hex_colour[i:i + 2], 16)) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_palettes_match_colorbrewer_as_shipped_by_branca():
    import branca

    schemes = json.loads((Path(branca.__file__).parent / "_schemes.json").read_text())
    for name, by_k in SEQUENTIAL.items():
        assert sorted(by_k) == list(range(3, 10))
        for k, colours in by_k.items():
            assert list(colours) == [c.lower() for c in schemes[f"{name}_{k:02d}"]]
    rdylbu, purples = schemes["RdYlBu_05"], schemes["Purples_05"]
    assert (COMPARE_COLOURS["worse"], COMPARE_COLOURS["similar"], COMPARE_COLOURS["better"]) == \
        (rdylbu[0], rdylbu[2], rdylbu[4])
    assert (COMPARE_COLOURS["lower"], COMPARE_COLOURS["higher"]) == (purples[1], purples[4])


@pytest.mark.parametrize("k", range(2, 10))
@pytest.mark.parametrize("polarity, worst_class", [("lower_is_better", "last"), ("higher_is_better", "first"),
                                                   ("no_judgement", "last")])
def test_worst_class_gets_the_darkest_colour(k, polarity, worst_class):
    c = classify(range(100), "quantiles", k)
    colours = colours_for(c, polarity)
    assert len(colours) == k
    lum = [luminance(x) for x in colours]
    darkest = lum.index(min(lum))
    assert darkest == (k - 1 if worst_class == "last" else 0)
    # and lightness runs steadily from one end to the other
    ordered = lum if worst_class == "first" else lum[::-1]
    assert ordered == sorted(ordered)


def test_palette_families_by_polarity():
    c = classify(range(10), "quantiles", 5)
    assert colours_for(c, "lower_is_better") == list(SEQUENTIAL["YlOrRd"][5])
    assert colours_for(c, "higher_is_better") == list(SEQUENTIAL["YlOrRd"][5])[::-1]
    assert colours_for(c, "no_judgement") == list(SEQUENTIAL["YlGnBu"][5])
    assert colours_for(c) == colours_for(c, "no_judgement")  # the classification's own polarity


def test_one_and_two_classes_get_colours():
    assert sequential("YlOrRd", 1) == ["#feb24c"]
    assert sequential("YlOrRd", 2) == ["#ffeda0", "#f03b20"]
    one = classify([3, 3], "quantiles", 4)
    assert len(colours_for(one, "lower_is_better")) == 1
    with pytest.raises(ValueError, match="unknown palette"):
        sequential("Jet", 3)


def _rgb(h):
    return np.array([int(h[i:i + 2], 16) for i in (1, 3, 5)], dtype=float)


def _on_white(style):
    return _rgb(style["fillColor"]) * style["fillOpacity"] + 255 * (1 - style["fillOpacity"])


def test_status_styles_are_leaflet_options_distinct_from_palettes_and_each_other():
    all_colours = {c for by_k in SEQUENTIAL.values() for cs in by_k.values() for c in cs} | set(
        COMPARE_COLOURS.values())
    keys = {"fillColor", "fillOpacity", "color", "weight", "dashArray"}
    for status, style in STATUS_STYLES.items():
        assert set(style) == keys
        # the fill as drawn on white is at least ~30 RGB units from every class colour …
        assert min(np.linalg.norm(_on_white(style) - _rgb(c)) for c in all_colours) > 30, status
        # … and the outline or pattern differs from a classified area's
        assert (style["color"], style["dashArray"], STATUS_PATTERNS[status]) != \
            (CLASS_STYLE["color"], CLASS_STYLE["dashArray"], None)
    for a, b in itertools.combinations(STATUS_STYLES, 2):
        sa, sb = STATUS_STYLES[a], STATUS_STYLES[b]
        assert sa["fillColor"] != sb["fillColor"] and sa["color"] != sb["color"]
        assert (sa["dashArray"], STATUS_PATTERNS[a]) != (sb["dashArray"], STATUS_PATTERNS[b])


# --- number formats -----------------------------------------------------------------------------


@pytest.mark.parametrize("x, decimals, tr, en", [
    (1234.5, 1, "1.234,5", "1,234.5"),
    (-0.05, 2, "-0,05", "-0.05"),
    (-0.05, 1, "-0,1", "-0.1"),  # half away from zero
    (-0.04, 1, "0,0", "0.0"),  # no negative zero
    (0, 0, "0", "0"),
    (0, 2, "0,00", "0.00"),
    (1e6, 0, "1.000.000", "1,000,000"),
    (1e6, 1, "1.000.000,0", "1,000,000.0"),
    (-1234567.891, 2, "-1.234.567,89", "-1,234,567.89"),
    (2.675, 2, "2,68", "2.68"),  # as written, not as stored (round() gives 2.67)
    (0.5, 0, "1", "1"),
    (2.5, 0, "3", "3"),  # not banker's rounding
    (999.96, 1, "1.000,0", "1,000.0"),
    (None, 1, "—", "—"),
    (float("nan"), 1, "—", "—"),
    (float("inf"), 1, "∞", "∞"),
])
def test_format_number(x, decimals, tr, en):
    assert format_number(x, "tr", decimals) == tr
    assert format_number(x, "en", decimals) == en


def test_the_quick_rounding_agrees_with_the_decimal_one_everywhere():
    """format_number rounds with the float formatter where that is safe; the decimal path decides
    ties and large or tiny numbers. Both must give the same digits for any value."""
    from atlas.mapping.formatting import _decimal_digits, _fast_digits

    rng = np.random.default_rng(4)
    values = np.concatenate([
        rng.normal(0, 1, 4000), rng.normal(0, 1e3, 4000), rng.uniform(-1e9, 1e9, 2000),
        rng.uniform(0, 1e15, 500), 10.0 ** rng.uniform(-9, 17, 2000),
        np.round(rng.uniform(-100, 100, 4000), 3),  # many exact ties at two decimals
        np.round(rng.uniform(-1e5, 1e5, 4000), 1) + 0.05,
        [0.5, 1.5, 2.5, -2.5, 2.675, 1.005, 0.045, 1e-5, 123456789.125, 4503599627370497.0, -0.0],
    ])
    for decimals in range(0, 11):
        for f in values:
            fast = _fast_digits(float(f), decimals)
            if fast is not None:
                assert fast == _decimal_digits(float(f), decimals), (repr(f), decimals)


def test_format_number_rejects_bad_arguments():
    with pytest.raises(ValueError, match="language"):
        format_number(1, "de", 1)
    with pytest.raises(ValueError, match="decimals"):
        format_number(1, "tr", -1)


def test_format_int():
    assert format_int(1234567.5, "tr") == "1.234.568"
    assert format_int(1234567.5, "en") == "1,234,568"
    assert format_int(None, "en") == "—"


@pytest.mark.parametrize("x, unit, lang, decimals, expected", [
    (12.5, "%", "tr", 1, "%12,5"),
    (12.5, "%", "en", 1, "12.5%"),
    (-3.25, "%", "tr", 1, "-%3,3"),
    (-3.25, "%", "en", 1, "-3.3%"),
    (21.34, "°C", "tr", 1, "21,3 °C"),
    (21.34, "°C", "en", 1, "21.3 °C"),
    (1234, "kişi", "tr", 0, "1.234 kişi"),
    (1234, Text("kişi", "people"), "en", 0, "1,234 people"),
    (1.5, "", "en", 2, "1.50"),
    (None, "%", "tr", 1, "—"),
])
def test_format_value(x, unit, lang, decimals, expected):
    assert format_value(x, unit, lang, decimals) == expected


@pytest.mark.parametrize("lo, hi, lang, unit, expected", [
    (1, 2.5, "tr", None, "1,0–2,5"),
    (1, 2.5, "en", None, "1.0–2.5"),
    (1, 2.5, "tr", "%", "%1,0–2,5"),
    (1, 2.5, "en", "%", "1.0–2.5%"),
    (1, 2.5, "tr", "°C", "1,0–2,5 °C"),
    (-2, -1, "en", None, "-2.0 – -1.0"),
    (-2, 1, "tr", "%", "-%2,0 – %1,0"),
    (3, 3, "en", "%", "3.0%"),
    (None, 3, "en", None, "≤ 3.0"),
    (3, None, "tr", None, "≥ 3,0"),
    (None, None, "tr", None, "—"),
])
def test_format_range(lo, hi, lang, unit, expected):
    assert format_range(lo, hi, lang, 1, unit) == expected


# --- legend -------------------------------------------------------------------------------------


def test_legend_for_classes_and_statuses():
    c = classify(range(0, 11), "equal_interval", 5)
    ind = indicator()
    colours = colours_for(c, ind.polarity)
    items = legend_items(c, colours, ind, "tr", {"ok": 11, "suppressed": 2, "missing": 1, "not_applicable": 0})
    assert [i.label for i in items] == ["%0,0–2,0", "%2,0–4,0", "%4,0–6,0", "%6,0–8,0", "%8,0–10,0",
                                        "Gizlendi (küçük sayı)", "Veri yok"]
    assert [i.count for i in items] == [3, 2, 2, 2, 2, 2, 1]
    assert [i.kind for i in items] == ["class"] * 5 + ["status"] * 2
    assert items[0].colour == colours[0] and items[0].style["fillColor"] == colours[0]
    assert items[5].style == STATUS_STYLES["suppressed"] and items[5].pattern == STATUS_PATTERNS["suppressed"]
    en = legend_items(c, colours, ind, "en", {"not_applicable": 4})
    assert en[0].label == "0.0–2.0%" and en[-1].label == "Not applicable" and en[-1].count == 4


def test_legend_adds_decimals_only_when_labels_would_clash():
    ind = indicator(unit=("°C", "°C"), decimals=0)
    c = classify([30.1, 30.2, 30.3, 30.4, 35, 40], "quantiles", 3)
    labels = [i.label for i in legend_items(c, colours_for(c, "lower_is_better"), ind, "en")]
    assert len(set(labels)) == 3 and labels[0].startswith("30.1–")
    wide = classify([1, 20, 40, 60], "equal_interval", 3)
    assert legend_items(wide, colours_for(wide), ind, "en")[0].label == "1–21 °C"


def test_legend_keeps_the_indicators_decimals_when_more_would_not_tell_bounds_apart():
    # many 0 % areas and one of 0.00004 %: no number of decimals up to +3 separates 0 from 0.00004, so
    # the labels keep one decimal ("0.0–10.4 %"), not four ("0.0000–10.3705 %")
    ind = indicator(unit=("%", "%"), decimals=1)
    c = classify([0.0] * 6 + [0.00004, 5.0, 10.3705, 20.0, 30.6181, 60.0, 100.0, 100.0], "quantiles", 4)
    labels = [i.label for i in legend_items(c, colours_for(c), ind, "en")]
    assert all(re.fullmatch(r"[0-9.]+(–[0-9.]+)? ?%", lab) and not re.search(r"\.\d\d", lab) for lab in labels), labels


def test_legend_for_compare_izmir():
    ind = indicator(polarity="higher_is_better")
    c = classify(VALUES, "compare_izmir", 3, lower=LOWER, upper=UPPER, benchmark=30, polarity=ind.polarity,
                 benchmark_ci=(29.5, 30.5))
    items = legend_items(c, colours_for(c), ind, "en", {"missing": 2})
    assert [(i.key, i.label, i.count) for i in items] == [
        ("better", "Better than İzmir", 2), ("similar", "Similar to İzmir", 2), ("worse", "Worse than İzmir", 1),
        ("missing", "No data", 2)]
    assert items[0].colour == COMPARE_COLOURS["better"]
    tr = legend_items(c, colours_for(c), ind, "tr")
    assert [i.label for i in tr] == ["İzmir'den daha iyi", "İzmir'e benzer", "İzmir'den daha kötü"]
    assert benchmark_label(c, ind, "tr") == "İzmir: %30,0 (%29,5–30,5)"
    assert benchmark_label(c, ind, "en") == "İzmir: 30.0% (29.5–30.5%)"
    untested = classify([10, 50], "compare_izmir", 3, benchmark=30)
    labels = [i.label for i in legend_items(untested, colours_for(untested), ind, "en")]
    assert labels == ["Lower than İzmir (no confidence interval, not tested)",
                      "Higher than İzmir (no confidence interval, not tested)"]


def test_legend_errors():
    c = classify(range(10), "quantiles", 4)
    with pytest.raises(ValueError, match="3 colours for 4 classes"):
        legend_items(c, ["#000000"] * 3, indicator(), "en")
    with pytest.raises(ValueError, match="unknown status 'hidden'"):
        legend_items(c, colours_for(c), indicator(), "en", {"hidden": 1})
    with pytest.raises(ValueError, match="language"):
        legend_items(c, colours_for(c), indicator(), "fr")


# --- independence from the UI -------------------------------------------------------------------


def test_mapping_does_not_import_streamlit_or_folium():
    code = ("import sys; import atlas.mapping as m; "
            "m.classify([1, 2, 3, 4], 'natural_breaks', 2); m.classify([1, 2, 3, 4], 'quantiles', 2); "
            "bad = sorted({'streamlit', 'folium', 'branca', 'streamlit_folium'} & {n.split('.')[0] for n in sys.modules}); "
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
