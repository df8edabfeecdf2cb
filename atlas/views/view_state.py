"""The state of a map view, as carried in the URL: indicator, period, level, scheme, k, area, points, lang.

``points`` lists the point layers drawn over the map (``points=bus_stops,rail_stations``; the
layer ids of the database are its allow-list, see ``atlas.views.point_layers``).

``resolve_view`` validates every parameter against what the database holds (the indicator
catalogue is the allow-list) and falls back to a default for anything invalid, returning a
notice for each fallback, so a bad shared link shows a message and a sensible map, never a
traceback. Nothing here touches SQL: values are only compared with known lists.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Iterable, Mapping

import pandas as pd

from ..i18n import DEFAULT_LANG, LANGS

SCHEMES = ("quantiles", "natural_breaks", "equal_interval", "std_mean", "compare_izmir", "hot_spots")
LEVELS = ("district", "mahalle")
K_RANGE = (3, 9)
DEFAULT_INDICATOR = "pop_density"
DEFAULT_LEVEL = "district"
DEFAULT_SCHEME = "quantiles"
DEFAULT_K = 5
PARAMS = ("indicator", "period", "level", "scheme", "k", "area", "points", "lang")


@dataclass(frozen=True)
class View:
    indicator: str
    period: str
    level: str
    scheme: str = DEFAULT_SCHEME
    k: int = DEFAULT_K
    area: str | None = None
    lang: str = DEFAULT_LANG
    points: tuple[str, ...] = ()  # point layers shown over the map (ids of point_layers)

    def to_params(self) -> dict[str, str]:
        """The URL query parameters of this view (``area`` and ``points`` only when set)."""
        out = {key: str(value) for key, value in asdict(self).items() if value is not None and key != "points"}
        if self.points:
            out["points"] = ",".join(self.points)
        return {key: out[key] for key in PARAMS if key in out}


@dataclass(frozen=True)
class Notice:
    """A URL parameter that was not valid: what was given, what is used instead, and why."""

    param: str
    given: str
    used: str
    allowed: str


class Availability:
    """What the database holds: for each indicator and level, its periods newest first, and which
    periods have an İzmir value to compare the areas with."""

    def __init__(self, views: pd.DataFrame):
        # columns: indicator_id, level, period, period_sort and has_izmir (as queries/list_indicator_views.sql);
        # without has_izmir every period is taken to have an İzmir value (the map view still falls back)
        ordered = views.sort_values(["indicator_id", "level", "period_sort", "period"],
                                    ascending=[True, True, False, True])
        self._periods: dict[tuple[str, str], list[str]] = {}
        for (ind, level), group in ordered.groupby(["indicator_id", "level"], sort=False):
            self._periods[(ind, level)] = group["period"].tolist()
        self._no_izmir: set[tuple[str, str]] = set()
        if "has_izmir" in views.columns:
            self._no_izmir = {(i, p) for i, p, has in zip(views["indicator_id"], views["period"], views["has_izmir"])
                              if not bool(has)}

    @property
    def indicators(self) -> list[str]:
        return sorted({ind for ind, _ in self._periods})

    def levels(self, indicator: str) -> list[str]:
        return [lv for lv in LEVELS if (indicator, lv) in self._periods]

    def periods(self, indicator: str, level: str) -> list[str]:
        return list(self._periods.get((indicator, level), []))

    def has_izmir(self, indicator: str, period: str) -> bool:
        """Whether the period has an İzmir value (so the areas can be compared with İzmir)."""
        return (indicator, period) not in self._no_izmir

    def schemes(self, indicator: str, period: str) -> list[str]:
        """The classifications the view can offer: all of :data:`SCHEMES`, but "compared with İzmir" only
        when there is an İzmir value to compare with."""
        return [s for s in SCHEMES if s != "compare_izmir" or self.has_izmir(indicator, period)]


def _choice(params, key, allowed: list[str], default: str, notices: list[Notice]) -> str:
    given = params.get(key)
    if given is None or given == "":
        return default
    if given in allowed:
        return given
    notices.append(Notice(key, str(given), default, ", ".join(allowed)))
    return default


def resolve_view(params: Mapping[str, str], avail: Availability, *,
                 area_codes: Iterable[str] | None = None,
                 point_layers: Iterable[str] | None = None) -> tuple[View, list[Notice]]:
    """The view a set of URL parameters asks for, and a notice for each value that had to change.

    ``area_codes``: the codes of the areas at the chosen level (and districts) that ``area`` may name.
    ``point_layers``: the point layer ids ``points`` may name (None: none); unknown ids are dropped
    with one notice listing them.
    """
    if not avail.indicators:
        raise ValueError("the database holds no indicator values to show")
    notices: list[Notice] = []
    default_ind = DEFAULT_INDICATOR if DEFAULT_INDICATOR in avail.indicators else avail.indicators[0]
    indicator = _choice(params, "indicator", avail.indicators, default_ind, notices)
    levels = avail.levels(indicator)
    level = _choice(params, "level", levels, DEFAULT_LEVEL if DEFAULT_LEVEL in levels else levels[0], notices)
    periods = avail.periods(indicator, level)
    period = _choice(params, "period", periods, periods[0], notices)
    scheme = _choice(params, "scheme", avail.schemes(indicator, period), DEFAULT_SCHEME, notices)
    k = _k(params.get("k"), notices)
    lang = _choice(params, "lang", list(LANGS), DEFAULT_LANG, notices)
    area = params.get("area") or None
    if area is not None and area_codes is not None and area not in set(area_codes):
        notices.append(Notice("area", area, "", "an area code of the chosen level"))
        area = None
    points = _points(params.get("points"), tuple(point_layers or ()), notices)
    return View(indicator, period, level, scheme, k, area, lang, points), notices


def _points(given: str | None, known: tuple[str, ...], notices: list[Notice]) -> tuple[str, ...]:
    if not given:
        return ()
    names = [n.strip() for n in given.split(",") if n.strip()]
    unknown = list(dict.fromkeys(n for n in names if n not in known))
    chosen = tuple(k for k in known if k in names)
    if unknown:
        notices.append(Notice("points", ",".join(unknown), ",".join(chosen), ", ".join(known)))
    return chosen


def _k(given: str | None, notices: list[Notice]) -> int:
    lo, hi = K_RANGE
    if given is None or given == "":
        return DEFAULT_K
    if given.isdigit() and lo <= int(given) <= hi:
        return int(given)
    notices.append(Notice("k", given, str(DEFAULT_K), f"a whole number from {lo} to {hi}"))
    return DEFAULT_K


def with_changes(view: View, avail: Availability, **changes) -> View:
    """A new view after a widget change, keeping period and level valid for the indicator."""
    new = replace(view, **changes)
    levels = avail.levels(new.indicator)
    if new.level not in levels:
        new = replace(new, level=levels[0])
    periods = avail.periods(new.indicator, new.level)
    if new.period not in periods:
        new = replace(new, period=periods[0])
    if new.scheme not in avail.schemes(new.indicator, new.period):
        new = replace(new, scheme=DEFAULT_SCHEME)  # e.g. "compared with İzmir" for an indicator without an İzmir value
    return new
