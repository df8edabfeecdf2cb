"""Coverage of the summary measures' 95 % intervals (issue 20), in seeded simulations.

    .venv/bin/python bench/bench_equity_coverage.py              # 3 settings × 2,000 runs, ~3 min on 2 cores
    .venv/bin/python bench/bench_equity_coverage.py --runs 5000 --only quintiles

Each run observes every group with normal error of known SE (the truth is known), computes every
measure with its interval exactly as the atlas does (``atlas.equity.measures.compute``, 10,000
draws for the simulated measures) and counts how often the interval covers the true value. Prints
one line per measure: the coverage in each setting and its Monte Carlo standard error. Settings:

* ``quintiles``: five ordered groups of a percentage (logistic SII/RII), gaps of 4–5 points with
  SEs about 1 point — the setting of the test in tests/test_equity_heat.py;
* ``districts``: ten unordered districts of a rate (lower is better, linear model), unequal
  populations, a chosen reference district (MDRW, MDRU, PAR and PAF use it);
* ``small_gaps``: five ordered groups whose gaps are about one SE — where measures that cannot be
  negative (BGV, Theil, MLD, MDM …) are biased upwards by the noise itself and their intervals
  cover less; reported so the limits are known, not asserted.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from atlas.equity.measures import MEASURE_IDS, MeasureNotApplicable, compute  # noqa: E402

SETTINGS = {
    "quintiles": dict(y=[18.0, 22.0, 27.0, 31.0, 36.0], se=[1.2, 1.0, 1.1, 0.9, 1.3], pops=[120, 80, 100, 150, 50],
                      kw=dict(ordered=True, polarity="higher_is_better", scale=100)),
    "districts": dict(y=[310.0, 280.0, 355.0, 402.0, 298.0, 330.0, 365.0, 250.0, 420.0, 315.0],
                      se=[12.0, 15.0, 10.0, 18.0, 9.0, 14.0, 20.0, 11.0, 25.0, 13.0],
                      pops=[90, 60, 150, 40, 200, 80, 50, 120, 30, 100],
                      kw=dict(ordered=False, polarity="lower_is_better", reference=4)),
    "small_gaps": dict(y=[20.0, 21.0, 22.0, 22.5, 23.5], se=[1.0, 1.0, 1.0, 1.0, 1.0], pops=[100] * 5,
                       kw=dict(ordered=True, polarity="higher_is_better", scale=100)),
}


def coverage(setting: dict, runs: int, seed: int = 2024) -> dict[str, float | None]:
    y, se, pops, kw = (np.array(setting["y"]), np.array(setting["se"]), setting["pops"], setting["kw"])
    rng = np.random.default_rng(seed)
    observed = y + rng.standard_normal((runs, y.size)) * se
    out: dict[str, float | None] = {}
    for mid in MEASURE_IDS:
        try:
            truth = compute(mid, y, pops, **kw).value
        except MeasureNotApplicable:
            out[mid] = None
            continue
        covered = 0
        for k in range(runs):
            r = compute(mid, observed[k], pops, se, seed=k, **kw)
            covered += r.has_ci and r.lower <= truth <= r.upper
        out[mid] = covered / runs
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=2000)
    ap.add_argument("--only", choices=sorted(SETTINGS), action="append")
    args = ap.parse_args(argv)
    names = args.only or list(SETTINGS)
    results = {}
    for name in names:
        start = time.perf_counter()
        results[name] = coverage(SETTINGS[name], args.runs)
        print(f"{name}: {time.perf_counter() - start:.0f} s", file=sys.stderr)
    mc_se = (0.95 * 0.05 / args.runs) ** 0.5 * 100
    print(f"coverage of the 95 % intervals, {args.runs} runs per setting (Monte Carlo SE {mc_se:.2f} points)")
    print("measure  " + "  ".join(f"{n:>10}" for n in names))
    for mid in MEASURE_IDS:
        cells = ["{:>9.1f}%".format(results[n][mid] * 100) if results[n][mid] is not None else "{:>10}".format("n/a")
                 for n in names]
        print(f"{mid:<8} " + "  ".join(cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
