"""The production stack in a real browser (issue #21): nginx + 2 public replicas + 1 editor replica,
started by ``scripts/serve-prod.sh``, one Chromium session over HTTPS and secure WebSockets.

Needs nginx (``scripts/setup.sh --prod``; ``scripts/test.sh`` installs it). The stack gets its own
free ports on 127.0.0.1 and its own run directory, and is stopped at the end of the module.
A later load test (bench/bench_load.py) and failure drills can start the stack the same way
(:func:`prod_stack`).
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from base64 import b64encode
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import ARTIFACTS, ROOT

pytestmark = pytest.mark.browser

NGINX = Path("/usr/sbin/nginx")
START_TIMEOUT_S = 120
LOCAL_SCHEMES = {"data", "blob", "about"}
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _ports() -> tuple[int, int, int]:
    """(https, http, base): two proxy ports and a base with base, base+1 and base+200 free."""
    for base in range(24511, 60000, 317):
        wanted = (base + 7, base + 8, base, base + 1, base + 200)
        if all(_port_free(p) for p in wanted):
            return base + 7, base + 8, base
    pytest.fail("no free ports for the stack on 127.0.0.1")


def _insecure() -> ssl.SSLContext:
    ctx = ssl.create_default_context()
    ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE
    return ctx


def _status(url: str, headers: dict[str, str] | None = None) -> int:
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=5, context=_insecure() if url.startswith("https") else None) as r:
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code


@dataclass
class Stack:
    url: str
    run_dir: Path
    replica_ports: tuple[int, ...]
    editor_port: int
    editor_password: str
    log: Path
    proc: subprocess.Popen

    def pids(self) -> dict[str, int]:
        """The latest pid of each replica, from the supervisor's output."""
        found = re.findall(r"(?:started|restarted) (\w+-\d+) \(pid (\d+)", self.log.read_text(errors="replace"))
        return {name: int(pid) for name, pid in found}


def _wait(predicate, what: str, stack_log: Path, proc: subprocess.Popen, timeout: float = START_TIMEOUT_S):
    deadline = time.monotonic() + timeout
    while not predicate():
        if proc.poll() is not None:
            pytest.fail(f"serve-prod.sh exited ({proc.returncode}) before {what}:\n{stack_log.read_text(errors='replace')}")
        if time.monotonic() > deadline:
            pytest.fail(f"{what} did not happen within {timeout:.0f} s:\n{stack_log.read_text(errors='replace')}")
        time.sleep(0.3)


@pytest.fixture(scope="module")
def prod_stack(app_db, tmp_path_factory):
    if not NGINX.is_file():
        pytest.fail("nginx is missing: run `scripts/setup.sh --prod` (scripts/test.sh does)")
    https, http_port, base = _ports()
    run_dir = tmp_path_factory.mktemp("prod-run")
    log = run_dir.parent / "serve-prod.log"
    env = {**os.environ, "ATLAS_DB": str(app_db), "ATLAS_RUN_DIR": str(run_dir), "ATLAS_WARMUP": "off"}
    cmd = ["bash", "scripts/serve-prod.sh", "--no-setup", "--https-port", str(https), "--http-port", str(http_port),
           "--base-port", str(base), "--public", "2", "--kiosk", "0", "--editor", "1"]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    stack = Stack(f"https://127.0.0.1:{https}", run_dir, (base, base + 1), base + 200, "", log, proc)
    try:
        def healthy() -> bool:
            return all(_status(f"http://127.0.0.1:{p}/_stcore/health") == 200 for p in stack.replica_ports) \
                and _status(f"http://127.0.0.1:{stack.editor_port}/editor/_stcore/health") == 200 \
                and _status(f"{stack.url}/_stcore/health") == 200

        def _quiet_healthy() -> bool:
            try:
                return healthy()
            except (urllib.error.URLError, ConnectionError, TimeoutError, ssl.SSLError):
                return False

        _wait(_quiet_healthy, "every replica and the proxy answered /_stcore/health", log, proc)
        match = re.search(r"password '([^']+)'", log.read_text(errors="replace"))
        assert match, log.read_text(errors="replace")
        stack.editor_password = match.group(1)
        yield stack
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)  # bash passes it on; the supervisor stops nginx and replicas
            try:
                proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        text = log.read_text(errors="replace")
        assert "serve-prod: stopped" in text, text


@pytest.fixture
def https_page(browser, request, prod_stack):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, ignore_https_errors=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        yield page
    finally:
        failed = getattr(getattr(request.node, "rep_call", None), "failed", False)
        if failed:  # the screenshot, the supervisor's output and nginx's access log
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "prod_stack.png"), full_page=True)
            shutil.copyfile(prod_stack.log, ARTIFACTS / "prod_stack.serve-prod.log")
            shutil.copyfile(prod_stack.run_dir / "access.log", ARTIFACTS / "prod_stack.access.log")
        context.close()


