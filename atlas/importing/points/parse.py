"""Reading a point file into raw points: CSV/TXT and XLSX through the indicator importer's reader
(:func:`atlas.importing.read.read_table`: encodings UTF-8, UTF-8 with BOM, Windows-1254; separator;
XLSX; the limits of :mod:`atlas.importing.limits`), or GeoJSON point features.

Nothing is checked against İzmir or a CRS here: the coordinates are parsed into numbers (decimal
comma or point, detected per file), the id, name and kind taken from their columns and every other
column kept as an attribute. Problems are collected with row numbers as the user sees them (the
header is row 1; a GeoJSON feature is numbered from 1).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

from ..columns import header_key
from ..limits import MAX_CELL_CHARS, MAX_COLUMNS, MAX_FILE_BYTES, MAX_ROWS, mebibytes
from ..numbers import detect_decimal_mark, parse_number
from ...i18n import lazy
from ..problems import Problems, from_error, quoted, reject
from ..read import Cell, RawTable, cell_at, cell_text, decode_text, read_table
from ..rows import _CONTROL as CONTROL_CHARACTERS
from .columns import EAST, NORTH, role_of
from .crs import CrsInfo, parse_crs

_DMS = re.compile(r"[°'′\"″]|\d\s*[dD]\s*\d")


@dataclass
class PointProblems(Problems):
    """Problems of a point file; ``word`` is how its rows are called ('row', or 'feature' in GeoJSON)."""

    word: str = "row"

    def lines(self) -> list[str]:
        return [line.replace("row ", f"{self.word} ", 1) if line.startswith("row ") else line
                for line in super().lines()]


@dataclass(frozen=True)
class RawPoint:
    """One point as read: ``north``/``east`` are the coordinate columns as named (latitude/longitude,
    northing/easting), or ``y``/``x`` for x/y columns; floats, None when a cell was bad (a problem)."""

    row: int
    point_id: str | None
    name: str | None
    kind: str | None
    attributes: dict[str, str] | None
    first: float | None  # the latitude / northing / y column
    second: float | None  # the longitude / easting / x column


@dataclass(frozen=True)
class PointFile:
    name: str
    form: str  # "csv", "xlsx", "geojson"
    encoding: str
    decimal_mark: str | None
    axes: str  # "named": latitude/longitude or northing/easting columns; "xy": x/y columns (order from values)
    columns: dict[str, str]  # role → header as written
    points: tuple[RawPoint, ...]
    problems: PointProblems
    crs: CrsInfo | None = None  # given by the file (GeoJSON "crs" member)
    has_id: bool = True

    @property
    def first_name(self) -> str:
        return self.columns.get("north") or self.columns.get("y") or "y"

    @property
    def second_name(self) -> str:
        return self.columns.get("east") or self.columns.get("x") or "x"


def read_points(path: Path) -> PointFile:
    """Read a CSV/TXT, XLSX or GeoJSON point file; ImportRejected when it cannot be read at all."""
    path = Path(path)
    if path.suffix.lower() in (".geojson", ".json"):
        return _read_geojson(path)
    table = read_table(path)
    form = "xlsx" if table.encoding == "xlsx" else "csv"
    return parse_point_table(table, path.name, form)


# --- CSV / XLSX ---------------------------------------------------------------------------------

def _map_header(table: RawTable, problems: PointProblems) -> tuple[dict[str, int], dict[int, str]]:
    """Role → column index, and the attribute columns (index → header)."""
    roles: dict[str, int] = {}
    attributes: dict[int, str] = {}
    seen_attr: dict[str, int] = {}
    for i, header in enumerate(table.header):
        text = (header or "").strip()
        if not text:
            if any(cell_text(cell_at(cells, i)) for _, cells in table.rows):
                problems.add(table.header_row, lazy.gettext("column {number} has values but no header name",
                                                            number=i + 1))
            continue
        if CONTROL_CHARACTERS.search(text):
            problems.add(table.header_row, lazy.gettext("column {number}: the header holds a control character",
                                                        number=i + 1))
            continue
        role = role_of(text)
        if role is not None and role in roles:
            problems.add(table.header_row, lazy.gettext("column {name} repeats {first} (both are the {role} column)",
                                                        name=quoted(text), first=quoted(table.header[roles[role]]),
                                                        role=role))
        elif role is not None:
            roles[role] = i
        elif (key := header_key(text)) in seen_attr:
            problems.add(table.header_row, lazy.gettext("column {name} is given twice", name=quoted(text)))
        else:
            seen_attr[key] = i
            attributes[i] = text
    return roles, attributes


def _axes(roles: dict[str, int], header: tuple[str, ...], attributes: dict[int, str],
          problems: PointProblems, header_row: int) -> str | None:
    """Which coordinate columns the file uses: 'named' or 'xy' (None and a problem when neither). A file
    with both keeps its x/y columns as attributes (e.g. a projected copy of the coordinates)."""
    named = {"north", "east"} & set(roles)
    xy = {"x", "y"} & set(roles)
    if named == {"north", "east"}:
        for r in ("x", "y"):
            if r in roles:
                i = roles.pop(r)
                attributes[i] = header[i].strip()
        return "named"
    if xy == {"x", "y"} and not named:
        return "xy"
    if named:
        missing = lazy.gettext("longitude (boylam)") if "north" in named else lazy.gettext("latitude (enlem)")
        problems.add(header_row, lazy.gettext("missing the {missing} column; the coordinate columns are {north} and "
                                              "{east}, or x and y", missing=missing, north="/".join(NORTH[:3]),
                                              east="/".join(EAST[:3])))
        return None
    if xy:
        problems.add(header_row, lazy.gettext("missing column {column}: x and y come together",
                                              column="y" if "x" in xy else "x"))
        return None
    problems.add(header_row, lazy.gettext("no coordinate columns; name them enlem and boylam (or lat/lon, "
                                          "latitude/longitude, x and y, koordinat_x and koordinat_y): see "
                                          "docs/import.md"))
    return None


def _coordinate_mark(texts: list[str]) -> str:
    """The decimal mark of the coordinates: the one their unambiguous numbers use; '.' when none is
    unambiguous (``27.128`` is a longitude, never 27,128: coordinates have no thousands separators
    in practice, and a comma-decimal file shows itself in ``38,4189``)."""
    return detect_decimal_mark(texts, ",")  # the delimiter ',' makes '.' the default


def _coordinate(row: int, column: str, cell: Cell, mark: str, problems: PointProblems) -> float | None:
    text = cell_text(cell)
    if not text:
        problems.add(row, lazy.gettext("{column} is empty; every point needs both coordinates", column=column))
        return None
    if isinstance(cell, str) and _DMS.search(cell):
        problems.add(row, lazy.gettext("{column}: {value} is in degrees, minutes and seconds; write decimal "
                                       "degrees (38.4189) or metres", column=column, value=quoted(text)))
        return None
    try:
        value = parse_number(cell, mark)
    except ValueError as exc:
        problems.add(row, lazy.gettext("{column}: {problem}", column=column, problem=from_error(exc)))
        return None
    return value


def _text(row: int, column: str, cell: Cell, problems: PointProblems) -> str | None:
    text = cell_text(cell)
    if not text:
        return None
    if bad := CONTROL_CHARACTERS.search(text):
        problems.add(row, lazy.gettext("{column} holds the control character {code} at character {position}; "
                                       "text may hold letters, digits, punctuation, spaces and line breaks only",
                                       column=column, code=f"U+{ord(bad.group()):04X}",
                                       position=f"{bad.start() + 1:,}"))
        return None
    return text


def parse_point_table(table: RawTable, name: str, form: str = "csv") -> PointFile:
    """Parse the rows of a CSV/XLSX table into raw points; problems are collected, not raised."""
    problems = PointProblems()
    roles, attributes = _map_header(table, problems)
    axes = _axes(roles, table.header, attributes, problems, table.header_row)
    columns = {role: table.header[i].strip() for role, i in roles.items()}
    first_role, second_role = ("north", "east") if axes == "named" else ("y", "x")
    points: list[RawPoint] = []
    mark = None
    if axes is not None:
        texts = [c for _, cells in table.rows for r in (first_role, second_role)
                 for c in [cell_at(cells, roles[r])] if isinstance(c, str)]
        mark = _coordinate_mark(texts)
        width = len(table.header)
        for number, cells in table.rows:
            if not any(cell_text(c) for c in cells):
                continue  # a blank row (it still counts for the row numbers)
            if any(cell_text(c) for c in cells[width:]):
                problems.add(number, lazy.gettext("the row has more cells ({cells}) than the header ({width})",
                                                  cells=len(cells), width=width))
            first = _coordinate(number, columns[first_role], cell_at(cells, roles[first_role]), mark, problems)
            second = _coordinate(number, columns[second_role], cell_at(cells, roles[second_role]), mark, problems)
            texts_of = {r: _text(number, columns[r], cell_at(cells, roles[r]), problems)
                        for r in ("id", "name", "kind") if r in roles}
            attrs = {h: t for i, h in attributes.items()
                     if (t := _text(number, h, cell_at(cells, i), problems)) is not None}
            points.append(RawPoint(number, texts_of.get("id"), texts_of.get("name"), texts_of.get("kind"),
                                   attrs or None, first, second))
        if not points and not problems:
            problems.add(0, lazy.gettext("the file has a header but no data rows"))
    return PointFile(name, form, table.encoding, mark, axes or "", columns, tuple(points), problems,
                     has_id="id" in roles)


# --- GeoJSON --------------------------------------------------------------------------------------

def _read_geojson(path: Path) -> PointFile:
    if not path.is_file():
        raise reject(path.name, lazy.gettext("no such file: {path}", path=str(path)))
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise reject(path.name, lazy.gettext("the file is {size}; the limit is {limit} per file",
                                             size=mebibytes(size), limit=mebibytes(MAX_FILE_BYTES)))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise reject(path.name, lazy.gettext("cannot read the file: {reason}",
                                             reason=str(exc.strerror or exc))) from exc
    text, encoding = decode_text(data, path.name)
    try:
        doc = json.loads(text, parse_constant=_no_constant)
    except (json.JSONDecodeError, ValueError, RecursionError) as exc:
        raise reject(path.name, lazy.gettext("not a readable GeoJSON file: {reason}", reason=str(exc)[:120])) from exc
    return parse_geojson(doc, path.name, encoding)


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def parse_geojson(doc: object, name: str, encoding: str = "utf-8") -> PointFile:
    """A GeoJSON FeatureCollection (or one Feature) of Point features as raw points (lon, lat in
    that order, as RFC 7946 writes them). An old-style ``crs`` member names the CRS."""
    problems = PointProblems(word="feature")
    if isinstance(doc, dict) and doc.get("type") == "Feature":
        features = [doc]
    elif isinstance(doc, dict) and doc.get("type") == "FeatureCollection" and isinstance(doc.get("features"), list):
        features = doc["features"]
    else:
        raise reject(name, lazy.gettext("not a GeoJSON FeatureCollection of point features"))
    if len(features) > MAX_ROWS:
        raise reject(name, lazy.gettext("the file has {count} features; the limit is {limit} per file",
                                        count=f"{len(features):,}", limit=f"{MAX_ROWS:,}"))
    crs = None
    if (given := doc.get("crs")) is not None:
        crs_name = given.get("properties", {}).get("name") if isinstance(given, dict) else None
        try:
            crs = parse_crs(str(crs_name))
        except ValueError as exc:
            raise reject(name, lazy.gettext("the file's crs member: {problem}", problem=from_error(exc))) from exc
    points: list[RawPoint] = []
    seen_roles: dict[str, str] = {}
    for n, feature in enumerate(features, start=1):
        point = _feature(n, feature, problems, seen_roles)
        if point is not None:
            points.append(point)
    if not features:
        problems.add(0, lazy.gettext("the file holds no features"))
    has_id = "id" in seen_roles or any(isinstance(f, dict) and f.get("id") is not None for f in features)
    return PointFile(name, "geojson", encoding, None, "named", {"north": "latitude", "east": "longitude",
                                                                **seen_roles}, tuple(points), problems, crs,
                     has_id=has_id)


def _property_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def _feature(n: int, feature: object, problems: PointProblems, seen_roles: dict[str, str]) -> RawPoint | None:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        problems.add(n, lazy.gettext("not a GeoJSON Feature"))
        return None
    geometry = feature.get("geometry")
    if not isinstance(geometry, dict) or geometry.get("type") != "Point":
        kind = geometry.get("type") if isinstance(geometry, dict) else "no"
        problems.add(n, lazy.gettext("{geometry} geometry; only Point features are read (save polygons' centroids "
                                     "or entrances as points)",
                                     geometry=quoted(kind) if isinstance(kind, str) else lazy.gettext("an unknown")))
        return None
    coordinates = geometry.get("coordinates")
    if (not isinstance(coordinates, list) or len(coordinates) < 2
            or not all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in coordinates[:2])
            or not all(math.isfinite(c) for c in coordinates[:2])):
        problems.add(n, lazy.gettext("the coordinates {value} are not two numbers",
                                     value=quoted(json.dumps(coordinates))[:60]))
        return None
    properties = feature.get("properties") or {}
    if not isinstance(properties, dict):
        problems.add(n, lazy.gettext("properties is not an object"))
        return None
    if len(properties) > MAX_COLUMNS:
        problems.add(n, lazy.gettext("the feature has {count} properties; the limit is {limit}",
                                     count=f"{len(properties):,}", limit=MAX_COLUMNS))
        return None
    roles: dict[str, str | None] = {}
    attrs: dict[str, str] = {}
    before = len(problems.items)
    for key, value in properties.items():
        text = _property_text(value)
        if len(text) > MAX_CELL_CHARS or len(str(key)) > MAX_CELL_CHARS:
            problems.add(n, lazy.gettext("property {name} holds {count} characters; the limit is {limit}",
                                         name=quoted(key), count=f"{len(text):,}", limit=f"{MAX_CELL_CHARS:,}"))
            continue
        role = role_of(str(key))
        if role in ("id", "name", "kind") and role not in roles:
            roles[role] = _text(n, str(key), text, problems)
            seen_roles.setdefault(role, str(key))
        elif text:
            value_text = _text(n, str(key), text, problems)
            if value_text is not None:
                attrs[str(key)] = value_text
    fid = feature.get("id")
    point_id = _property_text(fid) if fid is not None else roles.get("id")
    if len(problems.items) > before:
        return None
    return RawPoint(n, point_id or None, roles.get("name"), roles.get("kind"), attrs or None,
                    float(coordinates[1]), float(coordinates[0]))
