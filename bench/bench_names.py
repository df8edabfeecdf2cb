"""Benchmark name matching on hostile names (issue #16, finding 6): time grows linearly with the length.

Times 50,000- and 100,000-letter names (and other shapes: ``a.a.a.…``, ``a a a …``, a long run of spaces)
through ``atlas.names.NameMatcher.match``, ``display_name`` and the importer's ``AreaResolver.resolve``,
and prints the length of the importer's message. Before the fix, the abbreviation pattern
``([a-z]+)\\.(?=\\s*\\w)`` took 25–30 s for 50,000 letters and over 3 minutes for 100,000, and the message
echoed the whole name. ``--old`` also times that pattern on 5,000–20,000 letters, for comparison.

Target: every case under 1 s on 2 cores; the message under 200 characters. Exits 1 when a case misses.

    .venv/bin/python bench/bench_names.py [--old]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from atlas.importing import AreaResolver, ParsedRow  # noqa: E402
from atlas.names import Candidate, NameMatcher, display_name  # noqa: E402

TARGET_SECONDS = 1.0
TARGET_MESSAGE = 200
OLD_ABBREVIATION = re.compile(r"([a-z]+)\.(?=\s*\w)")
AREAS = [("district", "1", "Konak", "35"), ("district", "2", "Karşıyaka", "35"),
         ("mahalle", "11", "Atatürk", "1"), ("mahalle", "12", "Barbaros Hayrettin Paşa", "1")]


def shapes(n: int) -> dict[str, str]:
    return {"letters": "a" * n, "a.a.a.": "a." * (n // 2), "a a a": "a " * (n // 2),
            "spaces": "a" + " " * n + "b", "B.": "B." + "b" * n}


def row(district: str) -> ParsedRow:
    return ParsedRow(row=2, indicator_id="x", level="district", district=district, mahalle=None, area_code=None,
                     period="2023", period_sort=2023, value=1.0, numerator=None, denominator=None, lower_ci=None,
                     upper_ci=None, note=None)


def timed(fn) -> tuple[float, object]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--old", action="store_true", help="also time the old pattern on 5,000–20,000 letters")
    args = ap.parse_args()
    matcher = NameMatcher([Candidate(code, name) for _, code, name, _ in AREAS], allow_one_letter=True)
    missed = 0
    print(f"{'case':<24} {'match':>8} {'display':>8} {'import':>8} {'message':>8}")
    for n in (50_000, 100_000):
        for shape, name in shapes(n).items():
            t_match, _ = timed(lambda: matcher.match(name))
            t_display, _ = timed(lambda: display_name(name))
            t_import, (_, message) = timed(lambda: AreaResolver(AREAS).resolve(row(name)))
            ok = max(t_match, t_display, t_import) < TARGET_SECONDS and len(message or "") < TARGET_MESSAGE
            missed += not ok
            print(f"{shape + f' ({n:,})':<24} {t_match:>7.3f}s {t_display:>7.3f}s {t_import:>7.3f}s "
                  f"{len(message or ''):>8} {'ok' if ok else 'MISSED'}")
    if args.old:
        for n in (5_000, 10_000, 20_000):
            t_old, _ = timed(lambda: list(OLD_ABBREVIATION.finditer("a" * n)))
            print(f"old pattern, {n:,} letters: {t_old:.3f}s")
    print(f"target: under {TARGET_SECONDS:.0f} s each, message under {TARGET_MESSAGE} characters: "
          f"{'all met' if not missed else f'{missed} case(s) missed'}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
