"""Loading an ``--entry`` file: a TOML file with exactly one ``[[indicator]]`` catalogue table,
validated like the catalogue (themes and WHO codes from the database when one is given)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import duckdb

from .. import queries
from ..catalogue import Indicator, parse_indicator
from ..errors import CatalogueError


def load_entry(con: duckdb.DuckDBPyConnection | None, path: Path) -> Indicator:
    """The one ``[[indicator]]`` table of an entry file, validated (themes and WHO codes from the
    database when ``con`` is given). CatalogueError on any problem."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            doc = tomllib.load(fh)
    except OSError as exc:
        raise CatalogueError(f"cannot read {path}: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"{path.name}: not valid TOML: {exc}") from exc
    items = doc.get("indicator")
    if set(doc) != {"indicator"} or not isinstance(items, list) or len(items) != 1:
        raise CatalogueError(f"{path.name}: expected exactly one [[indicator]] table and nothing else")
    if con is None:
        return parse_indicator(items[0], f"{path.name} [[indicator]]")
    themes = list(queries.run(con, "list_theme_ids")["theme_id"])
    who = list(queries.run(con, "list_who_codes")["code"])
    return parse_indicator(items[0], f"{path.name} [[indicator]]", who_codes=who, theme_ids=themes)