def test_map_paints_over_https_through_the_proxy(prod_stack, https_page):
    page = https_page
    requests: list[str] = []
    sockets: list[str] = []
    console: list[str] = []
    page.context.on("request", lambda r: requests.append(r.url))
    page.on("websocket", lambda ws: sockets.append(ws.url))
    page.on("console", lambda m: console.append(m.text))
    response = page.goto(prod_stack.url + "/")
    assert response is not None and response.status == 200
    headers = response.headers
    assert "frame-ancestors 'self'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "SAMEORIGIN"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["server"] == "nginx"  # no version
    page.frame_locator(MAP_FRAME).locator("path.leaflet-interactive").first.wait_for()

    # Secure WebSocket through the proxy, and no request leaves 127.0.0.1 (offline map, no CDN).
    assert sockets and all(s == f"wss://127.0.0.1:{urlsplit(prod_stack.url).port}/_stcore/stream" for s in sockets)
    outside = [u for u in requests if urlsplit(u).scheme not in LOCAL_SCHEMES
               and urlsplit(u).netloc != urlsplit(prod_stack.url).netloc]
    assert outside == []
    violations = [m for m in console if "Content Security Policy" in m or "Refused to" in m]
    assert violations == []

    # Sticky: every request of this browser (pages, scripts, the WebSocket) reached one replica.
    # nginx logs a WebSocket when it closes: leave the page first.
    cookie = next(c["value"] for c in page.context.cookies() if c["name"] == "atlas_route_public")
    page.goto("about:blank")

    def lines() -> list[str]:
        return [line for line in (prod_stack.run_dir / "access.log").read_text().splitlines()
                if f"route={cookie}" in line]

    deadline = time.monotonic() + 10
    while not any("/_stcore/stream" in line and " 101 " in line for line in lines()):
        assert time.monotonic() < deadline, "the WebSocket (101) never appeared in the access log:\n" + "\n".join(lines())
        time.sleep(0.2)
    upstreams = {re.search(r"upstream=(\S+)", line).group(1) for line in lines()}
    assert len(lines()) > 10 and len(upstreams) == 1, upstreams


def test_editor_refuses_anonymous_requests(prod_stack):
    assert _status(f"{prod_stack.url}/editor/") == 401
    assert _status(f"{prod_stack.url}/editor/", {"X-Atlas-User": "admin"}) == 401
    auth = "Basic " + b64encode(f"editor:{prod_stack.editor_password}".encode()).decode()
    assert _status(f"{prod_stack.url}/editor/", {"Authorization": auth}) == 200
    # Plain HTTP only redirects to HTTPS.
    conn = http.client.HTTPConnection("127.0.0.1", urlsplit(prod_stack.url).port + 1, timeout=5)
    try:
        conn.request("GET", "/editor/")
        resp = conn.getresponse()
        assert resp.status == 301 and resp.getheader("Location") == f"{prod_stack.url}/editor/"
    finally:
        conn.close()


def test_a_killed_replica_is_restarted_and_the_browser_moves(prod_stack, https_page):
    """Kill the replica a browser is on: the page opens a new WebSocket through the proxy at once
    (answered by the other replica; the cookie follows), the visitor's next action runs there and
    paints the map, and the supervisor starts the killed replica again."""
    page = https_page
    page.goto(prod_stack.url + "/")
    page.frame_locator(MAP_FRAME).locator("path.leaflet-interactive").first.wait_for()
    port = int(next(c["value"] for c in page.context.cookies() if c["name"] == "atlas_route_public"))
    assert port in prod_stack.replica_ports
    other = next(p for p in prod_stack.replica_ports if p != port)
    name = f"public-{port}"
    before = prod_stack.pids()[name]
    opened: list[str] = []
    received: list[int] = []  # bytes per frame on WebSockets opened after the kill

    def on_socket(ws):
        opened.append(ws.url)
        ws.on("framereceived", lambda payload: received.append(len(payload)))

    page.on("websocket", on_socket)
    os.kill(before, signal.SIGKILL)
    deadline = time.monotonic() + 60
    while not opened:
        assert time.monotonic() < deadline, "the page opened no new WebSocket after its replica was killed"
        page.wait_for_timeout(100)
    # Streamlit reruns on the visitor's next action (a reconnected page waits for one). The new
    # session starts from the URL, so what the click chose may be reset; what matters is that the
    # whole script runs on the other replica and the page receives it.
    page.get_by_text("mahalle", exact=True).first.click()
    deadline = time.monotonic() + 60
    while len(received) < 10:
        assert time.monotonic() < deadline, f"the reconnected page got {len(received)} messages after a click"
        page.wait_for_timeout(250)
    page.frame_locator(MAP_FRAME).locator("path.leaflet-interactive").first.wait_for()
    assert {c["name"]: c["value"] for c in page.context.cookies()}["atlas_route_public"] == str(other)

    def restarted() -> bool:
        try:
            return prod_stack.pids()[name] != before and \
                _status(f"http://127.0.0.1:{port}/_stcore/health") == 200
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return False

    _wait(restarted, f"{name} was restarted", prod_stack.log, prod_stack.proc, timeout=90)
