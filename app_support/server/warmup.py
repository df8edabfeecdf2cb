"""Open the app once, headless, as soon as the server answers, so the first visitor finds it warm.

Streamlit runs a page only when a browser connects. The first visit after a start therefore pays
for everything a later visit finds ready: importing the page modules (streamlit-folium, the page
glue), opening the database, and filling the caches of the default view — the map view, the
geometry file, the payload, the search list. With 30,000 areas that is about two seconds
(bench/bench_map.py, "cold"). ``warm`` speaks to the server the way a browser tab does — one
websocket session per query string, a ``rerun_script`` message, wait for the script to finish,
close — so every cache it fills is the one a visitor's session reads. Nothing is shown, written
or changed that a visitor's own first open would not have done.

:func:`warm_when_ready` is started by ``app_support.server.serve`` in a background thread. The query
strings come from ``ATLAS_WARMUP``: unset = :data:`DEFAULT_QUERIES`, ``off`` = none, otherwise
query strings separated by ``|`` (e.g. ``indicator=pop_total&level=mahalle|lang=en``; an empty
string is the front page alone, as ``scripts/kiosk.sh`` sets it). A visitor who arrives while
it runs is served as without it (the caches fill once, whoever asks first); the server's log says
when it is done ("atlas: ready at …").
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

#: The default view at each level (the app picks the indicator and period).
DEFAULT_QUERIES = ("", "level=mahalle")
ENV = "ATLAS_WARMUP"


@dataclass(frozen=True)
class Warmed:
    query: str
    seconds: float
    outcome: str  # 'finished', or what went wrong


def queries_from_env(value: str | None) -> tuple[str, ...]:
    """The query strings to warm, from the value of ``ATLAS_WARMUP`` (see the module docstring)."""
    if value is None:
        return DEFAULT_QUERIES
    if value.strip().lower() in ("off", "0", "no", "false"):
        return ()
    return tuple(q.strip().lstrip("?") for q in value.split("|"))


def server_url() -> str:
    """``host:port/base`` of the running server, from Streamlit's configuration (loaded by then)."""
    from streamlit import config

    host = config.get_option("server.address") or "127.0.0.1"
    if host in ("0.0.0.0", "::"):
        host = "127.0.0.1"
    base = (config.get_option("server.baseUrlPath") or "").strip("/")
    return f"{host}:{config.get_option('server.port')}" + (f"/{base}" if base else "")


def wait_healthy(url: str, timeout: float) -> bool:
    """Poll ``/_stcore/health`` until it answers 200 (True) or ``timeout`` seconds pass (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return True
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    return False


async def _open_once(url: str, query: str, timeout: float) -> str:
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = BackMsg()
    msg.rerun_script.query_string = query
    msg.rerun_script.page_script_hash = ""
    error = None  # the first exception the page showed
    async with websockets.connect(f"ws://{url}/_stcore/stream", subprotocols=["streamlit"], max_size=None,
                                  open_timeout=timeout) as ws:
        await ws.send(msg.SerializeToString())
        async with asyncio.timeout(timeout):
            async for frame in ws:
                fwd = ForwardMsg()
                fwd.ParseFromString(frame)
                kind = fwd.WhichOneof("type")
                if (kind == "delta" and fwd.delta.WhichOneof("type") == "new_element"
                        and fwd.delta.new_element.WhichOneof("type") == "exception" and error is None):
                    exc = fwd.delta.new_element.exception
                    # With client.showErrorDetails = "none" (every configuration of the atlas) the
                    # browser gets no type or text; Streamlit logs the traceback on the server.
                    error = (f"{exc.type}: {exc.message}" if exc.type
                             else "details are hidden from visitors; the traceback is in this log")
                if kind != "script_finished":
                    continue
                if fwd.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
                    return "finished" if error is None else f"finished, but the page showed an error: {error}"
                if fwd.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:  # (a rerun follows: wait for it)
                    return f"script ended: {ForwardMsg.ScriptFinishedStatus.Name(fwd.script_finished)}"
    return "connection closed before the script finished"


def warm(url: str, queries: tuple[str, ...], timeout: float = 120.0) -> list[Warmed]:
    """Open the app at ``url`` once per query string, one after the other."""
    out = []
    for query in queries:
        t0 = time.perf_counter()
        try:
            outcome = asyncio.run(_open_once(url, query, timeout))
        except (OSError, TimeoutError, ValueError) as exc:  # refused, timed out, or a bad handshake
            outcome = f"{type(exc).__name__}: {exc}"
        out.append(Warmed(query, time.perf_counter() - t0, outcome))
    return out


def warm_when_ready(queries: tuple[str, ...], start_timeout: float = 120.0) -> list[Warmed]:
    """Wait for the runtime and for the server to answer, then :func:`warm`; say what happened on
    stderr (one line per query string, in the server's log)."""
    from streamlit.runtime import Runtime

    if not queries:
        return []
    deadline = time.monotonic() + start_timeout
    while not Runtime.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    url = server_url()
    if not wait_healthy(url, max(deadline - time.monotonic(), 1.0)):
        print(f"atlas warm-up: the server at {url} did not answer within {start_timeout:.0f} s; "
              "nothing warmed", file=sys.stderr, flush=True)
        return []
    done = warm(url, queries)
    for w in done:
        print(f"atlas warm-up: ?{w.query} {w.outcome} in {w.seconds:.2f} s", file=sys.stderr, flush=True)
    print(f"atlas: ready at http://{url} (first views prepared in {sum(w.seconds for w in done):.1f} s)",
          file=sys.stderr, flush=True)
    return done


def main() -> None:
    """The entry point of serve's warm-up thread."""
    warm_when_ready(queries_from_env(os.environ.get(ENV)))
