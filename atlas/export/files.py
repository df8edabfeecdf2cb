"""Export requests from the command line (or any caller with a database): check, render, write.

``export_file(con, out, ...)`` checks every part of the request against the database before
anything is drawn (unknown indicator, level or period without data, impossible dpi, bad paper,
unknown district to zoom to, missing output folder: one ExportError each, naming the value and
what is allowed), builds the view with ``atlas.views.map_view.build_map_view`` (the one function that
classifies and colours maps), renders it and writes the file atomically: the bytes go to a
temporary file beside the target, which replaces the target in one ``os.replace``. A failure at
any point leaves no file (and an older file of the same name untouched).
"""

from __future__ import annotations

import errno
import os
import tempfile
import time
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import duckdb

from .. import queries
from ..catalogue import Indicator, indicator_from_json
from ..errors import ExportError
from ..i18n import lazy
from ..frames.map_frame import NOT_BENCHMARKED, izmir_value
from ..views.map_view import MapView, build_map_view
from ..views.point_layers import UnknownPointLayer, print_overlay
from ..views.view_state import K_RANGE, SCHEMES, Availability, View
from .context import ExportContext, load_context
from .data_export import data_csv, data_gpkg, data_zip
from .options import DATA_FORMATS, IMAGE_FORMATS, MIME, RenderOptions, check_format, check_lang
from .permalink import permalink as make_permalink
from .render import render_map


def check_folder(path: Path) -> None:
    """ExportError unless the folder ``path`` goes into exists."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(lazy.gettext("cannot write {path}: the folder {folder} does not exist", path=str(path),
                                       folder=str(folder)))


def check_scheme(scheme: str) -> None:
    if scheme not in SCHEMES:
        raise ExportError(lazy.gettext("unknown classification {scheme}; use one of {schemes}", scheme=repr(scheme),
                                       schemes=", ".join(SCHEMES)))


def check_comparator(con: duckdb.DuckDBPyConnection, ind: Indicator, period: str) -> None:
    """ExportError unless the indicator has an İzmir value for ``period`` to compare the areas with (a count
    is drawn with quantiles and a note instead, as in the app)."""
    if ind.value_type in NOT_BENCHMARKED or izmir_value(con, ind.id, period).value is not None:
        return
    others = ", ".join(s for s in SCHEMES if s != "compare_izmir")
    raise ExportError(lazy.gettext("the indicator {indicator} has no İzmir value for period {period}, so its areas "
                                   "cannot be compared with İzmir; choose another --scheme: {schemes}",
                                   indicator=repr(ind.id), period=repr(period), schemes=others))


def check_k(k) -> None:
    """ExportError unless ``k`` is a number of classes the app offers (so a permalink opens the same map)."""
    k_min, k_max = K_RANGE
    if isinstance(k, bool) or not isinstance(k, int) or not k_min <= k <= k_max:
        raise ExportError(lazy.gettext("number of classes {k} is not possible; use a whole number from {lo} to {hi}",
                                       k=repr(k), lo=k_min, hi=k_max))


#: Errors of the file system a user can act on (full disk, quota, read-only, no permission, file too big).
WRITE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EFBIG})


def write_atomic(path: str | os.PathLike, data: bytes | Callable[[Path], None]) -> Path:
    """Write ``data`` (bytes, or a function that writes a given temporary path) to ``path`` atomically.

    The temporary file is in the same folder (so ``os.replace`` is one rename) and is removed if
    anything fails. Raises ExportError when the folder does not exist or cannot be written."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    check_folder(path)
    if path.is_dir():
        raise ExportError(lazy.gettext("cannot write {path}: it is a folder; give a file name", path=str(path)))
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise ExportError(lazy.gettext("cannot write {path}: {reason}", path=str(path),
                                       reason=str(exc.strerror or exc))) from exc
    tmp_path = Path(tmp)
    try:
        if callable(data):
            os.close(fd)
            data(tmp_path)
        else:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
        os.chmod(tmp_path, 0o644)
        os.replace(tmp_path, path)
    except BaseException as exc:
        try:
            os.close(fd)
        except OSError:
            pass
        tmp_path.unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.errno in WRITE_ERRNOS:  # a full or read-only disk: say so
            raise ExportError(lazy.gettext("cannot write {path}: {reason}", path=str(path),
                                           reason=str(exc.strerror or exc))) from exc
        raise
    return path


def indicators(con: duckdb.DuckDBPyConnection) -> dict[str, Indicator]:
    meta = queries.run(con, "list_indicator_metadata")
    return {i: indicator_from_json(m) for i, m in zip(meta["indicator_id"], meta["metadata_json"])}


def availability(con: duckdb.DuckDBPyConnection) -> Availability:
    return Availability(queries.run(con, "list_indicator_views"))


@dataclass(frozen=True)
class Request:
    """A checked request: what to draw (the view) and how."""

    indicator: Indicator
    view: View
    fmt: str
    options: RenderOptions
    points: str | None = None  # a point layer drawn over the map (image formats)


