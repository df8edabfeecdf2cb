"""Benchmark the map with a point layer on (issue #17, item 4): the 11,605 bus stops over the district
and mahalle maps, against the same map without them.

Target: the map painted with the stop layer on takes under 1 s more than without; the mahalle
indicator switch (bench_map.py's ≤ 0.3 s) still holds with the layer on.

What it does (in a temporary folder; the checkout is not written):

1. copies the app (``bench/appcopy.py``) and serves it on 127.0.0.1 with the database given by
   ``--db`` (or builds the real one), through ``bench_map.serve`` (as ``scripts/start.sh`` would);
2. for each level (district, mahalle) × points (off, ``bus_stops``), opens the map ``--runs`` times
   in a fresh browser context (empty HTTP cache, so the stops' data file is fetched every time) and
   times, from navigation start, the choropleth painted (``atlasState.painted``) and, with the
   layer on, the stops painted (``atlasState.points.painted``, two animation frames after the
   markers were added);
3. on a warm page of each level: **turn on** — the stops added to a painted map through the URL
   state the sidebar writes (a rerun with ``points=bus_stops``; time from the click on the
   multiselect option to the stops painted), then **zoom** — ``map.setZoom(+1)`` to the next frame
   after ``zoomend`` with and without the stops (the canvas redraw of 11,605 markers), and
   **switch** — the sidebar indicator changed with the stops on (bench_map's switch measurement).

    .venv/bin/python bench/bench_points.py [--db geodata/atlas.duckdb] [--runs 3] [--json [PATH]]

Needs ``./scripts/setup.sh --browser`` and a built database (or the source data). ~3 min on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import bench_map as bm  # noqa: E402
from appcopy import snapshot_app  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

LAYER = "bus_stops"
POINTS_PAINTED = """() => {
  const f = document.querySelector('%s');
  const s = f && f.contentWindow && f.contentWindow.atlasState && f.contentWindow.atlasState.points;
  if (!s) return false;
  if (s.error) return {error: s.error, t: Date.now()};
  return (s.painted && s.painted === s.renderId && Object.keys(s.layers).length) ? {t: Date.now(), ms: s.ms} : false;
}""" % bm.MAP_IFRAME
ZOOM = """() => new Promise(resolve => {
  const map = window.map, t0 = performance.now();
  map.once('zoomend', () => requestAnimationFrame(() => requestAnimationFrame(() => {
    const ms = performance.now() - t0; map.setZoom(map.getZoom() - 1, {animate: false}); resolve(ms); })));
  map.setZoom(map.getZoom() + 1, {animate: false});
})"""


def _med(xs):
    xs = [x for x in xs if x is not None]
    return round(statistics.median(xs), 3) if xs else None


def open_map(sess: bm.Session, base: str, level: str, points: bool) -> dict:
    url = f"{base}/?indicator=pop_density&level={level}&lang=tr" + (f"&points={LAYER}" if points else "")
    sess.page.goto(url, wait_until="commit")
    painted = sess.wait_painted("real", None)
    t0 = sess.page.evaluate("performance.timeOrigin") / 1000
    out = {"map_s": round(painted["t"] / 1000 - t0, 3)}
    if points:
        p = sess.page.wait_for_function(POINTS_PAINTED, polling="raf", timeout=sess.timeout_s * 1000).json_value()
        if p.get("error"):
            raise RuntimeError(p["error"])
        out["points_s"] = round(p["t"] / 1000 - t0, 3)
        out["points_js_ms"] = round(p["ms"], 1)
    out["all_s"] = max(out["map_s"], out.get("points_s", 0.0))
    sess.wait_idle()
    return out


def zoom_ms(sess: bm.Session) -> float:
    return round(sess.map_frame().evaluate(ZOOM), 1)


def turn_on(sess: bm.Session) -> float:
    """Pick the stop layer in the sidebar multiselect; seconds from the press to the stops painted."""
    page = sess.page
    box = page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect")
    box.scroll_into_view_if_needed()
    box.locator("input").click()
    option = page.get_by_role("option").filter(has_text="Otobüs durakları")
    option.first.wait_for()
    page.evaluate("() => { window.__benchPress = null; }")
    option.first.click()
    p = page.wait_for_function(POINTS_PAINTED, polling="raf", timeout=sess.timeout_s * 1000).json_value()
    t0 = (page.evaluate("window.__benchPress") or 0) / 1000
    page.keyboard.press("Escape")
    sess.wait_idle()
    return round(p["t"] / 1000 - t0, 3)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", type=Path, help="a built database (default: build the real one)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--switches", type=int, default=3, help="indicator switches per level with the stops on")
    ap.add_argument("--timeout", type=float, default=90)
    ap.add_argument("--json", nargs="?", const="", help="write the results as JSON (default bench/results/)")
    args = ap.parse_args()
    results: dict = {"layer": LAYER, "runs": args.runs, "cases": {}}
    with tempfile.TemporaryDirectory(prefix="bench-points-") as tmp_name:
        tmp = Path(tmp_name)
        db = args.db
        if db is None:
            db = tmp / "atlas.duckdb"
            bm.log("building the real database …")
            bm.build_real_db(db, None)
        facts = bm.db_facts(db)
        app = snapshot_app(tmp / "app")
        env = {**os.environ, "ATLAS_DB": str(db.resolve())}
        with bm.serve("real-points", app, "atlas_app.py", env, tmp / "server.log") as server, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(bm.CHROMIUM), headless=True, args=bm.CHROMIUM_ARGS)
            try:
                for level in ("district", "mahalle"):
                    for points in (False, True):
                        runs = []
                        for _ in range(args.runs):
                            sess = bm.Session(browser, args.timeout)
                            try:
                                runs.append(open_map(sess, server.url, level, points))
                            finally:
                                sess.close()
                        key = f"{level} · {'stops on' if points else 'no points'}"
                        results["cases"][key] = {"runs": runs, "median_all_s": _med([r["all_s"] for r in runs]),
                                                 "median_map_s": _med([r["map_s"] for r in runs])}
                        bm.log(f"{key}: painted in {results['cases'][key]['median_all_s']} s (median) {runs}")
                    sess = bm.Session(browser, args.timeout)
                    try:
                        open_map(sess, server.url, level, False)
                        zoom_off = [zoom_ms(sess) for _ in range(3)]
                        inds = [i for i in facts["by_level"][level] if i != "pop_density"][:args.switches]
                        # there and back: each indicator once without the stops, once with them
                        sc = bm.Scenario("real", "real", level, "pop_density", inds, facts["titles"],
                                         int(facts["counts"][level]))
                        prev = sess.map_frame().evaluate("window.atlasState.renderId")
                        plain = []
                        for target in [*inds, "pop_density"]:
                            s = bm.switch(sess, sc, target, prev)
                            prev = s["renderId"]
                            plain.append(s["seconds"])
                        on = turn_on(sess)
                        zoom_on = [zoom_ms(sess) for _ in range(3)]
                        prev = sess.map_frame().evaluate("window.atlasState.renderId")
                        switches = []
                        for target in [*inds, "pop_density"]:
                            s = bm.switch(sess, sc, target, prev)
                            prev = s["renderId"]
                            switches.append(s["seconds"])
                    finally:
                        sess.close()
                    results["cases"][f"{level} · warm page"] = {
                        "turn_on_s": on, "zoom_ms_without": zoom_off, "zoom_ms_with": zoom_on,
                        "switch_s_without": plain, "switch_s_with_stops": switches,
                        "switch_median_s_without": _med(plain), "switch_median_s": _med(switches)}
                    bm.log(f"{level}: turn on {on} s; zoom redraw {zoom_off} ms without, {zoom_on} ms with; "
                           f"indicator switch {plain} s without, {switches} s with the stops on")
            finally:
                browser.close()
    for level in ("district", "mahalle"):
        off = results["cases"][f"{level} · no points"]["median_all_s"]
        on = results["cases"][f"{level} · stops on"]["median_all_s"]
        extra = round(on - off, 3)
        results["cases"][f"{level} · stops on"]["extra_s"] = extra
        print(f"{level:8s}: painted {off} s without, {on} s with the {LAYER} layer (+{extra} s; target < 1 s: "
              f"{'ok' if extra < 1 else 'MISSED'}); indicator switch median "
              f"{results['cases'][f'{level} · warm page']['switch_median_s_without']} s without, "
              f"{results['cases'][f'{level} · warm page']['switch_median_s']} s with the stops")
    if args.json is not None:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        out = Path(args.json) if args.json else ROOT / "bench" / "results" / f"points-{stamp}.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(results, indent=1, ensure_ascii=False))
        print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
