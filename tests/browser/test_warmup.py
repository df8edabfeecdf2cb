"""app_support.server.warmup: the server opens the app once per default view as soon as it answers, so the
first visitor finds it warm, and says in its log what happened (no browser is needed for that; it
lives here because it starts real servers, like the browser tests)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.browser.conftest import serve_app, serve_script

pytestmark = pytest.mark.browser

READY_TIMEOUT_S = 180


def _wait_for_ready(log_path: Path) -> list[str]:
    """The warm-up lines of the server's log once it says it is ready (polls the log)."""
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        lines = [ln for ln in log_path.read_text(errors="replace").splitlines() if ln.startswith("atlas")]
        if any(ln.startswith("atlas: ready at http://127.0.0.1:") for ln in lines):
            return lines
        time.sleep(0.2)
    pytest.fail(f"no 'atlas: ready' within {READY_TIMEOUT_S} s; log:\n{log_path.read_text(errors='replace')}")


def test_the_default_views_are_prepared_after_a_start(app_db, tmp_path):
    log_path = tmp_path / "server.log"
    with serve_app(app_db, log_path):
        lines = _wait_for_ready(log_path)
    warmed = [ln for ln in lines if ln.startswith("atlas warm-up:")]
    assert len(warmed) == 2, lines
    assert warmed[0].startswith("atlas warm-up: ? finished in "), warmed  # the front page: district map
    assert warmed[1].startswith("atlas warm-up: ?level=mahalle finished in "), warmed
    assert "Traceback" not in log_path.read_text(errors="replace")


def test_an_error_on_the_page_is_named_in_the_log(tmp_path):
    script = tmp_path / "broken_app.py"
    script.write_text("import streamlit as st\nst.title('x')\nraise ValueError('the warm-up saw this')\n")
    log_path = tmp_path / "server.log"
    with serve_script(script, {**os.environ, "ATLAS_WARMUP": "a=1"}, log_path):
        lines = _wait_for_ready(log_path)
    # Visitors never see error details (client.showErrorDetails = "none", issue #16), so the warm-up
    # line says where to look, and the server's log holds the traceback with the exception's text.
    assert ("atlas warm-up: ?a=1 finished, but the page showed an error: details are hidden from visitors; "
            "the traceback is in this log in ") in "\n".join(lines), lines
    log = log_path.read_text(errors="replace")  # (Streamlit may colour it with rich: check the parts)
    assert "ValueError" in log and "the warm-up saw this" in log, log
