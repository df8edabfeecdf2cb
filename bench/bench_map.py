"""Benchmark the map explorer in headless Chromium against a naive streamlit-folium variant (issue 4, point 9).

What it does (everything in a temporary folder; nothing in the checkout is written except the
``--json`` file under bench/results/, which is gitignored):

1. builds the real database (``python -m atlas build``) and a synthetic one with 30,000 mahalle
   polygons (``bench/synthetic.py``), unless ``--real-db`` / ``--synthetic-db`` name existing ones;
2. copies the app (the working tree as it is now, without ``static/geo``) into the temporary
   folder, so the geometry files the app writes stay there and edits made meanwhile do not leak
   into a run; sets up the naive app (``bench/naive_map_app.py``) beside a copy of ``static/vendor``;
3. serves each app × database with ``streamlit run`` on 127.0.0.1 (a free port, headless, no
   file watcher), one server at a time, and drives it with Playwright in /usr/bin/chromium:

   * **first paint**: a fresh browser context (empty HTTP cache) opens the map URL
     (``?indicator=…&level=…``); time from navigation start to the map being painted;
   * **switch**: the sidebar selectbox "Gösterge" is set to each other indicator of that level in
     turn; time from the mouse press on the option to the map being repainted;
   * **bytes**: websocket frames received from the action until the app is idle again (all of
     them, and the st_folium element alone = "map payload"); the geometry file (HTTP) separately;
   * **pan/zoom**: drag, wheel and ``map.setZoom`` / ``map.panBy`` in the map; passes when the
     map moved and the browser sent no ``rerun_script`` message and no script run started;
   * **server RSS**: VmRSS and VmHWM (peak) of the server process from /proc.

   Run 1 of each server is "cold": the first visitor of a freshly started server. The real app
   warms its default views once the server answers (app_support.server.warmup); ``--warmup wait``
   (default) opens run 1 after that, as a visitor arriving a few seconds after the start;
   ``race`` opens it as soon as the server answers (during the warm-up); ``off`` switches the
   warm-up off (nothing cached at all). Runs 2..N are "warm".
4. times the server-side pieces of one view in this process (no Streamlit, no browser).

"Painted": real app — ``window.atlasState`` in the map iframe (static/atlas/choropleth.js):
``painted == renderId`` (set two animation frames after the polygons were styled) with a new
``renderId``. Naive app — a new map iframe holding as many ``path.leaflet-interactive`` as areas.
Both are polled every animation frame and time-stamped in the browser (``Date.now()``).

    .venv/bin/python bench/bench_map.py [--runs 3] [--quick] [--json [PATH]] [--timeout 90]

``--quick`` skips the naive 30,000-polygon case (~40 s per script run, two runs per switch). Needs
``./scripts/setup.sh --browser`` (venv, static/vendor, Debian chromium) and the source data. Takes
~15 min on 2 cores (``--quick`` ~10 min). Other programs running meanwhile slow it down: the
"other load" column says how many cores they used on average during each case.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

import duckdb  # noqa: E402
from playwright.sync_api import Page, sync_playwright  # noqa: E402
from playwright.sync_api import Error as PlaywrightError  # noqa: E402
from playwright.sync_api import TimeoutError as PlaywrightTimeout  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from appcopy import snapshot_app  # noqa: E402
from app_support.server.warmup import ENV as WARMUP_ENV  # noqa: E402
from app_support.server.warmup import queries_from_env as warmup_queries_from_env  # noqa: E402
from atlas import queries  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]
VIEWPORT = {"width": 1280, "height": 900}
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
FOLIUM_COMPONENT = "streamlit_folium.st_folium"
HIDDEN_KINDS = ("island", "industrial_zone", "free_zone")
TARGETS = {"mahalle_switch_s": 0.3, "mahalle_payload_mb": 0.4, "synthetic_first_paint_s": 3.0}
START_INDICATOR = {"real": "pop_density", "synthetic": "synthetic_a"}
IDLE_QUIET_S = 0.6

# Polled every animation frame in the main page (the map iframe is same-origin).
REAL_PAINTED = """(prev) => {
  const f = document.querySelector('%s');
  const s = f && f.contentWindow && f.contentWindow.atlasState;
  if (!s) return false;
  if (s.error) return {error: s.error, t: Date.now()};
  return (s.painted && s.painted === s.renderId && s.renderId !== prev)
    ? {renderId: s.renderId, n: s.n, level: s.level, t: Date.now()} : false;
}""" % MAP_IFRAME
NAIVE_PAINTED = """(want) => {
  for (const f of document.querySelectorAll('%s')) {
    if (f.__benchOld || !f.contentDocument) continue;
    const n = f.contentDocument.querySelectorAll('path.leaflet-interactive').length;
    if (n >= want) return {n: n, t: Date.now()};
  }
  return false;
}""" % MAP_IFRAME
MARK_OLD_IFRAMES = "() => document.querySelectorAll('%s').forEach(f => { f.__benchOld = true; })" % MAP_IFRAME
# The time of the user's mouse press (the option click), taken in the page itself.
PRESS_RECORDER = "document.addEventListener('mousedown', () => { window.__benchPress = Date.now(); }, true);"
# In the map iframe: when static/atlas/choropleth.js's render(view) was called (the view arrived
# through Streamlit and streamlit-folium), so the browser's share splits into delivery and drawing.
RENDER_RECORDER = """(() => {
  if (window.top === window) return;
  let impl;
  Object.defineProperty(window, 'atlasChoropleth', {configurable: true, get() { return impl; }, set(v) {
    if (v && typeof v.render === 'function' && !v.__bench) {
      const render = v.render;
      v.render = function (...args) { (window.__benchRender = window.__benchRender || []).push(Date.now());
                                      return render.apply(this, args); };
      v.__bench = true;
    }
    impl = v;
  }});
})();"""
# When each websocket message reached the page's main thread (Playwright reports frames to Python late
# when they are megabytes long): ['r'|'s', Date.now(), bytes], in order. Matched to Playwright's frames.
WS_RECORDER = """(() => {
  const Native = window.WebSocket;
  if (!Native || window.__benchWs) return;
  window.__benchWs = [];
  const size = (d) => d == null ? 0 : (d.byteLength !== undefined ? d.byteLength : (d.size !== undefined ? d.size : d.length));
  class Recorded extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => window.__benchWs.push(['r', Date.now(), size(e.data)]));
    }
    send(data) { window.__benchWs.push(['s', Date.now(), size(data)]); return super.send(data); }
  }
  window.WebSocket = Recorded;
})();"""
# Inside the map iframe: when it was created and when its scripts/stylesheets and geometry arrived.
IFRAME_TIMINGS = """() => {
  const o = performance.timeOrigin, all = performance.getEntriesByType('resource');
  const geo = all.filter(e => e.name.includes('/static/geo/')), assets = all.filter(e => !e.name.includes('/static/geo/'));
  const end = (xs) => xs.length ? o + Math.max(...xs.map(e => e.responseEnd)) : null;
  return {origin: o, render_calls: window.__benchRender || [], assets_end: end(assets), geo_start: geo.length ? o + Math.min(...geo.map(e => e.startTime)) : null,
          geo_end: end(geo), geo: geo.map(e => ({name: e.name.split('/').pop(), encoded: e.encodedBodySize,
                                                  decoded: e.decodedBodySize, seconds: (e.responseEnd - e.startTime) / 1000}))};
}"""


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# --- other load on the machine -----------------------------------------------------------------

_TICK = os.sysconf("SC_CLK_TCK")


def _descendants(root: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    out, todo = set(), [root]
    while todo:
        pid = todo.pop()
        out.add(pid)
        todo.extend(children.get(pid, []))
    return out


def cpu_snapshot() -> tuple[float, float, float]:
    """(wall time, CPU seconds used by the whole machine, CPU seconds used by this benchmark's processes:
    this process, the servers, Playwright's driver and Chromium, incl. their finished children)."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in fields[:8])
    total = (user + nice + system + irq + softirq + steal) / _TICK
    ours = 0
    for pid in _descendants(os.getpid()):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ours += sum(int(x) for x in stat[11:15])  # utime, stime, cutime, cstime
    return time.time(), total, ours / _TICK


def other_load(before: tuple[float, float, float], after: tuple[float, float, float]) -> float:
    """Average number of cores used by processes that are not part of the benchmark."""
    wall = after[0] - before[0]
    return round(max(0.0, (after[1] - before[1]) - (after[2] - before[2])) / wall, 2) if wall > 0 else 0.0


# --- servers ---------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    name: str
    url: str
    proc: subprocess.Popen
    log_path: Path
    warmup: list[str] = field(default_factory=list)  # the server's "atlas warm-up:" lines (real app)

    def memory_mb(self) -> dict[str, float]:
        """VmRSS (now) and VmHWM (peak) of the server process, in MB."""
        out = {}
        try:
            for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
                key, _, value = line.partition(":")
                if key in ("VmRSS", "VmHWM"):
                    out[key] = round(int(value.split()[0]) / 1024, 1)
        except OSError:
            pass
        return out


@contextmanager
def serve(name: str, cwd: Path, script: str, env: dict[str, str], log_path: Path,
          warmup: str = "wait") -> Iterator[Server]:
    """Serve ``script``. The real app warms its default views once it answers (app_support.server.warmup):
    ``warmup`` 'wait' = yield when that is done, 'race' = yield as soon as the server answers (a
    visitor at the door), 'off' = no warm-up (ATLAS_WARMUP=off)."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    # the real app starts as scripts/start.sh starts it (app_support.server.serve: `streamlit run` with the
    # heavy imports done while the server boots); the naive variant with a plain `streamlit run`
    launcher = ["app_support.server.serve"] if name.startswith("real") else ["streamlit", "run"]
    cmd = [sys.executable, "-m", *launcher, script, "--server.address", "127.0.0.1",
           "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none", "--server.enableStaticServing", "true"]
    real = name.startswith("real")
    if real and warmup == "off":
        env = {**env, "ATLAS_WARMUP": "off"}
    with log_path.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{name}: streamlit did not start; log:\n{log_path.read_text(errors='replace')}")
            time.sleep(0.2)
        server = Server(name, url, proc, log_path)
        if real and warmup == "wait":
            server.warmup = _wait_warmup(server, time.monotonic() + 300)
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


def _wait_warmup(server: Server, deadline: float) -> list[str]:
    """The server's warm-up lines, once there is one per query string (or it gave up)."""
    expected = len(warmup_queries_from_env(os.environ.get(WARMUP_ENV)))
    while True:
        lines = [ln.strip() for ln in server.log_path.read_text(errors="replace").splitlines()
                 if ln.startswith("atlas warm-up:")]
        if len(lines) >= expected or any("nothing warmed" in ln for ln in lines):
            return lines
        if server.proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{server.name}: the warm-up did not finish; log:\n"
                               f"{server.log_path.read_text(errors='replace')}")
        time.sleep(0.1)


