"""Browser tests: the real app served by ``streamlit run``, driven by Playwright in Debian's Chromium.

Fixtures
* ``app_db``        the database the app serves (session): the real build from the source data.
* ``app_url``       starts ``streamlit run atlas_app.py`` on 127.0.0.1 and a free port, waits for
                    ``/_stcore/health``, stops the server at the end of the session
                    (``serve_app`` does the same for a test that needs a fresh server;
                    ``serve_script`` serves any Streamlit script the same way).
* ``browser``       headless /usr/bin/chromium (never ``playwright install``).
* ``page``          a fresh context and page per test; on failure a screenshot (and the server log)
                    is saved in ``test-artifacts/``.
* ``page_requests`` every URL the page requests (HTTP and WebSocket), in order.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from contextlib import contextmanager

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from playwright.sync_api import Error as PlaywrightError

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
SERVER_START_TIMEOUT_S = 60
PAGE_TIMEOUT_MS = 20_000


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item (``item.rep_setup`` / ``rep_call``) for the fixtures."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_healthy(url: str, proc: subprocess.Popen, log_path: Path, timeout_s: float) -> None:
    """Poll ``/_stcore/health`` until it answers 200, the server exits, or the deadline passes."""
    deadline = time.monotonic() + timeout_s
    health = f"{url}/_stcore/health"
    last_error = "no answer yet"
    while True:
        try:
            with urllib.request.urlopen(health, timeout=2) as response:
                if response.status == 200:
                    return
                last_error = f"HTTP {response.status}"
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
            last_error = str(exc)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            pytest.fail(f"streamlit did not answer {health} within {timeout_s} s ({last_error}).\n"
                        f"Server log:\n{log_path.read_text(errors='replace')}")
        try:  # waiting on the process doubles as the pause between polls and notices a crash
            code = proc.wait(timeout=min(0.25, remaining))
        except subprocess.TimeoutExpired:
            continue
        pytest.fail(f"streamlit exited with code {code} before answering {health}.\n"
                    f"Server log:\n{log_path.read_text(errors='replace')}")


@pytest.fixture(scope="session")
def app_db(real_db) -> Path:
    """The database the app under test serves: the real build (tests/conftest.py ``real_db``)."""
    return real_db


@pytest.fixture(scope="session")
def server_log(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("streamlit") / "streamlit.log"


@contextmanager
def serve_script(script: str | Path, env: dict[str, str], log_path: Path):
    """Serve a Streamlit script on 127.0.0.1 (a free port); yields the base URL, stops after.

    Runs from the repository root (its ``.streamlit/config.toml`` applies) with exactly ``env``;
    ``script`` is relative to the root or absolute. Static files are served from ``static/``
    beside the script. The server's output goes to ``log_path``.
    """
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    cmd = [
        sys.executable, "-m", "app_support.server.serve", str(script),  # `streamlit run` with the preload of start.sh
        "--server.address", "127.0.0.1",
        "--server.port", str(port),
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]
    with log_path.open("wb") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_until_healthy(url, proc, log_path, SERVER_START_TIMEOUT_S)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@contextmanager
def serve_app(db: Path, log_path: Path):
    """Serve atlas_app.py on 127.0.0.1 (a free port) with ``db``; yields the base URL, stops after."""
    with serve_script("atlas_app.py", {**os.environ, "ATLAS_DB": str(db)}, log_path) as url:
        yield url


@pytest.fixture(scope="session")
def app_url(app_db, server_log):
    """The app served for the whole test session; yields its base URL."""
    with serve_app(app_db, server_log) as url:
        yield url


@pytest.fixture(scope="session")
def browser(tmp_path_factory) -> Browser:
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: run `scripts/setup.sh --browser` "
                    "(it installs Debian's chromium; never `playwright install`).")
    xdg = tmp_path_factory.mktemp("chromium-xdg")
    env = {**os.environ, "XDG_CONFIG_HOME": str(xdg / "config"), "XDG_CACHE_HOME": str(xdg / "cache")}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                    args=CHROMIUM_ARGS, env=env)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser, request, server_log) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    try:
        yield page
    finally:
        failed = any(getattr(getattr(request.node, f"rep_{when}", None), "failed", False)
                     for when in ("setup", "call"))
        if failed:
            ARTIFACTS.mkdir(exist_ok=True)
            name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)
            try:
                page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
            except PlaywrightError as exc:  # the page may be gone; the log below still helps
                print(f"screenshot failed: {exc}")
            if server_log.is_file():
                shutil.copyfile(server_log, ARTIFACTS / f"{name}.streamlit.log")
        context.close()


@pytest.fixture
def page_requests(page) -> list[str]:
    """Every URL the page's context requests (HTTP(S) and WebSocket), recorded from now on."""
    urls: list[str] = []
    page.context.on("request", lambda req: urls.append(req.url))
    page.on("websocket", lambda ws: urls.append(ws.url))
    return urls
