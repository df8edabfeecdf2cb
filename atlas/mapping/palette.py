"""Colours for classes and styles for areas without a value.

Colour schemes are from ColorBrewer 2.0 (https://colorbrewer2.org), © Cynthia A. Brewer,
Mark Harrower and The Pennsylvania State University, used under the Apache License 2.0
(ColorBrewer's licence: attribution required, "This product includes color specifications
and designs developed by Cynthia Brewer (http://colorbrewer.org/)"). All schemes used here
are marked colour-blind safe on colorbrewer2.org. Hex values as published, light → dark.

Rules:

* The *worse* end is always the strong (dark) colour. ``lower_is_better``: high values dark;
  ``higher_is_better``: the palette is reversed, so LOW values are dark. Both use YlOrRd.
* ``no_judgement``: YlGnBu, high values dark (blue), no red, nothing suggests good or bad.
* YlOrRd and YlGnBu start from a pale yellow, not near-white or grey, so the lightest class
  never looks like "missing" (white) or "not applicable" (light grey).
* compare_izmir: better = blue, similar = light yellow, worse = red (RdYlBu ends and centre);
  lower / higher (no judgement, and the untested value-only comparison) = light / dark purple
  (Purples); similar and equal share the light yellow.
"""

from __future__ import annotations

from types import MappingProxyType

from ..catalogue import POLARITIES

#: ColorBrewer sequential schemes, k = 3..9, light → dark.
SEQUENTIAL: dict[str, dict[int, tuple[str, ...]]] = {
    "YlOrRd": {
        3: ("#ffeda0", "#feb24c", "#f03b20"),
        4: ("#ffffb2", "#fecc5c", "#fd8d3c", "#e31a1c"),
        5: ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"),
        6: ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026"),
        7: ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026"),
        8: ("#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026"),
        9: ("#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#bd0026", "#800026"),
    },
    "YlGnBu": {
        3: ("#edf8b1", "#7fcdbb", "#2c7fb8"),
        4: ("#ffffcc", "#a1dab4", "#41b6c4", "#225ea8"),
        5: ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"),
        6: ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494"),
        7: ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"),
        8: ("#ffffd9", "#edf8b1", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"),
        9: ("#ffffd9", "#edf8b1", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#253494", "#081d58"),
    },
}
ADVERSE_SCHEME = "YlOrRd"
NEUTRAL_SCHEME = "YlGnBu"

#: compare_izmir category → colour (RdYlBu: #2c7bb6 #ffffbf #d7191c; Purples: #cbc9e2 #54278f).
COMPARE_COLOURS: dict[str, str] = {
    "better": "#2c7bb6",
    "similar": "#ffffbf",
    "worse": "#d7191c",
    "lower": "#cbc9e2",
    "higher": "#54278f",
    "lower_value": "#cbc9e2",
    "equal_value": "#ffffbf",
    "higher_value": "#54278f",
}

#: Leaflet path options for a classified area; ``class_style(colour)`` fills in the colour.
CLASS_STYLE = MappingProxyType({"fillOpacity": 0.85, "color": "#ffffff", "weight": 0.6, "dashArray": None})

#: Leaflet path options for areas without a value, one per status. Each differs from the
#: classes by its fill *and* its outline: suppressed = mid grey, dark solid outline, hatched
#: where the renderer can (see STATUS_PATTERNS); missing = white, grey dashed outline;
#: not_applicable = faint light grey, thin light dotted outline.
STATUS_STYLES: dict[str, dict] = {
    "suppressed": {"fillColor": "#969696", "fillOpacity": 0.9, "color": "#525252", "weight": 1.0,
                   "dashArray": None},
    "missing": {"fillColor": "#ffffff", "fillOpacity": 1.0, "color": "#737373", "weight": 1.2,
                "dashArray": "4 3"},
    "not_applicable": {"fillColor": "#d9d9d9", "fillOpacity": 0.35, "color": "#bdbdbd", "weight": 0.6,
                       "dashArray": "1 3"},
}

#: Hatching for renderers that support it (folium.plugins.StripePattern, matplotlib ``hatch``).
STATUS_PATTERNS: dict[str, dict | None] = {
    "suppressed": {"kind": "stripes", "angle": 45, "color": "#525252", "matplotlib_hatch": "///"},
    "missing": None,
    "not_applicable": None,
}


def sequential(name: str, k: int) -> list[str]:
    """``k`` colours (light → dark) of a ColorBrewer scheme; k = 1 or 2 pick from the 3-class set."""
    if name not in SEQUENTIAL:
        raise ValueError(f"unknown palette {name!r}; use one of {', '.join(SEQUENTIAL)}")
    if k < 0 or k > 9:
        raise ValueError(f"palettes have 0 to 9 colours, asked for {k}")
    three = SEQUENTIAL[name][3]
    if k == 0:
        return []
    if k == 1:
        return [three[1]]
    if k == 2:
        return [three[0], three[2]]
    return list(SEQUENTIAL[name][k])


def colours_for(classification, polarity: str | None = None) -> list[str]:
    """One colour per class of ``classification``, oriented by ``polarity``.

    ``polarity`` defaults to the classification's. For compare_izmir the categories already
    carry the polarity used to make them, so a different ``polarity`` raises ValueError.
    """
    if polarity is None:
        polarity = classification.polarity
    if polarity not in POLARITIES:
        raise ValueError(f"polarity {polarity!r} is not allowed; use one of {', '.join(POLARITIES)}")
    if classification.scheme == "compare_izmir":
        if polarity != classification.polarity:
            raise ValueError(f"this comparison was made with polarity {classification.polarity!r}, "
                             f"not {polarity!r}; classify again with the indicator's polarity")
        return [COMPARE_COLOURS[c] for c in classification.categories]
    if polarity == "no_judgement":
        return sequential(NEUTRAL_SCHEME, classification.k)
    colours = sequential(ADVERSE_SCHEME, classification.k)
    return colours[::-1] if polarity == "higher_is_better" else colours


def class_style(colour: str) -> dict:
    """Leaflet path options for an area of one class."""
    return {"fillColor": colour, **CLASS_STYLE}
