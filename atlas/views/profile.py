"""The Area profile: every indicator for one area against the İzmir value, Fingertips style.

``area_profile(con, area_code)`` returns a frozen :class:`AreaProfile`: the area (name, level,
kind, district) and, for every indicator with values at the area's level, one
:class:`IndicatorProfile` for the latest period (by ``period_sort``) with

* the area's value, status, note, 95 % CI, numerator and denominator;
* the İzmir (province ``35``) value and CI for that period, and for a mahalle its district's;
* the distribution over the areas of the same level for that period (minimum, 25th and 75th
  percentile, maximum, n; 'ok' values only; islands, industrial and free zones left out as on the
  map, :data:`atlas.frames.map_frame.HIDDEN_BY_DEFAULT`);
* the rank of N (:func:`atlas.frames.map_frame.ranks`: 1 = best by polarity, highest with no judgement);
* the verdict against İzmir from :func:`atlas.mapping.classify` with ``scheme="compare_izmir"``,
  run over the same areas as the map, so the profile and the "compared with İzmir" map always
  agree (tested better / similar / worse, lower / similar / higher, or the untested
  lower_value / equal_value / higher_value when any area lacks a CI);
  counts (:data:`NOT_BENCHMARKED`) get no verdict: İzmir's value is the sum of the areas;
* the same verdict at 99.8 % (``verdict_998``, Fingertips' second level), where the 95 % one was
  tested: the 99.8 % CI against the İzmir value (:func:`atlas.equity.benchmark.compare`);
* the trend: every period of the indicator at the level, with the İzmir and district values.

The ranks and verdicts of an island, industrial or free zone (hidden from the map by default)
are computed over the map's areas plus that area, so N is one more than the distribution's n.
Plain data and no Streamlit: the page, the spine chart (:mod:`atlas.views.spine_chart`) and the tests all
read the same object.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping

import duckdb
import numpy as np
import pandas as pd

from .. import queries
from ..catalogue import Catalogue, Indicator, Text, indicator_from_json
from ..equity.benchmark import compare
from ..statistics.intervals import Z998, recompute_interval
from ..errors import AtlasError, CatalogueError
from ..frames.map_frame import HIDDEN_BY_DEFAULT, NOT_BENCHMARKED, ranks
from ..i18n import DEFAULT_LANG, check_lang, gettext
from ..mapping import (COMPARE_LABELS, classify, compare_label, format_number, format_range, format_value,
                       status_label)
from ..mapping.classify import COMPARE_CATEGORIES
from ..names import turkish_lower
from ..values import note_text

LEVELS = ("district", "mahalle")
#: Value types whose İzmir value is a total of the areas, not a level they can be compared with
#: (a district's population against the province's): no verdict, and the spine is not centred on it.
TESTED_VERDICTS = frozenset(COMPARE_CATEGORIES["tested_polarity"] + COMPARE_CATEGORIES["tested_no_judgement"])


class AreaNotFound(AtlasError, LookupError):
    """No district or mahalle has the given code (the message names it)."""


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    level: str  # 'district' or 'mahalle'
    kind: str  # district, mahalle, island, industrial_zone, free_zone
    district_code: str | None = None  # a mahalle's district
    district_name: str | None = None

    @property
    def hidden_on_map(self) -> bool:
        """True for the kinds the map leaves out by default (islands, industrial and free zones)."""
        return self.kind in HIDDEN_BY_DEFAULT


@dataclass(frozen=True)
class Estimate:
    """A comparator's value (İzmir or the district) for one period; ``value`` is None unless status is 'ok'."""

    value: float | None
    lower_ci: float | None
    upper_ci: float | None
    status: str
    note: Text | None = None


@dataclass(frozen=True)
class Distribution:
    """The 'ok' values of all (shown) areas of the level for one period; percentiles interpolate linearly."""

    minimum: float
    q25: float
    q75: float
    maximum: float
    n: int


@dataclass(frozen=True)
class TrendPoint:
    period: str
    period_sort: int
    value: float | None
    lower_ci: float | None
    upper_ci: float | None
    status: str
    note: Text | None
    izmir: float | None
    district: float | None


