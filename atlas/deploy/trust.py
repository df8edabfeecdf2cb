"""Who is signed in to the editor: the proxy's user header, trusted only when the proxy sent it.

The proxy signs people in (basic auth or the city's single sign-on) and passes the name to the
editor replicas in ``X-Atlas-User``. Any client can send that header too, so the app trusts it only
when all of these hold:

1. the server was given the proxy's shared secret (``ATLAS_PROXY_SECRET_FILE``: a file only the
   editor replicas are told about; the public and kiosk replicas never trust a user header);
2. the TCP peer of the connection is the loopback address (the proxy runs on the same machine and
   every replica listens on 127.0.0.1 only);
3. the request carries ``X-Atlas-Proxy-Secret`` equal to that secret (compared in constant time):
   the proxy adds it on the editor location only and strips a client-sent copy everywhere, so a
   local process that connects to a replica directly, without the proxy, is not trusted either;
4. each header is present exactly once and the user name is plain: 1–64 characters of letters,
   digits and ``. _ @ -`` (what a sign-in name or an e-mail address holds).

Anything else gives None ("nobody is signed in"): the editor then refuses to change anything.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import re
from pathlib import Path
from typing import Iterable, Mapping

from .stack import SECRET_FILE_ENV, DeployError

USER_HEADER = "X-Atlas-User"
SECRET_HEADER = "X-Atlas-Proxy-Secret"
_USER = re.compile(r"^[A-Za-z0-9._@-]{1,64}$")
_SECRET = re.compile(r"^[A-Za-z0-9_-]{32,128}$")


def read_secret(path: str | os.PathLike | None = None) -> str | None:
    """The proxy's secret from ``path`` (default: the file ``ATLAS_PROXY_SECRET_FILE`` names), or
    None when no file is configured. A configured file that is missing, unreadable or malformed
    raises :class:`~atlas.deploy.stack.DeployError`: a misconfigured editor fails loudly instead of
    running with a secret nobody else knows."""
    if path is None:
        path = os.environ.get(SECRET_FILE_ENV) or None
        if path is None:
            return None
    try:
        text = Path(path).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise DeployError(f"cannot read the proxy secret file {str(path)[:80]} ({exc}); "
                          "`python -m atlas.deploy secret FILE` makes one") from exc
    if not _SECRET.match(text):
        raise DeployError(f"the proxy secret file {str(path)[:80]} does not hold 32–128 characters of letters, "
                          "digits, - and _; `python -m atlas.deploy secret FILE` makes one")
    return text


def _one(headers: Mapping[str, str] | Iterable[tuple[str, str]], name: str) -> str | None:
    """The value of header ``name`` (any case) when it is present exactly once, else None."""
    items = headers.items() if isinstance(headers, Mapping) else headers
    values = [v for k, v in items if k.lower() == name.lower()]
    return values[0] if len(values) == 1 else None


def is_loopback(peer: str | None) -> bool:
    """True for 127.0.0.0/8 and ::1 (also ::ffff:127.0.0.1); False for anything else or None."""
    if not peer:
        return False
    try:
        address = ipaddress.ip_address(peer)
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return (mapped or address).is_loopback


def trusted_user(headers: Mapping[str, str] | Iterable[tuple[str, str]], peer: str | None,
                 secret: str | None) -> str | None:
    """The signed-in user the proxy named, or None unless every condition of the module docstring holds.

    ``headers``: the request's headers (a mapping, or (name, value) pairs so that a repeated header
    is seen); ``peer``: the TCP peer address of the connection; ``secret``: :func:`read_secret`.
    """
    if not secret or not _SECRET.match(secret) or not is_loopback(peer):
        return None
    sent = _one(headers, SECRET_HEADER)
    if sent is None or not hmac.compare_digest(sent.encode("utf-8", "replace"), secret.encode("ascii")):
        return None
    user = _one(headers, USER_HEADER)
    if user is None or not _USER.match(user):
        return None
    return user
