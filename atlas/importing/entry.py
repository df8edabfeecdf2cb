"""Loading an ``--entry`` file: a TOML file with exactly one ``[[indicator]]`` catalogue table,
validated like the catalogue (themes and WHO codes from the database when one is given), and its
periods as an import file's periods are (a year or a span, within the years an import may give)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import duckdb

from .. import queries
from ..catalogue import Indicator, parse_indicator
from ..errors import CatalogueError
from .problems import quoted
from .rows import parse_period


def read_entry_table(path: Path, key: str, hint: str = "") -> dict:
    """The one ``[[key]]`` table of the entry file ``path`` (and nothing else in it), as read from its
    TOML; CatalogueError saying what is wrong otherwise (unreadable, not TOML, not UTF-8, no or
    several tables). ``hint`` is added to the last message (where the format is documented)."""
    try:
        with path.open("rb") as fh:
            doc = tomllib.load(fh)
    except OSError as exc:
        raise CatalogueError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"{path.name}: not valid TOML: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise CatalogueError(f"{path.name}: not UTF-8 text ({exc.reason} at byte {exc.start:,}); "
                             "save the entry as UTF-8") from exc
    items = doc.get(key)
    if set(doc) != {key} or not isinstance(items, list) or len(items) != 1 or not isinstance(items[0], dict):
        raise CatalogueError(f"{path.name}: expected exactly one [[{key}]] table and nothing else{hint}")
    return items[0]


def load_entry(con: duckdb.DuckDBPyConnection | None, path: Path) -> Indicator:
    """The one ``[[indicator]]`` table of an entry file, validated (themes and WHO codes from the
    database when ``con`` is given). CatalogueError on any problem."""
    path = Path(path)
    table = read_entry_table(path, "indicator")
    if con is None:
        ind = parse_indicator(table, f"{path.name} [[indicator]]")
    else:
        themes = list(queries.run(con, "list_theme_ids")["theme_id"])
        who = list(queries.run(con, "list_who_codes")["code"])
        ind = parse_indicator(table, f"{path.name} [[indicator]]", who_codes=who, theme_ids=themes)
    _check_periods(ind, path.name)
    return ind


def _check_periods(ind: Indicator, file_name: str) -> None:
    """Every period of the entry is one an import file may give ('2023', '2021-2025'), written as
    the file's rows will be normalised; CatalogueError naming the bad ones otherwise."""
    bad = []
    for period in ind.periods:
        try:
            normalised, _ = parse_period(period)
        except ValueError as exc:
            bad.append(str(exc))
            continue
        if normalised != period:
            bad.append(f"period {quoted(period)} is written {normalised!r} in the atlas")
    if bad:
        raise CatalogueError(f"{file_name} [[indicator]] (indicator {ind.id!r}): key 'periods': {'; '.join(bad[:5])}"
                             + (f"; … {len(bad) - 5} more" if len(bad) > 5 else ""))
