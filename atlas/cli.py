"""``python -m atlas``: build, check and import.

Every command prints what it did; an error the atlas explains (AtlasError) is printed as one
clear message with exit status 1, never as a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import AtlasError, ImportRejected


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m atlas", description="İzmir Health Equity Atlas tools.")
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the database from the source data")
    b.add_argument("--data-dir", help="folder with the source data (default: ATLAS_DATA_DIR or ../shared/data)")
    b.add_argument("--db", help="database to write (default: ATLAS_DB or geodata/atlas.duckdb)")
    c = sub.add_parser("check", help="run the integrity checks on a database")
    c.add_argument("--db", help="database to check (default: ATLAS_DB or geodata/atlas.duckdb)")
    i = sub.add_parser("import", help="import an indicator table (CSV or XLSX) into an existing database")
    i.add_argument("file", type=Path, help="the CSV or XLSX file (template: examples/import_template.csv)")
    i.add_argument("--entry", type=Path, help="catalogue entry (TOML) for a new indicator")
    i.add_argument("--db", help="database to import into (default: ATLAS_DB or geodata/atlas.duckdb)")
    i.add_argument("--dry-run", action="store_true", help="validate only; write nothing")
    return p


def _build(args) -> int:
    from .build import build

    report = build(args.data_dir, args.db)
    f = report.facts
    print(f"database: {report.db} ({report.db_bytes / 1e6:.1f} MB), built in {report.seconds:.1f} s")
    print(f"areas: {f['districts']} districts, {f['mahalle_features']} mahalle features {f['mahalle_kinds']}")
    print(f"geometry repaired: {f['geometry_repaired']}")
    print(f"district geometry raw → display: {f['geometry_district']}")
    print(f"mahalle geometry raw → display: {f['geometry_mahalle']}")
    share = float(f["mahalle_join_population_share"])
    print(f"mahalle population join: {f['mahalle_join_rows']} rows, {share:.2%} of the population")
    if report.unmatched is not None and not report.unmatched.empty:
        print("unmatched TÜİK mahalle rows (district code, name, population → closest polygons):")
        for r in report.unmatched.itertuples():
            print(f"  {r.district_code}  {r.source_name}  {r.weight:,.0f}  → {r.suggestions if isinstance(r.suggestions, str) else 'no close name'}"
                  f"  [{r.method}]")
    if report.skipped:
        print(f"optional sources missing, their indicators left out: {', '.join(report.skipped)}")
    print(f"indicator values: {f['indicator_values']}")
    if report.carried_indicators:
        print(f"imported indicators kept from the previous database: {', '.join(report.carried_indicators)}")
    for lost in report.dropped_imported_values:
        print(f"warning: imported value dropped, its area is not in the new build: {lost}")
    return 0


def _check(args) -> int:
    from .checks import run_checks
    from .db import connect

    con = connect(args.db)
    try:
        report = run_checks(con)
    finally:
        con.close()
    print(report.text())
    return 1 if report.failed else 0


def _import(args) -> int:
    from .importing import import_file
    from .db import require_db

    report = import_file(args.file, require_db(args.db), args.entry, dry_run=args.dry_run)
    verb = "validated (dry run, nothing written)" if args.dry_run else "imported"
    print(f"{verb}: {report.rows} rows of {report.indicator_id} "
          f"({'new indicator' if report.new_indicator else 'existing indicator'}), "
          f"levels {', '.join(report.levels)}, periods {', '.join(report.periods)}; source {report.source_id}")
    for w in report.warnings:
        print(f"warning: {w}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    handlers = {"build": _build, "check": _check, "import": _import}
    try:
        return handlers[args.command](args)
    except ImportRejected as exc:
        print(exc, file=sys.stderr)
        return 1
    except AtlasError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
