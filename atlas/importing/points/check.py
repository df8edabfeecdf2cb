"""Checking the raw points of a file: which CRS and which axis order the numbers are in, swapped
latitude/longitude, points outside İzmir, duplicates and kinds. The outcome is either a frame for
:func:`atlas.points.store.write_points` or problems (with row numbers); nothing is written here.

How the CRS and the axis order are decided (docs/import.md, "Point layers"):

1. Every row with two numbers is tried in both orders (as the columns are named, and swapped)
   against İzmir's envelope as each supported CRS writes it (:mod:`.crs`). The combination that
   holds the most rows wins; with ``--crs`` (or a GeoJSON ``crs`` member) only that CRS is tried.
2. No row fits any combination: the CRS is unknown (refused, the supported ranges listed).
   The winner is UTM 35N/TM27 (the same ranges): ambiguous, refused unless ``--crs`` names one.
3. Columns named latitude/longitude (``enlem``/``boylam``, …) whose values fit only swapped: the
   file is refused as swapped (every ``enlem`` in İzmir's longitude range and the other way round).
   Columns named ``x``/``y`` may be in either order (GIS: x = easting; Turkish surveying: X =
   northing): the order the values show is taken and reported.
4. A row that fits the other order than the file's is refused as swapped; a row that fits another
   CRS family (metres in a file of degrees) as mixed; any other row outside the envelope as outside
   İzmir.
5. The rest are reprojected to WGS84 (pyproj) and placed in the district polygons of the database
   (:func:`atlas.points.assign.locate_points`): a point farther than :data:`TOLERANCE_M` from every
   district is outside İzmir.
6. Duplicate ids (and, with or without ids, the same name at the same coordinates) are refused.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...points.assign import AreaPolygons, locate_points
from ..columns import header_key
from ...i18n import lazy
from ..problems import quoted
from .crs import (
    SUPPORTED,
    CrsInfo,
    bounds,
    family_members,
    inside,
    range_text,
    to_wgs84,
)
from .parse import PointFile, PointProblems, RawPoint

TOLERANCE_M = 250.0
"""A point outside every district polygon but within this distance of one is taken (the coast and
the district borders are drawn at 1:1 M scale: a pharmacy on the waterfront may lie just outside);
farther away it is refused as outside İzmir. Passed to write_points as its tolerance too."""

PLACE_DECIMALS = 7  # two points with the same name closer than ~1 cm are the same place


@dataclass(frozen=True)
class CheckedPoints:
    """The points that passed, ready for ``write_points``, and what the report says about them."""

    frame: pd.DataFrame  # point_id, name, kind, attributes, lon, lat, row
    crs: CrsInfo
    crs_detected: bool
    axis_note: str | None  # e.g. "x holds northings, y eastings (the Turkish surveying order)"
    numbered: bool  # no id column: the points are numbered by their row
    nearest: int  # points just outside every district polygon, within the tolerance


def _fmt(value: float) -> str:
    if abs(value) < 1000:
        return f"{value:.6f}".rstrip("0").rstrip(".")
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _family_ranges() -> str:
    """İzmir's envelope in each family of supported CRSs, in km for metres, for the unknown-CRS message."""
    parts = []
    for family in dict.fromkeys(c.family for c in SUPPORTED):
        members = family_members(family)
        e0, n0, e1, n1 = bounds(members[0].code)
        codes = ", ".join(m.code for m in members)
        if members[0].unit == "degrees":
            parts.append(f"longitude {e0:g}–{e1:g}, latitude {n0:g}–{n1:g} ({codes})")
        else:
            parts.append(f"easting {e0 / 1000:,.0f}–{e1 / 1000:,.0f} km, northing {n0 / 1000:,.0f}–{n1 / 1000:,.0f} km "
                         f"({codes})")
    return "; ".join(parts)


def _orders(pf: PointFile) -> dict[str, str]:
    """The two axis orders of a file, by name: 'as named' and 'swapped' (what they mean, for messages)."""
    if pf.axes == "xy":
        return {"as_named": f"{pf.second_name} = easting/longitude, {pf.first_name} = northing/latitude",
                "swapped": f"{pf.second_name} = northing/latitude, {pf.first_name} = easting/longitude"}
    return {"as_named": "as named", "swapped": "swapped"}


def _east_north(first: np.ndarray, second: np.ndarray, order: str) -> tuple[np.ndarray, np.ndarray]:
    return (second, first) if order == "as_named" else (first, second)


