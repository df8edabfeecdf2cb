"""Double burden (issue 20): time to make the bivariate view and its print page on the real build.

    .venv/bin/python bench/bench_bivariate.py [--db geodata/atlas.duckdb] [--runs 5]

Prints the median wall time of ``bivariate_view`` (land-surface temperature × social vulnerability
at mahalle level, SEGE score × adults 65+ at district level) and of ``render_bivariate`` (PDF, and
PNG at 200 dpi) for the mahalle view. No targets are asserted anywhere (bench/README.md).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from atlas.bivariate.view import bivariate_view  # noqa: E402
from atlas.db import connect  # noqa: E402
from atlas.equity.stratify import _indicator  # noqa: E402
from atlas.export.bivariate import render_bivariate  # noqa: E402


def _median(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default=str(ROOT / "geodata" / "atlas.duckdb"))
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    con = connect(args.db)
    cases = [("lst_summer_mean", "svi_mean", "mahalle"), ("sege_score", "adults_65plus_share", "district")]
    for x, y, level in cases:
        xi, yi = _indicator(con, x), _indicator(con, y)
        t = _median(lambda: bivariate_view(con, xi, yi, level), args.runs)
        print(f"bivariate_view {x} × {y} ({level}): {t * 1000:.0f} ms median of {args.runs}")
    view = bivariate_view(con, _indicator(con, cases[0][0]), _indicator(con, cases[0][1]), "mahalle")
    for fmt, dpi in (("pdf", 72), ("png", 200)):
        t = _median(lambda: render_bivariate(view, "tr", fmt=fmt, dpi=dpi), max(1, args.runs // 2))
        print(f"render_bivariate {fmt} ({dpi} dpi): {t * 1000:.0f} ms")


if __name__ == "__main__":
    main()
