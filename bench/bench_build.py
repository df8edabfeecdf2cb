"""Benchmark `python -m atlas build`: wall time, peak memory, database size, geometry sizes.

Runs the build as a separate process several times into a temporary folder and prints the
median and range. Target (issue #3): under 30 s on a 2-core machine (issue #17, with the point
layers: under 60 s; the stricter target is kept).

    .venv/bin/python bench/bench_build.py [--runs 3] [--data-dir DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from atlas import queries  # noqa: E402
TARGET_SECONDS = 30.0


def run_once(db: Path, data_dir: str | None) -> tuple[float, float]:
    cmd = [sys.executable, "-m", "atlas", "build", "--db", str(db)]
    if data_dir:
        cmd += ["--data-dir", data_dir]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak_kb, before) / 1024


def facts(db: Path) -> dict[str, str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = queries.run(con, "get_build_info")
        return dict(zip(rows["key"], rows["value"]))
    finally:
        con.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--data-dir")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "atlas.duckdb"
        times, peaks, access = [], [], []
        for i in range(args.runs):
            seconds, peak_mb = run_once(db, args.data_dir)
            times.append(seconds)
            peaks.append(peak_mb)
            access.append(float(facts(db).get("access_seconds", "nan")))  # the access step (issue #17)
            print(f"run {i + 1}: {seconds:.2f} s", file=sys.stderr)
        f = facts(db)
        size_mb = db.stat().st_size / 1e6
    geo_m = json.loads(f["geometry_mahalle"])
    geo_d = json.loads(f["geometry_district"])
    med = statistics.median(times)
    print(f"build wall time   median {med:.2f} s (min {min(times):.2f}, max {max(times):.2f}, {args.runs} runs)"
          f"  target < {TARGET_SECONDS:.0f} s: {'met' if med < TARGET_SECONDS else 'NOT MET'}")
    print(f"peak memory (RSS) {max(peaks):.0f} MB   cores: {os.cpu_count()}")
    print(f"access step       median {statistics.median(access):.2f} s (min {min(access):.2f}, max {max(access):.2f}; "
          f"{int(f.get('access_resident_points', 0)):,} resident points; part of the build time above)")
    print(f"database size     {size_mb:.1f} MB")
    for label, g in (("mahalle", geo_m), ("district", geo_d)):
        raw, disp = g["raw"], g["display"]
        print(f"{label:8s} geometry  vertices {raw['vertices']:,} → {disp['vertices']:,} "
              f"({1 - disp['vertices'] / raw['vertices']:.0%} fewer); GeoJSON {raw['geojson_bytes'] / 1e6:.2f} MB → "
              f"{disp['geojson_bytes'] / 1e6:.2f} MB; WKB {raw['wkb_bytes'] / 1e6:.2f} MB → {disp['wkb_bytes'] / 1e6:.2f} MB")
    print(f"mahalle join      {f['mahalle_join_rows']} rows, "
          f"{float(f['mahalle_join_population_share']):.2%} of the population")
    for key in sorted(k for k in f if k.startswith("points_") and k != "points_unused"):
        p = json.loads(f[key])  # the point layers step (issue #17) is part of every build timed above
        print(f"point layer       {key.removeprefix('points_')}: {p['loaded']:,} of {p['rows']:,} rows loaded, "
              f"reported {p['reported'] or 'nothing'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
