"""Keep the city's imported indicators when the database is rebuilt.

``python -m atlas build`` makes a new database from the source files; indicators that users
imported (origin 'import') exist only in the previous database. They are read from it (read-only)
and written into the new one with their sources. Values whose area no longer exists in the new
build are dropped and reported, never silently lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import db, queries
from ..errors import MissingDataError


@dataclass(frozen=True)
class Carried:
    indicators: pd.DataFrame
    values: pd.DataFrame
    sources: pd.DataFrame
    dropped: tuple[str, ...] = ()


def read_previous(path: Path) -> Carried | None:
    """Imported indicators, values and sources of the database at ``path``; None if there is none."""
    if not path.is_file():
        return None
    try:
        con = db.connect(path, read_only=True, any_version=True)
    except MissingDataError:
        return None  # not an atlas database: nothing to carry
    try:
        return Carried(queries.run(con, "list_imported_indicators"),
                       bilingual_notes(queries.run(con, "list_imported_values")),
                       bilingual_sources(queries.run(con, "list_imported_sources")))
    finally:
        con.close()


def bilingual_notes(values: pd.DataFrame) -> pd.DataFrame:
    """Values from a database made before notes had two languages (one ``note`` column): the note,
    as the user wrote it, in both."""
    if "note" not in values.columns:
        return values
    return values.drop(columns=["note"]).assign(note_tr=values["note"], note_en=values["note"])


def bilingual_sources(sources: pd.DataFrame) -> pd.DataFrame:
    """Sources from a database made before their texts had two languages (one ``title``,
    ``licence`` and ``attribution`` column each): each text in both."""
    out = sources
    for key in ("title", "licence", "attribution"):
        if key in out.columns:
            out = out.drop(columns=[key]).assign(**{f"{key}_tr": out[key], f"{key}_en": out[key]})
    return out


def keep_known_areas(carried: Carried, areas: pd.DataFrame) -> Carried:
    """Drop values whose (level, area) is not in the new build, saying which."""
    known = set(zip(areas["level"], areas["code"]))
    keys = list(zip(carried.values["level"], carried.values["area_code"]))
    mask = [k in known for k in keys]
    lost = carried.values[[not m for m in mask]]
    dropped = tuple(f"{r.indicator_id} {r.level} {r.area_code} {r.period}" for r in lost.itertuples())
    return Carried(carried.indicators, carried.values[mask], carried.sources, dropped)
