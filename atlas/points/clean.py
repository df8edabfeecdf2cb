"""Checking raw points before they are written: coordinates that do not parse, duplicates, rows
that are not points of the layer. Nothing is dropped silently: each reason has a
:class:`Problem` (count and up to :data:`SAMPLE` examples) in the build's report.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

SAMPLE = 5
# Two points closer than this (in degrees, about 1 cm) with the same name are the same place.
PLACE_DECIMALS = 7

REASONS = {
    "inactive": "not in service (AKTIF_MI false)",
    "not_station": "GTFS row that is not a station (entrance, node, platform of a listed station)",
    "unparseable": "coordinate missing or not a number in degrees",
    "duplicate_id": "same id as an earlier row (the first is kept)",
    "duplicate_place": "same coordinates and name as an earlier row (the first is kept)",
    "outside": "outside every district polygon by more than the tolerance (not loaded)",
    "outside_kept": "outside every district polygon but within the tolerance (loaded, given the nearest district)",
    "no_mahalle": "in no mahalle polygon and none within the tolerance (loaded without a mahalle)",
}
"""Why a point was reported; every reason but ``outside_kept`` and ``no_mahalle`` drops the point."""
DROPPING = ("inactive", "not_station", "unparseable", "duplicate_id", "duplicate_place", "outside")


@dataclass(frozen=True)
class Problem:
    count: int
    examples: tuple[str, ...]

    @classmethod
    def of(cls, examples: list[str]) -> "Problem":
        return cls(len(examples), tuple(examples[:SAMPLE]))


def _quoted(value: object, limit: int = 40) -> str:
    text = str(value)
    return repr(text if len(text) <= limit else text[:limit - 1] + "…")


def parse_coordinate(value: object) -> float | None:
    """A coordinate in degrees from a number or text (``"38.4152"``, ``" 38,4152 "`` with a decimal
    comma), or None when it is missing, not a number or not finite."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = str(value).replace("\u00a0", " ").strip()
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            return None
    return number if math.isfinite(number) else None


def describe(row, extra: str = "") -> str:
    name = f" {_quoted(row.name)}" if isinstance(row.name, str) else ""
    return f"{row.where}: {_quoted(row.point_id)}{name}{extra}"


def clean(raw: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, Problem]]:
    """Parse coordinates and drop what cannot be a point of the layer, in this order: rows whose
    ``status`` is not ``ok``, unparseable coordinates (or latitude beyond ±90°, longitude beyond
    ±180°), duplicate ids, then duplicate places (same coordinates to 7 decimals and same name).

    Returns the kept rows (``where, point_id, name, kind, attributes, lon, lat``) and the problems
    by reason (only reasons that occurred)."""
    problems: dict[str, Problem] = {}
    frame = raw.copy()
    for status in ("inactive", "not_station"):
        hit = frame["status"] == status
        if hit.any():
            problems[status] = Problem.of([describe(r) for r in frame[hit].itertuples()])
        frame = frame[~hit]
    frame = frame.assign(lon=pd.Series([parse_coordinate(v) for v in frame["lon_raw"]], index=frame.index, dtype=float),
                         lat=pd.Series([parse_coordinate(v) for v in frame["lat_raw"]], index=frame.index, dtype=float))
    bad = (frame["lon"].isna() | frame["lat"].isna()
           | (frame["lat"].abs() > 90) | (frame["lon"].abs() > 180))
    if bad.any():
        problems["unparseable"] = Problem.of([
            describe(r, f": lon {_quoted(r.lon_raw)}, lat {_quoted(r.lat_raw)}") for r in frame[bad].itertuples()])
    frame = frame[~bad]
    dup_id = frame["point_id"].duplicated(keep="first")
    if dup_id.any():
        problems["duplicate_id"] = Problem.of([describe(r) for r in frame[dup_id].itertuples()])
    frame = frame[~dup_id]
    place = pd.DataFrame({"x": frame["lon"].round(PLACE_DECIMALS), "y": frame["lat"].round(PLACE_DECIMALS),
                          "name": frame["name"].fillna("")})
    dup_place = place.duplicated(keep="first")
    if dup_place.any():
        problems["duplicate_place"] = Problem.of([
            describe(r, f" at {r.lon}, {r.lat}") for r in frame[dup_place].itertuples()])
    frame = frame[~dup_place]
    kept = frame[["where", "point_id", "name", "kind", "attributes", "lon", "lat"]].reset_index(drop=True)
    return kept.astype({"lon": float, "lat": float}), problems
