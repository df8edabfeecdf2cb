"""Soak test of the kiosk: the attract loop at high speed for a long time, server memory measured.

    .venv/bin/python bench/soak_kiosk.py                 # 30 minutes (the issue's minimum)
    .venv/bin/python bench/soak_kiosk.py --minutes 5     # a quick look

What it does:

1. writes a fast copy of the playlist (``kiosk/playlist.toml`` with every story ``--story-seconds``
   long) and starts the server as ``scripts/kiosk.sh --no-setup`` would (kiosk configuration,
   127.0.0.1, a free port), with the idle reset at ``--idle-seconds``;
2. opens ``/kiosk`` in headless Debian Chromium at 1920×1080 and watches the story on screen
   (the ``data-story-id`` / ``data-cycle`` of the story panel), counting story changes and loops;
3. every ``--tap-every`` seconds taps a district on the map, checks the area card opens, and waits
   for the idle reset to bring the loop back (so the visitor path is soaked too);
4. at ``--restart-at`` minutes stops the server and starts it again on the same port, without
   touching the page, and measures how long the page takes to resume the loop by itself (and
   whether it had to reload itself);
5. reads the server's resident memory (VmRSS in ``/proc/<pid>/status``) at start, every minute
   and at the end (with the page's JavaScript heap after a garbage collection, for information),
   and prints a table and PASS/FAIL against the target: memory growth ≤ 10 %
   from the warmed-up server after the restart (``--warmup`` minutes after it) to the end, the
   loop never stalls, every tap opens a card and every idle reset returns, and the page recovers
   from the restart.

Exit status 0 on PASS, 1 on FAIL. ``--json FILE`` also writes every sample.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from playwright.sync_api import Error as PlaywrightError

sys.path.insert(0, str(Path(__file__).resolve().parent))
from appcopy import snapshot_app  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
TAP_POINT = (38.47, 27.24)  # lat, lon: in Bornova, inside an area at every zoom the playlist uses
TARGET_GROWTH = 0.10


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rss_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def _fast_playlist(folder: Path, seconds: float) -> Path:
    doc = tomllib.loads((ROOT / "kiosk" / "playlist.toml").read_text(encoding="utf-8"))
    lines = ["[settings]", f"default_duration_seconds = {seconds:g}", ""]
    for story in doc["story"]:
        lines.append("[[story]]")
        for key, value in story.items():
            if key == "duration":
                continue
            if key == "caption":
                lines.append(f"caption = {{ tr = {json.dumps(value['tr'], ensure_ascii=False)}, "
                             f"en = {json.dumps(value['en'], ensure_ascii=False)} }}")
            else:
                lines.append(f"{key} = {json.dumps(value, ensure_ascii=False)}")
        lines.append("")
    path = folder / "soak_playlist.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


class Server:
    def __init__(self, port: int, env: dict[str, str], log: Path, app: Path):
        self.port, self.env, self.log, self.app = port, env, log, app
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 90) -> None:
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(["bash", "scripts/kiosk.sh", "--no-setup"], cwd=self.app, env=self.env,
                                         stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            if self.proc.poll() is not None:
                raise SystemExit(f"the server exited ({self.proc.returncode}); log: {self.log}")
            time.sleep(0.25)
        raise SystemExit(f"the server did not answer within {timeout} s; log: {self.log}")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid  # kiosk.sh execs python: the same process


@dataclass
class Watch:
    stories: int = 0  # story changes seen
    loops: int = 0  # loops completed (story index back to 0 in attract mode)
    last_key: tuple | None = None
    last_change: float = field(default_factory=time.monotonic)
    max_gap: float = 0.0
    pause_gap: bool = True  # the next gap is not counted (tap, restart)

    def see(self, key: tuple | None) -> bool:
        """``key``: (story id, index, cycle, mode). Returns True when the story changed."""
        now = time.monotonic()
        if key is None or key == self.last_key:
            return False
        if key[3] == "attract":
            if self.last_key is not None and self.last_key[3] == "attract":
                if not self.pause_gap:
                    self.max_gap = max(self.max_gap, now - self.last_change)
                if key[1] == 0 and self.last_key[1] != 0:
                    self.loops += 1
            self.stories += 1
            self.pause_gap = False
        self.last_key, self.last_change = key, now
        return True


def _story_key(page) -> tuple | None:
    try:
        return page.evaluate("""() => { const s = document.querySelector('.kiosk-story');
            return s ? [s.dataset.storyId, +s.dataset.index, +s.dataset.cycle, s.dataset.mode] : null; }""")
    except Exception:  # noqa: BLE001 - the page is between renders or reconnecting
        return None


def _map_point(page, lat_lon: tuple[float, float]) -> tuple[float, float] | None:
    """Where (lat, lon) is on the screen, asked through the page's DOM (the map's iframe is
    same-origin); None while the map is not there (Playwright's frame list can lag behind a new iframe)."""
    try:
        return page.evaluate("""([lat, lon, selector]) => {
            const iframe = document.querySelector(selector);
            const win = iframe && iframe.contentWindow;
            if (!win || !win.map || !win.atlasState || win.atlasState.painted !== win.atlasState.renderId) return null;
            const p = win.map.latLngToContainerPoint([lat, lon]);
            const box = iframe.getBoundingClientRect();
            return [box.left + p.x, box.top + p.y]; }""", [lat_lon[0], lat_lon[1], MAP_IFRAME])
    except PlaywrightError as exc:  # the page is between renders
        print(f"soak: map not ready ({exc.message.splitlines()[0]})", file=sys.stderr)
        return None


def _tap_district(page) -> tuple[float | None, str]:
    """Tap the map; (seconds until the area card shows, or None when it did not within 15 s; what happened)."""
    point = None
    deadline = time.monotonic() + 10
    while point is None and time.monotonic() < deadline:
        point = _map_point(page, TAP_POINT)
        if point is None:
            time.sleep(0.25)
    if point is None:
        return None, "the map was not painted within 10 s"
    t0 = time.monotonic()
    page.mouse.click(*point)
    try:
        page.locator(".kiosk-card").first.wait_for(timeout=15_000)
    except PlaywrightError:
        notes = page.locator(".kiosk-note").all_inner_texts()
        shot = Path(tempfile.gettempdir()) / f"soak-tap-{time.strftime('%H%M%S')}.png"
        page.screenshot(path=str(shot))
        return None, f"no card within 15 s (story {_story_key(page)}, notes on the page: {notes}, screenshot {shot})"
    return time.monotonic() - t0, "card"


def _wait_attract(page, timeout_s: float) -> float | None:
    t0 = time.monotonic()
    try:
        page.wait_for_function("() => { const s = document.querySelector('.kiosk-story');"
                               " return s && s.dataset.mode === 'attract' && !document.querySelector('.kiosk-card'); }",
                               timeout=timeout_s * 1000)
    except Exception:  # noqa: BLE001
        return None
    return time.monotonic() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--minutes", type=float, default=30.0, help="how long to run (default 30)")
    ap.add_argument("--story-seconds", type=float, default=3.0, help="duration of every story (default 3)")
    ap.add_argument("--idle-seconds", type=float, default=8.0, help="idle reset time (default 8)")
    ap.add_argument("--tap-every", type=float, default=60.0, help="tap a district this often, seconds (0: never)")
    ap.add_argument("--restart-at", type=float, default=3.0, help="restart the server after this many minutes "
                                                                   "(0: never)")
    ap.add_argument("--warmup", type=float, default=2.0, help="minutes after the restart before the memory "
                                                               "baseline is taken (default 2)")
    ap.add_argument("--db", default=None, help="the database (default: ATLAS_DB, else geodata/atlas.duckdb)")
    ap.add_argument("--json", type=Path, default=None, help="also write the samples to this JSON file")
    args = ap.parse_args(argv)

    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="kiosk-soak-"))
    playlist = _fast_playlist(work, args.story_seconds)
    env = {**os.environ, "ATLAS_KIOSK_PLAYLIST": str(playlist), "ATLAS_KIOSK_IDLE_S": f"{args.idle_seconds:g}",
           "XDG_CONFIG_HOME": str(work / "xdg-config"), "XDG_CACHE_HOME": str(work / "xdg-cache")}
    # the app runs from a copy, so edits in the checkout during the soak never reach the server
    app = snapshot_app(work / "app", link_venv=True)
    env["ATLAS_DB"] = str(Path(args.db).resolve() if args.db else
                          Path(os.environ.get("ATLAS_DB", ROOT / "geodata" / "atlas.duckdb")).resolve())
    port = _free_port()
    env["PORT"] = str(port)
    server = Server(port, env, work / "server.log", app)
    print(f"soak: {args.minutes:g} min, stories of {args.story_seconds:g} s, idle reset {args.idle_seconds:g} s, "
          f"server log {server.log}", flush=True)
    server.start()

    samples: list[dict] = []
    taps: list[dict] = []
    restart: dict = {}
    watch = Watch()
    navigations: list[float] = []
    start = time.monotonic()
    result = 1
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
                                    env=dict(os.environ) | {k: env[k] for k in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME")})
        page = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
        page.set_default_timeout(30_000)
        outside: list[str] = []
        page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(
            ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")) else None)
        page.on("framenavigated", lambda f: navigations.append(time.monotonic() - start) if f == page.main_frame
                else None)
        page.goto(f"{server.url}/kiosk")
        page.locator(".kiosk-story").first.wait_for(timeout=90_000)
        cdp = page.context.new_cdp_session(page)
        cdp.send("HeapProfiler.enable")

        def sample(note: str = "") -> None:
            rss = _rss_kib(server.pid)
            heap = None
            try:  # the page's JavaScript heap (all its frames: the map too) after a full garbage collection
                cdp.send("HeapProfiler.collectGarbage")
                heap = cdp.send("Runtime.getHeapUsage")["usedSize"]
            except PlaywrightError as exc:  # page reloading (server restart): no heap figure this minute
                print(f"soak: no JS heap figure ({exc.message.splitlines()[0]})", file=sys.stderr)
            row = {"t_min": round((time.monotonic() - start) / 60, 2), "pid": server.pid, "rss_mib":
                   round(rss / 1024, 1) if rss else None, "stories": watch.stories, "loops": watch.loops,
                   "js_heap_mib": round(heap / 2**20, 1) if heap else None, "note": note}
            samples.append(row)
            print(f"  {row['t_min']:6.2f} min  pid {row['pid']:>7}  server RSS {row['rss_mib']!s:>7} MiB  "
                  f"page JS heap (after GC) {row['js_heap_mib']!s:>6} MiB  stories {row['stories']:>5}  loops {row['loops']:>4}"
                  f"  {note}", flush=True)

        sample("start")
        next_sample = start + 60
        next_tap = start + args.tap_every if args.tap_every > 0 else float("inf")
        restart_at = start + args.restart_at * 60 if args.restart_at > 0 else float("inf")
        end = start + args.minutes * 60
        while time.monotonic() < end:
            watch.see(_story_key(page))
            now = time.monotonic()
            if now >= restart_at and not restart:
                sample("before restart")
                t_stop = time.monotonic()
                server.stop()
                time.sleep(3)
                server.start()
                t_up = time.monotonic()
                before_nav = len(navigations)
                key0 = _story_key(page)  # what the page still shows from the old server
                resumed = None
                while time.monotonic() - t_up < 120:  # a new story can only come from the new server
                    key = _story_key(page)
                    if key is not None and key != key0 and key[3] == "attract":
                        resumed = time.monotonic() - t_up
                        break
                    time.sleep(0.25)
                restart = {"down_s": round(t_up - t_stop, 1), "resumed_after_up_s": round(resumed, 1)
                           if resumed is not None else None, "page_reloaded": len(navigations) > before_nav}
                print(f"  restart: server down {restart['down_s']} s; loop resumed "
                      f"{restart['resumed_after_up_s']} s after the server was back; page reloaded itself: "
                      f"{restart['page_reloaded']}", flush=True)
                watch.pause_gap = True
                watch.last_key = None
                sample("after restart")
                next_sample = time.monotonic() + 60
                continue
            if now >= next_tap:
                watch.pause_gap = True
                card, what = _tap_district(page)
                back = _wait_attract(page, args.idle_seconds + 20) if card is not None else None
                taps.append({"t_min": round((now - start) / 60, 2), "card_s": card, "reset_s": back, "what": what})
                if card is None or back is None:
                    print(f"  tap at {taps[-1]['t_min']} min: {what}; back to the loop: {back}", flush=True)
                watch.pause_gap = True
                watch.last_key = None
                next_tap = time.monotonic() + args.tap_every
                continue
            if now >= next_sample:
                sample()
                next_sample += 60
            time.sleep(0.2)
        sample("end")
        browser.close()
    server.stop()

    # --- report ---------------------------------------------------------------------------------
    warm_from = (args.restart_at + args.warmup) if restart else args.warmup
    phase = [s for s in samples if s["t_min"] >= warm_from and s["rss_mib"]]
    base, last = (phase[0], phase[-1]) if len(phase) >= 2 else (samples[0], samples[-1])
    growth = (last["rss_mib"] - base["rss_mib"]) / base["rss_mib"] if base["rss_mib"] else float("nan")
    first_proc = [s for s in samples if s["pid"] == samples[0]["pid"] and s["rss_mib"]]
    heaps = [s for s in samples if s["t_min"] >= warm_from and s["js_heap_mib"]]
    taps_ok = all(t["card_s"] is not None and t["reset_s"] is not None for t in taps)
    stall_limit = 3 * args.story_seconds + 10
    checks = {
        f"server memory growth {growth * 100:+.1f} % ≤ {TARGET_GROWTH * 100:.0f} % "
        f"({base['rss_mib']} MiB at {base['t_min']} min → {last['rss_mib']} MiB at {last['t_min']} min)":
            growth <= TARGET_GROWTH,
        f"the loop never stalled (longest gap between stories {watch.max_gap:.1f} s ≤ {stall_limit:g} s)":
            watch.max_gap <= stall_limit,
        f"{len(taps)} taps opened the card and the idle reset brought the loop back": taps_ok,
        "no request left 127.0.0.1": not outside,
    }
    if args.restart_at > 0:
        checks[f"the page resumed the loop by itself after the server restart ({restart})"] = bool(
            restart and restart.get("resumed_after_up_s") is not None)
    print()
    print(f"soak summary: {args.minutes:g} min, {watch.stories} story changes, {watch.loops} loops completed")
    if first_proc:
        print(f"  first server process: {first_proc[0]['rss_mib']} MiB → {first_proc[-1]['rss_mib']} MiB "
              f"(includes the caches filling up)")
    if len(heaps) >= 2:
        print(f"  page JS heap after GC: {heaps[0]['js_heap_mib']} MiB at {heaps[0]['t_min']} min → "
              f"{heaps[-1]['js_heap_mib']} MiB at {heaps[-1]['t_min']} min (the browser side, for information)")
    if taps:
        cards = [t["card_s"] for t in taps if t["card_s"] is not None]
        resets = [t["reset_s"] for t in taps if t["reset_s"] is not None]
        if cards and resets:
            print(f"  taps: card after {min(cards):.2f}–{max(cards):.2f} s; loop back {min(resets):.1f}–"
                  f"{max(resets):.1f} s after the card (idle reset {args.idle_seconds:g} s)")
    for text, ok in checks.items():
        print(f"  {'PASS' if ok else 'FAIL'}  {text}")
    if outside:
        print("  requests that left 127.0.0.1:\n    " + "\n    ".join(outside[:20]))
    result = 0 if all(checks.values()) else 1
    print("RESULT:", "PASS" if result == 0 else "FAIL")
    if args.json:
        args.json.write_text(json.dumps({"samples": samples, "taps": taps, "restart": restart,
                                         "stories": watch.stories, "loops": watch.loops, "growth": growth,
                                         "max_gap_s": watch.max_gap, "checks": checks}, indent=1,
                                        ensure_ascii=False), encoding="utf-8")
    return result


if __name__ == "__main__":
    sys.exit(main())
