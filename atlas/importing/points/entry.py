"""The ``--entry`` of a point import: a TOML file with exactly one ``[[layer]]`` table, which
registers a new point layer (or refreshes an imported one).

Its keys are those of ``geodata/point_layers.toml`` (:mod:`atlas.points.catalogue`) but
``sources``, which an import fills itself (the file is the layer's source), plus two keys that
describe the source:

* ``id``, ``title`` (``{ tr, en }``), ``category`` (transport, green_space, physical_activity,
  health_service, social_service, other), ``kinds`` (the kinds of point, e.g. ``["pharmacy"]``),
  ``licence`` and ``attribution`` (``{ tr, en }`` or one string), ``date`` (``YYYY``, ``YYYY-MM`` or
  ``YYYY-MM-DD``), ``access_m`` (the access distances in metres, 1–5,000), ``share_alike``
  (optional), ``note`` (optional, ``{ tr, en }``);
* ``source``: the title of the source (who published the list), shown with the layer;
* ``source_url``: where it was published, an ``http(s)://`` address.

Every key is checked; a missing, unknown or wrong one is a CatalogueError naming the key.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ...catalogue import http_url_problem
from ...errors import CatalogueError
from ...points.catalogue import PointLayer, parse_layer
from ..entry import read_entry_table
from ..problems import quoted

MAX_SOURCE_CHARS = 300


@dataclass(frozen=True)
class LayerEntry:
    """A new layer's catalogue entry and its source's title and address."""

    layer: PointLayer  # its ``sources`` hold a placeholder; the import writes its own source id
    source_title: str
    source_url: str


def load_layer_entry(path: Path) -> LayerEntry:
    """The one ``[[layer]]`` table of an entry file, validated; CatalogueError on any problem."""
    path = Path(path)
    table = read_entry_table(path, "layer", " (see docs/import.md, 'Point layers')")
    raw = dict(table)
    where = f"{path.name} [[layer]]"
    if "sources" in raw:
        raise CatalogueError(f"{where}: key 'sources': not given in an entry (the imported file is the layer's "
                             "source); describe it with 'source' (its title) and 'source_url'")
    source = raw.pop("source", None)
    url = raw.pop("source_url", None)
    if not isinstance(source, str) or not source.strip():
        raise CatalogueError(f"{where}: key 'source': required, the title of the source (who published the list), "
                             f"got {quoted(source) if source is not None else 'nothing'}")
    if len(source) > MAX_SOURCE_CHARS:
        raise CatalogueError(f"{where}: key 'source': at most {MAX_SOURCE_CHARS} characters, got {len(source):,}")
    if url is None:
        raise CatalogueError(f"{where}: key 'source_url': required, the http(s):// address where the list was "
                             "published (the portal's page of the data set)")
    if not isinstance(url, str):
        raise CatalogueError(f"{where}: key 'source_url': expected text, got {type(url).__name__}")
    if problem := http_url_problem(url):
        raise CatalogueError(f"{where}: key 'source_url': {problem}")
    layer = parse_layer({**raw, "sources": ["import"]}, where)
    return LayerEntry(layer, source.strip(), url)
