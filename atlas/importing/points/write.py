"""``import_points``: read, check and write a city's point file as a point layer, then compute the
layer's access indicators — all in a copy of the database that replaces the original only when
everything succeeded (as ``python -m atlas import`` does), so a refused or failed import leaves the
database exactly as it was.

Which layers a file may go into: a layer imported before (origin ``import``; its points are all
replaced), or a new one described by ``--entry``. The catalogue's layers (origin ``catalogue``,
built from the source data by ``python -m atlas build``) are never changed by an import.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb

from ... import queries
from ...build.access import compute_layer_access
from ...build.checks import VALUE_CHECKS, run_checks
from ...build.sources import sha256_of, text_columns
from ...catalogue import Catalogue, Indicator, Text
from ...db import connect
from ...errors import AtlasError, CatalogueError, ImportRejected
from ...points.assign import load_areas
from ...points.catalogue import PointLayer
from ...points.store import write_layer, write_points
from ..problems import quoted, reject
from .check import TOLERANCE_M, CheckedPoints, check_points
from .crs import CrsInfo, parse_crs
from .entry import LayerEntry, load_layer_entry
from .indicators import MAX_LAYER_ID, access_indicators
from .parse import read_points


@dataclass(frozen=True)
class PointsImportReport:
    """What an import of points wrote (or, with ``dry_run``, would write)."""

    layer_id: str
    file_name: str
    points: int
    crs: str
    crs_detected: bool
    new_layer: bool
    source_id: str
    notes: tuple[str, ...] = ()
    by_district: tuple[tuple[str, int], ...] = ()  # (district name, points), most first
    indicators: tuple[str, ...] = ()  # the access indicators computed
    dry_run: bool = False

    def lines(self) -> list[str]:
        verb = "checked (dry run, nothing written)" if self.dry_run else "imported"
        how = "detected from the numbers" if self.crs_detected else "as given"
        out = [f"{verb}: {self.points:,} points of {self.file_name} into layer {self.layer_id} "
               f"({'new layer' if self.new_layer else 'its points replaced'}); coordinates {self.crs} ({how}); "
               f"source {self.source_id}"]
        out += [f"note: {n}" for n in self.notes]
        if self.by_district:
            out.append(f"points per district ({len(self.by_district)} districts): "
                       + ", ".join(f"{name} {n:,}" for name, n in self.by_district))
        if self.indicators:
            verb = "to be computed on import" if self.dry_run else "computed"
            out.append(f"access indicators {verb} ({len(self.indicators)}): {', '.join(self.indicators)}")
        elif not self.dry_run:
            out.append("access indicators computed: none")
        return out


@dataclass
class _Layer:
    layer: PointLayer
    origin_new: bool
    source_title: Text
    source_url: str
    problems: list[str] = field(default_factory=list)


def _layer_from_row(row) -> PointLayer:
    note = Text(row["note_tr"], row["note_en"]) if row["note_tr"] or row["note_en"] else None
    return PointLayer(
        id=row["layer_id"], title=Text(row["title_tr"], row["title_en"]), category=row["category"],
        kinds=tuple(json.loads(row["kinds"])), sources=tuple(json.loads(row["source_ids"])),
        licence=Text(row["licence_tr"], row["licence_en"]),
        attribution=Text(row["attribution_tr"], row["attribution_en"]), date=row["data_date"],
        access_m=tuple(json.loads(row["access_m"])), share_alike=bool(row["share_alike"]), note=note)


def _allowed_layers(con: duckdb.DuckDBPyConnection) -> str:
    rows = queries.run(con, "list_point_layer_origins")
    imported = [r for r in rows.itertuples() if r.origin == "import"]
    catalogue = [r.layer_id for r in rows.itertuples() if r.origin == "catalogue"]
    text = ("layers imported before, which a file may replace: " + ", ".join(r.layer_id for r in imported)
            if imported else "no layer has been imported yet")
    text += "; or give --entry ENTRY.toml to register a new layer (docs/import.md, 'Point layers')"
    if catalogue:
        text += (f". The atlas's own layers ({', '.join(catalogue)}) are built from the source data by "
                 "python -m atlas build and are not imported into: use a new layer id")
    return text


def _resolve_layer(con: duckdb.DuckDBPyConnection, layer_id: str, entry: LayerEntry | None,
                   file_name: str) -> _Layer:
    """The layer a file goes into: the entry's (new or refreshing an imported layer) or an imported one."""
    found = queries.run(con, "get_point_layer", {"layer_id": layer_id})
    if entry is not None and entry.layer.id != layer_id:
        raise reject(file_name, f"--layer {quoted(layer_id)} differs from the entry's id {quoted(entry.layer.id)}; "
                                "they must be the same")
    if not found.empty and found["origin"].iloc[0] != "import":
        raise reject(file_name, f"layer {quoted(layer_id)} is one of the atlas's own layers; {_allowed_layers(con)}")
    if entry is not None:
        return _Layer(entry.layer, found.empty, Text(entry.source_title, entry.source_title), entry.source_url)
    if found.empty:
        raise reject(file_name, f"unknown point layer {quoted(layer_id)}; {_allowed_layers(con)}")
    layer = _layer_from_row(found.iloc[0])
    title, url = layer.attribution, None
    for source_id in layer.sources:
        src = queries.run(con, "get_source", {"source_id": source_id})
        if not src.empty:
            title = Text(_strip_file(src["title_tr"].iloc[0]), _strip_file(src["title_en"].iloc[0]))
            url = src["url"].iloc[0]
            break
    if url is None:
        raise reject(file_name, f"layer {quoted(layer_id)} has no recorded source; give --entry again")
    return _Layer(layer, False, title, url)


