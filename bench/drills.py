"""Failure drills of the production stack under load (issue #21, item 6): what a visitor sees, errors counted.

    .venv/bin/python bench/drills.py                         # every drill (~12 min on 2 cores)
    .venv/bin/python bench/drills.py --only kill publish     # some of them
    .venv/bin/python bench/drills.py --sessions 30 --out test-artifacts/drills

One stack (``scripts/serve-prod.sh --no-setup --public 2 --kiosk 0 --editor 0``, free ports, its own
run directory) serves a **copy** of the database (the checkout's file is never touched); its replicas'
``TMPDIR`` is a small file system of the drill (a 16 MB tmpfs when run as root, else a folder of the
drill that can be made read-only). Each drill runs ``--sessions`` protocol sessions of
``bench/bench_load.py`` (map, indicator switch, profile, equity, think time) plus, where it says,
one headless Chromium session, injects the failure after ``--before`` seconds and keeps the load on
for ``--after`` seconds. It counts failed interactions (an interaction in flight that failed, or a
reconnect refused), connections dropped (sessions whose WebSocket was closed; they connect again at
once, as Streamlit's page does) and the time each session took to recover (from the failure to its
next successful interaction). Results go to ``<out>/<drill>.md`` (with screenshots) and
``<out>/<drill>.json``.

Drills:

``kill``     SIGKILL one replica: the supervisor restarts it; its sessions reconnect through nginx to the
             other replica. Chromium (pinned by its route cookie to the killed replica) is screenshotted
             before, 1 s after the kill and after its next indicator switch.
``proxy``    ``nginx -s reload`` under load; then the proxy's worker processes are killed (SIGKILL; the
             nginx master starts new ones), which drops every connection at once.
``publish``  ``python -m atlas.deploy publish NEW --db SERVED`` under load, NEW being a fresh
             ``python -m atlas build`` (so its build time differs); a watcher session opens the
             indicators page every second and reports when the new build time shows, and every
             session's interactions during the swap are counted.
``disk``     the replicas' temporary folder (where the data package's GeoPackage is written) is filled
             to the last byte; Chromium opens the map's Export panel and downloads the data package
             and the CSV; the screenshot shows what the visitor sees. Then the command-line export
             (``python -m atlas export --out`` on the full file system) is run and its message kept.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_load as bl  # noqa: E402

ROOT = bl.ROOT
DRILLS = ("kill", "proxy", "publish", "disk")
TMPFS_MB = 16


# --------------------------------------------------------------------------- analysis


def no_effect(i: bl.Interaction) -> bool:
    """A switch the app answered without changing the view (bench_load's check), not a failure of the stack."""
    return "did not change the view" in i.outcome


def recovery(result: bl.RunResult, fault_t: float) -> dict:
    """Errors and recovery after a failure at ``fault_t`` (seconds since the run's start)."""
    before = [i for i in result.interactions if i.t < fault_t - 0.5 and i.outcome != "ok" and not no_effect(i)]
    after = [i for i in result.interactions if i.t >= fault_t - 0.5]
    failed = [i for i in after if i.outcome != "ok" and not no_effect(i)]
    drops = [(s, t, why) for s, t, why in result.drops if t >= fault_t - 0.5]
    hit = sorted({i.session for i in failed} | {s for s, _, _ in drops})
    times = []
    for s in hit:
        oks = [i.t + (i.seconds or 0) for i in after if i.session == s and i.outcome == "ok"
               and i.t >= min([t for ss, t, _ in drops if ss == s] + [i2.t for i2 in failed if i2.session == s])]
        if oks:
            times.append(min(oks) - fault_t)
    unrecovered = len(hit) - len(times)
    ok_after = [i.seconds for i in after if i.outcome == "ok" and i.seconds is not None]
    return {"errors_before": len(before),
            "switches without effect (the app's first-option quirk, not the failure)":
                sum(1 for i in result.interactions if no_effect(i)), "failed_interactions": len(failed), "connections_dropped": len(drops),
            "sessions_hit": len(hit), "sessions_unrecovered": unrecovered,
            "recover_p50_s": bl.percentile(times, 50), "recover_max_s": max(times) if times else None,
            "interactions_after": len(after), "p95_after_s": bl.percentile(ok_after, 95),
            "failures": sorted({i.outcome for i in failed})[:8]}


def md_summary(name: str, title: str, facts: dict, notes: list[str], shots: list[str]) -> str:
    lines = [f"# Drill: {title}", "", f"`bench/drills.py --only {name}`, {time.strftime('%Y-%m-%d %H:%M %Z')}, "
             f"load average {os.getloadavg()[0]:.1f} (2 cores shared with other jobs: times are upper bounds).", ""]
    lines += ["| what | value |", "|---|---|"]
    for k, v in facts.items():
        if isinstance(v, float):
            v = f"{v:.2f}"
        elif isinstance(v, list):
            v = "; ".join(str(x) for x in v) or "–"
        lines.append(f"| {k} | {str(v).replace('|', '/')} |")
    lines += ["", "## What the visitor sees", "", *notes, ""]
    lines += [f"![{Path(s).stem}]({Path(s).name})" for s in shots]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- the stack of the drills


class DrillStack(bl.StackRun):
    """The stack with ``replicas`` public replicas, serving ``db`` with ``tmpdir`` as their TMPDIR."""

    def nginx_pids(self) -> tuple[int | None, list[int]]:
        pid_file = self.run_dir / "nginx.pid"
        master = None
        for candidate in (pid_file, self.run_dir / "logs" / "nginx.pid"):
            if candidate.is_file():
                master = int(candidate.read_text().split()[0])
        if master is None:
            found = [int(p) for p in os.listdir("/proc") if p.isdigit() and _cmd(int(p)).startswith("nginx: master")
                     and str(self.run_dir) in _cmd(int(p))]
            master = found[0] if found else None
        workers = [int(p) for p in os.listdir("/proc") if p.isdigit() and _ppid(int(p)) == master]
        return master, workers

    def nginx_signal(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["/usr/sbin/nginx", "-c", str(self.run_dir / "nginx.conf"), "-p", str(self.run_dir),
                               *args], capture_output=True, text=True, timeout=30)


def _cmd(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _ppid(pid: int) -> int | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(text.rsplit(")", 1)[1].split()[1])


def small_fs(path: Path) -> str:
    """A tiny file system at ``path``: tmpfs when root ('tmpfs'), else a plain folder ('folder')."""
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={TMPFS_MB}m,mode=1777", "tmpfs", str(path)], check=True)
        return "tmpfs"
    return "folder"


def fill(path: Path, kind: str) -> str:
    """Fill the file system at ``path`` (tmpfs) or make the folder read-only (without root)."""
    if kind == "tmpfs":
        reason = _write_until_full(path / "fill.bin", 1 << 16)
        _write_until_full(path / "fill2.bin", 512)  # the last bytes below one block
        st = os.statvfs(path)
        return f"{reason}; {st.f_bavail * st.f_frsize} bytes free"
    path.chmod(0o555)
    return "folder made read-only (not root: no tmpfs)"


def _write_until_full(path: Path, block: int) -> str:
    """Write zeros to ``path`` until the file system refuses; the reason it gave."""
    try:
        with path.open("wb", buffering=0) as f:
            while True:
                f.write(b"\0" * block)
    except OSError as exc:
        return exc.strerror or str(exc)


def unfill(path: Path, kind: str) -> None:
    if kind == "tmpfs":
        for f in ("fill.bin", "fill2.bin"):
            (path / f).unlink(missing_ok=True)
    else:
        path.chmod(0o755)


# --------------------------------------------------------------------------- Chromium


class Browser:
    """One headless Chromium page on the stack, pinned to a replica by its route cookie when asked."""

    def __init__(self, stack: DrillStack, shots: Path):
        self.stack, self.shots = stack, shots
        self.pw = self.browser = self.page = None
        self.prev = None
        self.events: list[str] = []

    async def open(self, replica_port: int | None = None, downloads: bool = False) -> None:
        from playwright.async_api import async_playwright

        self._cm = async_playwright()
        self.pw = await self._cm.__aenter__()
        args = [*bl.CHROMIUM_ARGS, "--ignore-certificate-errors-spki-list=" + bl.spki_hash(self.stack.cafile)]
        self.browser = await self.pw.chromium.launch(executable_path=bl.CHROMIUM, args=args, headless=True)
        context = await self.browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=downloads)
        if replica_port is not None:
            await context.add_cookies([{"name": "atlas_route_public", "value": str(replica_port),
                                        "url": self.stack.url + "/"}])
        self.page = await context.new_page()
        self.page.set_default_timeout(60_000)
        self.page.on("websocket", lambda ws: self.events.append(f"{time.strftime('%H:%M:%S')} websocket opened"))
        await self.page.goto(self.stack.url + "/")
        got = await (await self.page.wait_for_function(bl.PAINTED, arg=None, polling=200, timeout=90_000)).json_value()
        self.prev = got.get("renderId")

    async def cookie(self) -> str:
        return next((c["value"] for c in await self.page.context.cookies() if c["name"] == "atlas_route_public"), "")

    async def shot(self, name: str) -> str:
        path = self.shots / f"{name}.png"
        await self.page.screenshot(path=str(path))
        return str(path)

    async def switch(self, timeout_ms: int = 60_000) -> float:
        """Choose another indicator; seconds until the map painted it."""
        box = self.page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").filter(
            has=self.page.get_by_test_id("stWidgetLabel").get_by_text("Gösterge", exact=True))
        await box.click()
        options = self.page.locator('[role="option"][aria-selected="false"]')
        await options.first.wait_for()
        t0 = time.monotonic()
        await options.nth(1).click()
        got = await (await self.page.wait_for_function(bl.PAINTED, arg=self.prev, polling=100,
                                                       timeout=timeout_ms)).json_value()
        self.prev = got.get("renderId")
        return time.monotonic() - t0

    async def close(self) -> None:
        if self.browser is not None:
            await self.browser.close()
        if self.pw is not None:
            await self._cm.__aexit__(None, None, None)


