"""One query a file: ``queries/<verb_noun>.sql``.

The leading ``--`` comment lines of a file are its docstring. Parameters are named
(``$indicator_id``) and always bound, never pasted into the SQL. ``run`` checks the
parameters it is given against those the SQL uses and names the file in every error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

import duckdb
import pandas as pd

from .config import QUERIES_DIR
from .errors import QueryError

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
# Strings, quoted identifiers and comments are removed before looking for parameters.
_NOT_CODE = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|/\*.*?\*/", re.S)


@dataclass(frozen=True)
class Query:
    name: str
    path: Path
    sql: str
    doc: str
    params: frozenset[str]


def parse_query(path: Path) -> Query:
    sql = path.read_text(encoding="utf-8")
    doc_lines = []
    for line in sql.splitlines():
        stripped = line.strip()
        if not stripped.startswith("--"):
            break
        doc_lines.append(stripped[2:].strip())
    if not any(doc_lines):
        raise QueryError(f"{path.name}: the first lines must be '--' comments describing the query")
    if re.search(r"(?<![:$])\?|(?<!:):[A-Za-z_]", _NOT_CODE.sub(" ", sql)):
        raise QueryError(f"{path.name}: use named parameters ($name) only, not '?' or ':name'")
    params = frozenset(_PARAM.findall(_NOT_CODE.sub(" ", sql)))
    return Query(path.stem, path, sql, "\n".join(doc_lines).strip(), params)


@lru_cache(maxsize=None)
def _load(directory: str, name: str) -> Query:
    if not _NAME.match(name):
        raise QueryError(f"query name {name!r} is not valid (lower-case letters, digits, '_')")
    path = Path(directory) / f"{name}.sql"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in Path(directory).glob("*.sql")))
        raise QueryError(f"no query file {path.name} in {directory}; known queries: {known}")
    return parse_query(path)


def get_query(name: str, directory: Path | str = QUERIES_DIR) -> Query:
    return _load(str(directory), name)


def all_queries(directory: Path | str = QUERIES_DIR) -> list[Query]:
    return [get_query(p.stem, directory) for p in sorted(Path(directory).glob("*.sql"))]


def check_params(query: Query, params: Mapping[str, Any]) -> None:
    given = set(params)
    missing = sorted(query.params - given)
    extra = sorted(given - query.params)
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"missing {', '.join(missing)}")
        if extra:
            parts.append(f"unexpected {', '.join(extra)}")
        expected = ", ".join(sorted(query.params)) or "(none)"
        raise QueryError(f"{query.path.name}: {'; '.join(parts)} (it takes: {expected})")


def run(con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, Any] | None = None,
        directory: Path | str = QUERIES_DIR) -> pd.DataFrame:
    """Run ``queries/<name>.sql`` with bound named parameters and return a DataFrame.

    ``con`` may be a connection or a cursor; each call should use its own cursor
    when several threads share one connection.
    """
    query = get_query(name, directory)
    params = dict(params or {})
    check_params(query, params)
    try:
        return con.execute(query.sql, params).df()
    except duckdb.Error as exc:
        raise QueryError(f"{query.path.name}: {type(exc).__name__}: {exc}") from exc


def execute(con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, Any] | None = None,
            directory: Path | str = QUERIES_DIR) -> None:
    """Run a statement that returns no rows (insert/delete), with the same checks as ``run``."""
    query = get_query(name, directory)
    params = dict(params or {})
    check_params(query, params)
    try:
        con.execute(query.sql, params)
    except duckdb.Error as exc:
        raise QueryError(f"{query.path.name}: {type(exc).__name__}: {exc}") from exc
