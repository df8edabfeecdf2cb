"""Load test of the production stack (issue #21, item 5): many sessions through nginx, 1 vs 2 vs 3 replicas.

    .venv/bin/python bench/bench_load.py                                   # 2 replicas, 50 sessions, 10 min
    .venv/bin/python bench/bench_load.py --replicas 1 2 3 --minutes 3      # compare replica counts
    .venv/bin/python bench/bench_load.py --naive --minutes 3               # one plain Streamlit process

What it does, for each replica count:

1. starts the stack as ``scripts/serve-prod.sh --no-setup --public N --kiosk 0 --editor 0`` on free
   ports with its own run directory (``--naive``: one replica started alone, no proxy, plain HTTP/WS),
   and waits until every replica and the proxy answer ``/_stcore/health``;
2. opens ``--sessions`` sessions the way a browser tab does: ``GET /`` over HTTPS (the sticky-route
   cookie comes back), then a secure WebSocket ``/_stcore/stream`` with that cookie, speaking
   Streamlit's protocol (``BackMsg`` rerun requests, ``ForwardMsg`` deltas; as
   ``app_support/server/warmup.py`` does). The stack's self-signed certificate is trusted through
   its own file (``tls/cert.pem`` of the run directory); verification stays on;
3. each session loops until the end: open the map, switch the indicator (the sidebar selectbox is
   found in the deltas by its widget key and set to another of its options, sent as a rerun with
   the widget's state, as the browser does), open an area's profile, open the equity page, with a
   think time between actions. The WebSocket stays open for the whole run (sessions held);
4. the latency of an interaction is from sending the rerun request to ``script_finished``. An error
   is a page that showed an exception, a script that did not finish successfully, a lost
   connection or a time-out (``--timeout``); a session that lost its connection connects again
   (as the browser does) and goes on;
5. ``--browsers`` (default 2) real Chromium sessions (Debian ``/usr/bin/chromium``, Playwright)
   switch indicators and check that the map paints (``path`` elements in the st_folium iframe);
6. every 10 s reads the replicas' resident memory (``VmRSS`` of ``/proc/<pid>/status``; the pids
   from the supervisor's output) and the load average.

Output: a markdown table and JSON under ``--out`` (default ``test-artifacts/load/``). The machine
has 2 cores shared with anything else that runs: the figures are upper bounds; the load average is
recorded beside them. Bounded: at most 200 sessions, 30 minutes per run, local addresses only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
PY = ROOT / ".venv" / "bin" / "python"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
INDICATOR_KEY = "map_w_indicator"  # app_support/map/state.py WIDGETS["indicator"]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
MAX_SESSIONS = 200
MAX_MINUTES = 30.0
MAX_BROWSERS = 3
START_TIMEOUT_S = 180
KINDS = ("open", "switch", "profile", "equity")
ALERT_ERROR = 1  # streamlit.proto.Alert_pb2.Alert.ERROR (st.error)


class NotLocal(ValueError):
    """A URL that does not point at this machine."""


def check_local(url: str) -> str:
    """``url`` unchanged if its host is 127.0.0.1, localhost or ::1; NotLocal otherwise."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https", "ws", "wss"):
        raise NotLocal(f"unsupported scheme {parts.scheme[:10]!r} in {url[:60]!r}; use http(s)://127.0.0.1:PORT")
    host = (parts.hostname or "").lower()
    if host not in LOCAL_HOSTS:
        raise NotLocal(f"refusing host {host[:40]!r}: the load test only runs against this machine "
                       f"({', '.join(sorted(LOCAL_HOSTS))})")
    return url


def bounded(sessions: int, minutes: float, browsers: int) -> tuple[int, float, int]:
    """The run's size, refused (ValueError) beyond the caps."""
    if not 1 <= sessions <= MAX_SESSIONS:
        raise ValueError(f"--sessions {sessions}: allowed 1..{MAX_SESSIONS}")
    if not 0 < minutes <= MAX_MINUTES:
        raise ValueError(f"--minutes {minutes}: allowed more than 0, at most {MAX_MINUTES:g}")
    if not 0 <= browsers <= MAX_BROWSERS:
        raise ValueError(f"--browsers {browsers}: allowed 0..{MAX_BROWSERS}")
    return sessions, minutes, browsers


