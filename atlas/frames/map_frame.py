"""The data behind a map view: one indicator × period × level, with geometry, rank and the
İzmir comparator. Plain pandas/geopandas; the pages and the export use the same frame.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import duckdb
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .. import queries
from ..catalogue import Indicator, Text
from ..values import note_text

HIDDEN_BY_DEFAULT = ("island", "industrial_zone", "free_zone")
NOT_BENCHMARKED = ("count",)
"""Value types never compared with the İzmir value: for a count, İzmir's value is the sum of the areas."""


@dataclass(frozen=True)
class Comparator:
    """The İzmir value of the indicator for the period (None when there is none)."""

    value: float | None
    lower_ci: float | None
    upper_ci: float | None
    note: Text | None


def _float(x) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def izmir_value(con: duckdb.DuckDBPyConnection, indicator_id: str, period: str) -> Comparator:
    df = queries.run(con, "get_izmir_value", {"indicator_id": indicator_id, "period": period})
    if df.empty or df.loc[0, "status"] != "ok":
        return Comparator(None, None, None, None if df.empty else note_text(df.loc[0, "note_tr"], df.loc[0, "note_en"]))
    r = df.iloc[0]
    return Comparator(_float(r["value"]), _float(r["lower_ci"]), _float(r["upper_ci"]),
                      note_text(r["note_tr"], r["note_en"]))


def ranks(values: pd.Series, polarity: str) -> pd.Series:
    """Rank 1 = best by polarity (highest value when there is no judgement); ties share the best rank.

    Values that are NaN (no 'ok' value) get no rank (<NA>).
    """
    ascending = polarity == "lower_is_better"
    return values.rank(method="min", ascending=ascending).astype("Int64")


def map_frame(con: duckdb.DuckDBPyConnection, ind: Indicator, period: str, level: str, *,
              hide_kinds: tuple[str, ...] = HIDDEN_BY_DEFAULT) -> gpd.GeoDataFrame:
    """Areas of ``level`` with the indicator's value for ``period``, rank of N, and difference from İzmir.

    Areas whose kind is in ``hide_kinds`` (islands, industrial and free zones by default) are left out.
    """
    df = queries.run(con, "get_map_values", {"indicator_id": ind.id, "period": period, "level": level})
    if hide_kinds:
        df = df[~df["kind"].isin(hide_kinds)]
    df = df.reset_index(drop=True)
    comp = izmir_value(con, ind.id, period)
    df["rank"] = ranks(df["value"], ind.polarity)
    df["rank_of"] = int(df["value"].notna().sum())
    df["diff_izmir"] = df["value"] - comp.value if comp.value is not None else np.nan
    geoms = shapely.from_wkb([bytes(b) for b in df.pop("geom_display_wkb")])
    return gpd.GeoDataFrame(df, geometry=geoms, crs="EPSG:4326")
