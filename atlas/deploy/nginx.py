"""nginx configuration for the production stack, generated from the templates in ``deploy/nginx/``.

* :func:`site_config` — the http-level configuration (upstreams, sticky sessions, WebSocket, security
  headers, limits, the editor's sign-in): ``/etc/nginx/conf.d/atlas.conf`` on a server;
* :func:`local_config` — a whole ``nginx.conf`` that runs in the foreground from a run directory and
  includes the site configuration (``scripts/serve-prod.sh``, the tests);
* :func:`check` — ``nginx -t -c <file>``: nginx's own verdict on a generated file.

Templates hold ``{{name}}`` placeholders; a placeholder without a value, or a value without a
placeholder, raises :class:`~atlas.deploy.stack.DeployError` (a template and its renderer cannot
drift apart silently). Values are checked before they reach a template: nothing a stack file holds
can end a directive or open a block.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..config import REPO_ROOT
from .stack import ROLE_PATH, DeployError, Stack

TEMPLATES = REPO_ROOT / "deploy" / "nginx"
NGINX = "/usr/sbin/nginx"
_PLACEHOLDER = re.compile(r"\{\{([a-z_]+)\}\}")
_SAFE_PATH = re.compile(r"^/[A-Za-z0-9._/+-]+$")
_SECRET = re.compile(r"^[A-Za-z0-9_-]{32,128}$")

#: The Content-Security-Policy of every location, directive by directive (checked in a browser by
#: tests/browser/test_prod_stack.py: no violation while the map paints offline).
CSP = (
    ("default-src", "'self'"),
    # Streamlit's front end and the folium map script (run by streamlit-folium with eval/new Function).
    ("script-src", "'self' 'unsafe-inline' 'unsafe-eval'"),
    # Streamlit's emotion styles and Leaflet set inline styles.
    ("style-src", "'self' 'unsafe-inline'"),
    # Leaflet and the legend draw data: and blob: images; tiles are never fetched (offline map).
    ("img-src", "'self' data: blob:"),
    ("font-src", "'self' data:"),
    # The WebSocket /_stcore/stream and the front end's own fetches: same origin only.
    ("connect-src", "'self'"),
    # Component iframes (st_folium) are served by the replica itself.
    ("frame-src", "'self'"),
    ("worker-src", "'self' blob:"),
    ("media-src", "'self' data: blob:"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
    # No other site may frame the atlas (X-Frame-Options SAMEORIGIN says the same to old browsers).
    ("frame-ancestors", "'self'"),
)


def csp() -> str:
    return "; ".join(f"{name} {value}" for name, value in CSP)


def render(template: str, values: dict[str, object], name: str = "template") -> str:
    """``template`` with every ``{{name}}`` replaced; DeployError on a missing or an unused value."""
    wanted = set(_PLACEHOLDER.findall(template))
    missing = sorted(wanted - set(values))
    if missing:
        raise DeployError(f"{name}: no value for the placeholder {{{{{missing[0]}}}}}")
    unused = sorted(set(values) - wanted)
    if unused:
        raise DeployError(f"{name}: the value {unused[0]!r} has no placeholder {{{{{unused[0]}}}}}")
    return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), template)


def _template(name: str, values: dict[str, object]) -> str:
    return render((TEMPLATES / name).read_text(encoding="utf-8"), values, f"deploy/nginx/{name}")


def _path(value: str | Path, what: str) -> str:
    text = str(value)
    if not _SAFE_PATH.match(text):
        raise DeployError(f"{what} {text[:40]!r} must be an absolute path of letters, digits and . _ / + - "
                          "(no spaces or quotes: it is written into the nginx configuration)")
    return text


@dataclass(frozen=True)
class SiteFiles:
    """The files the site configuration names (absolute paths) and the proxy's shared secret."""

    ssl_certificate: Path
    ssl_certificate_key: Path
    htpasswd_file: Path
    proxy_secret: str


def _upstreams(stack: Stack) -> str:
    blocks = []
    for g in stack.groups:
        if not g.replicas:
            continue
        server = "    server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;"
        singles = "\n".join(f"upstream atlas_{g.role}_{port} {{\n{server.format(port=port)}\n    keepalive 4;\n}}"
                            for port in g.ports)
        blocks.append(_template("upstreams.conf.in", {
            "role": g.role, "path": g.path, "cookie": cookie_name(stack, g.role),
            "servers": "\n".join(server.format(port=port) for port in g.ports),
            "singles": singles,
            "targets": "\n".join(f"    {port} atlas_{g.role}_{port};" for port in g.ports),
        }).rstrip("\n"))
    return "\n\n".join(blocks)


