"""The access indicators of an imported point layer, made from the layer itself (docs/import.md,
"Point layers"): for every distance ``d`` of the layer's ``access_m``

* ``<layer>_within_<d>m`` — share of residents within ``d`` metres (straight line) of the nearest
  point (a proportion, with numerator and denominator);

and once per layer

* ``<layer>_mean_distance`` — population-weighted mean distance to the nearest point (m);
* ``<layer>_per_10k`` — points in the area per 10,000 residents (a rate, with the count).

They are computed by :func:`atlas.build.access.compute_layer_access`, by the method of the
atlas's own access indicators (residents spread evenly over a 100 m lattice inside each mahalle,
TÜİK population), for districts, mahalle and İzmir, with the period of the layer's ``date`` (its
year). Their titles, definitions, methods and caveats are messages of the atlas's catalogues,
written in both languages at import time with the layer's title; source and licence name the
layer's source and TÜİK. Because they follow from the layer, importing a new file into the layer
recomputes them without an entry.
"""

from __future__ import annotations

from ...access.spec import Measure
from ...build.access import POPULATION_PERIOD
from ...catalogue import Disclosure, Indicator, Text
from ...i18n import gettext
from ...points.catalogue import PointLayer

THEME = "access"
MAX_LAYER_ID = 48  # the longest suffix is "_mean_distance" (14): indicator ids stay within 63 characters
SUFFIXES = ("_within_<d>m", "_mean_distance", "_per_10k")


def _text(make) -> Text:
    """A Text from a function of the language (for messages whose parameters are themselves texts)."""
    return Text(make("tr"), make("en"))


def indicator_ids(layer_id: str, access_m) -> tuple[str, ...]:
    """The ids of the access indicators of a layer, in the order they are made."""
    return tuple([f"{layer_id}_within_{d}m" for d in access_m] + [f"{layer_id}_mean_distance", f"{layer_id}_per_10k"])


def access_indicators(layer: PointLayer, source: Text, source_url: str) -> tuple[tuple[Indicator, Measure], ...]:
    """The access indicators of ``layer`` and their measures. ``source``: the title of the layer's
    source (who published the list); ``source_url`` its address."""
    title = layer.title
    year = layer.date[:4]
    population = POPULATION_PERIOD

    def common(lang: str) -> str:
        return gettext("Each mahalle's residents (TÜİK {population}) are spread evenly over a lattice of points "
                       "100 m apart inside the mahalle; a mahalle too small for the lattice gets one point inside "
                       "it. From each point the straight-line distance to the nearest point of the layer "
                       "({layer}, anywhere in İzmir) is measured in UTM 35N (EPSG:32635). District and İzmir "
                       "values use the points of their mahalle.", lang, population=population,
                       layer=title.get(lang))

    limits = _text(lambda lang: gettext(
        "Straight-line distance, not walking distance: the street network, slopes and barriers (motorways, "
        "railways, streams, the sea) are ignored. Where residents live inside a mahalle is estimated (spread "
        "evenly over it): in a rural mahalle whose people live in a village core, the value can be too low or "
        "too high. The points are those of the imported file.", lang))
    source_text = _text(lambda lang: gettext("{source}; TÜİK mahalle population {population}", lang,
                                             source=source.get(lang), population=population))
    licence = _text(lambda lang: gettext("Points: {licence}; population: TÜİK", lang,
                                         licence=layer.licence.get(lang)))
    base = dict(theme=THEME, source=source_text, source_url=source_url, licence=licence, periods=(year,),
                levels=("district", "mahalle"), disclosure=Disclosure(min_count=0, min_denominator=0),
                caveat=limits)
    out: list[tuple[Indicator, Measure]] = []
    for d in layer.access_m:
        ind = Indicator(
            id=f"{layer.id}_within_{d}m",
            title=_text(lambda lang, d=d: gettext("{layer}: residents within {distance} m", lang,
                                                  layer=title.get(lang), distance=d)),
            definition=_text(lambda lang, d=d: gettext(
                "Percentage of residents living within {distance} m in a straight line of the nearest point of "
                "the layer {layer}.", lang, distance=d, layer=title.get(lang))),
            unit=Text("%", "%"), scale=100.0, value_type="proportion", decimals=1, polarity="higher_is_better",
            method=_text(lambda lang, d=d: common(lang) + " " + gettext(
                "Share = residents of the points whose nearest point of the layer is within {distance} m ÷ "
                "residents × 100; numerator and denominator are stored, the confidence interval is Wilson's.",
                lang, distance=d)),
            **base)
        out.append((ind, Measure(indicator=ind.id, layer=layer.id, measure="share_within", distance_m=d)))
    mean = Indicator(
        id=f"{layer.id}_mean_distance",
        title=_text(lambda lang: gettext("{layer}: mean distance to the nearest", lang, layer=title.get(lang))),
        definition=_text(lambda lang: gettext(
            "Population-weighted mean straight-line distance from residents to the nearest point of the layer "
            "{layer}.", lang, layer=title.get(lang))),
        unit=Text("m", "m"), scale=1.0, value_type="mean", decimals=0, polarity="lower_is_better",
        method=_text(lambda lang: common(lang) + " " + gettext(
            "Mean = Σ (residents of a point × distance to the nearest point of the layer) ÷ residents.", lang)),
        **base)
    out.append((mean, Measure(indicator=mean.id, layer=layer.id, measure="mean_distance")))
    rate = Indicator(
        id=f"{layer.id}_per_10k",
        title=_text(lambda lang: gettext("{layer}: per 10,000 residents", lang, layer=title.get(lang))),
        definition=_text(lambda lang: gettext(
            "Points of the layer {layer} in the area per 10,000 residents.", lang, layer=title.get(lang))),
        unit=_text(lambda lang: gettext("per 10,000 residents", lang)), scale=10000.0, value_type="rate", decimals=1, polarity="no_judgement",
        method=_text(lambda lang: gettext(
            "The points are counted by the district and mahalle polygon they lie in (a point just outside a "
            "polygon goes to the nearest one). Value = points ÷ residents × 10,000, residents from TÜİK "
            "{population}; the count and the residents are stored. Areas with no or unknown population have "
            "no value.", lang, population=population)),
        **base)
    out.append((rate, Measure(indicator=rate.id, layer=layer.id, measure="per_10000")))
    return tuple(out)
