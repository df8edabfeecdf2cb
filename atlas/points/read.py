"""Reading the point files of ``../shared/data`` (each folder's SOURCE.md describes them).

Every reader returns a *raw* frame, one row per source row, with the columns of :data:`RAW_COLUMNS`:
``where`` (``line 12`` of a CSV, ``feature 5`` of a GeoJSON: for reports), ``point_id``, ``name``,
``kind``, ``attributes`` (dict), and ``lon_raw``/``lat_raw`` as the file gives them (text or a
number; :mod:`.clean` parses them and reports what does not parse), plus ``status``: ``ok``, or
why the row is not a point of the layer (``inactive``: a metro station not in service;
``not_station``: a GTFS entrance, node or platform of a station).

Quirks handled (SOURCE.md of ``izmir_public_transport_stops_eshot_metro``):

* ESHOT bus stops: ``DURAK_ID, DURAK_ADI, ENLEM`` (lat), ``BOYLAM`` (lon),
  ``DURAKTAN_GECEN_HATLAR`` — the lines serving the stop, ``-``-separated, empty for 94 stops
  (kept as an empty list). The portal's own file is ``;``-separated; both separators are read,
  and UTF-8 (with or without BOM) or Windows-1254.
* Metro: ``AKTIF_MI`` is ``"\\u00a0True"`` — it starts with a non-breaking space, stripped before
  comparing.
* İZBAN: a GTFS ``stops.txt``: ``stop_id, stop_name, stop_lat, stop_lon``; ``location_type`` and
  ``parent_station`` (empty here) say which rows are stations.
* OSM extract: GeoJSON points with ``element_type, osmid, leisure, landuse, natural, name``; the
  kind is the ``leisure`` tag, else ``landuse``, else ``natural``.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Callable

import pandas as pd

from ..errors import BuildError

RAW_COLUMNS = ("where", "point_id", "name", "kind", "attributes", "lon_raw", "lat_raw", "status")
_TRUE = {"true", "1", "evet", "e", "yes", "aktif"}
_FALSE = {"false", "0", "hayır", "hayir", "h", "no", "pasif"}


def _quoted(value: object, limit: int = 40) -> str:
    text = str(value)
    return repr(text if len(text) <= limit else text[:limit - 1] + "…")


def read_text(path: Path) -> str:
    """The file's text: UTF-8 (a BOM is dropped), else Windows-1254 (Turkish)."""
    data = Path(path).read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1254")


def read_table(path: Path, required: tuple[str, ...]) -> pd.DataFrame:
    """A CSV file as text columns (nothing converted, empty cells as ''), ``,`` or ``;`` separated.
    The column ``_line`` holds each row's line number in the file (the header is line 1)."""
    text = read_text(path)
    header = text.split("\n", 1)[0]
    sep = ";" if header.count(";") > header.count(",") else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
    if not rows:
        raise BuildError(f"{Path(path).name}: the file is empty; expected columns {', '.join(required)}")
    names = [c.strip().lstrip("\ufeff") for c in rows[0]]
    missing = [c for c in required if c not in names]
    if missing:
        raise BuildError(f"{Path(path).name}: expected columns {', '.join(required)}; missing {', '.join(missing)} "
                         f"(found: {', '.join(_quoted(n) for n in names)})")
    records, lines = [], []
    for n, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        row = row + [""] * (len(names) - len(row))
        records.append(dict(zip(names, row)))
        lines.append(n)
    frame = pd.DataFrame(records, columns=names, dtype=object)
    frame["_line"] = lines
    return frame


def _raw(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(RAW_COLUMNS), dtype=object)  # None stays None (not NaN)


def split_lines(text: str) -> list[str]:
    """``"29-30"`` → ``["29", "30"]``; an empty cell → ``[]`` (the stop lists no line)."""
    return [part.strip() for part in str(text).split("-") if part.strip()]


def read_eshot_bus_stops(path: Path) -> pd.DataFrame:
    t = read_table(path, ("DURAK_ID", "DURAK_ADI", "ENLEM", "BOYLAM", "DURAKTAN_GECEN_HATLAR"))
    return _raw([
        {"where": f"line {r['_line']}", "point_id": r["DURAK_ID"].strip(), "name": r["DURAK_ADI"].strip() or None,
         "kind": "bus_stop", "attributes": {"lines": split_lines(r["DURAKTAN_GECEN_HATLAR"])},
         "lon_raw": r["BOYLAM"], "lat_raw": r["ENLEM"], "status": "ok"}
        for r in t.to_dict("records")])


