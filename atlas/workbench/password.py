"""The single-machine editor password: a salted scrypt hash kept in configuration, never the password.

For an editor without the reverse proxy (one office machine), ``python -m atlas.workbench
hash-password`` asks for a password twice and prints one line to put in ``ATLAS_EDITOR_PASSWORD_HASH``
(or in a file named by ``ATLAS_EDITOR_PASSWORD_HASH_FILE``)::

    scrypt$16384$8$1$<salt, base64>$<hash, base64>

The hash is :func:`hashlib.scrypt` (OpenSSL's, in the standard library) with a random 16-byte salt
and a 32-byte key; :func:`verify_password` recomputes it with the stored parameters and compares in
constant time (:func:`hmac.compare_digest`). The delay after a failed attempt is the sign-in page's
(``app_support.workbench.gate``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
from pathlib import Path

from ..errors import AtlasError

HASH_ENV = "ATLAS_EDITOR_PASSWORD_HASH"
HASH_FILE_ENV = "ATLAS_EDITOR_PASSWORD_HASH_FILE"
N, R, P = 2 ** 14, 8, 1  # scrypt's cost: ~16 MB and ~50 ms per check
KEY_BYTES, SALT_BYTES = 32, 16
MIN_LENGTH = 10  # characters of a new password
_FORMAT = re.compile(r"^scrypt\$(\d{1,7})\$(\d{1,3})\$(\d{1,3})\$([A-Za-z0-9+/=]{16,88})\$([A-Za-z0-9+/=]{16,88})$")
_ALLOWED_N = {2 ** k for k in range(10, 21)}


class PasswordConfigError(AtlasError):
    """The configured password hash is malformed or unreadable (what, where, what is allowed)."""


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """The line to store for ``password`` (format in the module docstring)."""
    if len(password) < MIN_LENGTH:
        raise ValueError(f"the password has {len(password)} characters; use at least {MIN_LENGTH}")
    salt = os.urandom(SALT_BYTES) if salt is None else salt
    key = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=N, r=R, p=P, dklen=KEY_BYTES)
    b64 = base64.b64encode
    return f"scrypt${N}${R}${P}${b64(salt).decode()}${b64(key).decode()}"


def _parse(stored: str) -> tuple[int, int, int, bytes, bytes]:
    m = _FORMAT.match(stored.strip())
    if not m:
        raise PasswordConfigError(
            f"the editor password hash {stored.strip()[:12]!r}… is not of the form scrypt$N$r$p$salt$hash; "
            "make one with `python -m atlas.workbench hash-password`")
    n, r, p = int(m[1]), int(m[2]), int(m[3])
    if n not in _ALLOWED_N or not 1 <= r <= 32 or not 1 <= p <= 16:
        raise PasswordConfigError(f"the editor password hash has N={n}, r={r}, p={p}; allowed: N a power of two "
                                  "from 1024 to 1048576, r 1–32, p 1–16")
    return n, r, p, base64.b64decode(m[4]), base64.b64decode(m[5])


def check_hash(stored: str) -> None:
    """Raise PasswordConfigError when ``stored`` is not a hash this module can check."""
    _parse(stored)


def verify_password(password: str, stored: str) -> bool:
    """True when ``password`` matches the stored hash (constant-time comparison of the keys)."""
    n, r, p, salt, key = _parse(stored)
    got = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=len(key),
                         maxmem=256 * 1024 * 1024)
    return hmac.compare_digest(got, key)


def configured_hash(environ: dict | None = None) -> str | None:
    """The configured hash (``ATLAS_EDITOR_PASSWORD_HASH``, else the file ``ATLAS_EDITOR_PASSWORD_HASH_FILE``
    names), checked; None when neither is set. A set but unreadable or malformed one raises."""
    env = os.environ if environ is None else environ
    value = (env.get(HASH_ENV) or "").strip()
    if not value and env.get(HASH_FILE_ENV):
        path = Path(env[HASH_FILE_ENV])
        try:
            value = path.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise PasswordConfigError(f"cannot read the editor password hash file {str(path)[:80]} ({exc}); "
                                      "`python -m atlas.workbench hash-password` makes the line to put in it") from exc
    if not value:
        return None
    check_hash(value)
    return value
