"""Benchmark secondary suppression at İzmir's scale (issue #19, item 3).

Synthetic, fictional counts: 30 districts of 20–80 mahalle (about 1,300 mahalle), female / male /
total per mahalle, Poisson counts with a mean of 3–60 so that some cells fall below 5. Times
``atlas.statistics.suppression.secondary_suppression`` district by district (the documented way:
the districts' equations are independent while district totals are published); checks that no
suppressed cell is recoverable afterwards. (The whole city's table in one call is far slower — over
15 minutes here — since every candidate cell is tried against the whole system: split it by district.)

Target: the whole city, district by district, under 10 s on 2 cores. Exits 1 when it misses or when a
suppressed cell could be recovered.

    .venv/bin/python bench/bench_suppression.py
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from atlas.statistics import suppression as sp  # noqa: E402

TARGET_SECONDS = 10.0
SEXES = ("female", "male")


def district_table(rng: np.random.Generator, name: str, n: int) -> tuple[dict, dict]:
    parent = {f"{name}-m{i}": name for i in range(n)}
    values: dict = {}
    for m in parent:
        mean = rng.uniform(3, 60)
        f, ma = rng.poisson(mean, 2)
        values[(m, "female")], values[(m, "male")], values[(m, "total")] = int(f), int(ma), int(f + ma)
    for s in (*SEXES, "total"):
        values[(name, s)] = sum(values[(m, s)] for m in parent)
    return parent, values


def main() -> int:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    rng = np.random.default_rng(19)
    rule = sp.SuppressionRule(min_count=5)
    tables = [district_table(rng, f"d{k}", int(rng.integers(20, 81))) for k in range(30)]
    ok = True
    started = time.perf_counter()
    n_cells = n_primary = n_hidden = 0
    for parent, values in tables:
        equations = sp.hierarchy_equations(parent, sexes=SEXES)
        primary = [k for k, v in values.items() if rule.reason(v) is not None]
        out = sp.secondary_suppression(values, equations, primary)
        ok &= not sp.recoverable(list(values), equations, out)
        n_cells, n_primary, n_hidden = n_cells + len(values), n_primary + len(primary), n_hidden + len(out)
    took = time.perf_counter() - started
    mahalle = sum(len(p) for p, _ in tables)
    print(f"district by district: {mahalle} mahalle, {n_cells} cells, {n_primary} primary, "
          f"{n_hidden - n_primary} secondary: {took:.2f} s (target {TARGET_SECONDS:.0f} s)")
    ok &= took < TARGET_SECONDS
    print("ok" if ok else "MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