# --- one browser page with its websocket traffic ------------------------------------------------

@dataclass
class Frame:
    t: float        # epoch seconds when Playwright reported it
    sent: bool      # browser -> server
    size: int
    kind: str       # BackMsg / ForwardMsg type, e.g. rerun_script, new_session, delta:<element>
    synced: bool = False  # t is the page's own time stamp (see WS_RECORDER)


def _kind(payload: bytes | str, sent: bool) -> str:
    if isinstance(payload, str):
        return "text"
    try:
        if sent:
            msg = BackMsg()
            msg.ParseFromString(payload)
            return msg.WhichOneof("type") or "?"
        msg = ForwardMsg()
        msg.ParseFromString(payload)
    except Exception:  # noqa: BLE001 — anything undecodable is just counted
        return "?"
    kind = msg.WhichOneof("type") or "?"
    if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
        element = msg.delta.new_element.WhichOneof("type")
        if element == "component_instance":
            element = msg.delta.new_element.component_instance.component_name
        return f"delta:{element}"
    if kind == "session_status_changed":
        return "running" if msg.session_status_changed.script_is_running else "idle"
    if kind == "delta" and msg.delta.new_element.WhichOneof("type") is None:
        return f"delta:{msg.delta.WhichOneof('type')}"
    return kind