def percentile(values, q: float) -> float | None:
    """The q-th percentile (0..100) of ``values`` with linear interpolation (numpy's default), None if empty."""
    if len(values) == 0:
        return None
    return float(np.percentile(np.asarray(values, dtype=float), q))


def summarise(latencies: list[float]) -> dict[str, float | int | None]:
    return {"n": len(latencies), "p50": percentile(latencies, 50), "p95": percentile(latencies, 95),
            "max": max(latencies) if latencies else None}


def _fmt_s(v: float | None) -> str:
    return "–" if v is None else f"{v:.2f}"


def _fmt_mb(v: float | None) -> str:
    return "–" if v is None else f"{v:.0f}"


def report_table(rows: list[dict]) -> str:
    """The markdown table of the runs (one row each; keys as in :func:`run_row`)."""
    head = ("| setup | replicas | minutes | sessions held | interactions | p50 s | p95 s | max s "
            "| switch p50 s | switch p95 s | switch max s | errors | browser paints (p95 s) | RSS per replica MB "
            "| MB per extra session | load avg (1 min, max) |")
    out = [head, "|" + "|".join("---" for _ in range(head.count("|") - 1)) + "|"]
    for r in rows:
        rss = " / ".join(_fmt_mb(v) for v in r["rss_mb_per_replica"]) or "–"
        per = "–" if r["mb_per_session"] is None else f"{r['mb_per_session']:.1f}"
        paints = f"{r['browser_paints']} ({_fmt_s(r['browser_switch_p95'])})" if r["browser_paints"] is not None else "–"
        out.append(f"| {r['setup']} | {r['replicas']} | {r['minutes']:g} | {r['sessions_held']}/{r['sessions']} "
                   f"| {r['interactions']} | {_fmt_s(r['p50'])} | {_fmt_s(r['p95'])} | {_fmt_s(r['max'])} "
                   f"| {_fmt_s(r['switch_p50'])} | {_fmt_s(r['switch_p95'])} | {_fmt_s(r['switch_max'])} "
                   f"| {r['errors']} | {paints} | {rss} | {per} | {r['load_avg_mean']:.1f}, {r['load_avg_max']:.1f} |")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- the stack


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_ports(replicas: int, start: int = 27511) -> tuple[int, int, int]:
    """(https, http, base): proxy ports and a base port with ``replicas`` free ports from it."""
    for base in range(start, 60000, 211):
        wanted = (base + 97, base + 98, *range(base, base + replicas))
        if all(_port_free(p) for p in wanted):
            return base + 97, base + 98, base
    raise RuntimeError("no free ports on 127.0.0.1")


def _health(url: str, ctx: ssl.SSLContext | None = None) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=3, context=ctx) as r:
            return r.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError, ssl.SSLError, OSError):
        return False