# --------------------------------------------------------------------------- drills


async def drill_kill(stack: DrillStack, args, out: Path) -> dict:
    victim_port = stack.ports[0]
    name = f"public-{victim_port}"
    browser = Browser(stack, out)
    await browser.open(replica_port=victim_port)
    shots = [await browser.shot("kill-1-before")]
    pinned = await browser.cookie()
    state: dict = {}

    async def after_kill():
        """What the pinned Chromium page shows: 1 s after the kill, then after two indicator switches
        (the first choice after a move may be lost: the new session starts from the URL)."""
        await asyncio.sleep(1.0)
        shots.append(await browser.shot("kill-2-one-second-after"))
        for n in (1, 2):
            try:
                state[f"browser_switch_{n}_s"] = round(await browser.switch(timeout_ms=20_000), 2)
                state[f"browser_switch_{n}"] = "painted the map of the chosen indicator"
            except Exception as exc:  # noqa: BLE001 - what the page did is the result
                state[f"browser_switch_{n}"] = f"no new map within 20 s ({type(exc).__name__})"
                await browser.page.keyboard.press("Escape")
            shots.append(await browser.shot(f"kill-{2 + n}-after-switch-{n}"))
        state["browser_cookie_after"] = await browser.cookie()

    async def tick(t, pool, interactions):
        if "fault_t" not in state and t >= args.before:
            state["pid"] = stack.pids()[name]
            state["sessions_on_victim"] = sum(1 for s in pool if s.cookie.endswith(f"={victim_port}") and s.ws)
            os.kill(state["pid"], signal.SIGKILL)
            state["fault_t"] = t
            state["fault_wall"] = time.monotonic()
            state["browser_task"] = asyncio.create_task(after_kill())
        if "fault_t" in state and "restarted_s" not in state:
            pid = stack.pids().get(name)
            if pid and pid != state["pid"] and await asyncio.to_thread(
                    bl._health, f"http://127.0.0.1:{victim_port}/_stcore/health"):
                state["restarted_s"] = round(time.monotonic() - state["fault_wall"], 1)

    res = await bl.drive(stack, sessions=args.sessions, minutes=(args.before + args.after) / 60, browsers=0,
                         think=(2.0, 6.0), timeout=30.0, areas=args.areas, seed=1, shots=None, on_tick=tick)
    if "browser_task" in state:
        await asyncio.wait_for(state.pop("browser_task"), 90)
    await browser.close()
    facts = {"replicas": len(stack.ports), "sessions": args.sessions, "killed": f"{name} (SIGKILL, pid {state.get('pid')})",
             "sessions on the killed replica": state.get("sessions_on_victim"),
             **recovery(res, state["fault_t"]),
             "replica restarted and healthy after s": state.get("restarted_s", "not within the drill"),
             "Chromium (pinned to the killed replica): first switch after the kill": state.get("browser_switch_1"),
             "Chromium: second switch": state.get("browser_switch_2"),
             "Chromium switch → painted s (first, second)": (state.get("browser_switch_1_s"),
                                                             state.get("browser_switch_2_s")),
             "Chromium route cookie before → after": f"{pinned} → {state.get('browser_cookie_after')}",
             "Chromium WebSocket events": browser.events[-4:]}
    notes = ["- 1 s after the kill the page still shows the map it had (Streamlit keeps the last view while "
             "it reconnects; screenshot 2).",
             f"- Its first indicator choice after the kill: {state.get('browser_switch_1')}; the second: "
             f"{state.get('browser_switch_2')} (screenshots 3, 4). The page reconnected to the other replica "
             "(the route cookie moved); the new session starts from the URL, so a first choice made while it "
             "reconnects can be lost (docs/deploy.md, 'a replica that dies').",
             "- Protocol sessions on the killed replica lose their WebSocket and connect again through nginx at "
             "once; an interaction in flight at the moment of the kill fails (counted above)."]
    return {"facts": facts, "notes": notes, "shots": shots, "result": res}