class Session:
    """A fresh browser context + page, recording every websocket frame."""

    def __init__(self, browser, timeout_s: float):
        self.context = browser.new_context(viewport=VIEWPORT)
        self.context.add_init_script(PRESS_RECORDER)
        self.context.add_init_script(WS_RECORDER)
        self.context.add_init_script(RENDER_RECORDER)
        self.page: Page = self.context.new_page()
        self.page.set_default_timeout(timeout_s * 1000)
        self.timeout_s = timeout_s
        self.frames: list[Frame] = []
        self.running = False
        self.responses: list[dict] = []
        self.unsynced = 0
        self.page.on("websocket", self._on_ws)
        self.page.on("response", self._on_response)

    def _on_ws(self, ws) -> None:
        ws.on("framereceived", lambda p: self._frame(p, False))
        ws.on("framesent", lambda p: self._frame(p, True))

    def _frame(self, payload, sent: bool) -> None:
        kind = _kind(payload, sent)
        if kind in ("running", "idle"):
            self.running = kind == "running"
        elif kind == "script_finished":
            self.running = False
        self.frames.append(Frame(time.time(), sent, len(payload), kind))

    def _on_response(self, response) -> None:
        if "/static/geo/" in response.url:
            try:
                sizes = response.request.sizes()
            except PlaywrightError:
                sizes = {}
            self.responses.append({"url": response.url, "encoding": response.headers.get("content-encoding"),
                                   "transfer_body_bytes": sizes.get("responseBodySize")})

    def close(self) -> None:
        try:
            self.context.close()
        except PlaywrightError:
            pass

    def sync_times(self) -> None:
        """Replace Playwright's arrival times by the page's own, when both saw the same frames."""
        try:
            seen = self.page.evaluate("window.__benchWs || []")
        except PlaywrightError:
            return
        for sent in (False, True):
            ours = [f for f in self.frames if f.sent == sent and not f.synced]
            theirs = [e for e in seen if e[0] == ("s" if sent else "r")][-len(ours):] if ours else []
            if len(theirs) == len(ours) and all(f.size == e[2] for f, e in zip(ours, theirs)):
                for f, e in zip(ours, theirs):
                    f.t, f.synced = e[1] / 1000, True
            else:
                self.unsynced += 1

    def mark(self) -> int:
        return len(self.frames)

    def since(self, mark: int) -> list[Frame]:
        return self.frames[mark:]

    def wait_idle(self, timeout_s: float | None = None) -> bool:
        """Wait until no script runs and no frame came for IDLE_QUIET_S; False on timeout."""
        deadline = time.time() + (timeout_s or self.timeout_s)
        while time.time() < deadline:
            last = self.frames[-1].t if self.frames else 0.0
            if not self.running and time.time() - last >= IDLE_QUIET_S:
                return True
            self.page.wait_for_timeout(50)
        return False

    def wait_painted(self, app: str, arg: Any) -> dict:
        js = REAL_PAINTED if app == "real" else NAIVE_PAINTED
        result = self.page.wait_for_function(js, arg=arg, polling="raf", timeout=self.timeout_s * 1000).json_value()
        if result.get("error"):
            raise RuntimeError(f"map error: {result['error']}")
        return result

    def map_frame(self):
        for frame in self.page.frames:
            if "streamlit_folium" in frame.url:
                try:
                    if frame.frame_element().evaluate("e => !e.__benchOld"):
                        return frame
                except PlaywrightError:
                    continue
        return None


def _traffic(frames: list[Frame]) -> dict[str, Any]:
    received = [f for f in frames if not f.sent]
    map_msgs = [f for f in received if f.kind == f"delta:{FOLIUM_COMPONENT}"]
    return {
        "ws_bytes": sum(f.size for f in received),
        "map_bytes": sum(f.size for f in map_msgs) if map_msgs else None,
        "map_messages": len(map_msgs),
        "script_runs": sum(1 for f in received if f.kind == "new_session"),
        "reruns_sent": sum(1 for f in frames if f.sent and f.kind == "rerun_script"),
    }


def _first(frames: list[Frame], pred: Callable[[Frame], bool]) -> float | None:
    return next((f.t for f in frames if pred(f)), None)


def _phases(frames: list[Frame], t0: float, t_painted: float, iframe: dict | None) -> dict[str, Any]:
    """Where the time went, in seconds (all clocks are the machine's wall clock):

    to_rerun   action (or navigation start) -> the browser sent the rerun request
    server     -> the st_folium element arrived (the server ran the page up to the map)
    browser    -> painted; real app: delivery (-> choropleth.js render(view) called: Streamlit,
               React, streamlit-folium) + draw (render -> painted); for a new map iframe split into: to_iframe (-> iframe document started),
               iframe_assets (-> last script/stylesheet loaded), geometry_fetch (geometry files, real
               app), after_inputs (last asset or geometry file loaded -> painted: parse, build, draw)
    script     rerun request -> script_finished (the whole page run, also what comes after the map)
    """
    r = lambda x: None if x is None else round(x, 3)  # noqa: E731
    t_rerun = _first(frames, lambda f: f.sent and f.kind == "rerun_script")
    map_times = [f.t for f in frames if f.kind == f"delta:{FOLIUM_COMPONENT}" and f.t <= t_painted + 0.05]
    t_map = map_times[-1] if map_times else None  # the map element that was painted
    t_done = [f.t for f in frames if f.kind == "script_finished"]
    calls = [c / 1000 for c in (iframe or {}).get("render_calls", []) if t0 <= c / 1000 <= t_painted]
    t_call = calls[-1] if calls else None  # render(view) of the view that was painted
    out = {"to_rerun": r(t_rerun - t0) if t_rerun else None,
           "server": r(t_map - t_rerun) if t_map and t_rerun else None,
           "browser": r(t_painted - t_map) if t_map else None,
           "delivery": r(t_call - t_map) if t_call and t_map else None,
           "draw": r(t_painted - t_call) if t_call else None,
           "script": r(t_done[-1] - t_rerun) if t_done and t_rerun else None}
    if iframe and iframe["origin"] / 1000 > t0:  # a map iframe created by this action
        origin = iframe["origin"] / 1000
        inputs = [x / 1000 for x in (iframe["assets_end"], iframe["geo_end"]) if x]
        out.update({
            "to_iframe": r(origin - t_map) if t_map else None,
            "iframe_assets": r(iframe["assets_end"] / 1000 - origin) if iframe["assets_end"] else None,
            "geometry_fetch": r((iframe["geo_end"] - iframe["geo_start"]) / 1000) if iframe["geo_end"] else None,
            "after_inputs": r(t_painted - max(inputs)) if inputs else None,
        })
    return out


