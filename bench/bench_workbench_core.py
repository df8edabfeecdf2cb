"""Time the data workbench's core steps on the real database (issue #18): the XLSX template, the
comparison of a staged database with the published one, and the problem table of a bad file.

    .venv/bin/python bench/bench_workbench_core.py [--runs 3] [--db PATH]

Builds the real database in a temporary folder (or copies ``--db``), then times, per run:
``build_template`` (Turkish, ready values; and count data by age band), ``diff_databases`` against a copy
in which one indicator's district values changed and three mahalle lost every value, and
``problems_table`` + ``problems_csv`` of a rejected file of 10,000 rows (the row limit), every row with a
problem. Prints medians and the sizes. Writes nothing into the checkout.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from atlas.errors import ImportRejected  # noqa: E402
from atlas.importing import COLUMNS, import_file  # noqa: E402
from atlas.workbench.diff import diff_databases  # noqa: E402
from atlas.workbench.report import problems_csv, problems_table  # noqa: E402
from atlas.workbench.template import build_template  # noqa: E402


def _timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db", help="an atlas database to copy instead of building one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="atlas-bench-wbcore-") as folder:
        published = Path(folder) / "atlas.duckdb"
        if args.db:
            shutil.copyfile(args.db, published)
        else:
            from atlas.build.pipeline import build
            from atlas.config import data_dir

            build(data_dir(), published, progress=lambda _msg: None)
        staged = Path(folder) / "staged.duckdb"
        shutil.copyfile(published, staged)
        con = duckdb.connect(str(staged))
        con.execute("UPDATE indicator_values SET value = value * 1.1 WHERE status = 'ok' AND level = 'district' "
                    "AND indicator_id = (SELECT min(indicator_id) FROM indicator_values)")
        con.execute("DELETE FROM indicator_values WHERE level = 'mahalle' AND area_code IN "
                    "(SELECT DISTINCT area_code FROM indicator_values WHERE level = 'mahalle' ORDER BY 1 LIMIT 3)")
        con.close()
        bad = Path(folder) / "bad.csv"
        bad.write_text(",".join(COLUMNS) + "\n" + "x,köy,Konak,,,2023,1,,,,,,\n" * 10_000, encoding="utf-8")
        times: dict[str, list[float]] = {k: [] for k in ("template", "template_age_bands", "diff", "rejected",
                                                         "problems_table_csv")}
        sizes = {}
        for _ in range(args.runs):
            con = duckdb.connect(str(published), read_only=True)
            try:
                t, data = _timed(lambda: build_template(con, "tr"))
                times["template"].append(t)
                sizes["template bytes"] = len(data)
                t, data = _timed(lambda: build_template(con, "tr", "age_bands"))
                times["template_age_bands"].append(t)
            finally:
                con.close()
            t, diff = _timed(lambda: diff_databases(published, staged))
            times["diff"].append(t)
            sizes["diff rows changed/removed"] = f"{diff.changed}/{diff.removed}"
            t0 = time.perf_counter()
            try:
                import_file(bad, published, dry_run=True)
            except ImportRejected as exc:
                rejected = exc
            times["rejected"].append(time.perf_counter() - t0)
            t, csv = _timed(lambda: problems_csv(problems_table(rejected, "tr")))
            times["problems_table_csv"].append(t)
            sizes["problems"] = len(rejected.items)
            sizes["problems csv bytes"] = len(csv)
    for key, values in times.items():
        print(f"{key:>22}: median {statistics.median(values):.2f} s ({min(values):.2f}–{max(values):.2f})")
    for key, value in sizes.items():
        print(f"{key:>22}: {value:,}" if isinstance(value, int) else f"{key:>22}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