async def drill_proxy(stack: DrillStack, args, out: Path) -> dict:
    state: dict = {}
    half = args.after / 2

    async def tick(t, pool, interactions):
        if "reload_t" not in state and t >= args.before:
            proc = await asyncio.to_thread(stack.nginx_signal, "-s", "reload")
            state["reload_t"] = t
            state["reload"] = f"nginx -s reload: exit {proc.returncode} {proc.stderr.strip()[:120]}"
        if "kill_t" not in state and t >= args.before + half:
            master, workers = stack.nginx_pids()
            state["workers_killed"] = len(workers)
            for w in workers:
                try:
                    os.kill(w, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            state["kill_t"] = t
            state["master"] = master

    res = await bl.drive(stack, sessions=args.sessions, minutes=(args.before + args.after) / 60, browsers=0,
                         think=(2.0, 6.0), timeout=30.0, areas=args.areas, seed=2, shots=None, on_tick=tick)
    window = bl.RunResult(res.setup, res.replicas, res.minutes, res.sessions,
                          [i for i in res.interactions if i.t < state["kill_t"] - 0.5],
                          res.samples, res.baseline_rss, res.held_min, None, res.reconnects,
                          [d for d in res.drops if d[1] < state["kill_t"] - 0.5])
    reload = recovery(window, state["reload_t"])
    crash = recovery(res, state["kill_t"])
    facts = {"replicas": len(stack.ports), "sessions": args.sessions, "reload": state.get("reload"),
             **{f"reload: {k}": v for k, v in reload.items()},
             "worker kill": f"{state.get('workers_killed')} nginx workers SIGKILLed (master {state.get('master')} "
                            "starts new ones)",
             **{f"worker kill: {k}": v for k, v in crash.items()},
             "stack still running": res and stack.proc.poll() is None}
    notes = ["- **Reload** (`nginx -s reload`, what `systemctl reload nginx` does): the old workers finish their "
             "open WebSockets, new connections go to the new workers — visitors see nothing.",
             "- **Proxy workers killed** (an nginx crash; the master starts new workers at once): every "
             "WebSocket through them closes; the sessions connect again at once (to the same replica, by "
             "their cookie) and their next action runs (recovery above); an interaction in flight fails. "
             "(No Chromium page in this drill: a browser reconnects the same way as in the kill drill.)",
             "- **Full stop of nginx** under `scripts/serve-prod.sh`: the supervisor stops the whole stack "
             "(atlas/deploy/supervise.py, by design: nothing is served without the proxy), so a full proxy "
             "restart locally is a restart of the stack; on the city's server `systemctl restart nginx` "
             "restarts nginx alone (not drilled here)."]
    return {"facts": facts, "notes": notes, "shots": [], "result": res}


def build_new_db(target: Path, log: Path) -> None:
    env = {**os.environ, "ATLAS_DB": str(target)}
    with log.open("wb") as out:
        subprocess.run([str(bl.PY), "-m", "atlas", "build"], cwd=ROOT, env=env, stdout=out,
                       stderr=subprocess.STDOUT, check=True, timeout=900)


def built_at(db: Path) -> str:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT value FROM build_info WHERE key = 'built_at'").fetchone()[0]
    finally:
        con.close()


async def watch_build(stack: DrillStack, stop: asyncio.Event, seen: list) -> None:
    """Open the indicators page every second on one session; note the build time it shows (as text).
    A failure is noted as a page showing ``"watcher failed: ..."`` and the watcher connects again."""
    while not stop.is_set():
        try:
            await _watch_once(stack, stop, seen)
        except Exception as exc:  # noqa: BLE001 - the watcher reports what went wrong and goes on
            seen.append((time.monotonic(), f"watcher failed: {type(exc).__name__}: {str(exc)[:80]}"))
            await asyncio.sleep(1.0)


async def _watch_once(stack: DrillStack, stop: asyncio.Event, seen: list) -> None:
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    async with websockets.connect(stack.ws_url, subprotocols=["streamlit"], max_size=None,
                                  ssl=stack.ssl_context()) as ws:
        while not stop.is_set():
            msg = BackMsg()
            msg.rerun_script.page_name = "indicators"
            await ws.send(msg.SerializeToString())
            texts = []
            async with asyncio.timeout(30):
                async for frame in ws:
                    fwd = ForwardMsg()
                    fwd.ParseFromString(frame)
                    if fwd.WhichOneof("type") == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                        el = fwd.delta.new_element
                        kind = el.WhichOneof("type")
                        if kind in ("markdown", "text", "caption", "metric"):
                            texts.append(str(getattr(el, kind)))
                    if fwd.WhichOneof("type") == "script_finished" and \
                            fwd.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                        break
            seen.append((time.monotonic(), " ".join(texts)))
            await asyncio.sleep(1.0)


async def drill_publish(stack: DrillStack, args, out: Path) -> dict:
    new_db = args.workdir / "new-build.duckdb"
    old_built, new_built = built_at(args.served_db), built_at(new_db)
    old_stamp, new_stamp = (f"{b[:10]} {b[11:16]}" for b in (old_built, new_built))  # as the page shows it
    state: dict = {}
    seen: list = []
    stop = asyncio.Event()
    watcher = asyncio.create_task(watch_build(stack, stop, seen))

    async def tick(t, pool, interactions):
        if "fault_t" not in state and t >= args.before:
            state["fault_t"] = t
            state["fault_wall"] = time.monotonic()
            proc = await asyncio.create_subprocess_exec(
                str(bl.PY), "-m", "atlas.deploy", "publish", str(new_db), "--db", str(args.served_db), cwd=ROOT,
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
            text, _ = await proc.communicate()
            state["publish_s"] = round(time.monotonic() - state["fault_wall"], 1)
            state["publish_rc"] = proc.returncode
            state["publish_out"] = text.decode(errors="replace").strip().splitlines()[-3:]

    res = await bl.drive(stack, sessions=args.sessions, minutes=(args.before + args.after) / 60, browsers=0,
                         think=(2.0, 6.0), timeout=30.0, areas=args.areas, seed=3, shots=None, on_tick=tick)
    stop.set()
    await asyncio.wait_for(watcher, 40)
    fault = state["fault_wall"]
    shows_old = [t for t, text in seen if old_built in text or old_stamp in text]
    shows_new = [t for t, text in seen if new_built in text or new_stamp in text]
    first_new = min((t for t in shows_new if t >= fault), default=None)
    old_after = [t for t in shows_old if first_new and t > first_new]
    watcher_failures = [text for _, text in seen if text.startswith("watcher failed")]
    leftovers = [p.name for p in args.served_db.parent.iterdir() if p.name != args.served_db.name]
    facts = {"replicas": len(stack.ports), "sessions": args.sessions,
             "published": f"{new_db.name} (a fresh `python -m atlas build`, built_at {new_built}) over the served copy "
                          f"(built_at {old_built})",
             "publish exit status": state.get("publish_rc"), "publish took s": state.get("publish_s"),
             "publish output (last lines)": state.get("publish_out"),
             **recovery(res, state["fault_t"]),
             "served file's build time after": built_at(args.served_db),
             "watcher: pages before the publish showing the old build time": len([t for t in shows_old if t < fault]),
             "watcher: first page with the new build time, s after the publish began":
                 None if first_new is None else round(first_new - fault, 1),
             "watcher: pages showing the old build time after the new one was seen": len(old_after),
             "watcher failures": watcher_failures[:3] or "none",
             "temporary files left beside the database": leftovers or "none"}
    notes = ["- Sessions go on without an error while the file is copied, checked and renamed over the served one; "
             "each session's next rerun reads the new database (the indicators page shows the new build time).",
             "- No interaction failed or showed an error during the swap, and no temporary file was left: the "
             "served path held the old complete file until the rename, then the new one. The latency after the "
             "publish is higher (p95 above): every cache of the replicas is keyed by the file's signature, so each "
             "view is built again once."]
    return {"facts": facts, "notes": notes, "shots": [], "result": res}


async def drill_disk(stack: DrillStack, args, out: Path) -> dict:
    tmp = args.tmpdir
    browser = Browser(stack, out)
    await browser.open(downloads=True)
    page = browser.page
    shots = []
    facts = {"replicas": len(stack.ports), "temporary folder of the replicas": f"{tmp} ({args.fs_kind}, "
             f"{TMPFS_MB} MB)" if args.fs_kind == "tmpfs" else str(tmp)}
    try:
        await page.get_by_text("Dışa aktar / Export").first.click()
        await page.get_by_role("button", name="Veri paketi", exact=False).first.wait_for(timeout=90_000)
        # one data package before the disk fills: the replica has used its temporary folder (Python
        # keeps the folder it found first; a full folder found at the first use would be skipped)
        async with page.expect_download(timeout=45_000) as dl:
            await page.get_by_role("button", name="Veri paketi", exact=False).first.click()
        facts["download zip before the fill"] = f"downloaded {(await (await dl.value).path()).stat().st_size:,} bytes"
        facts["filled"] = fill(tmp, args.fs_kind)
        shots.append(await browser.shot("disk-1-export-panel"))
        for label, key in (("Veri paketi", "zip"), ("Veri (CSV)", "csv")):
            button = page.get_by_role("button", name=label, exact=False).first
            try:
                async with page.expect_download(timeout=45_000) as dl:
                    await button.click()
                d = await dl.value
                target = out / f"disk-download.{key}"
                await d.save_as(str(target))
                facts[f"download {key}"] = f"downloaded {target.stat().st_size:,} bytes"
            except Exception as exc:  # noqa: BLE001 - no download is the result to report
                facts[f"download {key}"] = f"no download ({type(exc).__name__})"
            await page.wait_for_timeout(1500)
            shots.append(await browser.shot(f"disk-2-after-{key}"))
            body = await page.locator("body").inner_text()
            alerts = [line for line in body.splitlines() if any(w in line.lower() for w in
                                                                 ("error", "hata", "failed", "başarısız", "traceback"))]
            facts[f"page text after {key} (error lines)"] = alerts[:4] or "none"
        logs = "\n".join(stack.replica_log(p) for p in stack.ports)
        facts["replica logs: tracebacks"] = logs.count("Traceback")
        facts["replica logs: 'No space left'"] = logs.count("No space left")
        # the command-line export onto the full file system
        cli = subprocess.run([str(bl.PY), "-m", "atlas", "export", "--indicator", "pop_density", "--level", "district",
                              "--db", str(args.served_db), "--out", str(tmp / "export.pdf")], cwd=ROOT,
                             capture_output=True, text=True, timeout=300)
        facts["CLI export to the full folder: exit status"] = cli.returncode
        facts["CLI export: message"] = (cli.stderr.strip() or cli.stdout.strip())[-400:].replace("\n", " ⏎ ")
        facts["CLI export: traceback"] = "Traceback" in cli.stderr
    finally:
        unfill(tmp, args.fs_kind)
        await browser.close()
    notes = [f"- Data package (zip, needs the temporary folder for its GeoPackage): {facts.get('download zip')}; "
             f"error lines on the page afterwards: {facts.get('page text after zip (error lines)')} "
             "(screenshot 'after-zip'); the replica logs the failure "
             f"({facts.get('replica logs: tracebacks')} traceback(s) in the replica logs, not shown to the visitor).",
             f"- Data (CSV, made in memory): {facts.get('download csv')}.",
             f"- Command-line export onto the full folder: exit status "
             f"{facts.get('CLI export to the full folder: exit status')}, message: "
             f"{facts.get('CLI export: message')!r}; traceback: {facts.get('CLI export: traceback')}."]
    return {"facts": facts, "notes": notes, "shots": shots, "result": None}


TITLES = {"kill": "kill a replica under load", "proxy": "reload and crash the proxy under load",
          "publish": "publish a new database under load", "disk": "a full disk where exports are written"}
RUNNERS = {"kill": drill_kill, "proxy": drill_proxy, "publish": drill_publish, "disk": drill_disk}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--only", nargs="+", choices=DRILLS, default=list(DRILLS))
    p.add_argument("--sessions", type=int, default=30)
    p.add_argument("--before", type=float, default=40.0, help="seconds of load before the failure")
    p.add_argument("--after", type=float, default=60.0, help="seconds of load after it")
    p.add_argument("--db", type=Path, help="database to copy and serve (default ATLAS_DB or geodata/atlas.duckdb)")
    p.add_argument("--out", type=Path, default=ROOT / "test-artifacts" / "drills")
    args = p.parse_args(argv)
    try:
        bl.bounded(args.sessions, (args.before + args.after) / 60, 0)
    except ValueError as exc:
        p.error(str(exc))
    sys.path.insert(0, str(ROOT))
    from atlas.config import db_path

    args.out.mkdir(parents=True, exist_ok=True)
    args.workdir = Path(tempfile.mkdtemp(prefix="atlas-drills-"))
    source = db_path(args.db).resolve()
    args.served_db = args.workdir / "served" / "atlas.duckdb"
    args.served_db.parent.mkdir()
    shutil.copy2(source, args.served_db)
    args.areas = bl.area_codes(args.served_db)
    if "publish" in args.only:
        print("drills: building a new database for the publish drill (python -m atlas build) …", flush=True)
        build_new_db(args.workdir / "new-build.duckdb", args.out / "publish-build.log")
    args.tmpdir = args.workdir / "tmp"
    args.fs_kind = small_fs(args.tmpdir)
    stack = DrillStack(2, env_extra={"ATLAS_DB": str(args.served_db), "TMPDIR": str(args.tmpdir)})
    status = 0
    try:
        print("drills: starting the stack (2 replicas) …", flush=True)
        stack.start(args.workdir)
        for name in args.only:
            print(f"drills: {name} …", flush=True)
            done = asyncio.run(RUNNERS[name](stack, args, args.out))
            (args.out / f"{name}.md").write_text(md_summary(name, TITLES[name], done["facts"], done["notes"],
                                                            done["shots"]), encoding="utf-8")
            (args.out / f"{name}.json").write_text(json.dumps(done["facts"], indent=1, default=str), encoding="utf-8")
            print(f"drills: {name}: " + json.dumps(done["facts"], default=str)[:1500], flush=True)
            if stack.proc.poll() is not None:
                print("drills: the stack stopped; starting it again for the next drill", flush=True)
                stack.start(args.workdir)
            if name == "kill":
                time.sleep(5)
    finally:
        stack.stop()
        if args.fs_kind == "tmpfs":
            subprocess.run(["umount", str(args.tmpdir)], check=False)
        shutil.copyfile(stack.log, args.out / "serve-prod.log")
    return status


if __name__ == "__main__":
    sys.exit(main())
