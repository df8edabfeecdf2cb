"""Who is signed in to the editor, as the proxy says (``atlas.deploy.trust``), for the editor's pages.

``editor_user()`` is the signed-in user's name, or None: no proxy secret configured (every public
and kiosk replica), a request that did not come through the proxy, or no sign-in. The editor must
refuse to change anything when it is None.

Streamlit gives the headers of the request that opened the session (``st.context.headers``) and
the TCP peer (``st.context.ip_address``), which it reports as None for 127.0.0.1 and ::1: the
replicas listen on 127.0.0.1 only, so None is taken as the loopback peer; the shared secret in
``X-Atlas-Proxy-Secret`` is what tells the proxy from any other local program.
"""

from __future__ import annotations

import functools

import streamlit as st

from atlas.deploy.trust import read_secret, trusted_user


@functools.cache
def _secret() -> str | None:
    # Read once per process (ATLAS_PROXY_SECRET_FILE); a configured but unreadable file raises.
    return read_secret()


def editor_user() -> str | None:
    """The signed-in editor's name (1–64 characters of letters, digits, . _ @ -), or None."""
    secret = _secret()
    if secret is None:
        return None
    headers = st.context.headers
    pairs = [(name, value) for name in headers.keys() for value in headers.get_all(name)]
    return trusted_user(pairs, st.context.ip_address or "127.0.0.1", secret)
