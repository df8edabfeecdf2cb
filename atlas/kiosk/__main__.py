"""``python -m atlas.kiosk check [--playlist FILE] [--db PATH]``: check a kiosk playlist.

Prints what was loaded and every problem (entry and key named); exit status 1 when there is a
problem, 0 when every story is usable. ``scripts/kiosk.sh`` runs it before starting the server.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import db, queries
from ..catalogue import indicator_from_json
from ..errors import AtlasError
from ..views.view_state import Availability
from .playlist import area_levels_from, load_playlist, playlist_path


def check(playlist: Path, db_file: str | None) -> int:
    con = db.connect(db_file)
    try:
        meta = queries.run(con, "list_indicator_metadata")
        indicators = {i: indicator_from_json(m) for i, m in zip(meta["indicator_id"], meta["metadata_json"])}
        availability = Availability(queries.run(con, "list_indicator_views"))
        areas = queries.run(con, "list_area_names")
    finally:
        con.close()
    result = load_playlist(playlist, indicators=indicators, availability=availability,
                           area_levels=area_levels_from(zip(areas["level"], areas["code"])))
    print(result.report())
    return 1 if result.problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m atlas.kiosk", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    c = sub.add_parser("check", help="check the kiosk playlist against the database")
    c.add_argument("--playlist", type=Path, default=None,
                   help="the playlist file (default: ATLAS_KIOSK_PLAYLIST, else kiosk/playlist.toml)")
    c.add_argument("--db", default=None, help="the database (default: ATLAS_DB, else geodata/atlas.duckdb)")
    args = parser.parse_args(argv)
    try:
        return check(args.playlist or playlist_path(), args.db)
    except AtlasError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