# --- scenarios --------------------------------------------------------------------------------

@dataclass
class Scenario:
    app: str            # real | naive
    data: str           # real | synthetic
    level: str
    start: str          # indicator in the URL
    switches: list[str]  # indicators to switch to, in order
    titles: dict[str, str]
    n_areas: int
    pan_zoom: bool = True

    @property
    def name(self) -> str:
        data = {"real": "İzmir", "synthetic": "synthetic"}[self.data]
        return f"{self.app} · {data} {self.level} ({self.n_areas:,})"

    def url(self, base: str) -> str:
        return f"{base}/?indicator={self.start}&level={self.level}&lang=tr"


@dataclass
class Result:
    scenario: Scenario
    first_paint: list[dict] = field(default_factory=list)   # per run
    switches: list[dict] = field(default_factory=list)      # per switch
    pan_zoom: dict | None = None
    geometry: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    memory: dict | None = None
    other_load: float = 0.0  # cores used on average by processes outside the benchmark
    unsynced: int = 0  # frame batches whose page time stamps could not be matched (Playwright's times used)


def _pick_option(page: Page, title: str) -> None:
    sidebar = page.get_by_test_id("stSidebar")
    box = sidebar.get_by_test_id("stSelectbox").filter(
        has=page.get_by_test_id("stWidgetLabel").get_by_text("Gösterge", exact=True))
    box.click()
    options = page.get_by_role("option")
    options.first.wait_for()
    texts = options.all_inner_texts()
    match = next((i for i, t in enumerate(texts) if t.strip() == title), None)
    if match is None:
        match = next((i for i, t in enumerate(texts) if t.strip().startswith(title + " (")), None)
    if match is None:
        raise RuntimeError(f"no option {title!r} in {texts}")
    page.evaluate("() => { window.__benchPress = null; }")
    options.nth(match).click()


def _iframe(sess: Session) -> dict | None:
    frame = sess.map_frame()
    try:
        return frame.evaluate(IFRAME_TIMINGS) if frame else None
    except PlaywrightError:
        return None


def first_paint(sess: Session, sc: Scenario, base: str) -> dict:
    mark = sess.mark()
    sess.page.goto(sc.url(base), wait_until="commit")
    painted = sess.wait_painted(sc.app, None if sc.app == "real" else sc.n_areas)
    t0 = sess.page.evaluate("performance.timeOrigin") / 1000
    t_painted = painted["t"] / 1000
    iframe = _iframe(sess)
    sess.wait_idle()
    sess.sync_times()
    frames = sess.since(mark)
    return {"seconds": round(t_painted - t0, 3), "n": painted.get("n"), "renderId": painted.get("renderId"),
            **_phases(frames, t0, t_painted, iframe), "geometry_files": (iframe or {}).get("geo", []),
            **_traffic(frames)}


def switch(sess: Session, sc: Scenario, target: str, prev_render: str | None) -> dict:
    if sc.app == "naive":
        sess.page.evaluate(MARK_OLD_IFRAMES)
    mark = sess.mark()
    _pick_option(sess.page, sc.titles[target])
    painted = sess.wait_painted(sc.app, prev_render if sc.app == "real" else sc.n_areas)
    t0 = (sess.page.evaluate("window.__benchPress") or 0) / 1000
    t_painted = painted["t"] / 1000
    iframe = _iframe(sess)
    sess.wait_idle()
    sess.sync_times()
    frames = sess.since(mark)
    return {"to": target, "seconds": round(t_painted - t0, 3), "n": painted.get("n"),
            "renderId": painted.get("renderId"), **_phases(frames, t0, t_painted, iframe), **_traffic(frames)}


def pan_zoom_check(sess: Session) -> dict:
    """Drag, wheel-zoom and script-zoom/pan the map; a pass needs a moved map and no rerun."""
    sess.wait_idle()
    frame = sess.map_frame()
    if frame is None:
        return {"pass": False, "why": "no map iframe"}
    before = frame.evaluate("() => [map.getZoom(), map.getCenter().lat, map.getCenter().lng]")
    mark = sess.mark()
    box = sess.page.locator(MAP_IFRAME).last.bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    mouse = sess.page.mouse
    mouse.move(cx, cy)
    mouse.down()
    mouse.move(cx + 160, cy + 90, steps=12)
    mouse.up()
    sess.page.wait_for_timeout(400)
    mouse.wheel(0, -240)
    sess.page.wait_for_timeout(600)
    frame.evaluate("() => { map.setZoom(map.getZoom() + 1); }")
    sess.page.wait_for_timeout(400)
    frame.evaluate("() => { map.panBy([-120, 60], {animate: false}); }")
    sess.page.wait_for_timeout(2500)
    after = frame.evaluate("() => [map.getZoom(), map.getCenter().lat, map.getCenter().lng]")
    t = _traffic(sess.since(mark))
    moved = after != before
    sess.wait_idle()
    return {"pass": moved and t["reruns_sent"] == 0 and t["script_runs"] == 0, "moved": moved,
            "zoom": [before[0], after[0]], "reruns_sent": t["reruns_sent"], "script_runs": t["script_runs"],
            "ws_bytes_received": t["ws_bytes"]}