def decide_crs(pf: PointFile, given: CrsInfo | None, problems: PointProblems,
               first: np.ndarray, second: np.ndarray) -> tuple[CrsInfo, str] | None:
    """The CRS and the axis order ('as_named' or 'swapped') of a file; None and a problem when the
    CRS is unknown or ambiguous, or the latitude/longitude columns are swapped."""
    candidates = (given,) if given is not None else SUPPORTED
    scores: list[tuple[int, str, CrsInfo]] = []
    for info in candidates:
        for order in ("as_named", "swapped"):
            east, north = _east_north(first, second, order)
            scores.append((int(inside(info.code, east, north).sum()), order, info))
    best = max(s[0] for s in scores) if scores else 0
    example = ", ".join(f"{pf.first_name} {_fmt(a)} / {pf.second_name} {_fmt(b)}"
                        for a, b in list(zip(first, second))[:2])
    if best == 0:
        if given is not None:
            others = [c for c in SUPPORTED if c.family != given.family
                      and any(inside(c.code, *_east_north(first, second, o)).any() for o in ("as_named", "swapped"))]
            hint = f"; they fit {others[0].code} ({others[0].name}): check --crs" if others else ""
            problems.add(0, f"no point lies in İzmir as {given.code} ({given.name}) writes it ({range_text(given.code)}); "
                            f"the file has e.g. {example}{hint}")
        else:
            problems.add(0, "unknown coordinate reference system: no point lies in İzmir in any supported system "
                            f"(the file has e.g. {example}). İzmir lies at " + _family_ranges()
                            + ". Convert other systems (ED50, Web Mercator, …) to one of these first")
        return None
    winners = [(order, info) for n, order, info in scores if n == best]
    families = {info.family for _, info in winners}
    orders = {order for order, _ in winners}
    order = "as_named" if "as_named" in orders else "swapped"
    info = next(i for o, i in winners if o == order)
    if given is None and len(families) == 1 and len(members := family_members(info.family)) > 1:
        names = " or ".join(f"{m.name} ({m.code})" for m in members)
        problems.add(0, f"the coordinates are metres on the 27° E meridian: {names}. The two cannot be told apart "
                        "from the numbers (their northings differ by about 1.7 km at İzmir), so say which with "
                        + " or ".join(f"--crs {m.code}" for m in members))
        return None
    if len(orders) == 1 and order == "swapped" and pf.axes == "named":
        n_swapped = best
        problems.add(0, f"latitude and longitude look swapped: in {n_swapped:,} of {len(first):,} rows the "
                        f"{quoted(pf.first_name)} column (latitude) holds values in İzmir's longitude range and "
                        f"{quoted(pf.second_name)} (longitude) values in its latitude range "
                        f"({range_text(info.code)}; e.g. {example}). Exchange the two column names")
        return None
    return info, order


def check_points(pf: PointFile, given: CrsInfo | None, areas: AreaPolygons, layer_kinds: tuple[str, ...],
                 ) -> tuple[CheckedPoints | None, PointProblems]:
    """Check every raw point; problems are collected in ``pf.problems`` (returned) and the checked
    points returned when there are none."""
    problems = pf.problems
    given = given if given is not None else pf.crs
    rows = [p for p in pf.points if p.first is not None and p.second is not None]
    if not rows:
        if not problems:
            problems.add(0, lazy.gettext("the file holds no points"))
        return None, problems
    first = np.array([p.first for p in rows], dtype=float)
    second = np.array([p.second for p in rows], dtype=float)
    decided = decide_crs(pf, given, problems, first, second)
    if decided is None:
        return None, problems
    info, order = decided
    other = "swapped" if order == "as_named" else "as_named"
    east, north = _east_north(first, second, order)
    fits = inside(info.code, east, north)
    fits_other_order = inside(info.code, *_east_north(first, second, other))
    for i in np.flatnonzero(~fits):
        p = rows[i]
        where = f"{pf.first_name} {_fmt(p.first)}, {pf.second_name} {_fmt(p.second)}"
        if fits_other_order[i]:
            problems.add(p.row, lazy.gettext("latitude and longitude are swapped in this row ({where}); the other "
                                             "rows have them the other way round", where=where))
            continue
        family = next((c for c in SUPPORTED if c.family != info.family
                       and any(inside(c.code, *_east_north(first[i:i + 1], second[i:i + 1], o))[0]
                               for o in ("as_named", "swapped"))), None)
        if family is not None:
            problems.add(p.row, lazy.gettext("{where} look like {unit} ({name}) while the file is in {file_unit} "
                                             "({code}); one file uses one coordinate system", where=where,
                                             unit=family.unit, name=family.name, file_unit=info.unit,
                                             code=info.code))
        else:
            problems.add(p.row, lazy.gettext("{where} is outside İzmir ({code}: {range})", where=where,
                                             code=info.code, range=range_text(info.code)))
    ok = [rows[i] for i in np.flatnonzero(fits)]
    lon, lat = to_wgs84(info.code, east[fits], north[fits])
    frame = pd.DataFrame({"row": [p.row for p in ok], "lon": lon, "lat": lat})
    nearest = 0
    if len(frame):
        located = locate_points(frame, areas, tolerance_m=TOLERANCE_M)
        for r, placement, outside_m, lo, la in zip(frame["row"], located["placement"], located["outside_m"],
                                                  frame["lon"], frame["lat"]):
            if placement == "outside":
                problems.add(int(r), lazy.gettext(
                    "the point (longitude {lon}, latitude {lat} in WGS84) is outside İzmir: {km} km from the nearest "
                    "district (at most {tolerance} m is taken, for the coast)", lon=f"{lo:.5f}", lat=f"{la:.5f}",
                    km=f"{outside_m / 1000:,.2f}", tolerance=f"{TOLERANCE_M:,.0f}"))
        nearest = int((located["placement"] == "nearest").sum())
    kinds = _kinds(ok, pf, layer_kinds, problems)
    ids = _ids(ok, pf, problems)
    _duplicate_places(ok, frame, problems)
    if problems:
        return None, problems
    out = pd.DataFrame({
        "point_id": ids, "name": [p.name for p in ok], "kind": kinds,
        "attributes": [p.attributes for p in ok], "lon": frame["lon"].to_numpy(), "lat": frame["lat"].to_numpy(),
        "row": frame["row"].to_numpy(),
    })
    axis_note = None
    if pf.axes == "xy" and order == "swapped":
        axis_note = (f"{pf.second_name} holds northings/latitudes and {pf.first_name} eastings/longitudes "
                     "(the Turkish surveying order: X = northing, Y = easting)")
    return CheckedPoints(out, info, given is None, axis_note, not pf.has_id, nearest), problems


