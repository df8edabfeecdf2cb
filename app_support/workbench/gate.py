"""Who may use the data workbench: the editor gate.

* ``editor_instance()`` — True when this server is an editor (``ATLAS_EDITOR=1``, set by
  ``./scripts/start.sh --editor`` and by ``atlas.deploy.stack`` for editor replicas) and not a kiosk.
  Without it the page is not even registered (``atlas_app.py``).
* ``current_user()`` — the signed-in editor, or None:
  - **proxy mode** (a proxy secret is configured, ``ATLAS_PROXY_SECRET_FILE``): the name the reverse
    proxy signed in (``app_support.server.identity.editor_user``, trusted only from the proxy);
    the atlas shows no sign-in form of its own;
  - **password mode** (``ATLAS_EDITOR_PASSWORD_HASH`` or ``…_HASH_FILE``, made by ``python -m
    atlas.workbench hash-password``): the name given with the right password in this session.
    The password is checked in constant time against a salted scrypt hash; each failed attempt
    delays the answer, more with every failure of the session and of the whole process.
  - neither configured: nobody can sign in (the page says how to configure it).
* ``require_user()`` — the user, or PermissionError: called again right before publish and rollback.

The signed-in name lives in session state under a key no widget has, so the browser cannot set it.
"""

from __future__ import annotations

import os
import re
import threading
import time

import streamlit as st

from atlas.deploy.stack import EDITOR_ENV, SECRET_FILE_ENV
from atlas.i18n import gettext
from atlas.workbench.password import PasswordConfigError, configured_hash, verify_password

from ..chrome.page import kiosk_server

USER_KEY = "_wb_signed_in_user"  # no widget has this key
FAILS_KEY = "_wb_failed_sign_ins"
PROBLEM_KEY = "_wb_sign_in_problem"
_NAME = re.compile(r"^[A-Za-z0-9._@-]{1,64}$")
BASE_DELAY_S = 1.0  # after the first failure; doubles with each failure, up to MAX_DELAY_S
MAX_DELAY_S = 30.0
PROCESS_WINDOW_S = 900.0  # failures of the whole process counted over the last 15 minutes


class _ProcessFailures:
    """Failed sign-ins of the whole server process (every session), for the growing delay."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._times: list[float] = []

    def add(self) -> None:
        with self._lock:
            self._times.append(time.monotonic())

    def recent(self) -> int:
        now = time.monotonic()
        with self._lock:
            self._times = [t for t in self._times if now - t < PROCESS_WINDOW_S]
            return len(self._times)


PROCESS_FAILURES = _ProcessFailures()


def editor_instance() -> bool:
    """True on an editor server (``ATLAS_EDITOR`` is 1/true/yes/on) that is not a kiosk."""
    return os.environ.get(EDITOR_ENV, "").strip().lower() in ("1", "true", "yes", "on") and not kiosk_server()


def proxy_mode() -> bool:
    """True when the proxy signs editors in (a proxy secret file is configured)."""
    return bool(os.environ.get(SECRET_FILE_ENV))


def current_user() -> str | None:
    """The signed-in editor's name, or None (see the module docstring)."""
    if not editor_instance():
        return None
    if proxy_mode():
        from ..server.identity import editor_user

        return editor_user()
    user = st.session_state.get(USER_KEY)
    return user if isinstance(user, str) and _NAME.match(user) else None


def require_user() -> str:
    """The signed-in editor's name; PermissionError when nobody is (checked right before any change)."""
    user = current_user()
    if user is None:
        raise PermissionError("no editor is signed in; sign in before publishing or restoring data")
    return user


def failure_delay(session_failures: int, process_failures: int) -> float:
    """Seconds to wait before answering a failed attempt: 1 s, doubling with each failure of the
    session (and with every ten failures of the process in the last 15 minutes), at most 30 s."""
    steps = max(session_failures - 1, 0) + process_failures // 10
    return min(MAX_DELAY_S, BASE_DELAY_S * 2 ** min(steps, 10))


def sign_in(name: str, password: str, *, sleep=time.sleep) -> bool:
    """Check ``password`` against the configured hash; on success the session is signed in as ``name``."""
    stored = configured_hash()
    if stored is None:
        return False
    if _NAME.match(name or "") and verify_password(password, stored):
        st.session_state[USER_KEY] = name
        st.session_state[FAILS_KEY] = 0
        return True
    fails = int(st.session_state.get(FAILS_KEY, 0)) + 1
    st.session_state[FAILS_KEY] = fails
    PROCESS_FAILURES.add()
    sleep(failure_delay(fails, PROCESS_FAILURES.recent()))
    return False


def sign_out() -> None:
    st.session_state.pop(USER_KEY, None)


def gate(lang: str) -> str | None:
    """The signed-in editor, or None after drawing what lets one sign in (a form, or where to)."""
    user = current_user()
    if user is not None:
        return user
    if proxy_mode():
        st.warning(gettext("Sign in through the city's sign-in page: open the editor at its address "
                           "behind the proxy (…/editor/). This page does not accept passwords itself.", lang))
        return None
    try:
        stored = configured_hash()
    except PasswordConfigError as exc:
        st.error(gettext("The editor's password is not configured correctly: {problem}", lang,
                         problem=str(exc)))
        return None
    if stored is None:
        st.warning(gettext("No editor sign-in is configured. Run the editor behind the proxy, or set "
                           "ATLAS_EDITOR_PASSWORD_HASH to the line `python -m atlas.workbench hash-password` "
                           "prints, and restart it.", lang))
        return None
    st.subheader(gettext("Sign in", lang))
    st.text_input(gettext("Your name (shown in the version history)", lang), key="wb_name", max_chars=64)
    st.text_input(gettext("Password", lang), type="password", key="wb_password", max_chars=256)
    # a callback: it runs before the script, so the click is never lost to a rerun
    st.button(gettext("Sign in", lang), key="wb_sign_in", type="primary", on_click=_sign_in_clicked)
    problem = st.session_state.pop(PROBLEM_KEY, None)
    if problem == "name":
        st.error(gettext("The name may hold 1–64 letters, digits and . _ @ - (no spaces).", lang))
    elif problem == "wrong":
        st.error(gettext("Wrong name or password. Each failed attempt makes the next answer slower.", lang))
    return None


def _sign_in_clicked() -> None:
    name = str(st.session_state.get("wb_name") or "").strip()
    password = str(st.session_state.get("wb_password") or "")
    st.session_state["wb_password"] = ""  # the password is not kept in the session
    if not _NAME.match(name):
        st.session_state[PROBLEM_KEY] = "name"
    elif not sign_in(name, password):
        st.session_state[PROBLEM_KEY] = "wrong"
