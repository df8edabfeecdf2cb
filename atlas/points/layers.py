"""The point step of ``python -m atlas build``: every catalogue layer from its source files.

For each layer of ``geodata/point_layers.toml``: read its sources (:mod:`.read`), keep the rows of
the layer's kinds, check them (:mod:`.clean`: unparseable coordinates, duplicates, rows that are
not points of the layer), write them (:func:`.store.write_points`: district and mahalle, points
outside İzmir). The :class:`PointsReport` lists every reported point with counts and examples;
for each layer ``loaded == rows - dropped``.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from .assign import DEFAULT_TOLERANCE_M, AreaPolygons
from .catalogue import PointLayer
from .clean import DROPPING, REASONS, Problem, clean
from .read import read_source
from .store import write_layer, write_points


@dataclass
class LayerBuild:
    layer_id: str
    rows: int = 0                       # source rows of the layer's kinds
    loaded: int = 0
    problems: dict[str, Problem] = field(default_factory=dict)
    missing_sources: tuple[str, ...] = ()
    mahalle_in_other_district: int = 0
    districts: int = 0                  # districts with at least one point

    @property
    def dropped(self) -> int:
        return sum(p.count for reason, p in self.problems.items() if reason in DROPPING)

    def fact(self) -> str:
        return json.dumps({"rows": self.rows, "loaded": self.loaded, "districts": self.districts,
                           "reported": {r: p.count for r, p in self.problems.items()},
                           "mahalle_in_other_district": self.mahalle_in_other_district,
                           "missing_sources": list(self.missing_sources)}, sort_keys=True)

    def lines(self) -> list[str]:
        out = [f"{self.layer_id}: {self.loaded:,} points loaded of {self.rows:,} source rows "
               f"({self.dropped:,} not loaded), in {self.districts} districts"]
        if self.missing_sources:
            out.append(f"  sources missing, left out: {', '.join(self.missing_sources)}")
        for reason, p in self.problems.items():
            verb = "not loaded" if reason in DROPPING else "loaded"
            out.append(f"  {p.count:,} {verb}: {REASONS[reason]}")
            out += [f"      - {e}" for e in p.examples]
            if p.count > len(p.examples):
                out.append(f"      … and {p.count - len(p.examples):,} more")
        if self.mahalle_in_other_district:
            out.append(f"  {self.mahalle_in_other_district:,} points lie in a mahalle polygon of another district "
                       "than their district polygon (the two boundary sources differ)")
        return out


@dataclass
class PointsReport:
    layers: list[LayerBuild] = field(default_factory=list)
    skipped_layers: list[str] = field(default_factory=list)   # every source missing
    unused: dict[str, dict[str, int]] = field(default_factory=dict)  # source → kind → rows in no layer

    def layer(self, layer_id: str) -> LayerBuild:
        for lb in self.layers:
            if lb.layer_id == layer_id:
                return lb
        raise KeyError(layer_id)

    def lines(self) -> list[str]:
        out = [line for lb in self.layers for line in lb.lines()]
        if self.skipped_layers:
            out.append(f"point layers left out, their sources are missing: {', '.join(self.skipped_layers)}")
        for source, kinds in self.unused.items():
            listed = ", ".join(f"{k} {n:,}" for k, n in sorted(kinds.items(), key=lambda kv: -kv[1]))
            out.append(f"{source}: rows of no point layer, not loaded: {listed}")
        return out

    def facts(self) -> dict[str, str]:
        facts = {f"points_{lb.layer_id}": lb.fact() for lb in self.layers}
        facts["points_unused"] = json.dumps(self.unused, sort_keys=True, ensure_ascii=False)
        return facts


def build_points(con: duckdb.DuckDBPyConnection, layers: tuple[PointLayer, ...], paths: dict[str, Path],
                 absent: set[str], areas: AreaPolygons, *,
                 tolerance_m: float = DEFAULT_TOLERANCE_M) -> PointsReport:
    """Write every layer whose sources (or some of them) are present. ``paths``: source id → file;
    ``absent``: ids of the optional sources missing from the data directory. The sources must
    already be in the ``sources`` table."""
    report = PointsReport()
    raw_by_source: dict[str, pd.DataFrame] = {}
    used_kinds: dict[str, set[str]] = {}
    for layer in layers:
        present = [s for s in layer.sources if s not in absent]
        if not present:
            report.skipped_layers.append(layer.id)
            continue
        parts = []
        for source in present:
            if source not in raw_by_source:
                raw_by_source[source] = read_source(source, paths[source])
            raw = raw_by_source[source]
            used_kinds.setdefault(source, set()).update(layer.kinds)
            parts.append(raw[raw["kind"].isin(layer.kinds)].assign(source_id=source))
        raw = pd.concat(parts, ignore_index=True)
        lb = LayerBuild(layer.id, rows=len(raw), missing_sources=tuple(s for s in layer.sources if s in absent))
        if len(present) > 1:  # examples name the file when a layer has several
            raw["where"] = [f"{paths[s].name} {w}" for s, w in zip(raw["source_id"], raw["where"])]
        kept, problems = clean(raw)
        kept = kept.merge(raw[["point_id", "source_id"]].drop_duplicates("point_id"), on="point_id", how="left")
        write_layer(con, layer)
        written = write_points(con, layer.id, kept, present[0], tolerance_m=tolerance_m, areas=areas)
        lb.problems = {**problems, **written.problems}
        lb.loaded = written.written
        lb.mahalle_in_other_district = written.mahalle_in_other_district
        lb.districts = written.districts
        report.layers.append(lb)
    for source, raw in raw_by_source.items():
        rest = raw[~raw["kind"].isin(used_kinds[source])]
        if len(rest):
            report.unused[source] = dict(Counter(rest["kind"].fillna("(no tag)")))
    return report
