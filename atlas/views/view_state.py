"""The state of a map view, as carried in the URL: indicator, period, level, scheme, k, area, lang.

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
PARAMS = ("indicator", "period", "level", "scheme", "k", "area", "lang")


@dataclass(frozen=True)
class View:
    indicator: str
    period: str
    level: str
    scheme: str = DEFAULT_SCHEME
    k: int = DEFAULT_K
    area: str | None = None
    lang: str = DEFAULT_LANG

    def to_params(self) -> dict[str, str]:
        """The URL query parameters of this view (``area`` only when set)."""
        out = {key: str(value) for key, value in asdict(self).items() if value is not None}
        return {key: out[key] for key in PARAMS if key in out}


@dataclass(frozen=True)
class Notice:
    """A URL parameter that was not valid: what was given, what is used instead, and why."""

    param: str
    given: str
    used: str
    allowed: str


class Availability:
    """What the database holds: for each indicator and level, its periods newest first."""

    def __init__(self, views: pd.DataFrame):
        # columns: indicator_id, level, period, period_sort (as queries/list_indicator_views.sql)
        ordered = views.sort_values(["indicator_id", "level", "period_sort", "period"],
                                    ascending=[True, True, False, True])
        self._periods: dict[tuple[str, str], list[str]] = {}
        for (ind, level), group in ordered.groupby(["indicator_id", "level"], sort=False):
            self._periods[(ind, level)] = group["period"].tolist()

    @property
    def indicators(self) -> list[str]:
        return sorted({ind for ind, _ in self._periods})

    def levels(self, indicator: str) -> list[str]:
        return [lv for lv in LEVELS if (indicator, lv) in self._periods]

    def periods(self, indicator: str, level: str) -> list[str]:
        return list(self._periods.get((indicator, level), []))


def _choice(params, key, allowed: list[str], default: str, notices: list[Notice]) -> str:
    given = params.get(key)
    if given is None or given == "":
        return default
    if given in allowed:
        return given
    notices.append(Notice(key, str(given), default, ", ".join(allowed)))
    return default


def resolve_view(params: Mapping[str, str], avail: Availability, *,
                 area_codes: Iterable[str] | None = None) -> tuple[View, list[Notice]]:
    """The view a set of URL parameters asks for, and a notice for each value that had to change.

    ``area_codes``: the codes of the areas at the chosen level (and districts) that ``area`` may name.
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
    scheme = _choice(params, "scheme", list(SCHEMES), DEFAULT_SCHEME, notices)
    k = _k(params.get("k"), notices)
    lang = _choice(params, "lang", list(LANGS), DEFAULT_LANG, notices)
    area = params.get("area") or None
    if area is not None and area_codes is not None and area not in set(area_codes):
        notices.append(Notice("area", area, "", "an area code of the chosen level"))
        area = None
    return View(indicator, period, level, scheme, k, area, lang), notices


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
    return new