def run_scenario(browser, server: Server, sc: Scenario, runs: int, timeout_s: float) -> Result:
    res = Result(sc)
    cpu_before = cpu_snapshot()
    for run in range(runs):
        sess = Session(browser, timeout_s)
        try:
            fp = first_paint(sess, sc, server.url)
            fp["run"] = run + 1
            res.first_paint.append(fp)
            res.geometry.extend(sess.responses)
            log(f"  {sc.name} run {run + 1}: first paint {fp['seconds']:.2f} s")
            prev = fp.get("renderId")
            for target in sc.switches:
                sw = switch(sess, sc, target, prev)
                sw["run"] = run + 1
                prev = sw.get("renderId")
                res.switches.append(sw)
                log(f"    switch → {target}: {sw['seconds']:.2f} s, map {_mb(sw['map_bytes'])}, "
                    f"ws {_mb(sw['ws_bytes'])}, {sw['script_runs']} script run(s)")
            if sc.pan_zoom and run == runs - 1:
                res.pan_zoom = pan_zoom_check(sess)
                log(f"    pan/zoom: {res.pan_zoom}")
        except (PlaywrightTimeout, RuntimeError, PlaywrightError) as exc:
            what = "timeout" if isinstance(exc, PlaywrightTimeout) else type(exc).__name__
            res.errors.append(f"run {run + 1}: {what}: {str(exc).splitlines()[0][:300]}")
            log(f"  {sc.name} run {run + 1}: {res.errors[-1]}")
            sess.close()
            break  # the server may still be busy: later numbers would not be clean
        finally:
            res.unsynced += sess.unsynced
            sess.close()
    res.memory = server.memory_mb()
    res.other_load = other_load(cpu_before, cpu_snapshot())
    if res.other_load > 0.25:
        log(f"  note: other processes used {res.other_load:.2f} cores on average during this case")
    return res


# --- preparation ------------------------------------------------------------------------------

def build_real_db(path: Path, data_dir: str | None) -> float:
    cmd = [sys.executable, "-m", "atlas", "build", "--db", str(path)] + (["--data-dir", data_dir] if data_dir else [])
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode:
        raise SystemExit(f"atlas build failed:\n{proc.stdout}\n{proc.stderr}")
    return time.perf_counter() - t0


def naive_layout(dest: Path, app_root: Path) -> None:
    dest.mkdir(parents=True)
    shutil.copy2(BENCH / "naive_map_app.py", dest / "naive_map_app.py")
    shutil.copytree(app_root / "static" / "vendor", dest / "static" / "vendor")


def db_facts(db: Path) -> dict[str, Any]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        views = queries.run(con, "list_indicator_views")
        titles = dict(con.execute("SELECT indicator_id, title_tr FROM indicators").fetchall())
        counts = dict(con.execute(
            "SELECT level, count(*) FROM areas WHERE kind NOT IN ('island', 'industrial_zone', 'free_zone') "
            "GROUP BY level").fetchall())
    finally:
        con.close()
    by_level = {lv: sorted(set(views.loc[views["level"] == lv, "indicator_id"]), key=titles.get)
                for lv in ("district", "mahalle")}
    return {"by_level": by_level, "titles": titles, "counts": counts}


def scenarios_for(app: str, data: str, facts: dict, levels: tuple[str, ...], max_switches: int | None) -> list[Scenario]:
    out = []
    for level in levels:
        inds = facts["by_level"][level]
        start = START_INDICATOR[data] if START_INDICATOR[data] in inds else inds[0]
        others = [i for i in inds if i != start][:max_switches]
        out.append(Scenario(app, data, level, start, others, facts["titles"], int(facts["counts"][level])))
    return out


# --- server-side pieces in this process -------------------------------------------------------

def _lap(t: list[float]) -> float:
    now = time.perf_counter()
    d, t[0] = now - t[0], now
    return round(d, 3)