@dataclass(frozen=True)
class IndicatorProfile:
    """One indicator for one area, for the latest period with values at the area's level."""

    indicator: Indicator
    theme_title: Text
    period: str
    period_sort: int
    value: float | None
    lower_ci: float | None
    upper_ci: float | None
    numerator: float | None
    denominator: float | None
    status: str
    note: Text | None
    coverage: float | None
    izmir: Estimate | None
    district: Estimate | None
    distribution: Distribution | None
    rank: int | None
    rank_of: int
    verdict: str | None  # a compare_izmir category, or None when not compared
    trend: tuple[TrendPoint, ...]
    #: the verdict at 99.8 % (better / similar / worse, or higher / similar / lower), only where the
    #: 95 % verdict was tested (:func:`atlas.equity.benchmark.compare` on the 99.8 % CI)
    verdict_998: str | None = None

    @property
    def benchmarked(self) -> bool:
        """True when the area can be compared with an İzmir value (one exists and this is not a count)."""
        return (self.indicator.value_type not in NOT_BENCHMARKED and self.izmir is not None
                and self.izmir.value is not None)

    @property
    def verdict_tested(self) -> bool:
        """True when the verdict comes from a CI test (better/similar/worse, lower/similar/higher)."""
        return self.verdict in TESTED_VERDICTS

    @property
    def has_trend(self) -> bool:
        """True when the indicator has values for more than one period."""
        return sum(1 for p in self.trend if p.value is not None or p.izmir is not None) > 1


@dataclass(frozen=True)
class AreaProfile:
    area: Area
    indicators: tuple[IndicatorProfile, ...]

    def get(self, indicator_id: str) -> IndicatorProfile:
        for row in self.indicators:
            if row.indicator.id == indicator_id:
                return row
        known = ", ".join(r.indicator.id for r in self.indicators) or "(none)"
        raise KeyError(f"indicator {indicator_id!r} is not in the profile of {self.area.name}; it has: {known}")


@dataclass(frozen=True)
class AreaChoice:
    """One entry of the area picker."""

    code: str
    level: str
    name: str
    kind: str
    district_name: str


# --- small helpers ---------------------------------------------------------------------------

def _num(x: Any) -> float | None:
    if x is None or x is pd.NA:
        return None
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def _text(x: Any) -> str | None:
    return x if isinstance(x, str) and x.strip() else None


_TR_ALPHABET = "abcçdefgğhıijklmnoöprsştuüvwxyz"
_TR_ORDER = {ch: i for i, ch in enumerate(_TR_ALPHABET)}


def turkish_sort_key(text: str) -> tuple:
    """Sort key in Turkish alphabetical order (ç after c, ı before i, ö after o, ş after s, ü after u)."""
    return tuple((_TR_ORDER.get(ch, 100 + ord(ch)), ch) for ch in turkish_lower(text))


def _estimate(row: Any, prefix: str) -> Estimate | None:
    status = row[f"{prefix}_status"]
    if not isinstance(status, str):
        return None
    value = _num(row[f"{prefix}_value"]) if status == "ok" else None
    return Estimate(value=value, lower_ci=_num(row[f"{prefix}_lower_ci"]),
                    upper_ci=_num(row[f"{prefix}_upper_ci"]), status=status,
                    note=note_text(row[f"{prefix}_note_tr"], row[f"{prefix}_note_en"]))


def _indicator_lookup(con: duckdb.DuckDBPyConnection,
                      indicators: Catalogue | Mapping[str, Indicator] | None) -> dict[str, Indicator]:
    if isinstance(indicators, Catalogue):
        return {ind.id: ind for ind in indicators.indicators}
    if indicators is not None:
        return dict(indicators)
    meta = queries.run(con, "list_indicator_metadata")
    return {ind_id: indicator_from_json(raw) for ind_id, raw in zip(meta["indicator_id"], meta["metadata_json"])}


# --- the area --------------------------------------------------------------------------------