def cookie_name(stack: Stack, role: str) -> str:
    """The sticky cookie of a group: ``atlas_route_public``, ``atlas_route_kiosk``, ``atlas_route_editor``."""
    return f"{stack.proxy.sticky_cookie}_{role}"


def site_config(stack: Stack, files: SiteFiles) -> str:
    """The http-level configuration of ``stack`` (see the module docstring)."""
    if not _SECRET.match(files.proxy_secret):
        raise DeployError("the proxy secret must be 32–128 characters of letters, digits, - and _ "
                          "(`python -m atlas.deploy secret` makes one)")
    p = stack.proxy
    hsts = (f'        add_header Strict-Transport-Security "max-age={p.hsts_seconds}" always;\n'
            if p.hsts_seconds else "")

    def headers(role: str | None) -> str:
        set_cookie = f"        add_header Set-Cookie $atlas_{role}_route_cookie always;\n" if role else ""
        return _template("headers.conf.in", {"csp": csp(), "hsts": hsts, "set_cookie": set_cookie}).rstrip("\n")

    anonymous = _template("proxy.conf.in", {"user": '""', "secret": '""'}).rstrip("\n")
    user = "$remote_user" if stack.editor.auth == "basic" else "$atlas_user"
    signed_in = _template("proxy.conf.in", {"user": user, "secret": f'"{files.proxy_secret}"'}).rstrip("\n")
    locations = []
    for g in stack.groups:
        if not g.replicas:
            locations.append(f"    # {g.role} group: no replicas in this stack.\n"
                             f"    location {ROLE_PATH[g.role]} {{ return 404; }}")
        elif g.role in ("public", "kiosk"):
            locations.append(_template("location-group.conf.in", {
                "role": g.role, "replicas": g.replicas, "path": g.path, "headers": headers(g.role),
                "proxy": anonymous}).rstrip("\n"))
        else:
            values: dict[str, object] = {
                "replicas": g.replicas, "max_body_editor": p.max_body_editor, "headers": headers("editor"),
                "proxy": signed_in, "sign_in_burst": p.sign_in_burst}
            if stack.editor.auth == "basic":
                values["htpasswd_file"] = _path(files.htpasswd_file, "the password file")
                values["denied_headers"] = headers(None)
            else:
                values["oidc_upstream"] = stack.editor.oidc_upstream
            locations.append(_template(f"location-editor-{stack.editor.auth}.conf.in", values).rstrip("\n"))
    return _template("atlas.conf.in", {
        "sign_in_rate": p.sign_in_rate,
        "upstreams": _upstreams(stack),
        "listen_address": p.listen_address,
        "http_port": p.http_port,
        "https_port": p.https_port,
        "https_port_suffix": "" if p.https_port == 443 else f":{p.https_port}",
        "server_name": p.server_name,
        "ssl_certificate": _path(files.ssl_certificate, "the certificate"),
        "ssl_certificate_key": _path(files.ssl_certificate_key, "the certificate key"),
        "max_body_public": p.max_body_public,
        "locations": "\n\n".join(locations),
    })


def local_config(stack: Stack, run_dir: Path, site_conf: Path) -> str:
    """A whole nginx.conf for the foreground stack in ``run_dir`` (including ``site_conf``)."""
    # Started as root (a container, CI): workers would run as nobody and could not read the password
    # file in a private run directory. This stack listens on 127.0.0.1 only; on a server, Debian's
    # nginx runs its workers as www-data with /etc/nginx/conf.d/atlas.conf (docs/deploy.md).
    user = "user root root;  # local stack started as root (see atlas/deploy/nginx.py)\n" if os.geteuid() == 0 else ""
    return _template("nginx-local.conf.in", {"run_dir": _path(run_dir, "the run directory"),
                                             "site_conf": _path(site_conf, "the site configuration"),
                                             "user": user, "public_cookie": cookie_name(stack, "public")})


def nginx_binary() -> str | None:
    """The nginx program (Debian: /usr/sbin/nginx), or None when it is not installed."""
    return NGINX if Path(NGINX).is_file() else shutil.which("nginx")


def check(conf: Path, prefix: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``nginx -t -c conf`` (with ``-p prefix``): returncode 0 when nginx accepts the file."""
    binary = nginx_binary()
    if binary is None:
        raise DeployError("nginx is not installed (scripts/setup.sh --prod installs Debian's nginx)")
    cmd = [binary, "-t", "-c", str(conf)]
    if prefix is not None:
        cmd += ["-p", str(prefix)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=30)