def resolve(con: duckdb.DuckDBPyConnection, *, indicator: str, period: str | None, level: str, fmt: str,
            scheme: str = "quantiles", k: int = 5, lang: str = "tr", dpi=300, paper: str = "a4",
            orientation: str = "landscape", labels: bool = False, zoom_to: str | None = None,
            points: str | None = None) -> Request:
    """Check a request against the database; ExportError names the first problem and what is allowed."""
    fmt = check_format(fmt)
    lang = check_lang(lang)
    inds = indicators(con)
    avail = availability(con)
    if indicator not in inds:
        known = ", ".join(sorted(inds)) or lazy.gettext("(none)")
        raise ExportError(lazy.gettext("unknown indicator {indicator}; indicators in the database: {known}",
                                       indicator=repr(indicator), known=known))
    levels = avail.levels(indicator)
    if not levels:
        raise ExportError(lazy.gettext("the indicator {indicator} has no values to map", indicator=repr(indicator)))
    if level not in levels:
        raise ExportError(lazy.gettext("the indicator {indicator} has no values at level {level}; levels with "
                                       "values: {levels}", indicator=repr(indicator), level=repr(level),
                                       levels=", ".join(levels)))
    periods = avail.periods(indicator, level)
    if period is None or period == "":
        period = periods[0]
    elif period not in periods:
        raise ExportError(lazy.gettext("the indicator {indicator} has no values for period {period} at level "
                                       "{level}; periods with values: {periods}", indicator=repr(indicator),
                                       period=repr(period), level=repr(level), periods=", ".join(periods)))
    check_scheme(scheme)
    if scheme == "compare_izmir":
        check_comparator(con, inds[indicator], period)
    check_k(k)  # the app's range, so the permalink opens the same map
    options = RenderOptions(fmt if fmt in IMAGE_FORMATS else "png", dpi, paper, orientation, labels,
                            zoom_to).checked()
    view = View(indicator, period, level, scheme, k, zoom_to or None, lang)
    if points:
        if fmt not in IMAGE_FORMATS:
            raise ExportError(lazy.gettext("a point layer can only be drawn on a map (png, svg, pdf), not in {fmt}",
                                           fmt=fmt))
        known = tuple(str(x) for x in queries.run(con, "list_point_layers_shown")["layer_id"])
        if points not in known:
            raise ExportError(lazy.gettext("unknown point layer {layer}; point layers in the database: {known}",
                                           layer=repr(points), known=", ".join(known) or lazy.gettext("(none)")))
        view = replace(view, points=(points,))  # the permalink opens the map with the layer on
    return Request(inds[indicator], view, fmt, options, points or None)


@dataclass(frozen=True)
class ExportResult:
    path: Path
    fmt: str
    bytes: int
    seconds: float
    view: View
    permalink: str


def check_suffix(out: Path, fmt: str) -> None:
    suffix = out.suffix.lower().lstrip(".")
    if suffix and suffix != fmt:
        raise ExportError(lazy.gettext("the file name {name} ends in .{suffix} but the format is {fmt}; name it "
                                       "{stem}.{fmt} or choose --format {suffix}", name=out.name, suffix=suffix,
                                       fmt=fmt, stem=out.stem))


def render_request(con: duckdb.DuckDBPyConnection, req: Request, *, base_url: str | None = None,
                   exported_at: datetime | None = None) -> tuple[bytes, MapView, ExportContext, str]:
    """The file's bytes for a checked request, the view and context it was drawn from and its permalink."""
    view = req.view
    link = make_permalink(view, base_url)
    when = exported_at or datetime.now(timezone.utc).astimezone()
    mv = build_map_view(con, req.indicator, view.period, view.level, view.scheme, view.k, view.lang)
    ctx = load_context(con, mv)
    if req.fmt in IMAGE_FORMATS:
        o = req.options
        try:
            overlay = print_overlay(con, req.points) if req.points else None
        except UnknownPointLayer as exc:
            raise ExportError(lazy.gettext("unknown point layer {layer}; point layers in the database: {known}",
                                           layer=repr(exc.layer_id), known=", ".join(exc.known))) from exc
        data = render_map(mv, fmt=req.fmt, dpi=o.dpi, paper=o.paper, orientation=o.orientation, labels=o.labels,
                          zoom_to=o.zoom_to, permalink=link, exported_at=when, context=ctx, points=overlay)
    elif req.fmt == "csv":
        data = data_csv(mv)
    elif req.fmt == "gpkg":
        data = data_gpkg(mv, ctx, exported_at=when, permalink=link)
    else:
        data = data_zip(mv, ctx, exported_at=when, permalink=link)
    return data, mv, ctx, link


def export_file(con: duckdb.DuckDBPyConnection, out: str | os.PathLike, *, indicator: str, period: str | None,
                level: str, fmt: str | None = None, scheme: str = "quantiles", k: int = 5, lang: str = "tr",
                dpi=300, paper: str = "a4", orientation: str = "landscape", labels: bool = False,
                zoom_to: str | None = None, base_url: str | None = None,
                exported_at: datetime | None = None, points: str | None = None) -> ExportResult:
    """Check, render and atomically write one export (``fmt``: png, svg, pdf, csv, gpkg, zip; taken from
    ``out``'s suffix when None). ``period`` None means the latest; ``points`` a point layer id to draw over
    the map. Raises ExportError; writes nothing then."""
    out = Path(out)
    if fmt is None:
        if not out.suffix:
            raise ExportError(lazy.gettext("give --format or a file name ending in one of {suffixes}",
                                           suffixes=", ".join(f".{f}" for f in IMAGE_FORMATS + DATA_FORMATS)))
        fmt = out.suffix.lower().lstrip(".")
    fmt = check_format(fmt)
    check_suffix(out, fmt)
    check_folder(out)
    req = resolve(con, indicator=indicator, period=period, level=level, fmt=fmt, scheme=scheme, k=k, lang=lang,
                  dpi=dpi, paper=paper, orientation=orientation, labels=labels, zoom_to=zoom_to, points=points)
    start = time.perf_counter()
    data, _mv, _ctx, link = render_request(con, req, base_url=base_url, exported_at=exported_at)
    path = write_atomic(out, data)
    return ExportResult(path, fmt, len(data), time.perf_counter() - start, req.view, link)


__all__ = ["MIME", "ExportResult", "Request", "export_file", "render_request", "resolve", "write_atomic"]
