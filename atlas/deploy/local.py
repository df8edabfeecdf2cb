"""The files of a local production stack in one run directory: certificate, secret, password file, nginx.

:func:`prepare` writes (only what is missing, so a restart keeps the certificate and the password):

``tls/cert.pem``, ``tls/key.pem``  a self-signed certificate for 127.0.0.1 and localhost (openssl);
``proxy-secret``                   the shared secret of the proxy and the editor replicas (mode 0600);
``editors.htpasswd``               one editor, ``editor``, with a random password (SHA-512 crypt,
                                   ``openssl passwd -6``), printed once by ``scripts/serve-prod.sh``;
``atlas.conf``, ``nginx.conf``      the generated nginx configuration (:mod:`atlas.deploy.nginx`).
"""

from __future__ import annotations

import os
import secrets
import subprocess
from dataclasses import dataclass
from pathlib import Path

from . import nginx
from .stack import DeployError, Stack

LOCAL_EDITOR = "editor"


def make_secret() -> str:
    """A fresh shared secret (43 URL-safe characters, 256 bits)."""
    return secrets.token_urlsafe(32)


def write_private(path: Path, text: str, mode: int = 0o600) -> None:
    """Write ``text`` to a new file readable only as ``mode`` says (created with that mode)."""
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)


def _openssl(args: list[str], stdin: str | None = None) -> str:
    try:
        out = subprocess.run(["openssl", *args], input=stdin, capture_output=True, text=True, timeout=60)
    except FileNotFoundError:
        raise DeployError("openssl is not installed (scripts/setup.sh --prod installs it)") from None
    if out.returncode:
        raise DeployError(f"openssl {args[0]} failed: {out.stderr.strip()[:300]}")
    return out.stdout


def self_signed_certificate(cert: Path, key: Path, days: int = 30) -> None:
    """A self-signed certificate for 127.0.0.1 and localhost (RSA 2048, SHA-256)."""
    cert.parent.mkdir(parents=True, exist_ok=True)
    _openssl(["req", "-x509", "-newkey", "rsa:2048", "-sha256", "-nodes", "-days", str(days),
              "-subj", "/CN=127.0.0.1/O=Izmir Health Equity Atlas (local test)",
              "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
              "-keyout", str(key), "-out", str(cert)])
    key.chmod(0o600)


def password_line(user: str, password: str) -> str:
    """An htpasswd line ``user:$6$...`` (SHA-512 crypt; nginx checks it with the system's crypt())."""
    return f"{user}:{_openssl(['passwd', '-6', '-stdin'], stdin=password + chr(10)).strip()}\n"


@dataclass(frozen=True)
class RunDir:
    root: Path
    site_conf: Path
    nginx_conf: Path
    secret_file: Path
    htpasswd_file: Path
    editor_password: str | None  # set when this call made the password file


def prepare(stack: Stack, root: Path) -> RunDir:
    """Write the run directory of ``stack`` (see the module docstring) and check it with ``nginx -t``."""
    root = root.resolve()
    root.mkdir(parents=True, exist_ok=True)
    root.chmod(0o700)
    for sub in ("tmp", "tls"):
        (root / sub).mkdir(exist_ok=True)
    cert, key = root / "tls" / "cert.pem", root / "tls" / "key.pem"
    if not (cert.is_file() and key.is_file()):
        self_signed_certificate(cert, key)
    secret_file = root / "proxy-secret"
    if not secret_file.is_file():
        write_private(secret_file, make_secret() + "\n")
    from .trust import read_secret

    secret = read_secret(secret_file)
    htpasswd = root / "editors.htpasswd"
    password = None
    if not htpasswd.is_file():
        password = secrets.token_urlsafe(12)
        write_private(htpasswd, password_line(LOCAL_EDITOR, password))
    files = nginx.SiteFiles(cert, key, htpasswd, secret or "")
    site_conf, nginx_conf = root / "atlas.conf", root / "nginx.conf"
    write_private(site_conf, nginx.site_config(stack, files))
    write_private(nginx_conf, nginx.local_config(stack, root, site_conf))
    checked = nginx.check(nginx_conf, prefix=root)
    if checked.returncode:
        raise DeployError(f"nginx refused the generated configuration {nginx_conf}:\n{checked.stderr.strip()}")
    return RunDir(root, site_conf, nginx_conf, secret_file, htpasswd, password)