def _ids(points: list[RawPoint], pf: PointFile, problems: PointProblems) -> list[str]:
    """Each point's id: its id cell, or (a file without an id column) its row number; an empty id or
    one given twice is a problem."""
    word = _word(problems)
    if not pf.has_id:
        return [str(p.row) for p in points]
    seen: dict[str, int] = {}
    out = []
    for p in points:
        pid = (p.point_id or "").strip()
        if not pid:
            problems.add(p.row, lazy.gettext("the id is empty; every point needs an id (or leave out the id column: "
                                             "the points are then numbered by their row)"))
        elif pid in seen:
            problems.add(p.row, lazy.gettext("duplicate id {id}: {word} {row} has it too; every id must be unique",
                                             id=quoted(pid), word=word, row=seen[pid]))
        else:
            seen[pid] = p.row
        out.append(pid)
    return out


def _duplicate_places(points: list[RawPoint], frame: pd.DataFrame, problems: PointProblems) -> None:
    word = _word(problems)
    seen: dict[tuple, int] = {}
    for p, lo, la in zip(points, frame["lon"], frame["lat"]):
        key = (header_key(p.name or ""), round(float(lo), PLACE_DECIMALS), round(float(la), PLACE_DECIMALS))
        if key in seen:
            if p.name:
                problems.add(p.row, lazy.gettext("duplicate point: the same name ({name}) and coordinates as {word} "
                                                 "{row}", name=quoted(p.name), word=word, row=seen[key]))
            else:
                problems.add(p.row, lazy.gettext("duplicate point: no name and the same coordinates as {word} {row}",
                                                 word=word, row=seen[key]))
        else:
            seen[key] = p.row


def _kinds(points: list[RawPoint], pf: PointFile, layer_kinds: tuple[str, ...],
           problems: PointProblems) -> list[str | None]:
    """Each point's kind: its kind cell (one of the layer's kinds, compared folded), or the layer's
    only kind; a layer with several kinds needs a kind column."""
    if "kind" not in pf.columns:
        if len(layer_kinds) > 1:
            problems.add(0, lazy.gettext("the layer holds several kinds ({kinds}): give a kind column (tür) saying "
                                         "which each point is", kinds=", ".join(layer_kinds)))
            return [None] * len(points)
        return [layer_kinds[0] if layer_kinds else None] * len(points)
    by_key = {header_key(k): k for k in layer_kinds}
    out: list[str | None] = []
    for p in points:
        if not p.kind:
            if len(layer_kinds) == 1:
                out.append(layer_kinds[0])
                continue
            problems.add(p.row, lazy.gettext("the kind is empty; the layer's kinds are {kinds}",
                                             kinds=", ".join(layer_kinds)))
            out.append(None)
        elif header_key(p.kind) in by_key:
            out.append(by_key[header_key(p.kind)])
        else:
            problems.add(p.row, lazy.gettext("kind {kind} is not a kind of the layer; allowed: {kinds}",
                                             kind=quoted(p.kind),
                                             kinds=", ".join(layer_kinds) or lazy.gettext("(none listed)")))
            out.append(None)
    return out


def _word(problems: PointProblems) -> lazy.Message:
    """How the file calls its rows, in any language: a row, or a GeoJSON feature."""
    if problems.word == "feature":
        return lazy.pgettext("a GeoJSON feature", "feature")
    return lazy.pgettext("a row of a file", "row")


__all__ = ["CheckedPoints", "TOLERANCE_M", "check_points", "decide_crs"]