def find_area(con: duckdb.DuckDBPyConnection, area_code: str, level: str | None = None) -> Area:
    """The district or mahalle with ``area_code`` (``level`` only to choose if a code were used twice).

    Raises AreaNotFound naming the code (and what codes look like) when there is none, and
    ValueError for a level other than district or mahalle.
    """
    if level is not None and level not in LEVELS:
        raise ValueError(f"level {level!r} is not allowed for an area profile; use one of {', '.join(LEVELS)}")
    code = str(area_code).strip()
    df = queries.run(con, "get_area", {"code": code})
    df = df[df["level"].isin([level] if level else LEVELS)]
    if df.empty:
        where = f"{level} " if level else "district or mahalle "
        raise AreaNotFound(
            f"no {where}has the code {code!r}; use a district code (TÜİK ilçe id, e.g. Karşıyaka 1448) "
            f"or a mahalle code (TurkeyGeoJSON quarterId)")
    if len(df) > 1:
        raise AreaNotFound(f"the code {code!r} is used at levels {', '.join(df['level'])}; say which level")
    r = df.iloc[0]
    return Area(code=str(r["code"]), name=str(r["name"]), level=str(r["level"]), kind=str(r["kind"]),
                district_code=_text(r["district_code"]), district_name=_text(r["district_name"]))


def area_choices(con: duckdb.DuckDBPyConnection) -> tuple[AreaChoice, ...]:
    """Every district and mahalle for a picker: districts first, then mahalle by district and name
    (Turkish alphabetical order)."""
    df = queries.run(con, "list_profile_areas")
    choices = [AreaChoice(code=str(r.code), level=str(r.level), name=str(r.name), kind=str(r.kind),
                          district_name=str(r.district_name) if isinstance(r.district_name, str) else "")
               for r in df.itertuples(index=False)]
    return tuple(sorted(choices, key=lambda c: (c.level != "district", turkish_sort_key(c.district_name),
                                                 turkish_sort_key(c.name), c.code)))


# --- one indicator ---------------------------------------------------------------------------

def _distribution(values: pd.Series) -> Distribution | None:
    v = values.dropna().to_numpy(dtype=float)
    if v.size == 0:
        return None
    q25, q75 = np.percentile(v, [25, 75])
    return Distribution(minimum=float(v.min()), q25=float(q25), q75=float(q75), maximum=float(v.max()),
                        n=int(v.size))


def _compared(others: pd.DataFrame, area: Area, ind: Indicator, value: float | None,
              izmir: Estimate | None) -> tuple[int | None, int, str | None]:
    """(rank, rank_of, verdict) of the area among ``others`` (the ok values of the map's areas)."""
    if value is None:
        return None, len(others), None
    rank = ranks(others["value"], ind.polarity)
    position = np.flatnonzero(others["area_code"].to_numpy() == area.code)
    i = int(position[0])
    verdict = None
    if izmir is not None and izmir.value is not None and ind.value_type not in NOT_BENCHMARKED:
        cls = classify(others["value"].tolist(), "compare_izmir", 3, lower=others["lower_ci"].tolist(),
                       upper=others["upper_ci"].tolist(), benchmark=izmir.value, polarity=ind.polarity)
        c = cls.classes[i]
        verdict = cls.categories[c] if c >= 0 else None
    r = rank.iloc[i]
    return (None if r is pd.NA else int(r)), len(others), verdict


def _verdict_998(ind: Indicator, latest: Any, value: float, izmir: Estimate) -> str | None:
    """The area against İzmir at 99.8 %: its 99.8 % CI (from the counts for a proportion with counts,
    else the 95 % CI stretched by 3.09 / 1.96, as in :mod:`atlas.equity.benchmark`) tested against
    the İzmir value."""
    lo, hi = _num(latest["lower_ci"]), _num(latest["upper_ci"])
    if lo is None or hi is None:
        return None
    lo998, hi998, _how = recompute_interval("supplied", ind.value_type, _num(latest["numerator"]),
                                            _num(latest["denominator"]), ind.scale, value, lo, hi, Z998)
    return compare(lo998, hi998, izmir.value, ind.polarity)


