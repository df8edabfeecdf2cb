"""Time the data workbench's publish and rollback on the real database (issue #18).

    .venv/bin/python bench/bench_workbench_publish.py [--runs 3] [--db PATH]

Builds the real database in a temporary folder (or copies ``--db``), then times, per run: the served
token (SHA-256, first and cached), ``stage_copy``, ``publish`` of a staged copy (copy, every integrity
check, rename, history) and ``rollback`` to the version before. Prints medians. Writes nothing into
the checkout.
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

from atlas.workbench import versions as V  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db", help="an atlas database to copy instead of building one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="atlas-bench-wb-") as folder:
        target = Path(folder) / "served" / "atlas.duckdb"
        target.parent.mkdir()
        if args.db:
            shutil.copyfile(args.db, target)
        else:
            from atlas.build.pipeline import build
            from atlas.config import data_dir

            build(data_dir(), target, progress=lambda _msg: None)
        times: dict[str, list[float]] = {k: [] for k in ("token", "token_cached", "stage_copy", "publish", "rollback")}
        for run in range(args.runs):
            t0 = time.perf_counter()
            V._TOKENS.clear()
            token = V.served_token(target)
            t1 = time.perf_counter()
            V.served_token(target)
            t2 = time.perf_counter()
            staged = V.stage_copy(target)
            t3 = time.perf_counter()
            con = duckdb.connect(str(staged))
            con.execute("INSERT OR REPLACE INTO build_info VALUES ('bench_run', $r)", {"r": str(run)})
            con.close()
            t4 = time.perf_counter()
            V.publish(staged, target=target, user="bench", file_name="bench.csv", expected_token=token, changes={})
            t5 = time.perf_counter()
            staged.unlink()
            previous = V.history(target)[1].version_id
            V.rollback(previous, target=target, user="bench")
            t6 = time.perf_counter()
            for key, value in zip(times, (t1 - t0, t2 - t1, t3 - t2, t5 - t4, t6 - t5)):
                times[key].append(value)
        print(f"database {target.stat().st_size / 1e6:.1f} MB, {args.runs} runs (median, min–max):")
        for key, values in times.items():
            print(f"  {key:<13} {statistics.median(values):8.3f} s  ({min(values):.3f}–{max(values):.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
