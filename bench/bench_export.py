"""Benchmark map exports: A4 300 dpi PNG and PDF of the mahalle map, and the whole-atlas PDF.

For the single maps it times, in one warm process, the median of N runs of
* ``render``: ``render_map`` on a prepared MapView and context (what the app's download does),
* ``end to end``: what ``python -m atlas export`` does after start-up — build the view, read the
  context, render and write the file atomically;
and for the atlas one run of ``write_atlas_pdf`` per level. Targets (issue #6): ≤ 2 s per map,
≤ 60 s for the atlas. Uses the database of ATLAS_DB / geodata/atlas.duckdb (or --db).

    .venv/bin/python bench/bench_export.py [--runs 5] [--db PATH] [--indicator pop_density --period 2023]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from atlas import db  # noqa: E402
from atlas.export.atlas_pdf import write_atlas_pdf  # noqa: E402
from atlas.export.context import load_context  # noqa: E402
from atlas.export.files import export_file, indicators  # noqa: E402
from atlas.export.render import render_map  # noqa: E402
from atlas.views.map_view import build_map_view  # noqa: E402

MAP_TARGET, ATLAS_TARGET = 2.0, 60.0


def _median(fn, runs: int) -> tuple[float, float, float]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times), max(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--db")
    ap.add_argument("--indicator", default="pop_density")
    ap.add_argument("--period", default="2023")
    ap.add_argument("--levels", default="district,mahalle", help="atlas levels to time (comma-separated)")
    args = ap.parse_args()
    con = db.connect(args.db)
    ind = indicators(con)[args.indicator]
    when = datetime.now(timezone.utc)
    mv = build_map_view(con, ind, args.period, "mahalle", "quantiles", 5, "tr")
    ctx = load_context(con, mv)
    render_map(mv, fmt="png", dpi=72, context=ctx)  # warm up fonts and imports
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in ("png", "pdf"):
            size = len(render_map(mv, fmt=fmt, dpi=300, permalink="http://127.0.0.1:8501/", exported_at=when,
                                  context=ctx))
            med, lo, hi = _median(lambda: render_map(mv, fmt=fmt, dpi=300, paper="a4", orientation="landscape",
                                                     permalink="http://127.0.0.1:8501/", exported_at=when,
                                                     context=ctx), args.runs)
            rows.append((f"mahalle A4 300 dpi {fmt.upper()}: render", med, lo, hi, MAP_TARGET, f"{size / 1e6:.2f} MB"))
            out = Path(tmp) / f"map.{fmt}"
            med, lo, hi = _median(lambda: export_file(con, out, indicator=args.indicator, period=args.period,
                                                      level="mahalle", fmt=fmt, dpi=300), args.runs)
            rows.append((f"mahalle A4 300 dpi {fmt.upper()}: end to end", med, lo, hi, MAP_TARGET, ""))
        for level in [lv for lv in args.levels.split(",") if lv]:
            out = Path(tmp) / f"atlas_{level}.pdf"
            t0 = time.perf_counter()
            report = write_atlas_pdf(con, out, level=level)
            sec = time.perf_counter() - t0
            rows.append((f"atlas PDF, {level} ({report.pages} pages)", sec, sec, sec, ATLAS_TARGET,
                         f"{out.stat().st_size / 1e6:.2f} MB"))
    con.close()
    width = max(len(r[0]) for r in rows)
    print(f"{'what':<{width}}  {'median s':>8}  {'min':>6}  {'max':>6}  {'target':>6}  ok   size")
    for name, med, lo, hi, target, size in rows:
        ok = "yes" if med <= target else "NO"
        print(f"{name:<{width}}  {med:8.2f}  {lo:6.2f}  {hi:6.2f}  {target:6.0f}  {ok:<4} {size}")
    print(f"runs per map: {args.runs}; indicator {args.indicator} {args.period}; {mv.frame.shape[0]} mahalle drawn")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
