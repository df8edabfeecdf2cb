"""Which indicator an import writes into: the one ``--entry`` defines, or one already imported
into the database. An indicator the build made from the catalogue (origin 'catalogue') is never
an import's to change."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import duckdb

from .. import queries
from ..catalogue import Indicator, indicator_from_json
from ..errors import CatalogueError
from .entry import load_entry
from ..i18n import lazy
from .problems import Problem, Suggested, from_error, quoted
from .rows import ParsedRow


@dataclass(frozen=True)
class IndicatorChoice:
    """The indicator found for a file, or the problems that leave it without one."""

    indicator: Indicator | None
    exists: bool  # already in the database (origin 'import')
    update_entry: bool  # --entry given for an existing imported indicator
    problems: tuple[tuple[int, Problem], ...] = ()
    warnings: tuple[str, ...] = ()


def choose_indicator(con: duckdb.DuckDBPyConnection, rows: Sequence[ParsedRow],
                     entry: Path | None) -> IndicatorChoice:
    """The indicator the rows belong to: from --entry, or from the database."""
    ids = list(dict.fromkeys(r.indicator_id for r in rows))
    if len(ids) > 1:
        return IndicatorChoice(None, False, False, (
            (0, lazy.gettext("the file holds several indicators ({ids}); import one indicator per file",
                             ids=_listed(ids))),))
    if entry is not None:
        return _choice_from_entry(con, entry, ids[0] if ids else None)
    if not ids:
        return IndicatorChoice(None, False, False)
    return _choice_from_db(con, ids[0])


def _stored(con: duckdb.DuckDBPyConnection, indicator_id: str) -> tuple[str, str] | None:
    df = queries.run(con, "get_indicator_meta", {"indicator_id": indicator_id})
    if df.empty:
        return None
    return str(df.at[0, "origin"]), str(df.at[0, "metadata_json"])


def _owned_by_build(indicator_id: str) -> tuple[int, Problem]:
    return (0, lazy.gettext("indicator {indicator} comes from the catalogue and is made by `python -m atlas build`; "
                            "an import cannot change it. Import under a new indicator id with --entry ENTRY.toml",
                            indicator=quoted(indicator_id)))


def _choice_from_db(con: duckdb.DuckDBPyConnection, indicator_id: str) -> IndicatorChoice:
    stored = _stored(con, indicator_id)
    if stored is None:
        known = list(queries.run(con, "list_indicator_ids")["indicator_id"])
        close = difflib.get_close_matches(indicator_id, known, n=3, cutoff=0.6)
        if close:
            problem: Problem = Suggested(lazy.gettext(
                "unknown indicator {indicator}: did you mean {names}? To add a new indicator, give its catalogue "
                "entry with --entry ENTRY.toml (see examples/import_template_entry.toml)",
                indicator=quoted(indicator_id), names=", ".join(close)), tuple(close))
        else:
            problem = lazy.gettext("unknown indicator {indicator}: To add a new indicator, give its catalogue entry "
                                   "with --entry ENTRY.toml (see examples/import_template_entry.toml)",
                                   indicator=quoted(indicator_id))
        return IndicatorChoice(None, False, False, ((0, problem),))
    origin, meta = stored
    if origin != "import":
        return IndicatorChoice(None, True, False, (_owned_by_build(indicator_id),))
    return IndicatorChoice(indicator_from_json(meta), True, False)


def _choice_from_entry(con: duckdb.DuckDBPyConnection, entry: Path, file_id: str | None) -> IndicatorChoice:
    try:
        ind = load_entry(con, entry)
    except CatalogueError as exc:
        return IndicatorChoice(None, False, False, ((0, lazy.gettext("--entry: {problem}",
                                                                     problem=from_error(exc))),))
    problems: list[tuple[int, Problem]] = []
    if file_id is not None and file_id != ind.id:
        problems.append((0, lazy.gettext("the entry {entry} defines {indicator} but the file's indicator_id is "
                                         "{file_id}", entry=entry.name, indicator=repr(ind.id),
                                         file_id=quoted(file_id))))
    stored = _stored(con, ind.id)
    if stored is not None and stored[0] != "import":
        problems.append(_owned_by_build(ind.id))
    warnings = (f"the catalogue entry of {ind.id} was replaced by {entry.name}",) if stored else ()
    return IndicatorChoice(ind, stored is not None, stored is not None, tuple(problems), warnings)


def _listed(ids: Sequence[str], shown: int = 5) -> str:
    """The first few ids, each cut to a sane length, and how many more there are."""
    text = ", ".join(i if len(i) <= 40 else quoted(i) for i in ids[:shown])
    return text + (f" and {len(ids) - shown:,} more" if len(ids) > shown else "")
