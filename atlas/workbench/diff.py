"""What a staged database changes against the published one: the comparison an editor sees before
publishing, and the ``changes`` stored with the published version.

``diff_databases(published, staged)`` opens both read-only and compares:

* the indicator values, per indicator × level × period: rows added, changed (value, numerator,
  denominator, CI, status or note) and removed;
* the largest changes of a value that is shown before and after (status 'ok' in both), per indicator:
  the area, old, new and the difference (new − old);
* the areas that lost a value: shown before (status 'ok'), and now removed or not shown (suppressed,
  missing…);
* the indicators added or removed, or whose catalogue entry changed;
* the points of each point layer added, changed (place, name, kind or attributes) or removed.

``Diff.summary()`` is plain JSON (numbers, strings, lists, dicts): the history stores it as the version's
``changes``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb
import pandas as pd

from .. import queries

KEY = ["indicator_id", "level", "area_code", "period"]
COMPARED = ["value", "numerator", "denominator", "lower_ci", "upper_ci", "status", "note_tr", "note_en"]
POINT_KEY = ["layer_id", "point_id"]
POINT_COMPARED = ["name", "kind", "attributes", "lon", "lat"]
LARGEST = 10  # largest changes kept per indicator
LOST_LISTED = 200  # areas that lost a value listed in the summary (all are counted)


@dataclass(frozen=True)
class GroupChange:
    """Rows added, changed and removed for one indicator × level × period."""

    indicator_id: str
    level: str
    period: str
    added: int
    changed: int
    removed: int


@dataclass(frozen=True)
class ValueChange:
    """A shown value that changed: ``difference`` is new − old."""

    indicator_id: str
    level: str
    period: str
    area_code: str
    area: str
    old: float
    new: float
    difference: float


@dataclass(frozen=True)
class LostValue:
    """An area whose shown value is gone: ``now`` is 'removed' or the new status ('suppressed', …)."""

    indicator_id: str
    level: str
    period: str
    area_code: str
    area: str
    old: float
    now: str


@dataclass(frozen=True)
class IndicatorChange:
    indicator_id: str
    change: str  # 'added', 'removed' or 'entry_changed'


@dataclass(frozen=True)
class LayerChange:
    layer_id: str
    added: int
    changed: int
    removed: int


@dataclass(frozen=True)
class Diff:
    groups: tuple[GroupChange, ...]
    largest: tuple[ValueChange, ...]
    lost: tuple[LostValue, ...]
    indicators: tuple[IndicatorChange, ...] = ()
    layers: tuple[LayerChange, ...] = ()

    @property
    def added(self) -> int:
        return sum(g.added for g in self.groups)

    @property
    def changed(self) -> int:
        return sum(g.changed for g in self.groups)

    @property
    def removed(self) -> int:
        return sum(g.removed for g in self.groups)

    @property
    def empty(self) -> bool:
        return not (self.groups or self.indicators or self.layers)

    def summary(self) -> dict:
        """The comparison as JSON-able data (what the version history stores)."""
        return {
            "rows": {"added": self.added, "changed": self.changed, "removed": self.removed},
            "groups": [asdict(g) for g in self.groups],
            "largest": [asdict(c) for c in self.largest],
            "lost": [asdict(v) for v in self.lost[:LOST_LISTED]],
            "lost_count": len(self.lost),
            "indicators": [asdict(i) for i in self.indicators],
            "layers": [asdict(layer) for layer in self.layers],
        }


@dataclass(frozen=True)
class _Snapshot:
    values: pd.DataFrame
    areas: dict[tuple[str, str], str]
    indicators: dict[str, str]  # id → metadata_json
    points: pd.DataFrame


def _read(path: Path) -> _Snapshot:
    con = duckdb.connect(str(path), read_only=True)
    try:
        values = queries.run(con, "list_values_for_diff")
        areas = queries.run(con, "list_areas_for_diff")
        meta = queries.run(con, "list_indicator_metadata")
        points = queries.run(con, "list_points_for_diff")
    finally:
        con.close()
    names = {}
    for r in areas.itertuples(index=False):
        label = f"{r.name} ({r.district})" if isinstance(r.district, str) else str(r.name)
        names[(str(r.level), str(r.code))] = label
    return _Snapshot(values, names, dict(zip(meta["indicator_id"], meta["metadata_json"])), points)


def _differs(merged: pd.DataFrame, columns: list[str]) -> pd.Series:
    out = pd.Series(False, index=merged.index)
    for c in columns:
        old, new = merged[f"{c}_old"], merged[f"{c}_new"]
        same = (old == new) | (old.isna() & new.isna())
        out |= ~same.fillna(False).astype(bool)
    return out


def diff_databases(published: Path, staged: Path) -> Diff:
    """What ``staged`` changes against ``published`` (both atlas databases, opened read-only)."""
    old, new = _read(Path(published)), _read(Path(staged))
    merged = old.values.merge(new.values, on=KEY, how="outer", suffixes=("_old", "_new"), indicator=True)
    merged["added"] = merged["_merge"] == "right_only"
    merged["removed"] = merged["_merge"] == "left_only"
    merged["changed"] = (merged["_merge"] == "both") & _differs(merged, COMPARED)
    touched = merged[merged["added"] | merged["removed"] | merged["changed"]]
    groups = tuple(
        GroupChange(str(i), str(lv), str(p), int(g["added"].sum()), int(g["changed"].sum()), int(g["removed"].sum()))
        for (i, lv, p), g in touched.groupby(["indicator_id", "level", "period"], sort=True))

    def area(level: str, code: str) -> str:
        return new.areas.get((level, code)) or old.areas.get((level, code)) or code

    shown = touched[(touched["status_old"] == "ok") & (touched["status_new"] == "ok")
                    & (touched["value_old"] != touched["value_new"])].copy()
    shown["difference"] = shown["value_new"] - shown["value_old"]
    shown["size"] = shown["difference"].abs()
    largest = []
    for _ind, g in shown.sort_values(["indicator_id", "size", "level", "area_code", "period"],
                                     ascending=[True, False, True, True, True]).groupby("indicator_id", sort=True):
        for r in g.head(LARGEST).itertuples(index=False):
            largest.append(ValueChange(r.indicator_id, r.level, r.period, r.area_code, area(r.level, r.area_code),
                                       float(r.value_old), float(r.value_new), float(r.difference)))
    gone = touched[(touched["status_old"] == "ok") & (touched["status_new"] != "ok")]
    lost = tuple(LostValue(r.indicator_id, r.level, r.period, r.area_code, area(r.level, r.area_code),
                           float(r.value_old), "removed" if pd.isna(r.status_new) else str(r.status_new))
                 for r in gone.sort_values(KEY).itertuples(index=False))
    return Diff(groups, tuple(largest), lost, _indicator_changes(old.indicators, new.indicators),
                _layer_changes(old.points, new.points))


def _indicator_changes(old: dict[str, str], new: dict[str, str]) -> tuple[IndicatorChange, ...]:
    out = []
    for ind in sorted(set(old) | set(new)):
        if ind not in old:
            out.append(IndicatorChange(ind, "added"))
        elif ind not in new:
            out.append(IndicatorChange(ind, "removed"))
        elif old[ind] != new[ind]:
            out.append(IndicatorChange(ind, "entry_changed"))
    return tuple(out)


def _layer_changes(old: pd.DataFrame, new: pd.DataFrame) -> tuple[LayerChange, ...]:
    merged = old.merge(new, on=POINT_KEY, how="outer", suffixes=("_old", "_new"), indicator=True)
    merged["added"] = merged["_merge"] == "right_only"
    merged["removed"] = merged["_merge"] == "left_only"
    merged["changed"] = (merged["_merge"] == "both") & _differs(merged, POINT_COMPARED)
    touched = merged[merged["added"] | merged["removed"] | merged["changed"]]
    return tuple(LayerChange(str(layer), int(g["added"].sum()), int(g["changed"].sum()), int(g["removed"].sum()))
                 for layer, g in touched.groupby("layer_id", sort=True))
