"""Where the atlas finds its source data and its database.

* ``ATLAS_DATA_DIR`` overrides the data directory. Without it the atlas looks for
  ``../shared/data`` beside the checkout (this setup), then ``./data`` inside it.
* ``ATLAS_DB`` overrides the database path; the default is ``geodata/atlas.duckdb``.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import MissingDataError

REPO_ROOT = Path(__file__).resolve().parent.parent
INDICATORS_DIR = REPO_ROOT / "indicators"
QUERIES_DIR = REPO_ROOT / "queries"
GEODATA_DIR = REPO_ROOT / "geodata"
SOURCES_MANIFEST = GEODATA_DIR / "sources.toml"
DEFAULT_DB = GEODATA_DIR / "atlas.duckdb"

DATA_DIR_CANDIDATES = (REPO_ROOT.parent / "shared" / "data", REPO_ROOT / "data")


def data_dir(explicit: str | os.PathLike | None = None) -> Path:
    """The data directory: the argument, else ``ATLAS_DATA_DIR``, else the first candidate that exists.

    Raises MissingDataError naming every place that was tried.
    """
    if explicit is not None:
        chosen, why = Path(explicit), "--data-dir"
    elif os.environ.get("ATLAS_DATA_DIR"):
        chosen, why = Path(os.environ["ATLAS_DATA_DIR"]), "ATLAS_DATA_DIR"
    else:
        for candidate in DATA_DIR_CANDIDATES:
            if candidate.is_dir():
                return candidate.resolve()
        tried = ", ".join(str(c) for c in DATA_DIR_CANDIDATES)
        raise MissingDataError(
            f"No data directory found (looked in {tried}). Put the source data folders "
            "(see geodata/sources.toml and README 'Data') in one of them, or set ATLAS_DATA_DIR."
        )
    if not chosen.is_dir():
        raise MissingDataError(
            f"The data directory given by {why} does not exist: {chosen}. "
            "Point it at the folder holding the source data folders (see README 'Data')."
        )
    return chosen.resolve()


def db_path(explicit: str | os.PathLike | None = None) -> Path:
    """The database path: the argument, else ``ATLAS_DB``, else ``geodata/atlas.duckdb``."""
    if explicit is not None:
        return Path(explicit)
    if os.environ.get("ATLAS_DB"):
        return Path(os.environ["ATLAS_DB"])
    return DEFAULT_DB