def rss_kb(pid: int) -> int | None:
    """Resident memory of ``pid`` in kB (``VmRSS`` of /proc/<pid>/status), None if it is gone."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    m = re.search(r"^VmRSS:\s+(\d+)\s+kB", text, re.M)
    return int(m.group(1)) if m else None


def load_average() -> float:
    return os.getloadavg()[0]


@dataclass
class StackRun:
    """One stack started by ``scripts/serve-prod.sh --no-setup`` (or one bare replica with ``naive``)."""

    replicas: int
    naive: bool = False
    env_extra: dict = field(default_factory=dict)
    run_dir: Path | None = None
    url: str = ""
    ws_url: str = ""
    ports: tuple[int, ...] = ()
    log: Path | None = None
    proc: subprocess.Popen | None = None
    https_port: int = 0
    http_port: int = 0

    @property
    def cafile(self) -> Path | None:
        return None if self.naive else self.run_dir / "tls" / "cert.pem"

    def ssl_context(self) -> ssl.SSLContext | None:
        """Verification on, trusting the stack's own self-signed certificate (and nothing else)."""
        return None if self.naive else ssl.create_default_context(cafile=str(self.cafile))

    def start(self, workdir: Path) -> None:
        self.run_dir = workdir / ("naive" if self.naive else f"stack-{self.replicas}")
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.log = self.run_dir / "serve.log"
        https, http_port, base = free_ports(self.replicas)
        self.ports = tuple(range(base, base + self.replicas))
        self.https_port, self.http_port = https, http_port
        env = {**os.environ, "ATLAS_RUN_DIR": str(self.run_dir), **self.env_extra}
        if self.naive:
            cmd = [str(PY), "-m", "atlas.deploy", "replica", f"public-{base}"]
            self.url = f"http://127.0.0.1:{base}"
        else:
            cmd = ["bash", "scripts/serve-prod.sh", "--no-setup", "--https-port", str(https), "--http-port",
                   str(http_port), "--base-port", str(base), "--public", str(self.replicas), "--kiosk", "0",
                   "--editor", "0"]
            self.url = f"https://127.0.0.1:{https}"
        self.ws_url = self.url.replace("http", "ws", 1) + "/_stcore/stream"
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                         start_new_session=True)
        deadline = time.monotonic() + START_TIMEOUT_S
        while not self.healthy():
            if self.proc.poll() is not None:
                raise RuntimeError(f"the stack exited ({self.proc.returncode}):\n{self.log.read_text(errors='replace')[-3000:]}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the stack did not answer within {START_TIMEOUT_S} s:\n"
                                   f"{self.log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.5)
        self.wait_warm()

    def healthy(self) -> bool:
        if not all(_health(f"http://127.0.0.1:{p}/_stcore/health") for p in self.ports):
            return False
        return self.naive or _health(f"{self.url}/_stcore/health", self.ssl_context())

    def wait_warm(self, timeout: float = 120) -> None:
        """Wait for every replica's warm-up ("atlas: ready at ...") so the run measures a warm stack."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            logs = [self.replica_log(p) for p in self.ports]
            if all(log and "atlas: ready at" in log for log in logs):
                return
            time.sleep(0.5)

    def replica_log(self, port: int) -> str:
        path = self.log if self.naive else self.run_dir / "logs" / f"public-{port}.log"
        try:
            return path.read_text(errors="replace")
        except OSError:
            return ""

    def pids(self) -> dict[str, int]:
        """The latest pid of each replica (the supervisor's output; the process itself when naive)."""
        if self.naive:
            return {f"public-{self.ports[0]}": self.proc.pid}
        found = re.findall(r"(?:started|restarted) (public-\d+) \(pid (\d+)", self.log.read_text(errors="replace"))
        return {name: int(pid) for name, pid in found}

    def rss_mb(self) -> dict[str, float | None]:
        out = {}
        for name, pid in sorted(self.pids().items()):
            kb = rss_kb(pid)
            out[name] = None if kb is None else kb / 1024
        return out

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)


def area_codes(db: Path, n: int = 40) -> list[str]:
    """A few district and mahalle codes to open profiles of (read-only)."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("SELECT code FROM areas ORDER BY hash(code) LIMIT ?", [n]).fetchall()
    finally:
        con.close()
    return [str(r[0]) for r in rows]


# --------------------------------------------------------------------------- protocol sessions


@dataclass
class Interaction:
    session: int
    kind: str
    t: float  # seconds since the start of the run
    seconds: float | None
    outcome: str  # 'ok' or what went wrong
    upstream: str = ""


class Lost(Exception):
    """The WebSocket closed or failed."""


class Session:
    """One browser tab's worth of Streamlit protocol over the proxy."""

    def __init__(self, idx: int, stack_url: str, ws_url: str, ctx: ssl.SSLContext | None, areas: list[str],
                 record, timeout: float, think: tuple[float, float], rng: random.Random):
        self.idx, self.stack_url, self.ws_url, self.ctx = idx, stack_url, ws_url, ctx
        self.areas, self.record, self.timeout, self.think, self.rng = areas, record, timeout, think, rng
        self.ws = None
        self.cookie = ""
        self.map_query = ""
        self.indicator: tuple[str, list[str], str] | None = None  # (widget id, options, current)
        self.selects: dict[str, str] = {}  # the map page's selectboxes: id -> value shown (sent back, as a browser does)
        self.connected_since: float | None = None
        self.reconnects = 0
        self.queue: asyncio.Queue | None = None
        self.reader: asyncio.Task | None = None
        self.lost: asyncio.Event | None = None
        self.drops: list[tuple[float, str]] = []  # (seconds since the run's start, why) of each lost connection

    def _get_cookie(self) -> str:
        req = urllib.request.Request(self.stack_url + "/", headers={"Cookie": self.cookie} if self.cookie else {})
        with urllib.request.urlopen(req, timeout=self.timeout, context=self.ctx) as resp:
            resp.read()
            cookies = resp.headers.get_all("Set-Cookie") or []
        for c in cookies:
            m = re.match(r"(atlas_route_\w+)=([^;]*)", c)
            if m:
                return f"{m.group(1)}={m.group(2)}"
        return self.cookie

    async def connect(self) -> None:
        import websockets

        self.cookie = await asyncio.to_thread(self._get_cookie)
        headers = {"Cookie": self.cookie} if self.cookie else {}
        self.ws = await websockets.connect(self.ws_url, subprotocols=["streamlit"], max_size=None, ssl=self.ctx,
                                           additional_headers=headers, open_timeout=self.timeout,
                                           ping_interval=20, ping_timeout=60)
        self.queue = asyncio.Queue()
        self.lost = asyncio.Event()
        self.reader = asyncio.create_task(self._read())
        self.connected_since = time.monotonic()

    async def _read(self) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        try:
            async for frame in self.ws:
                fwd = ForwardMsg()
                fwd.ParseFromString(frame)
                await self.queue.put(fwd)
        except Exception as exc:  # noqa: BLE001 - any failure of the socket ends this session's connection
            await self.queue.put(Lost(f"{type(exc).__name__}: {exc}"[:120]))
        else:
            await self.queue.put(Lost("connection closed"))
        self.lost.set()

    async def close(self) -> None:
        if self.ws is not None:
            from websockets.exceptions import WebSocketException

            try:
                await self.ws.close()
            except (WebSocketException, OSError) as exc:  # the socket was already broken: say so, go on closing
                print(f"load: session {self.idx}: closing its socket: {type(exc).__name__}: {exc}"[:160],
                      file=sys.stderr)
        if self.reader is not None:
            self.reader.cancel()

    async def rerun(self, kind: str, t0_run: float, *, page: str = "", query: str = "",
                    widget: tuple[str, str] | None = None) -> bool:
        """Send one rerun request and wait for the script to finish; record it. True if it went well."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        msg = BackMsg()
        msg.rerun_script.query_string = query
        msg.rerun_script.page_script_hash = ""
        msg.rerun_script.page_name = page
        if widget is not None:
            for wid, value in {**self.selects, widget[0]: widget[1]}.items():
                ws = msg.rerun_script.widget_states.widgets.add()
                ws.id, ws.string_value = wid, value
            if self.indicator and self.indicator[0] == widget[0]:
                self.indicator = (widget[0], self.indicator[1], widget[1])
        if page in ("", "map"):
            self.map_query = query  # the address the "browser" asks for (the server sends a change only)
        query_before = self.map_query
        while not self.queue.empty():  # what is left of the last run (late deltas)
            item = self.queue.get_nowait()
            if isinstance(item, Lost):
                self.record(Interaction(self.idx, kind, time.monotonic() - t0_run, None, f"lost before: {item}"))
                return False
        start = time.monotonic()
        error = None
        try:
            await self.ws.send(msg.SerializeToString())
            async with asyncio.timeout(self.timeout):
                while True:
                    fwd = await self.queue.get()
                    if isinstance(fwd, Lost):
                        raise fwd
                    kind_msg = fwd.WhichOneof("type")
                    if kind_msg == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                        el = fwd.delta.new_element
                        etype = el.WhichOneof("type")
                        if etype == "exception" and error is None:
                            error = "the page showed an exception"
                        elif etype == "alert" and el.alert.format == ALERT_ERROR and error is None:
                            error = "the page showed an error: " + el.alert.body.splitlines()[0][:60]
                        elif etype == "selectbox" and page in ("", "map"):
                            box = el.selectbox
                            if box.set_value:
                                self.selects[box.id] = box.raw_value
                            elif self.selects.get(box.id) not in box.options and 0 <= box.default < len(box.options):
                                self.selects[box.id] = box.options[box.default]
                        if etype == "selectbox" and el.selectbox.id.endswith(INDICATOR_KEY):
                            sb = el.selectbox
                            if sb.set_value:
                                current = sb.raw_value
                            elif self.indicator and self.indicator[0] == sb.id and self.indicator[2] in sb.options:
                                current = self.indicator[2]  # what this "browser" chose last
                            else:
                                current = sb.options[sb.default] if 0 <= sb.default < len(sb.options) else ""
                            self.indicator = (sb.id, list(sb.options), current)
                    elif kind_msg == "page_info_changed" and page in ("", "map"):
                        self.map_query = fwd.page_info_changed.query_string
                    elif kind_msg == "script_finished":
                        if fwd.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                            continue
                        if fwd.script_finished != ForwardMsg.FINISHED_SUCCESSFULLY and error is None:
                            error = "script ended: " + ForwardMsg.ScriptFinishedStatus.Name(fwd.script_finished)
                        break
        except TimeoutError:
            self.record(Interaction(self.idx, kind, start - t0_run, None, f"timeout after {self.timeout:g} s",
                                    self.cookie))
            raise Lost("timeout") from None
        except Lost as lost:
            self.record(Interaction(self.idx, kind, start - t0_run, None, f"lost: {lost}", self.cookie))
            raise
        except Exception as exc:  # noqa: BLE001 - a send on a broken socket
            self.record(Interaction(self.idx, kind, start - t0_run, None, f"lost: {type(exc).__name__}", self.cookie))
            raise Lost(str(exc)) from exc
        seconds = time.monotonic() - start
        if kind == "switch" and error is None and self.map_query == query_before:
            error = f"the switch to {widget[1][:40]!r} did not change the view (URL unchanged)"
        self.record(Interaction(self.idx, kind, start - t0_run, seconds, error or "ok", self.cookie))
        return error is None

    async def pause(self, end: float) -> None:
        """Think; a connection lost meanwhile is noticed at once (the browser reconnects by itself)."""
        wait = max(0.0, min(self.rng.uniform(*self.think), end - time.monotonic()))
        try:
            await asyncio.wait_for(self.lost.wait(), wait)
        except TimeoutError:
            return
        raise Lost("connection lost while the session was idle")

    async def run(self, t0_run: float, end: float, ramp: float) -> None:
        await asyncio.sleep(ramp)
        while time.monotonic() < end:
            try:
                if self.ws is None:
                    await self.connect()
                    await self.rerun("open", t0_run, query=self.map_query)
                await self.loop(t0_run, end)
            except Lost as lost:
                self.drops.append((time.monotonic() - t0_run, str(lost)[:120]))
                await self.close()
                self.ws = None
                self.connected_since = None
                self.reconnects += 1
                await asyncio.sleep(0.5)
            except (OSError, urllib.error.URLError, TimeoutError) as exc:
                self.record(Interaction(self.idx, "connect", time.monotonic() - t0_run, None,
                                        f"connect failed: {type(exc).__name__}: {str(exc)[:80]}"))
                self.ws = None
                self.connected_since = None
                await asyncio.sleep(1.0)
        await self.close()

    async def loop(self, t0_run: float, end: float) -> None:
        while time.monotonic() < end:
            await self.pause(end)
            if time.monotonic() >= end:
                return
            if self.indicator:
                wid, options, current = self.indicator
                choices = [o for o in options if o != current] or options
                await self.rerun("switch", t0_run, query=self.map_query, widget=(wid, self.rng.choice(choices)))
            else:
                await self.rerun("open", t0_run, query=self.map_query)
            await self.pause(end)
            if time.monotonic() >= end:
                return
            area = self.rng.choice(self.areas) if self.areas else ""
            await self.rerun("profile", t0_run, page="profile", query=f"area={area}" if area else "")
            await self.pause(end)
            if time.monotonic() >= end:
                return
            await self.rerun("equity", t0_run, page="equity")
            await self.pause(end)
            if time.monotonic() >= end:
                return
            await self.rerun("open", t0_run, query=self.map_query)


# --------------------------------------------------------------------------- browsers

PAINTED = """(prev) => {
  const f = document.querySelector('%s');
  if (!f || !f.contentDocument) return false;
  const n = f.contentDocument.querySelectorAll('path').length;
  const s = f.contentWindow.atlasState;
  if (s && s.error) return {error: String(s.error)};
  if (s && s.painted && s.painted === s.renderId && s.renderId !== prev && n > 0) return {renderId: s.renderId, n: n};
  if (!s && prev === null && n > 0) return {renderId: null, n: n};
  return false;
}""" % MAP_FRAME


def spki_hash(cert: Path) -> str:
    """base64 SHA-256 of the certificate's public key, for Chromium's --ignore-certificate-errors-spki-list
    (trusts this one key only; every other certificate is still checked)."""
    pub = subprocess.run(["openssl", "x509", "-in", str(cert), "-pubkey", "-noout"], capture_output=True,
                         check=True).stdout
    der = subprocess.run(["openssl", "pkey", "-pubin", "-outform", "der"], input=pub, capture_output=True,
                         check=True).stdout
    import base64
    import hashlib

    return base64.b64encode(hashlib.sha256(der).digest()).decode()


@dataclass
class BrowserResult:
    paints: int = 0
    switches: list = field(default_factory=list)
    errors: list = field(default_factory=list)


async def browser_session(idx: int, pw, stack: StackRun, end: float, think: tuple[float, float],
                          result: BrowserResult, shots: Path | None, rng: random.Random) -> None:
    args = list(CHROMIUM_ARGS)
    if stack.cafile is not None:
        args.append("--ignore-certificate-errors-spki-list=" + spki_hash(stack.cafile))
    browser = await pw.chromium.launch(executable_path=CHROMIUM, args=args, headless=True)
    try:
        page = await browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(60_000)
        await page.goto(stack.url + "/")
        painted = await page.wait_for_function(PAINTED, arg=None, polling=200, timeout=90_000)
        prev = (await painted.json_value()).get("renderId")
        result.paints += 1
        while time.monotonic() < end:
            await asyncio.sleep(max(0.0, min(rng.uniform(*think), end - time.monotonic())))
            if time.monotonic() >= end:
                break
            try:
                sidebar = page.get_by_test_id("stSidebar")
                box = sidebar.get_by_test_id("stSelectbox").filter(
                    has=page.get_by_test_id("stWidgetLabel").get_by_text("Gösterge", exact=True))
                await box.click()
                options = page.locator('[role="option"][aria-selected="false"]')
                await options.first.wait_for()
                n = await options.count()
                t0 = time.monotonic()
                await options.nth(rng.randrange(n)).click()
                got = await (await page.wait_for_function(PAINTED, arg=prev, polling=100, timeout=60_000)).json_value()
                if got.get("error"):
                    result.errors.append(f"browser {idx}: map error {got['error'][:80]}")
                    continue
                prev = got.get("renderId")
                result.switches.append(time.monotonic() - t0)
                result.paints += 1
            except Exception as exc:  # noqa: BLE001 - a Playwright time-out or a closed page: counted
                result.errors.append(f"browser {idx}: {type(exc).__name__}: {str(exc)[:100]}")
                await page.keyboard.press("Escape")
        if shots is not None:
            await page.screenshot(path=str(shots / f"browser-{idx}.png"))
    except Exception as exc:  # noqa: BLE001 - the browser could not start or open the page: counted
        result.errors.append(f"browser {idx}: {type(exc).__name__}: {str(exc)[:160]}")
    finally:
        await browser.close()


# --------------------------------------------------------------------------- one run


@dataclass
class RunResult:
    setup: str
    replicas: int
    minutes: float
    sessions: int
    interactions: list[Interaction]
    samples: list[dict]
    baseline_rss: dict
    held_min: int
    browser: BrowserResult | None
    reconnects: int
    drops: list = field(default_factory=list)  # (session, seconds since start, why): connections lost


def run_row(r: RunResult) -> dict:
    ok = [i.seconds for i in r.interactions if i.outcome == "ok" and i.seconds is not None]
    sw = [i.seconds for i in r.interactions if i.kind == "switch" and i.outcome == "ok" and i.seconds is not None]
    errors = sum(1 for i in r.interactions if i.outcome != "ok") + (len(r.browser.errors) if r.browser else 0)
    held = [s for s in r.samples if s.get("phase") == "held"]
    last = held[-1]["rss_mb"] if held else {}
    rss = [v for _, v in sorted(last.items())]
    base_total = sum(v for v in r.baseline_rss.values() if v)
    held_total = sum(v for v in last.values() if v)
    per = (held_total - base_total) / r.sessions if held and base_total else None
    loads = [s["load"] for s in r.samples if s.get("phase") == "held"] or [0.0]
    bsw = r.browser.switches if r.browser else []
    return {
        "setup": r.setup, "replicas": r.replicas, "minutes": r.minutes, "sessions": r.sessions,
        "sessions_held": r.held_min, "interactions": len(r.interactions),
        "p50": percentile(ok, 50), "p95": percentile(ok, 95), "max": max(ok) if ok else None,
        "switch_p50": percentile(sw, 50), "switch_p95": percentile(sw, 95), "switch_max": max(sw) if sw else None,
        "errors": errors, "browser_paints": r.browser.paints if r.browser else None,
        "browser_switch_p95": percentile(bsw, 95), "rss_mb_per_replica": rss, "mb_per_session": per,
        "load_avg_mean": float(np.mean(loads)), "load_avg_max": float(max(loads)),
        "by_kind": {k: summarise([i.seconds for i in r.interactions if i.kind == k and i.outcome == "ok"
                                  and i.seconds is not None]) for k in KINDS},
        "reconnects": r.reconnects,
    }


async def drive(stack: StackRun, *, sessions: int, minutes: float, browsers: int, think: tuple[float, float],
                timeout: float, areas: list[str], seed: int, shots: Path | None,
                on_tick=None) -> RunResult:
    """Open the sessions against a started stack and run them for ``minutes``; sample memory and load."""
    rng = random.Random(seed)
    interactions: list[Interaction] = []
    ctx = stack.ssl_context()
    t0 = time.monotonic()
    ramp_s = min(30.0, minutes * 60 / 6)
    end = t0 + minutes * 60
    baseline = stack.rss_mb()
    pool = [Session(i, stack.url, stack.ws_url, ctx, areas, interactions.append, timeout, think,
                    random.Random(rng.random())) for i in range(sessions)]
    tasks = [asyncio.create_task(s.run(t0, end, ramp_s * i / max(sessions, 1))) for i, s in enumerate(pool)]
    bres = BrowserResult() if browsers else None
    btasks = []
    pw_cm = None
    if browsers:
        from playwright.async_api import async_playwright

        pw_cm = async_playwright()
        pw = await pw_cm.__aenter__()
        btasks = [asyncio.create_task(browser_session(i, pw, stack, end, (think[0] + 3, think[1] + 3), bres, shots,
                                                      random.Random(rng.random()))) for i in range(browsers)]
    samples = []
    held_min = sessions
    next_sample = time.monotonic()
    while time.monotonic() < end:
        await asyncio.sleep(1.0)
        now = time.monotonic()
        if on_tick is not None:
            await on_tick(now - t0, pool, interactions)
        if now >= next_sample:
            held = sum(1 for s in pool if s.connected_since is not None)
            phase = "held" if now - t0 >= ramp_s + 5 else "ramp"
            if phase == "held":
                held_min = min(held_min, held)
            samples.append({"t": round(now - t0, 1), "phase": phase, "held": held, "load": load_average(),
                            "rss_mb": stack.rss_mb(), "interactions": len(interactions)})
            next_sample = now + 10
    await asyncio.gather(*tasks, *btasks)
    if pw_cm is not None:
        await pw_cm.__aexit__(None, None, None)
    if not any(s["phase"] == "held" for s in samples):
        held_min = min((s["held"] for s in samples), default=0)
    return RunResult("naive" if stack.naive else "nginx + replicas", stack.replicas, minutes, sessions,
                     interactions, samples, baseline, held_min, bres, sum(s.reconnects for s in pool),
                     sorted((s.idx, t, why) for s in pool for t, why in s.drops))


def write_outputs(out: Path, rows: list[dict], results: list[RunResult], note: str) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    md = out / f"load-{stamp}.md"
    errors = [f"- {r.setup} ×{r.replicas}: {i.kind} at {i.t:.0f} s: {i.outcome}" for r in results
              for i in r.interactions if i.outcome != "ok"][:50]
    berrors = [f"- {r.setup} ×{r.replicas}: {e}" for r in results if r.browser for e in r.browser.errors][:20]
    text = ["# Load test (bench/bench_load.py)", "", note, "", report_table(rows), "",
            "Latency: rerun request → `script_finished` (seconds). Browser paints: map paints seen by the real",
            "Chromium sessions (first paint and each indicator switch), p95 of switch → painted.",
            "MB per extra session: (replica RSS with the sessions held − RSS before they opened) / sessions.", ""]
    for row in rows:
        text.append(f"* {row['setup']} ×{row['replicas']}: by kind " + "; ".join(
            f"{k} n={v['n']} p50={_fmt_s(v['p50'])} p95={_fmt_s(v['p95'])} max={_fmt_s(v['max'])}"
            for k, v in row["by_kind"].items()) + f"; reconnects {row['reconnects']}")
    if errors or berrors:
        text += ["", "## Errors (first 50)", "", *errors, *berrors]
    md.write_text("\n".join(text) + "\n", encoding="utf-8")
    js = out / f"load-{stamp}.json"
    js.write_text(json.dumps({"note": note, "rows": rows, "runs": [
        {"setup": r.setup, "replicas": r.replicas, "samples": r.samples, "baseline_rss": r.baseline_rss,
         "interactions": [asdict(i) for i in r.interactions],
         "browser": asdict(r.browser) if r.browser else None} for r in results]}, indent=1), encoding="utf-8")
    return md


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--replicas", type=int, nargs="+", default=[2], help="replica counts to compare (a stack each)")
    p.add_argument("--naive", action="store_true", help="also: one plain Streamlit process, no proxy")
    p.add_argument("--only-naive", action="store_true", help="only the naive process")
    p.add_argument("--sessions", type=int, default=50)
    p.add_argument("--minutes", type=float, default=10.0)
    p.add_argument("--browsers", type=int, default=2, help="real Chromium sessions (0..3)")
    p.add_argument("--think", type=float, nargs=2, default=(4.0, 12.0), metavar=("MIN", "MAX"),
                   help="think time between a session's actions, seconds (uniform)")
    p.add_argument("--timeout", type=float, default=30.0, help="one interaction's time-out, seconds")
    p.add_argument("--seed", type=int, default=21)
    p.add_argument("--db", type=Path, help="the database the stack serves (default ATLAS_DB or geodata/atlas.duckdb)")
    p.add_argument("--out", type=Path, default=ROOT / "test-artifacts" / "load")
    args = p.parse_args(argv)
    try:
        sessions, minutes, browsers = bounded(args.sessions, args.minutes, args.browsers)
        if any(not 1 <= n <= 4 for n in args.replicas):
            raise ValueError(f"--replicas {args.replicas}: each 1..4")
    except ValueError as exc:
        p.error(str(exc))
    sys.path.insert(0, str(ROOT))
    from atlas.config import db_path

    db = db_path(args.db).resolve()
    env_extra = {"ATLAS_DB": str(db)}
    areas = area_codes(db)
    plans = [] if args.only_naive else [(n, False) for n in args.replicas]
    if args.naive or args.only_naive:
        plans.append((1, True))
    rows, results = [], []
    workdir = Path(tempfile.mkdtemp(prefix="atlas-load-"))
    note = (f"{time.strftime('%Y-%m-%d %H:%M %Z')}, {os.cpu_count()} cores shared with other jobs (figures are "
            f"upper bounds); {sessions} protocol sessions + {browsers} Chromium, think {args.think[0]:g}–"
            f"{args.think[1]:g} s, time-out {args.timeout:g} s, database {db.name}.")
    for replicas, naive in plans:
        stack = StackRun(replicas, naive=naive, env_extra=env_extra)
        print(f"load: starting {'naive process' if naive else f'stack with {replicas} replicas'} …", flush=True)
        stack.start(workdir)
        shots = args.out / "screenshots"
        shots.mkdir(parents=True, exist_ok=True)
        try:
            check_local(stack.url)
            print(f"load: {stack.url} ready; {sessions} sessions for {minutes:g} min", flush=True)
            res = asyncio.run(drive(stack, sessions=sessions, minutes=minutes, browsers=browsers,
                                    think=tuple(args.think), timeout=args.timeout, areas=areas, seed=args.seed,
                                    shots=shots))
        finally:
            stack.stop()
        results.append(res)
        rows.append(run_row(res))
        print(report_table(rows[-1:]), flush=True)
    md = write_outputs(args.out, rows, results, note)
    print(report_table(rows))
    print(f"load: wrote {md} and {md.with_suffix('.json')}")
    return 0 if all(r["errors"] == 0 for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