def server_pieces(db: Path, level: str, indicator: str) -> dict[str, Any]:
    """Time what the real and the naive page do on the server for one view, outside Streamlit."""
    import folium
    import geopandas as gpd
    import numpy as np
    import shapely
    import streamlit_folium as sf

    from app_support.map.choropleth import base_map, payload_layer
    from app_support.chrome.offline_map import use_local_assets
    from atlas.views import map_geometry as geo_assets
    from atlas.catalogue import indicator_from_json
    from atlas.views.map_view import build_map_view, layer_payload, search_options

    con = duckdb.connect(str(db), read_only=True)
    out: dict[str, Any] = {"level": level, "indicator": indicator}
    try:
        meta = queries.run(con, "list_indicator_metadata")
        ind = indicator_from_json(meta.set_index("indicator_id").loc[indicator, "metadata_json"])
        views = queries.run(con, "list_indicator_views")
        period = views[(views.indicator_id == indicator) & (views.level == level)].iloc[0]["period"]
        other = views[(views.indicator_id != indicator) & (views.level == level)].iloc[0]
        warm = indicator_from_json(meta.set_index("indicator_id").loc[other["indicator_id"], "metadata_json"])
        build_map_view(con.cursor(), warm, other["period"], level, "quantiles", 5, "tr")  # imports, first-call costs
        t = [time.perf_counter()]
        gf = geo_assets.level_geojson(con, level)
        out["real_geometry_file_s"] = _lap(t)
        out["real_geometry_file_bytes"] = len(gf.data)
        mv = build_map_view(con.cursor(), ind, period, level, "quantiles", 5, "tr")
        out["real_build_map_view_s"] = _lap(t)
        payload = layer_payload(mv, gf.codes)
        out["real_layer_payload_bytes"] = len(json.dumps(payload, ensure_ascii=False))
        out["real_tooltip_bytes"] = len(json.dumps(payload["cols"], ensure_ascii=False))
        areas = queries.run(con, "list_area_names")
        t = [time.perf_counter()]
        search_options(areas, level, "tr")
        out["real_search_options_s"] = _lap(t)
        t = [time.perf_counter()]
        m = base_map()
        layer = payload_layer(layer_payload(mv, gf.codes), level,
                              {"geometry": "geo.json", "geometryKey": "k", "outlines": None, "focusBounds": None})
        m.get_root().render()
        m.render()
        script = sf._get_map_string(m)
        fg = sf._get_feature_group_string(layer, map=m)
        sf.generate_js_hash(script, "atlas_map", False)
        out["real_folium_render_s"] = _lap(t)
        out["real_feature_group_bytes"] = len(fg.encode())

        t = [time.perf_counter()]
        df = con.execute(
            "SELECT a.code, a.name, a.kind, v.value, a.geom_wkb FROM areas AS a LEFT JOIN indicator_values AS v "
            "ON v.level = a.level AND v.area_code = a.code AND v.indicator_id = ? AND v.period = ? "
            "WHERE a.level = ? AND a.kind NOT IN ('island', 'industrial_zone', 'free_zone') ORDER BY a.code",
            [indicator, period, level]).df()
        gdf = gpd.GeoDataFrame(df.drop(columns="geom_wkb"), geometry=shapely.from_wkb(df["geom_wkb"].map(bytes)),
                               crs="EPSG:4326")
        out["naive_query_s"] = _lap(t)
        values = gdf["value"].dropna().to_numpy()
        bins = list(np.unique(np.quantile(values, np.linspace(0, 1, 6))))
        nm = use_local_assets(folium.Map(location=[38.45, 27.25], zoom_start=9, tiles=None))
        ch = folium.Choropleth(geo_data=gdf, data=gdf, columns=["code", "value"], key_on="feature.properties.code",
                               bins=bins, fill_color="YlOrRd", nan_fill_color="#bdbdbd", fill_opacity=0.8,
                               line_color="#555555", line_weight=0.5)
        ch._children.pop(ch.color_scale.get_name(), None)
        ch.color_scale = None
        folium.GeoJsonTooltip(fields=["name", "value"], aliases=["Bölge", "Değer"]).add_to(ch.geojson)
        ch.add_to(nm)
        out["naive_choropleth_s"] = _lap(t)
        nm.get_root().render()
        nm.render()
        out["naive_render_s"] = _lap(t)
        nscript = sf._get_map_string(nm)
        sf.generate_js_hash(nscript, "naive_map", False)
        out["naive_script_and_hash_s"] = _lap(t)
        nm.get_bounds()
        out["naive_bounds_s"] = _lap(t)
        out["naive_script_bytes"] = len(nscript.encode())
    finally:
        con.close()
    return out


# --- report -----------------------------------------------------------------------------------

def _mb(b: float | None) -> str:
    return "—" if b is None else f"{b / 1e6:.2f} MB"


def _s(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f} s"


def _med(xs: list[float]) -> float | None:
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def summarize(res: Result, timeout_s: float) -> dict[str, Any]:
    fps = [r["seconds"] for r in res.first_paint]
    cold_fp = res.first_paint[0]["seconds"] if res.first_paint else None
    warm_fp = fps[1:]
    sw = [s["seconds"] for s in res.switches]
    cold_sw = [s["seconds"] for s in res.switches if s["run"] == 1]
    warm_switches = [s for s in res.switches if s["run"] > 1]
    warm_sw = [s["seconds"] for s in warm_switches]
    timed_out = any("timeout" in e for e in res.errors)
    geo = {}
    for g in res.geometry:
        name = g["url"].rsplit("/", 1)[-1]
        geo[name] = g
    for fp in res.first_paint:
        for g in fp.get("geometry_files", []):
            if g.get("decoded"):
                geo.setdefault(g["name"], {}).update({"bytes": g["decoded"], "encoded_bytes": g["encoded"]})
    return {
        "scenario": res.scenario.name, "app": res.scenario.app, "data": res.scenario.data,
        "level": res.scenario.level, "areas": res.scenario.n_areas,
        "first_paint_cold_s": cold_fp, "first_paint_warm_median_s": _med(warm_fp),
        "first_paint_max_s": max(fps) if fps else None,
        "switch_median_s": _med(sw), "switch_max_s": max(sw) if sw else None, "switches": len(sw),
        "switch_cold_median_s": _med(cold_sw), "switch_warm_median_s": _med(warm_sw),
        "map_payload_median_bytes": _med([s["map_bytes"] for s in res.switches]),
        "ws_bytes_per_switch_median": _med([s["ws_bytes"] for s in res.switches]),
        "script_runs_per_switch": _med([s["script_runs"] for s in res.switches]),
        "first_open_ws_bytes_median": _med([r["ws_bytes"] for r in res.first_paint]),
        "first_open_map_bytes_median": _med([r["map_bytes"] for r in res.first_paint]),
        "geometry_files": geo,
        "server_memory_mb": res.memory,
        "other_load_cores": res.other_load,
        "pan_zoom": res.pan_zoom,
        "timed_out": timed_out, "timeout_s": timeout_s, "errors": res.errors,
        "phases_first_paint": {k: _med([r.get(k) for r in (res.first_paint[1:] or res.first_paint)])
                               for k in OPEN_PHASES},
        "phases_first_paint_cold": {k: res.first_paint[0].get(k) if res.first_paint else None for k in OPEN_PHASES},
        "phases_switch": {k: _med([s.get(k) for s in (warm_switches or res.switches)]) for k in SWITCH_PHASES},
    }


OPEN_PHASES = ("to_rerun", "server", "to_iframe", "iframe_assets", "geometry_fetch", "after_inputs", "script")
SWITCH_PHASES = ("to_rerun", "server", "browser", "delivery", "draw", "script")


def _or_timeout(x: float | None, s: dict) -> str:
    if x is None and s["timed_out"]:
        return f"> {s['timeout_s']:.0f} s (timeout)"
    return _s(x)


