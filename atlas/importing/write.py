"""Writing a checked import plan in one transaction (all of it or nothing), and ``import_file``,
which runs the three steps: parse, plan, write.

Overwrite policy (the write side): the values of every period present in the file are deleted
(every level) before the file's values are inserted; other periods are kept.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from typing import Sequence
from pathlib import Path

import duckdb
import pandas as pd

from .. import queries
from ..catalogue import Indicator
from ..build.areas import PROVINCE_CODE
from ..build.checks import VALUE_CHECKS, run_checks
from ..db import connect, insert_frame
from ..errors import CatalogueError, ImportRejected, QueryError
from ..build.sources import text_columns
from ..i18n import lazy
from .plan import ImportPlan, ImportReport, SourceRecord, plan_import
from .age_entry import AGE_BANDS, entry_input
from .age_rows import is_count_header
from .problems import reject
from .rows import parse_file


def _source_params(s: SourceRecord) -> dict:
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
    return {"source_id": s.source_id, **text_columns(title=s.title, licence=s.licence, attribution=s.attribution),
            "url": s.url, "file_path": s.file_path, "sha256": s.sha256, "bytes": s.bytes,
            "loaded_at": now, "notes": "imported by python -m atlas import"}


def _value_rows(ind: Indicator, plan: ImportPlan) -> pd.DataFrame:
    """The plan's values (and the İzmir value of each period where it could be computed) as
    ``indicator_values`` rows, for one bulk insert."""
    rows = [{"indicator_id": ind.id, "level": v.parsed.level, "area_code": code, "period": v.parsed.period,
             "period_sort": v.parsed.period_sort, "value": v.value, "numerator": v.numerator,
             "denominator": v.denominator, "lower_ci": v.lower_ci, "upper_ci": v.upper_ci,
             "status": v.status, "note_tr": v.note.tr if v.note else None,
             "note_en": v.note.en if v.note else None, "coverage": None, "source_id": plan.source.source_id}
            for v, code in plan.values]
    rows += [{"indicator_id": ind.id, "level": "province", "area_code": PROVINCE_CODE, "period": p.period,
              "period_sort": p.period_sort, "value": p.value, "numerator": p.numerator, "denominator": p.denominator,
              "lower_ci": p.lower_ci, "upper_ci": p.upper_ci, "status": "ok", "note_tr": p.note.tr,
              "note_en": p.note.en, "coverage": None, "source_id": plan.source.source_id} for p in plan.province]
    df = pd.DataFrame(rows)
    for col in ("value", "numerator", "denominator", "lower_ci", "upper_ci", "coverage"):
        df[col] = pd.to_numeric(df[col]).astype("float64")
    return df


def write_indicators(con: duckdb.DuckDBPyConnection, source: SourceRecord, entries: Sequence[tuple[Indicator, str]],
                     periods: Sequence[str], rows: pd.DataFrame, file_name: str) -> None:
    """Write imported indicators in one transaction: all of it or, on any database error, nothing.

    ``entries``: each indicator with what to do with its catalogue entry ('insert', 'update' or 'keep');
    the values of every one of them for ``periods`` are replaced by ``rows`` (the indicator_values rows).
    One indicator for a file of ready values, a whole family for count data by age band."""
    con.begin()
    committed = False
    try:
        queries.execute(con, "upsert_import_source", _source_params(source))
        for ind, write_entry in entries:
            if write_entry == "insert":
                queries.execute(con, "insert_indicator", {**ind.row_params(), "origin": "import"})
            elif write_entry == "update":
                queries.execute(con, "update_import_indicator", ind.row_params())
            for period in periods:
                queries.execute(con, "delete_import_indicator_values_for_period",
                                {"indicator_id": ind.id, "period": period})
        insert_frame(con, "indicator_values", rows)
        con.commit()
        committed = True
    except QueryError as exc:
        raise ImportRejected(f"{file_name}: the database refused the import; nothing was written.",
                             [str(exc)]) from exc
    finally:
        if not committed:
            con.rollback()


def write_plan(con: duckdb.DuckDBPyConnection, plan: ImportPlan, file_name: str) -> None:
    """Write a checked plan in one transaction: all of it or, on any database error, nothing."""
    write_indicators(con, plan.source, [(plan.indicator, plan.write_entry)], plan.report.periods,
                     _value_rows(plan.indicator, plan), file_name)


def import_file(file: Path, db: Path, entry: Path | None = None, *, dry_run: bool = False) -> ImportReport:
    """Import one indicator's values from ``file`` into the atlas database ``db``.

    ``entry`` is a TOML file with one ``[[indicator]]`` catalogue table, needed for a new
    indicator (or to update an imported one). With ``dry_run`` everything is checked and the
    report returned, but nothing is written. Raises ImportRejected listing every problem.
    """
    file, db = Path(file), Path(db)
    try:
        count_data = entry is not None and entry_input(Path(entry)) == AGE_BANDS
    except CatalogueError as exc:
        raise reject(file.name, lazy.gettext("--entry: {problem}", problem=str(exc))) from None
    if count_data:
        from .age_import import import_age_bands  # count data by age band (issue #19)

        return import_age_bands(file, db, Path(entry), dry_run=dry_run)
    if is_count_header(file):
        raise reject(file.name, lazy.gettext(
            "the file holds count data by age band (age_band, events, population); give --entry ENTRY.toml with "
            "input = \"age_bands\" (see docs/import.md, 'Count data by age band', and "
            "examples/deaths_by_age_example_entry.toml)"))
    parsed = parse_file(file)
    con = connect(db, read_only=True)
    try:
        plan = plan_import(con, file, parsed, Path(entry) if entry is not None else None)
    finally:
        con.close()
    if not dry_run:
        _write_to_copy(db, plan, file.name)
    return plan.report


def _write_to_copy(db: Path, plan, file_name: str, write=None) -> None:
    """Write into a copy of the database, check it, and move it over the original atomically.

    The running app keeps reading the old file (DuckDB lets a writer in only when no other process
    has the file open) and picks up the new one on its next rerun; a failure leaves ``db`` as it was.
    ``write(con, plan, file_name)`` writes the plan (``write_plan``, or the count-data import's own).
    """
    tmp = db.with_name(f"{db.name}.import-{os.getpid()}")
    shutil.copyfile(db, tmp)
    try:
        con = connect(tmp, read_only=False)
        try:
            (write or write_plan)(con, plan, file_name)
            report = run_checks(con, VALUE_CHECKS)
            if report.failed:
                raise ImportRejected(f"{file_name}: the database would fail its checks after this import; "
                                     "nothing was written.", [o.name + ": " + "; ".join(o.problems)
                                                              for o in report.failed])
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.replace(tmp, db)
    finally:
        for leftover in (tmp, Path(f"{tmp}.wal")):
            leftover.unlink(missing_ok=True)
