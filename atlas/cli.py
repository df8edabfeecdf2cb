"""``python -m atlas``: build, check, import, import-points, template, export, export-bivariate, export-atlas and equity.

Every command prints what it did; an error the atlas explains (AtlasError) is printed as one
clear message with exit status 1, never as a traceback.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from .errors import AtlasError, ImportRejected
from .i18n import DEFAULT_LANG, LANGS


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
    _import_points_parser(sub)
    t = sub.add_parser("template", help="write the XLSX import template (drop-down lists, help, fictional examples)")
    t.add_argument("--out", type=Path, required=True, help="the .xlsx file to write")
    t.add_argument("--lang", choices=LANGS, default=DEFAULT_LANG, help="language of the sheet names and header")
    t.add_argument("--kind", choices=("values", "age_bands"), default="values",
                   help="ready values (default) or count data by age band")
    t.add_argument("--db", help="database whose indicators and areas fill the lists (default: ATLAS_DB or "
                                "geodata/atlas.duckdb)")
    _export_parsers(sub)
    from .equity.cli import add_parser as add_equity_parser

    add_equity_parser(sub)
    return p


def _import_points_parser(sub) -> None:
    p = sub.add_parser("import-points", help="import a point file (CSV, XLSX or GeoJSON) as a point layer",
                       description="Load a city's point file (e.g. the pharmacy list) as a point layer and compute "
                                   "its access indicators (docs/import.md, 'Point layers'). Writes nothing when the "
                                   "file has any problem.")
    p.add_argument("file", type=Path, help="the CSV, XLSX or GeoJSON file (example: docs/examples/pharmacies_example.csv)")
    p.add_argument("--layer", required=True, help="the point layer id, e.g. pharmacies")
    p.add_argument("--entry", type=Path, help="layer entry (TOML) to register a new layer")
    p.add_argument("--crs", help="the coordinates' system: EPSG:4326 (WGS84 degrees), EPSG:32635 (UTM 35N), "
                                 "EPSG:5253 (TM27) or EPSG:5254 (TM30); default: detected from the numbers")
    p.add_argument("--db", help="database to import into (default: ATLAS_DB or geodata/atlas.duckdb)")
    p.add_argument("--dry-run", action="store_true", help="check only; write nothing")


def _export_parsers(sub) -> None:
    from .views.view_state import SCHEMES  # the URL's allow-list: the app's classifications

    e = sub.add_parser("export", help="export one map view as PNG, SVG or PDF (or its data as CSV, GPKG, zip)",
                       description="Draw one map view as a print-ready file (docs/export.md), with the same "
                                   "classes and colours as the app. Writes nothing when the request is not valid.")
    e.add_argument("--indicator", required=True, help="indicator id, e.g. pop_density")
    e.add_argument("--period", help="period, e.g. 2023 (default: the latest with values)")
    e.add_argument("--level", required=True, choices=("district", "mahalle"))
    e.add_argument("--format", dest="fmt", choices=("png", "svg", "pdf", "csv", "gpkg", "zip"),
                   help="file format (default: from the --out suffix); csv/gpkg/zip export the data behind the map")
    e.add_argument("--dpi", default="300", help="PNG resolution, a whole number from 72 to 600 (default 300)")
    e.add_argument("--paper", default="a4", choices=("a4", "a3"))
    e.add_argument("--orientation", default="landscape", choices=("portrait", "landscape"))
    e.add_argument("--lang", default=DEFAULT_LANG, choices=LANGS)
    e.add_argument("--scheme", default="quantiles", choices=SCHEMES)
    e.add_argument("--k", type=int, default=5, help="number of classes, 3 to 9 (default 5)")
    e.add_argument("--labels", action="store_true", help="write district names on the map")
    e.add_argument("--zoom-to", metavar="DISTRICT_CODE", help="zoom to a district (TÜİK code, e.g. 1203 = Bornova); "
                                                            "adds an inset of the province")
    e.add_argument("--points", metavar="LAYER", help="draw a point layer over the map, e.g. bus_stops (its legend "
                                                     "row and attribution are printed too; PNG, SVG and PDF only)")
    e.add_argument("--data", action="store_true", help="also write the data behind the map: OUT stem + '_data.zip' "
                                                      "(CSV, GeoPackage, metadata, README)")
    e.add_argument("--base-url", help="app address for the permalink (default: ATLAS_PUBLIC_URL or "
                                      "http://127.0.0.1:8501/)")
    e.add_argument("--db", help="database (default: ATLAS_DB or geodata/atlas.duckdb)")
    e.add_argument("--out", required=True, type=Path, help="file to write")
    _export_bivariate_parser(sub)
    a = sub.add_parser("export-atlas", help="write the whole atlas as one PDF (cover, contents, a page per indicator)")
    a.add_argument("--out", required=True, type=Path, help="PDF file to write")
    a.add_argument("--level", default="district", choices=("district", "mahalle"))
    a.add_argument("--lang", default=DEFAULT_LANG, choices=LANGS)
    a.add_argument("--scheme", default="quantiles", choices=SCHEMES)
    a.add_argument("--k", type=int, default=5, help="number of classes, 3 to 9 (default 5)")
    a.add_argument("--paper", default="a4", choices=("a4", "a3"))
    a.add_argument("--orientation", default="portrait", choices=("portrait", "landscape"))
    a.add_argument("--labels", action="store_true", help="write district names on the maps")
    a.add_argument("--base-url", help="app address for the permalinks (default: ATLAS_PUBLIC_URL or "
                                      "http://127.0.0.1:8501/)")
    a.add_argument("--db", help="database (default: ATLAS_DB or geodata/atlas.duckdb)")
    a.add_argument("--quiet", action="store_true", help="no progress bar")


def _export_bivariate_parser(sub) -> None:
    b = sub.add_parser("export-bivariate", help="export a double-burden view (two indicators, 3×3 map) as PNG, SVG or PDF",
                       description="Draw the double-burden page of two indicators at one level (docs/export.md), "
                                   "on the map export's papers. Writes nothing when the request is not valid.")
    b.add_argument("--x", required=True, help="indicator across (x), e.g. lst_summer_mean")
    b.add_argument("--y", required=True, help="indicator up (y), e.g. svi_mean")
    b.add_argument("--level", required=True, choices=("district", "mahalle"))
    b.add_argument("--period-x", help="period of x (default: the latest with values)")
    b.add_argument("--period-y", help="period of y (default: the latest with values)")
    b.add_argument("--format", dest="fmt", choices=("png", "svg", "pdf"), help="file format (default: from the -o suffix)")
    b.add_argument("--dpi", default="300", help="PNG resolution, a whole number from 72 to 600 (default 300)")
    b.add_argument("--paper", default="a4", choices=("a4", "a3"))
    b.add_argument("--orientation", default="landscape", choices=("portrait", "landscape"))
    b.add_argument("--lang", default=DEFAULT_LANG, choices=LANGS)
    b.add_argument("--labels", action="store_true", help="write district names on the map")
    b.add_argument("--zoom-to", metavar="DISTRICT_CODE", help="zoom to a district (TÜİK code); adds an inset of the province")
    b.add_argument("--base-url", help="app address for the permalink (default: ATLAS_PUBLIC_URL or http://127.0.0.1:8501/)")
    b.add_argument("--db", help="database (default: ATLAS_DB or geodata/atlas.duckdb)")
    b.add_argument("-o", "--out", required=True, type=Path, help="file to write")


def _export_bivariate(args) -> int:
    from .db import connect
    from .export.bivariate import export_bivariate_file

    con = connect(args.db)
    try:
        r = export_bivariate_file(con, args.out, x=args.x, y=args.y, level=args.level, x_period=args.period_x,
                                  y_period=args.period_y, fmt=args.fmt, lang=args.lang, dpi=args.dpi, paper=args.paper,
                                  orientation=args.orientation, labels=args.labels, zoom_to=args.zoom_to,
                                  base_url=args.base_url)
    finally:
        con.close()
    print(f"wrote {r.path} ({r.fmt}, {r.bytes / 1e6:.2f} MB) in {r.seconds:.2f} s: {r.view.x.id} {r.view.x_period} × "
          f"{r.view.y.id} {r.view.y_period} {r.view.level}")
    print(f"permalink: {r.permalink}")
    return 0


def _build(args) -> int:
    from .build.pipeline import build

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
    if report.points is not None:
        print("point layers (every point not loaded, or loaded with a caveat, is listed):")
        for line in report.points.lines():
            print(f"  {line}")
    print(f"indicator values: {f['indicator_values']}")
    if report.carried_indicators:
        print(f"imported indicators kept from the previous database: {', '.join(report.carried_indicators)}")
    for lost in report.dropped_imported_values:
        print(f"warning: imported value dropped, its area is not in the new build: {lost}")
    return 0


def _check(args) -> int:
    from .build.checks import run_checks
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
    for m in report.members:
        print(f"family member: {m}")
    for w in report.warnings:
        print(f"warning: {w}")
    for line in report.izmir:
        print(f"İzmir value: {line}")
    return 0


def _template(args) -> int:
    from .db import connect, require_db
    from .export.files import write_atomic
    from .workbench.template import build_template

    con = connect(require_db(args.db), read_only=True)
    try:
        data = build_template(con, args.lang, args.kind)
    finally:
        con.close()
    path = write_atomic(args.out, data)
    print(f"wrote {path} ({len(data):,} bytes; template in {args.lang})")
    return 0


def _import_points(args) -> int:
    from .importing.points import import_points
    from .db import require_db

    report = import_points(args.file, require_db(args.db), args.layer, args.entry, crs=args.crs,
                           dry_run=args.dry_run)
    for line in report.lines():
        print(line)
    return 0


def _export(args) -> int:
    from .db import connect
    from .export.data_export import data_zip
    from .export.files import export_file, write_atomic

    con = connect(args.db)
    try:
        result = export_file(con, args.out, indicator=args.indicator, period=args.period, level=args.level,
                             fmt=args.fmt, scheme=args.scheme, k=args.k, lang=args.lang, dpi=args.dpi,
                             paper=args.paper, orientation=args.orientation, labels=args.labels,
                             zoom_to=args.zoom_to, base_url=args.base_url, points=args.points)
        print(f"wrote {result.path} ({result.fmt}, {result.bytes / 1e6:.2f} MB) in {result.seconds:.2f} s: "
              f"{result.view.indicator} {result.view.period} {result.view.level}")
        print(f"permalink: {result.permalink}")
        if args.data:
            from .export.context import load_context
            from .views.map_view import build_map_view
            from .export.files import indicators

            v = result.view
            mv = build_map_view(con, indicators(con)[v.indicator], v.period, v.level, v.scheme, v.k, v.lang)
            target = args.out.with_name(f"{args.out.stem}_data.zip")
            write_atomic(target, data_zip(mv, load_context(con, mv), exported_at=datetime.now().astimezone(),
                                          permalink=result.permalink))
            print(f"wrote {target} (CSV, GeoPackage, metadata, README)")
    finally:
        con.close()
    return 0


class _ProgressBar:
    """``[#####.....] 3/11 title`` on stderr, redrawn in place."""

    def __init__(self, stream, width: int = 30):
        self.stream, self.width = stream, width

    def __call__(self, done: int, total: int, what: str) -> None:
        filled = int(self.width * done / max(total, 1))
        bar = "#" * filled + "." * (self.width - filled)
        self.stream.write(f"\r[{bar}] {done}/{total} {what[:40]:<40}")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


def _export_atlas(args) -> int:
    from .db import connect
    from .export.atlas_pdf import write_atlas_pdf

    con = connect(args.db)
    try:
        report = write_atlas_pdf(con, args.out, level=args.level, lang=args.lang, scheme=args.scheme, k=args.k,
                                 paper=args.paper, orientation=args.orientation, labels=args.labels,
                                 base_url=args.base_url, progress=None if args.quiet else _ProgressBar(sys.stderr))
    finally:
        con.close()
    print(f"wrote {report.path}: {report.pages} pages ({len(report.entries)} indicators) in {report.seconds:.1f} s")
    print(f"equity summary: {report.equity}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from .equity.cli import run as _equity

    handlers = {"build": _build, "check": _check, "import": _import, "import-points": _import_points,
                "template": _template,
                "export": _export, "export-bivariate": _export_bivariate,
                "export-atlas": _export_atlas, "equity": _equity}
    try:
        return handlers[args.command](args)
    except ImportRejected as exc:
        print(exc, file=sys.stderr)
        return 1
    except AtlasError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