def _strip_file(title: str) -> str:
    """A source title without the '(file name)' an import appended to it."""
    head, sep, _ = title.rpartition(" (")
    return head if sep and title.endswith(")") else title


def _source_row(file: Path, layer: _Layer) -> dict:
    digest = sha256_of(file)
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
    title = Text(f"{layer.source_title.tr} ({file.name})", f"{layer.source_title.en} ({file.name})")
    return {"source_id": f"import_points_{layer.layer.id}_{digest[:10]}",
            **text_columns(title=title, licence=layer.layer.licence, attribution=layer.layer.attribution),
            "url": layer.source_url, "file_path": file.name, "sha256": digest, "bytes": file.stat().st_size,
            "loaded_at": now, "notes": "imported by python -m atlas import-points"}


def import_points(file: Path, db: Path, layer_id: str, entry: Path | None = None, *, crs: str | None = None,
                  dry_run: bool = False) -> PointsImportReport:
    """Import the points of ``file`` (CSV, XLSX or GeoJSON) into point layer ``layer_id`` of ``db``.

    ``entry``: a TOML file with one ``[[layer]]`` table, to register a new layer (or refresh an
    imported one). ``crs``: the coordinates' system (``EPSG:4326``, ``EPSG:32635``, ``EPSG:5253``,
    ``EPSG:5254``), detected from the numbers when None. Raises ImportRejected listing every
    problem, with nothing written; with ``dry_run`` everything is checked and nothing written.
    """
    file, db = Path(file), Path(db)
    given: CrsInfo | None = None
    if crs is not None:
        try:
            given = parse_crs(crs)
        except ValueError as exc:
            raise reject(file.name, f"--crs: {exc}") from exc
    layer_entry = None
    if entry is not None:
        try:
            layer_entry = load_layer_entry(Path(entry))
        except CatalogueError as exc:
            raise reject(file.name, f"--entry: {exc}") from exc
    pf = read_points(file)
    con = connect(db, read_only=True)
    try:
        layer = _resolve_layer(con, layer_id, layer_entry, file.name)
        source = _source_row(file, layer)
        made = access_indicators(_with_source(layer.layer, source["source_id"]), layer.source_title, layer.source_url)
        stale = _check_indicator_ids(con, layer.layer.id, [ind for ind, _ in made], file.name)
        checked, problems = check_points(pf, given, load_areas(con), layer.layer.kinds)
    finally:
        con.close()
    if problems or checked is None:
        raise problems.rejection(file.name)
    notes = _notes(pf, checked)
    report = PointsImportReport(layer_id, file.name, len(checked.frame), f"{checked.crs.code} ({checked.crs.name})",
                                checked.crs_detected, layer.origin_new, source["source_id"], tuple(notes),
                                dry_run=dry_run)
    if dry_run:
        return replace(report, indicators=tuple(ind.id for ind, _ in made))
    return _write_to_copy(db, _Write(layer, source, checked, made, stale), report)


def _check_indicator_ids(con: duckdb.DuckDBPyConnection, layer_id: str, made: list[Indicator],
                         file_name: str) -> tuple[str, ...]:
    """Refuse a layer whose access indicators would take the id of an indicator the atlas (or an
    indicator import) already has; return the imported indicators of the layer it no longer makes."""
    if len(layer_id) > MAX_LAYER_ID:
        raise reject(file_name, f"layer id {quoted(layer_id)} has {len(layer_id)} characters; an imported layer's "
                                f"id has at most {MAX_LAYER_ID} (its access indicators add a suffix)")
    imported = set(queries.run(con, "list_imported_indicators")["indicator_id"])
    known = set(queries.run(con, "list_indicator_ids")["indicator_id"])
    ours = {i for i in imported if i.startswith(f"{layer_id}_within_") or i in (f"{layer_id}_mean_distance",
                                                                              f"{layer_id}_per_10k")}
    taken = [ind.id for ind in made if ind.id in known and ind.id not in ours]
    if taken:
        raise reject(file_name, f"layer {quoted(layer_id)} would make the access indicator(s) {', '.join(taken)}, "
                                "but the atlas already has an indicator with that id; choose another layer id")
    return tuple(sorted(ours - {ind.id for ind in made}))


