"""Which indicator is which access measure of which point layer: ``geodata/access_measures.toml``.

One ``[[measure]]`` table per indicator (the indicator's entry, with its title and method, is in
``indicators/access.toml``):

* ``indicator``: the id of an ``[[indicator]]`` of the catalogue;
* ``layer``: the id of a point layer (``geodata/point_layers.toml``, or a layer a user imported);
* ``measure``: one of :data:`MEASURES`:
  ``count`` (points in the area), ``per_10000`` (points per 10,000 residents),
  ``share_within`` (share of residents within ``distance_m`` of the nearest point),
  ``mean_distance`` (population-weighted mean distance to the nearest point, m),
  ``distinct_lines`` (population-weighted mean number of distinct lines serving the points within
  ``distance_m``; needs the points' ``lines`` attribute);
* ``distance_m`` (for ``share_within`` and ``distinct_lines`` only): metres, 1 to 5,000;
* ``served_only`` (optional, default false): use only the points that list at least one line (a
  bus stop without a line is probably not in use).

A missing or unknown key, or a value outside its allowed set, fails with a CatalogueError naming
the file, the entry and the key.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ..catalogue import _Entry
from ..config import GEODATA_DIR
from ..errors import CatalogueError

ACCESS_MEASURES_FILE = GEODATA_DIR / "access_measures.toml"
MEASURES = ("count", "per_10000", "share_within", "mean_distance", "distinct_lines")
WITH_DISTANCE = ("share_within", "distinct_lines")
MAX_DISTANCE_M = 5000


@dataclass(frozen=True)
class Measure:
    indicator: str
    layer: str
    measure: str
    distance_m: int | None = None
    served_only: bool = False


def parse_measure(raw, where: str, *, indicator_ids: Iterable[str] | None = None) -> Measure:
    e = _Entry(raw, where)
    ident = e.get("indicator", str)
    e.where = f"{where} (indicator '{ident}')"
    if indicator_ids is not None and ident not in set(indicator_ids):
        raise e._fail("indicator", f"{ident!r} is not an indicator of the catalogue (indicators/*.toml)")
    layer = e.get("layer", str)
    measure = e.choice("measure", MEASURES)
    distance = e.get("distance_m", int, optional=True)
    if measure in WITH_DISTANCE:
        if distance is None:
            raise e._fail("distance_m", f"the measure {measure!r} needs a distance in metres")
        if not 1 <= distance <= MAX_DISTANCE_M:
            raise e._fail("distance_m", f"{distance} is not allowed; use 1 to {MAX_DISTANCE_M} metres")
    elif distance is not None:
        raise e._fail("distance_m", f"the measure {measure!r} takes no distance")
    served = e.get("served_only", bool, optional=True, default=False)
    e.finish()
    return Measure(indicator=ident, layer=layer, measure=measure, distance_m=distance, served_only=served)


def load_measures(path: Path | str = ACCESS_MEASURES_FILE, *,
                  indicator_ids: Iterable[str] | None = None) -> tuple[Measure, ...]:
    """Every ``[[measure]]`` of ``path``; each indicator at most once."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            doc = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"{path}: not valid TOML: {exc}") from exc
    except OSError as exc:
        raise CatalogueError(f"cannot read the access measures {path}: {exc}") from exc
    unknown = sorted(set(doc) - {"measure"})
    if unknown:
        raise CatalogueError(f"{path.name}: unknown top-level key '{unknown[0]}' (expected only [[measure]] tables)")
    items = doc.get("measure")
    if not isinstance(items, list) or not items:
        raise CatalogueError(f"{path.name}: missing key 'measure' (expected one or more [[measure]] tables)")
    ids = list(indicator_ids) if indicator_ids is not None else None
    out: list[Measure] = []
    for n, raw in enumerate(items, start=1):
        m = parse_measure(raw, f"{path.name} [[measure]] #{n}", indicator_ids=ids)
        if any(o.indicator == m.indicator for o in out):
            raise CatalogueError(f"{path.name} [[measure]] #{n}: indicator '{m.indicator}' is listed twice")
        out.append(m)
    return tuple(out)


def for_layer(measures: Iterable[Measure], layer_id: str) -> tuple[Measure, ...]:
    return tuple(m for m in measures if m.layer == layer_id)