def markdown(summaries: list[dict], machine: str) -> str:
    lines = [f"Map benchmark — {machine}. 'other load' = cores used on average by processes outside the "
             "benchmark during the case (anything above ~0.2 inflates the times).", "",
             "| app · data · level (areas) | first paint warm (cold) | switch median / max (cold median) "
             "| map payload / switch | WS bytes / switch (script runs) | first open WS bytes | geometry file "
             "(gzip) | server RSS now / peak | pan/zoom no rerun | other load |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for s in summaries:
        geo = "; ".join(f"{_mb(g.get('bytes'))} ({_mb(g.get('encoded_bytes'))})"
                        for g in s["geometry_files"].values()) or "inline in WS"
        mem = s["server_memory_mb"] or {}
        pz = s["pan_zoom"]
        pz_text = "skipped" if pz is None else (
            f"{'PASS' if pz['pass'] else 'FAIL'} ({pz['reruns_sent']} rerun(s) sent, {pz['script_runs']} run(s)"
            f"{', map moved' if pz.get('moved') else ', map did not move'})")
        fp = (f"{_or_timeout(s['first_paint_warm_median_s'], s) if s['first_paint_warm_median_s'] is not None else '—'}"
              f" ({_or_timeout(s['first_paint_cold_s'], s)})")
        sw = (f"{_or_timeout(s['switch_median_s'], s)} / {_s(s['switch_max_s'])} "
              f"({_s(s['switch_cold_median_s'])}; n={s['switches']})")
        runs = s["script_runs_per_switch"]
        lines.append(
            f"| {s['scenario']} | {fp} | {sw} | {_mb(s['map_payload_median_bytes'])} "
            f"| {_mb(s['ws_bytes_per_switch_median'])} ({'—' if runs is None else f'{runs:g}'}) "
            f"| {_mb(s['first_open_ws_bytes_median'])} | {geo} "
            f"| {mem.get('VmRSS', '—')} / {mem.get('VmHWM', '—')} MB | {pz_text} | {s['other_load_cores']:.2f} cores |")
    lines += ["", "Where the time goes (seconds; medians of the warm runs, cold run 1 in brackets). Page open: "
              "navigation start → rerun request sent (Streamlit front end booted) → st_folium element received "
              "(server ran the page up to the map) → map iframe started → its scripts/CSS loaded → geometry files "
              "fetched (real app) → painted (parse, build, draw). Switch: mouse press → rerun request → map element → "
              "painted, split into delivery (→ choropleth.js render(view) called: Streamlit, React, streamlit-folium) and "
              "draw (→ painted). 'script' = rerun request → script finished (the whole page run).", "",
              "| app · data · level | open: to rerun | open: server | open: → iframe | open: iframe assets "
              "| open: geometry fetch | open: last input → painted | open: script | switch: to rerun "
              "| switch: server | switch: browser | switch: of which delivery | switch: of which draw | switch: script |",
              "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for s in summaries:
        a, c, b = s["phases_first_paint"], s["phases_first_paint_cold"], s["phases_switch"]
        both = lambda k: f"{_s(a[k])} ({_s(c[k])})"  # noqa: E731
        lines.append(f"| {s['scenario']} | " + " | ".join(both(k) for k in OPEN_PHASES) + " | "
                     + " | ".join(_s(b[k]) for k in SWITCH_PHASES) + " |")
    return "\n".join(lines)


def targets(summaries: list[dict]) -> list[str]:
    out = []
    real_m = next((s for s in summaries if s["app"] == "real" and s["data"] == "real" and s["level"] == "mahalle"), None)
    real_s = next((s for s in summaries if s["app"] == "real" and s["data"] == "synthetic"), None)

    def verdict(value, limit):
        return "—" if value is None else ("met" if value <= limit else "NOT MET")

    if real_m:
        v = real_m["switch_median_s"]
        out.append(f"- mahalle switch ≤ {TARGETS['mahalle_switch_s']} s: median {_s(v)}, max "
                   f"{_s(real_m['switch_max_s'])} → {verdict(v, TARGETS['mahalle_switch_s'])}")
        p = real_m["map_payload_median_bytes"]
        out.append(f"- mahalle payload ≤ {TARGETS['mahalle_payload_mb']} MB: map element {_mb(p)}, whole rerun "
                   f"{_mb(real_m['ws_bytes_per_switch_median'])} → map element "
                   f"{verdict(None if p is None else p / 1e6, TARGETS['mahalle_payload_mb'])}, whole rerun "
                   f"{verdict(real_m['ws_bytes_per_switch_median'] / 1e6, TARGETS['mahalle_payload_mb']) if real_m['ws_bytes_per_switch_median'] else '—'}")
    if real_s:
        w, c = real_s["first_paint_warm_median_s"], real_s["first_paint_cold_s"]
        out.append(f"- 30,000 polygons first paint ≤ {TARGETS['synthetic_first_paint_s']} s: warm median {_s(w)} → "
                   f"{verdict(w, TARGETS['synthetic_first_paint_s'])}; cold server {_s(c)} → "
                   f"{verdict(c, TARGETS['synthetic_first_paint_s'])}")
    pz = [(s["scenario"], s["pan_zoom"]) for s in summaries if s["app"] == "real" and s["pan_zoom"]]
    if pz:
        ok = all(p["pass"] for _, p in pz)
        out.append(f"- panning/zooming does not rerun the script (real app): {'PASS' if ok else 'FAIL'} "
                   f"({', '.join(n + ': ' + str(p['reruns_sent']) + ' reruns' for n, p in pz)})")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3, help="page opens per scenario (fresh browser context each)")
    ap.add_argument("--quick", action="store_true", help="skip the naive 30,000-polygon case")
    ap.add_argument("--json", nargs="?", const="", metavar="PATH",
                    help="also write the results as JSON (default path: bench/results/bench_map-<time>.json)")
    ap.add_argument("--timeout", type=float, default=90.0, help="seconds to wait for one paint (default 90)")
    ap.add_argument("--data-dir", help="source data directory for the real build")
    ap.add_argument("--real-db", type=Path, help="use this atlas database instead of building one")
    ap.add_argument("--synthetic-db", type=Path, help="use this synthetic database instead of building one")
    ap.add_argument("--only", choices=["real", "naive"], help="benchmark only one of the two apps")
    ap.add_argument("--case", action="append", choices=["district", "mahalle", "synthetic"],
                    help="only these cases (repeatable; default: all)")
    ap.add_argument("--app-dir", type=Path, default=ROOT,
                    help="benchmark this copy of the app instead of the working tree (e.g. an experiment)")
    ap.add_argument("--no-pieces", action="store_true", help="skip the in-process server-side timings")
    ap.add_argument("--warmup", choices=["wait", "race", "off"], default="wait",
                    help="real app: run 1 starts once the start-up warm-up is done (wait, default), as soon "
                         "as the server answers (race), or the warm-up is switched off (off)")
    args = ap.parse_args()
    for name in ("real_db", "synthetic_db"):  # the servers run in a copy of the app: make paths absolute
        path = getattr(args, name)
        if path is not None:
            if not path.is_file():
                ap.error(f"--{name.replace('_', '-')} {path}: no such database file")
            setattr(args, name, path.resolve())
    # A plain SIGTERM would skip the clean-up below and leave the servers running.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if not CHROMIUM.is_file():
        raise SystemExit(f"{CHROMIUM} is missing: run ./scripts/setup.sh --browser (never `playwright install`)")
    if not (ROOT / "static" / "vendor" / "leaflet" / "leaflet.js").is_file():
        raise SystemExit("static/vendor is missing: run ./scripts/setup.sh")
    machine = f"{platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()} · " \
              f"{time.strftime('%Y-%m-%d %H:%M')}"

    with tempfile.TemporaryDirectory(prefix="atlas-bench-map-") as tmp_name:
        tmp = Path(tmp_name)
        real_db = args.real_db
        if real_db is None:
            real_db = tmp / "real.duckdb"
            log(f"building the real database … ({build_real_db(real_db, args.data_dir):.1f} s)")
        synth_db = args.synthetic_db
        if synth_db is None:
            import synthetic

            synth_db = tmp / "synthetic.duckdb"
            facts = synthetic.build(synth_db)
            log(f"building the synthetic database … ({facts['seconds']:.1f} s, {facts['mahalle']:,} mahalle, "
                f"{facts['display_coordinates']:,} display / {facts['raw_coordinates']:,} raw coordinates)")
        app_root = tmp / "app"
        snapshot_app(app_root, args.app_dir.resolve())
        naive_layout(tmp / "naive", app_root)
        real_facts, synth_facts = db_facts(real_db), db_facts(synth_db)

        plan: list[tuple[str, str, Path, list[Scenario]]] = []
        cases = set(args.case or ("district", "mahalle", "synthetic"))
        for app in ("real", "naive"):
            if args.only and app != args.only:
                continue
            levels = tuple(lv for lv in ("district", "mahalle") if lv in cases)
            if levels:
                plan.append((app, "real", real_db, scenarios_for(app, "real", real_facts, levels, None)))
            if (app == "naive" and args.quick) or "synthetic" not in cases:
                continue
            synth = scenarios_for(app, "synthetic", synth_facts, ("mahalle",), 1 if app == "naive" else None)
            if app == "naive":
                synth[0].pan_zoom = False  # each rerun takes ~20 s; the mahalle case already shows it
            plan.append((app, "synthetic", synth_db, synth))

        base_env = {k: v for k, v in os.environ.items() if k not in ("ATLAS_BASEMAP_URL", "ATLAS_DB")}
        xdg = tmp / "xdg"
        summaries: list[dict] = []
        raw: list[dict] = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
                                        env={**os.environ, "XDG_CONFIG_HOME": str(xdg / "config"),
                                             "XDG_CACHE_HOME": str(xdg / "cache")})
            try:
                for app, data, db, scenarios in plan:
                    env = {**base_env, "ATLAS_DB": str(db), "ATLAS_BENCH_APP_ROOT": str(app_root)}
                    cwd, script = (app_root, "atlas_app.py") if app == "real" else (tmp / "naive", "naive_map_app.py")
                    log(f"serving the {app} app on the {data} database")
                    with serve(f"{app}-{data}", cwd, script, env, tmp / f"{app}-{data}.log", args.warmup) as server:
                        for line in server.warmup:
                            log(f"  {line}")
                        for sc in scenarios:
                            runs = 1 if (app == "naive" and data == "synthetic") else args.runs
                            res = run_scenario(browser, server, sc, runs, args.timeout)
                            summaries.append(summarize(res, args.timeout))
                            raw.append({"scenario": sc.name, "first_paint": res.first_paint,
                                        "switches": res.switches, "pan_zoom": res.pan_zoom,
                                        "geometry_responses": res.geometry, "errors": res.errors,
                                        "memory": res.memory, "unsynced_ws_batches": res.unsynced,
                                        "warmup": args.warmup, "warmup_log": server.warmup})
            finally:
                browser.close()

        pieces = []
        if not args.no_pieces:
            log("timing the server-side pieces in-process …")
            pieces.append(server_pieces(real_db, "mahalle", "pop_total"))
            pieces.append(server_pieces(synth_db, "mahalle", "synthetic_b"))

    report = markdown(summaries, machine)
    print(report)
    print()
    print("Targets (real app):")
    print("\n".join(targets(summaries)))
    if pieces:
        print()
        print("Server-side pieces of one view, timed in-process (no Streamlit, no browser):")
        for pc in pieces:
            print(f"- {pc['level']} {pc['indicator']}: " + ", ".join(f"{k} {v}" for k, v in pc.items()
                                                                     if k not in ("level", "indicator")))
    errors = [f"{s['scenario']}: {e}" for s in summaries for e in s["errors"]]
    if errors:
        print()
        print("Errors / timeouts:")
        print("\n".join(f"- {e}" for e in errors))
    if args.json is not None:
        path = Path(args.json) if args.json else BENCH / "results" / f"bench_map-{time.strftime('%Y%m%d-%H%M%S')}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"machine": machine, "runs": args.runs, "summaries": summaries,
                                    "targets": targets(summaries), "server_pieces": pieces, "raw": raw},
                                   ensure_ascii=False, indent=1, default=str), encoding="utf-8")
        log(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