def _indicator_profile(ind: Indicator, theme_title: Text, area: Area, rows: pd.DataFrame,
                       level_values: pd.DataFrame) -> IndicatorProfile:
    rows = rows.sort_values(["period_sort", "period"])
    latest = rows.iloc[-1]
    period = str(latest["period"])
    status = str(latest["status"])
    value = _num(latest["value"]) if status == "ok" else None
    izmir = _estimate(latest, "izmir")
    district = _estimate(latest, "district") if area.level == "mahalle" else None
    same = level_values[level_values["period"] == period]
    shown = same[~same["kind"].isin(HIDDEN_BY_DEFAULT)]
    others = shown
    if value is not None and area.code not in set(shown["area_code"]):
        others = pd.concat([shown, same[same["area_code"] == area.code]], ignore_index=True)
    rank, rank_of, verdict = _compared(others.reset_index(drop=True), area, ind, value, izmir)
    verdict_998 = _verdict_998(ind, latest, value, izmir) if verdict in TESTED_VERDICTS else None
    trend = []
    for r in rows.itertuples(index=False):
        ok = r.status == "ok"
        trend.append(TrendPoint(
            period=str(r.period), period_sort=int(r.period_sort), value=_num(r.value) if ok else None,
            lower_ci=_num(r.lower_ci), upper_ci=_num(r.upper_ci), status=str(r.status), note=note_text(r.note_tr, r.note_en),
            izmir=_num(r.izmir_value) if r.izmir_status == "ok" else None,
            district=(_num(r.district_value) if area.level == "mahalle" and r.district_status == "ok" else None)))
    return IndicatorProfile(
        indicator=ind, theme_title=theme_title, period=period, period_sort=int(latest["period_sort"]),
        value=value, lower_ci=_num(latest["lower_ci"]), upper_ci=_num(latest["upper_ci"]),
        numerator=_num(latest["numerator"]), denominator=_num(latest["denominator"]), status=status,
        note=note_text(latest["note_tr"], latest["note_en"]), coverage=_num(latest["coverage"]), izmir=izmir, district=district,
        distribution=_distribution(shown["value"]), rank=rank, rank_of=rank_of, verdict=verdict,
        trend=tuple(trend), verdict_998=verdict_998)


# --- the profile -----------------------------------------------------------------------------

def area_profile(con: duckdb.DuckDBPyConnection, area_code: str, *, level: str | None = None,
                 indicators: Catalogue | Mapping[str, Indicator] | None = None,
                 lang: str = DEFAULT_LANG) -> AreaProfile:
    """The profile of the district or mahalle ``area_code``: one row per indicator with values at its level.

    ``indicators`` (a Catalogue or id → Indicator) supplies the metadata; by default it is read from
    the database (``indicators.metadata_json``), which also holds imported indicators. ``lang`` only
    orders the rows: by theme title, then indicator title, in that language. Raises AreaNotFound for
    an unknown code, CatalogueError for values of an indicator the lookup does not know, QueryError
    when a query fails.
    """
    check_lang(lang)
    area = find_area(con, area_code, level)
    lookup = _indicator_lookup(con, indicators)
    themes = {r.theme_id: Text(r.title_tr, r.title_en)
              for r in queries.run(con, "list_theme_titles").itertuples(index=False)}
    values = queries.run(con, "list_area_values", {"level": area.level, "code": area.code})
    unknown = sorted(set(values["indicator_id"]) - set(lookup))
    if unknown:
        raise CatalogueError(f"indicator {unknown[0]!r} has values at {area.level} level but no catalogue entry; "
                             f"known indicators: {', '.join(sorted(lookup)) or '(none)'}")
    level_values = queries.run(con, "list_value_distribution", {"level": area.level})
    by_indicator = dict(tuple(level_values.groupby("indicator_id", sort=False)))
    empty = level_values.iloc[0:0]
    rows = []
    for ind_id, group in values.groupby("indicator_id", sort=True):
        ind = lookup[ind_id]
        theme = themes.get(ind.theme, Text(ind.theme, ind.theme))
        rows.append(_indicator_profile(ind, theme, area, group, by_indicator.get(ind_id, empty)))
    rows.sort(key=lambda r: (turkish_sort_key(r.theme_title.get(lang)),
                             turkish_sort_key(r.indicator.title.get(lang)), r.indicator.id))
    return AreaProfile(area=area, indicators=tuple(rows))


# --- the profile as a table and as trend series (one language) --------------------------------