@dataclass(frozen=True)
class _Write:
    layer: _Layer
    source: dict
    checked: CheckedPoints
    made: tuple
    stale: tuple[str, ...]


def _notes(pf, checked: CheckedPoints) -> list[str]:
    notes = []
    if checked.numbered:
        notes.append("the file has no id column: each point's id is its row number")
    if checked.axis_note:
        notes.append(checked.axis_note)
    if checked.nearest:
        notes.append(f"{checked.nearest:,} point(s) lie just outside every district polygon (within "
                     f"{TOLERANCE_M:,.0f} m, the coast): given the nearest district")
    if pf.decimal_mark == ",":
        notes.append("coordinates written with a decimal comma")
    return notes


def _write_to_copy(db: Path, w: _Write, report: PointsImportReport) -> PointsImportReport:
    """Write into a copy of the database, check it, and move it over the original atomically (the
    running app keeps reading the old file until its next rerun; a failure leaves ``db`` as it was)."""
    layer, source, checked = w.layer, w.source, w.checked
    tmp = db.with_name(f"{db.name}.import-points-{os.getpid()}")
    shutil.copyfile(db, tmp)
    try:
        con = connect(tmp, read_only=False)
        try:
            queries.execute(con, "upsert_import_source", source)
            write_layer(con, _with_source(layer.layer, source["source_id"]), origin="import")
            written = write_points(con, layer.layer.id, checked.frame.drop(columns=["row"]), source["source_id"],
                                   tolerance_m=TOLERANCE_M)
            if written.written != len(checked.frame):
                raise ImportRejected(f"{report.file_name}: {len(checked.frame) - written.written} point(s) could not "
                                     "be placed in a district; nothing was written.",
                                     [e for p in written.problems.values() for e in p.examples])
            computed = _write_indicators(con, layer.layer.id, w.made, w.stale)
            checks = run_checks(con, VALUE_CHECKS)
            if checks.failed:
                raise ImportRejected(f"{report.file_name}: the database would fail its checks after this import; "
                                     "nothing was written.",
                                     [o.name + ": " + "; ".join(o.problems) for o in checks.failed])
            by_district = queries.run(con, "count_layer_points_by_district", {"layer_id": layer.layer.id})
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.replace(tmp, db)
    except (AtlasError, duckdb.Error) as exc:
        if isinstance(exc, ImportRejected):
            raise
        raise ImportRejected(f"{report.file_name}: the import could not be written; nothing was written.",
                             [str(exc)]) from exc
    finally:
        for leftover in (tmp, Path(f"{tmp}.wal")):
            leftover.unlink(missing_ok=True)
    notes = report.notes
    if (no_mahalle := written.problems.get("no_mahalle")) is not None:
        notes += (f"{no_mahalle.count:,} point(s) lie in no mahalle polygon (nor within {TOLERANCE_M:,.0f} m of "
                  "one): loaded with their district only",)
    return replace(report, by_district=tuple((r.district_name, int(r.n)) for r in by_district.itertuples()),
                   indicators=computed, notes=notes)


def _with_source(layer: PointLayer, source_id: str) -> PointLayer:
    return replace(layer, sources=(source_id,))


def _write_indicators(con: duckdb.DuckDBPyConnection, layer_id: str, made, stale: tuple[str, ...]) -> tuple[str, ...]:
    """Record the layer's access indicators (origin 'import'), drop those it no longer makes, and
    compute their values (:func:`atlas.build.access.compute_layer_access`); the ids computed."""
    for indicator_id in stale:
        queries.execute(con, "delete_indicator_values", {"indicator_id": indicator_id})
        queries.execute(con, "delete_import_indicator", {"indicator_id": indicator_id})
    for ind, _ in made:
        exists = int(queries.run(con, "count_indicator", {"indicator_id": ind.id})["n"].iloc[0])
        if exists:
            queries.execute(con, "update_import_indicator", ind.row_params())
        else:
            queries.execute(con, "insert_indicator", {**ind.row_params(), "origin": "import"})
    cat = Catalogue(indicators=tuple(ind for ind, _ in made), themes=(), who=())
    result = compute_layer_access(con, layer_id, cat=cat, measures=tuple(m for _, m in made))
    if layer_id in result.skipped:
        raise ImportRejected(f"layer {layer_id}: its access indicators could not be computed; nothing was written.",
                             [result.skipped[layer_id]])
    return tuple(ind.id for ind, _ in made)