def active_flag(value: str, where: str) -> bool:
    """``AKTIF_MI``: ``"\\u00a0True"`` → True. Unknown values fail naming the value."""
    key = str(value).replace("\u00a0", " ").strip().lower()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise BuildError(f"{where}: AKTIF_MI is {_quoted(value)}; allowed: True or False (also 1/0, Evet/Hayır)")


def read_metro_stations(path: Path) -> pd.DataFrame:
    t = read_table(path, ("ISTASYON_ID", "ISTASYON_ADI", "ISTASYON_SIRASI", "AKTIF_MI", "BOYLAM", "ENLEM"))
    rows = []
    for r in t.to_dict("records"):
        where = f"{Path(path).name} line {r['_line']}"
        active = active_flag(r["AKTIF_MI"], where)
        order = r["ISTASYON_SIRASI"].strip()
        rows.append({"where": f"line {r['_line']}", "point_id": f"metro:{r['ISTASYON_ID'].strip()}",
                     "name": r["ISTASYON_ADI"].strip() or None, "kind": "metro",
                     "attributes": {"line": "M1", "order": int(order) if order.isdigit() else order},
                     "lon_raw": r["BOYLAM"], "lat_raw": r["ENLEM"], "status": "ok" if active else "inactive"})
    return _raw(rows)


def read_gtfs_stations(path: Path) -> pd.DataFrame:
    """Stations of a GTFS ``stops.txt``: rows with ``location_type`` 1 (station), and 0 or empty
    (stop) without a ``parent_station``; entrances, nodes, boarding areas (2–4) and the platforms
    of a listed station are marked ``not_station``."""
    t = read_table(path, ("stop_id", "stop_name", "stop_lat", "stop_lon"))
    rows = []
    for r in t.to_dict("records"):
        location_type = str(r.get("location_type", "")).strip()
        parent = str(r.get("parent_station", "")).strip()
        station = location_type == "1" or (location_type in ("", "0") and not parent)
        rows.append({"where": f"line {r['_line']}", "point_id": f"izban:{r['stop_id'].strip()}",
                     "name": r["stop_name"].strip() or None, "kind": "izban", "attributes": {"line": "İZBAN"},
                     "lon_raw": r["stop_lon"], "lat_raw": r["stop_lat"], "status": "ok" if station else "not_station"})
    return _raw(rows)


def read_osm_points(path: Path) -> pd.DataFrame:
    """The OSM extract (GeoJSON points). ``point_id`` is ``way/123`` (OSM type and id)."""
    try:
        doc = json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise BuildError(f"{Path(path).name}: not valid GeoJSON ({exc})") from exc
    features = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(features, list):
        raise BuildError(f"{Path(path).name}: expected a GeoJSON FeatureCollection with 'features'")
    rows = []
    for n, f in enumerate(features, start=1):
        props = f.get("properties") or {}
        geom = f.get("geometry") or {}
        coords = geom.get("coordinates") if geom.get("type") == "Point" else None
        lon, lat = (coords[0], coords[1]) if isinstance(coords, list) and len(coords) >= 2 else (None, None)
        kind = props.get("leisure") or props.get("landuse") or props.get("natural")
        osm_type, osmid = props.get("element_type"), props.get("osmid")
        name = props.get("name")
        rows.append({"where": f"feature {n}", "point_id": f"{osm_type}/{osmid}",
                     "name": name.strip() if isinstance(name, str) and name.strip() else None,
                     "kind": kind, "attributes": {"osm_type": osm_type, "osm_id": osmid},
                     "lon_raw": lon, "lat_raw": lat, "status": "ok"})
    return _raw(rows)


READERS: dict[str, Callable[[Path], pd.DataFrame]] = {
    "eshot_bus_stops": read_eshot_bus_stops,
    "izmir_metro_stations": read_metro_stations,
    "izban_stations": read_gtfs_stations,
    "osm_green_recreation": read_osm_points,
}
"""The reader of each point source of geodata/sources.toml."""


def read_source(source_id: str, path: Path) -> pd.DataFrame:
    try:
        reader = READERS[source_id]
    except KeyError:
        raise BuildError(f"no reader for point source {source_id!r}; readers exist for {', '.join(READERS)}") from None
    return reader(path)
