"""Importing a city's own point file as a point layer (issue #17):
``python -m atlas import-points FILE --layer ID [--entry ENTRY.toml] [--crs CRS] [--db PATH] [--dry-run]``.

A file (CSV/TXT, XLSX or GeoJSON; docs/import.md, "Point layers", and
``docs/examples/pharmacies_example.csv``) holds the points of ONE layer, one row per point. Steps:

1. **read** (``parse``): the indicator importer's reader for CSV/XLSX (encodings, separator, the
   limits of ``atlas.importing.limits``) or GeoJSON point features; coordinate, id, name and kind
   columns by their Turkish or English names (``columns``); numbers with a decimal comma or point;
2. **check** (``check``): the CRS (``crs``: WGS84, UTM 35N, TM27, TM30 — given with ``--crs`` or
   detected from the numbers), swapped latitude/longitude, points outside İzmir (the district
   polygons of the database), missing or non-numeric coordinates, duplicates, kinds; the layer
   (an imported one, or a new one from ``--entry``: ``entry``);
3. **write** (``write``): in a copy of the database, the source, the layer and its points
   (``atlas.points.store``), then the layer's access indicators (``atlas.access``); the copy
   replaces the database only when all of it succeeded. Any problem in steps 1–2 refuses the whole
   file, listing every problem with its row number, and nothing is written.
"""

from .check import TOLERANCE_M, CheckedPoints, check_points
from .crs import SUPPORTED, parse_crs, to_wgs84
from .entry import LayerEntry, load_layer_entry
from .parse import PointFile, RawPoint, parse_geojson, parse_point_table, read_points
from .write import PointsImportReport, import_points

__all__ = ["import_points", "PointsImportReport", "read_points", "parse_point_table", "parse_geojson", "PointFile",
           "RawPoint", "check_points", "CheckedPoints", "TOLERANCE_M", "SUPPORTED", "parse_crs", "to_wgs84",
           "load_layer_entry", "LayerEntry"]