#: Columns of :func:`profile_table`, in order (``district`` only for a mahalle, ``counts`` only when
#: some indicator has a numerator or denominator).
TABLE_COLUMNS = ("theme", "indicator", "period", "value", "ci", "counts", "izmir", "district", "rank", "rank_of",
                 "range", "verdict", "verdict_998", "note")


def verdict_words(row: IndicatorProfile, lang: str) -> str:
    """The verdict in words: the map's legend label, why there is none, or the value's status."""
    if row.value is None:
        return status_label(row.status, lang)
    if row.verdict in COMPARE_LABELS:
        return compare_label(row.verdict, lang)
    if row.indicator.value_type in NOT_BENCHMARKED and row.izmir is not None and row.izmir.value is not None:
        return gettext("not compared (the İzmir value is the total)", lang)
    if row.izmir is None or row.izmir.value is None:
        return gettext("not compared (no İzmir value)", lang)
    return gettext("not compared", lang)


def _count_text(x: float | None, lang: str) -> str:
    if x is None:
        return "—"
    return format_number(x, lang, 0 if float(x).is_integer() else 2)


def profile_table(profile: AreaProfile, lang: str) -> pd.DataFrame:
    """One row per indicator, numbers formatted for ``lang`` with their units; rank and N stay numbers
    (so the table sorts by them). Column keys are :data:`TABLE_COLUMNS`."""
    check_lang(lang)
    records = []
    for r in profile.indicators:
        ind, d = r.indicator, r.indicator.decimals
        unit = ind.unit
        value = format_value(r.value, unit, lang, d) if r.value is not None else status_label(r.status, lang)
        ci = format_range(r.lower_ci, r.upper_ci, lang, d, unit) if r.lower_ci is not None and r.upper_ci is not None \
            else ""
        counts = (f"{_count_text(r.numerator, lang)} / {_count_text(r.denominator, lang)}"
                  if r.numerator is not None or r.denominator is not None else "")
        dist = r.distribution
        records.append({
            "theme": r.theme_title.get(lang),
            "indicator": ind.title.get(lang),
            "period": r.period,
            "value": value,
            "ci": ci,
            "counts": counts,
            "izmir": format_value(r.izmir.value if r.izmir else None, unit, lang, d),
            "district": format_value(r.district.value if r.district else None, unit, lang, d),
            "rank": r.rank,
            "rank_of": r.rank_of if r.value is not None else None,
            "range": format_range(dist.minimum, dist.maximum, lang, d, unit) if dist else "—",
            "verdict": verdict_words(r, lang),
            "verdict_998": compare_label(r.verdict_998, lang) if r.verdict_998 in COMPARE_LABELS else "—",
            "note": r.note.get(lang) if r.note else "",
        })
    columns = [c for c in TABLE_COLUMNS
               if (c != "district" or profile.area.level == "mahalle")
               and (c != "counts" or any(rec["counts"] for rec in records))]
    df = pd.DataFrame.from_records(records, columns=list(TABLE_COLUMNS))[columns]
    return df.astype({"rank": "Int64", "rank_of": "Int64"})


def trend_frame(profile: AreaProfile, indicator_id: str, lang: str) -> pd.DataFrame:
    """The trend of one indicator in long form: period, period_sort, series, value, value_text.

    Series: the area, İzmir and (for a mahalle) its district; a count shows the area alone (the
    İzmir and district values are totals on another scale). Periods without an 'ok' value are
    left out of their series.
    """
    row = profile.get(indicator_id)
    ind, area = row.indicator, profile.area
    comparable = ind.value_type not in NOT_BENCHMARKED
    series = [(area.name, "value")]
    if comparable:
        series.append((gettext("İzmir", lang), "izmir"))
        if area.level == "mahalle" and area.district_name:
            series.append((gettext("{district} district", lang, district=area.district_name), "district"))
    records = []
    for name, attr in series:
        for p in row.trend:
            v = getattr(p, attr)
            if v is not None:
                records.append({"period": p.period, "period_sort": p.period_sort, "series": name, "value": v,
                                "value_text": format_value(v, ind.unit, lang, ind.decimals)})
    return pd.DataFrame.from_records(records, columns=["period", "period_sort", "series", "value", "value_text"])
