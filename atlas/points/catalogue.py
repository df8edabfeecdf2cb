"""The point-layer catalogue: ``geodata/point_layers.toml``, one ``[[layer]]`` table per layer.

Keys of a layer (all required unless marked optional):

* ``id``: lower-case letters, digits and ``_`` (``bus_stops``);
* ``title``: ``{ tr = …, en = … }``;
* ``category``: one of :data:`CATEGORIES`;
* ``kinds``: the kinds of point the layer holds (``["metro", "izban"]``); when the layer is built
  from a file that holds several kinds (the OSM extract), only these are taken;
* ``sources``: source ids of ``geodata/sources.toml`` the layer is built from;
* ``licence``, ``attribution``: ``{ tr, en }`` or one string for both, shown wherever the layer or
  an indicator derived from it appears;
* ``date``: the state of the data, ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``;
* ``access_m``: the straight-line access distances that matter for the layer, in metres
  (``[400]`` for bus stops);
* ``share_alike`` (optional, default false): the data's licence requires derived databases to be
  shared under the same licence (ODbL); the atlas then states it beside the attribution;
* ``note`` (optional): ``{ tr, en }``, what a user should know (what was left out).

A missing or unknown key, a value of the wrong type or outside its allowed set fails with a
CatalogueError naming the file, the layer and the key.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

from ..catalogue import Text, _Entry
from ..config import GEODATA_DIR
from ..errors import CatalogueError

POINT_LAYERS_FILE = GEODATA_DIR / "point_layers.toml"
CATEGORIES = ("transport", "green_space", "physical_activity", "health_service", "social_service", "other")
ACCESS_M_MAX = 5000
_ID = re.compile(r"^[a-z][a-z0-9_]{1,62}$")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True)
class PointLayer:
    id: str
    title: Text
    category: str
    kinds: tuple[str, ...]
    sources: tuple[str, ...]
    licence: Text
    attribution: Text
    date: str
    access_m: tuple[int, ...]
    share_alike: bool = False
    note: Text | None = None

    def row(self, origin: str = "catalogue") -> dict[str, Any]:
        """The columns of the ``point_layers`` table."""
        note = self.note
        return {
            "layer_id": self.id, "title_tr": self.title.tr, "title_en": self.title.en,
            "category": self.category, "kinds": json.dumps(list(self.kinds)),
            "source_ids": json.dumps(list(self.sources)),
            "licence_tr": self.licence.tr, "licence_en": self.licence.en,
            "attribution_tr": self.attribution.tr, "attribution_en": self.attribution.en,
            "data_date": self.date, "access_m": json.dumps(list(self.access_m)),
            "share_alike": self.share_alike,
            "note_tr": note.tr if note else None, "note_en": note.en if note else None,
            "origin": origin,
        }


def parse_layer(data: Mapping[str, Any], where: str, *, source_ids: Iterable[str] | None = None) -> PointLayer:
    """Validate one ``[[layer]]`` table; ``where`` names it in errors."""
    e = _Entry(data, where)
    ident = e.get("id", str)
    if not _ID.match(ident):
        raise e._fail("id", f"{ident!r} must be lower-case letters, digits and '_', starting with a letter")
    e.where = f"{where} (layer '{ident}')"
    kinds = e.str_list("kinds")
    for kind in kinds:
        if not _ID.match(kind):
            raise e._fail("kinds", f"{kind!r} must be lower-case letters, digits and '_', starting with a letter")
    known = None if source_ids is None else tuple(source_ids)
    sources = e.str_list("sources")
    for s in sources:
        if known is not None and s not in known:
            raise e._fail("sources", f"{s!r} is not a source id of geodata/sources.toml (known: {', '.join(known)})")
    date = e.get("date", str)
    if not _DATE.match(date):
        raise e._fail("date", f"{date!r} is not a date; use YYYY, YYYY-MM or YYYY-MM-DD")
    distances = e.get("access_m", list)
    if not distances:
        raise e._fail("access_m", "must list at least one distance in metres")
    for d in distances:
        if isinstance(d, bool) or not isinstance(d, int) or not 0 < d <= ACCESS_M_MAX:
            raise e._fail("access_m", f"every distance must be a whole number of metres from 1 to {ACCESS_M_MAX}, "
                                      f"got {d!r}")
    if len(set(distances)) != len(distances):
        raise e._fail("access_m", f"a distance is listed twice: {distances!r}")
    layer = PointLayer(
        id=ident,
        title=e.text("title"),
        category=e.choice("category", CATEGORIES),
        kinds=kinds,
        sources=sources,
        licence=e.text_or_str("licence"),
        attribution=e.text_or_str("attribution"),
        date=date,
        access_m=tuple(sorted(distances)),
        share_alike=e.get("share_alike", bool, optional=True, default=False),
        note=e.text("note", optional=True),
    )
    e.finish()
    return layer


def load_point_layers(path: Path | str = POINT_LAYERS_FILE, *,
                      source_ids: Iterable[str] | None = None) -> tuple[PointLayer, ...]:
    """Every layer of the catalogue file. ``source_ids``: the ids a layer's ``sources`` may name
    (those of geodata/sources.toml; the build passes them), or None to leave them unchecked."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            doc = tomllib.load(fh)
    except FileNotFoundError as exc:
        raise CatalogueError(f"point-layer catalogue missing: {path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"{path}: not valid TOML: {exc}") from exc
    unknown = sorted(set(doc) - {"layer"})
    if unknown:
        raise CatalogueError(f"{path.name}: unknown top-level key '{unknown[0]}' (expected only [[layer]] tables)")
    items = doc.get("layer")
    if not isinstance(items, list) or not items:
        raise CatalogueError(f"{path.name}: missing key 'layer' (expected one or more [[layer]] tables)")
    known = None if source_ids is None else tuple(source_ids)
    layers: list[PointLayer] = []
    for n, raw in enumerate(items, start=1):
        layer = parse_layer(raw, f"{path.name} [[layer]] #{n}", source_ids=known)
        if any(other.id == layer.id for other in layers):
            raise CatalogueError(f"{path.name} [[layer]] #{n}: layer id '{layer.id}' is listed twice")
        layers.append(layer)
    return tuple(layers)
