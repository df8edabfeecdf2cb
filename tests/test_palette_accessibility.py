"""Issue #22, contrast and colour: the map's colours read for people with colour-vision deficiencies,
and legend swatches and text meet WCAG 2.1 AA contrast.

Colour-vision deficiency is simulated with colorspacious (Machado, Oliveira & Fernandes 2009, at
severity 100: full protanopia, deuteranopia, tritanopia); distances are CAM02-UCS ΔE (Luo, Cui &
Li 2006), where 1 is about one just-noticeable difference.
"""

from __future__ import annotations

import itertools
import re

import colorspacious as cs
import numpy as np
import pytest

from atlas.equity.maps import CLUSTER_COLOURS
from atlas.mapping.contrast import GRAPHIC_MIN, TEXT_MIN, contrast_ratio, relative_luminance
from atlas.mapping.legend import LegendItem
from atlas.mapping.legend_html import PAGE_BACKGROUND, SWATCH_OUTLINE, legend_html
from atlas.mapping.palette import COMPARE_COLOURS, SEQUENTIAL, STATUS_STYLES

CVD = ("protanomaly", "deuteranomaly", "tritanomaly")
ADJACENT_MIN = 3.0   # neighbouring classes of an ordered palette: ≥ 3 JND apart under every simulation
CATEGORY_MIN = 10.0  # categories told apart by colour (with their text label beside them)


def _rgb(colour: str) -> np.ndarray:
    h = colour.lstrip("#")
    return np.array([int(h[i:i + 2], 16) for i in (0, 2, 4)]) / 255


def _seen(colour: str, cvd: str | None) -> np.ndarray:
    if cvd is None:
        return _rgb(colour)
    space = {"name": "sRGB1+CVD", "cvd_type": cvd, "severity": 100}
    return np.clip(cs.cspace_convert(_rgb(colour), space, "sRGB1"), 0, 1)


def _delta(a: np.ndarray, b: np.ndarray) -> float:
    return float(cs.deltaE(a, b, input_space="sRGB1", uniform_space="CAM02-UCS"))


def _lightness(rgb: np.ndarray) -> float:
    return float(cs.cspace_convert(rgb, "sRGB1", "CAM02-UCS")[0])


def test_wcag_contrast_formula_on_known_pairs():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # the usual AA grey
    assert relative_luminance("#fff") == pytest.approx(1.0)
    with pytest.raises(ValueError, match="#rrggbb"):
        relative_luminance("red")


@pytest.mark.parametrize("name", sorted(SEQUENTIAL))
def test_ordered_palettes_stay_ordered_and_distinct_under_colour_vision_deficiency(name):
    for k, colours in SEQUENTIAL[name].items():
        if k < 2:
            continue
        for cvd in (None, *CVD):
            seen = [_seen(c, cvd) for c in colours]
            gaps = [_delta(a, b) for a, b in zip(seen, seen[1:])]
            assert min(gaps) >= ADJACENT_MIN, (name, k, cvd, [round(g, 1) for g in gaps])
            # the order is carried by lightness, which no deficiency takes away: light → dark
            light = [_lightness(s) for s in seen]
            assert all(a > b for a, b in zip(light, light[1:])), (name, k, cvd, light)


@pytest.mark.parametrize("groups", [("better", "similar", "worse"), ("lower", "higher"),
                                    ("lower_value", "equal_value", "higher_value")])
def test_compared_with_izmir_categories_are_distinct_under_colour_vision_deficiency(groups):
    for cvd in CVD:
        for a, b in itertools.combinations(groups, 2):
            d = _delta(_seen(COMPARE_COLOURS[a], cvd), _seen(COMPARE_COLOURS[b], cvd))
            assert d >= CATEGORY_MIN, (a, b, cvd, round(d, 1))


def test_lisa_clusters_are_distinct_under_colour_vision_deficiency():
    for cvd in CVD:
        for (ka, a), (kb, b) in itertools.combinations(CLUSTER_COLOURS.items(), 2):
            d = _delta(_seen(a, cvd), _seen(b, cvd))
            assert d >= CATEGORY_MIN, (ka, kb, cvd, round(d, 1))


def test_legend_swatches_have_a_visible_outline_and_a_text_label():
    """Every swatch, however pale, is outlined at ≥ 3:1 against the page (WCAG 1.4.11), and every
    class carries its words: colour is never the only carrier of the information (1.4.1)."""
    assert contrast_ratio(SWATCH_OUTLINE, PAGE_BACKGROUND) >= TEXT_MIN
    items = [LegendItem(kind="class", key=str(i), label=f"class {i}", colour=c, count=1,
                        style={"fillColor": c, "color": "#ffffff"})
             for i, c in enumerate(SEQUENTIAL["YlOrRd"][5])]
    items += [LegendItem(kind="status", key=s, label=f"status {s}", colour=st.get("fillColor", "#ffffff"), count=1,
                         style=dict(st)) for s, st in STATUS_STYLES.items()]
    html = legend_html(items, "Title", "en")
    for item in items:
        assert item.label in html
    borders = re.findall(r"border:1\.5px (?:solid|dashed) (#[0-9a-fA-F]{3,6});", html)
    assert len(borders) == len(items)
    assert all(contrast_ratio(b, PAGE_BACKGROUND) >= GRAPHIC_MIN for b in borders), borders
