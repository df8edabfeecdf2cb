"""Opening the atlas database and creating its schema."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from . import queries
from .config import db_path
from .errors import MissingDataError, OutdatedDatabaseError

SCHEMA_FILE = Path(__file__).with_name("schema.sql")
SCHEMA_VERSION = 6
"""The version of ``schema.sql``, stored by the build as build_info 'schema_version'. A database
without it is version 1. History: 2 = notes in two languages (``note_tr``, ``note_en``);
3 = licences in two languages in the stored catalogue entries (``indicators.metadata_json``);
4 = source titles, licences and attributions in two languages (``sources.title_tr`` … ``attribution_en``);
5 = point layers (tables ``point_layers`` and ``points``; they are not in TABLES, so that a database
of an older version is told apart by its version and rebuilt, not refused as no atlas database);
6 = the measure's own 99.8 % limits in ``indicator_values.lower_998`` / ``upper_998`` (issue #19)."""
TABLES = ("sources", "areas", "indicators", "indicator_values", "who_hc_indicators", "themes",
          "name_matches", "build_info")


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """The tables of ``schema.sql``, with its version recorded in build_info."""
    con.execute(SCHEMA_FILE.read_text(encoding="utf-8"))
    queries.execute(con, "insert_build_info", {"key": "schema_version", "value": str(SCHEMA_VERSION)})


def require_db(path: str | Path | None = None) -> Path:
    """The database path, or MissingDataError saying how to build it."""
    path = db_path(path)
    if not path.is_file():
        raise MissingDataError(
            f"The atlas database {path} does not exist. Build it with `python -m atlas build` "
            "(it reads the source data from the data directory; see README 'Data'), "
            "or set ATLAS_DB to an existing database."
        )
    return path


def connect(path: str | Path | None = None, *, read_only: bool = True,
            any_version: bool = False) -> duckdb.DuckDBPyConnection:
    """Open an existing atlas database (read-only by default).

    One connection may be shared by threads only through ``con.cursor()``, one per query. A
    database of another schema version raises :class:`OutdatedDatabaseError` unless ``any_version``
    (the rebuild reads the imported indicators of the previous database that way).
    """
    path = require_db(path)
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise MissingDataError(
                f"The atlas database {path} is in use by another program (the running app?) and cannot be "
                f"opened for writing. Stop that program and try again. ({exc})") from exc
        raise MissingDataError(f"Cannot open the atlas database {path}: {exc}") from exc
    except duckdb.Error as exc:
        raise MissingDataError(
            f"{path} is not a DuckDB database ({type(exc).__name__}: {exc}). "
            "Point --db / ATLAS_DB at the atlas database, or build one with `python -m atlas build`.") from exc
    present = set(queries.run(con.cursor(), "list_tables")["table_name"])
    missing = [t for t in TABLES if t not in present]
    if missing:
        con.close()
        raise MissingDataError(
            f"{path} is not an atlas database (missing tables: {', '.join(missing)}). "
            "Rebuild it with `python -m atlas build`."
        )
    version = schema_version(con)
    if version != SCHEMA_VERSION and not any_version:
        con.close()
        older = "an older" if version < SCHEMA_VERSION else "a newer"
        raise OutdatedDatabaseError(
            f"{path} was made by {older} version of the atlas (database schema {version}; this version reads "
            f"schema {SCHEMA_VERSION}). Rebuild it with `python -m atlas build` (imported indicators are "
            "carried into the new database); scripts/start.sh and scripts/kiosk.sh do this by themselves.")
    return con


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The schema version a database was built with (1 when it does not say)."""
    info = queries.run(con.cursor(), "get_build_info")
    found = info.loc[info["key"] == "schema_version", "value"]
    return int(found.iloc[0]) if len(found) else 1


def build_reason(path: str | Path | None = None) -> str | None:
    """Why the database must be built before the app can start (missing, or made by another
    version), or None. Any other problem is left to the app, which explains it."""
    try:
        connect(path).close()
    except OutdatedDatabaseError as exc:
        return str(exc)
    except MissingDataError as exc:
        return None if db_path(path).is_file() else str(exc)
    return None


def insert_frame(con: duckdb.DuckDBPyConnection, table: str, df: pd.DataFrame) -> None:
    """Insert a DataFrame's rows into ``table`` in one statement (columns matched by name).

    The frame is registered as ``staged_<table>`` for ``queries/insert_staged_<table>.sql``.
    """
    con.register(f"staged_{table}", df)
    try:
        queries.execute(con, f"insert_staged_{table}")
    finally:
        con.unregister(f"staged_{table}")
