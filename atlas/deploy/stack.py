"""The production layout (``deploy/stack.toml``) as frozen dataclasses, and the command of one replica.

Three roles, each a group of identical replicas on consecutive ports of 127.0.0.1:

``public``  the atlas at ``/`` (read-only database, no uploads);
``kiosk``   the kiosk configuration (``ATLAS_KIOSK=1``, as ``scripts/kiosk.sh``) at ``/kiosk/``;
``editor``  the data workbench (``ATLAS_EDITOR=1``) at ``/editor/``, behind the proxy's sign-in; the
            only group told where the proxy's shared secret is (:mod:`atlas.deploy.trust`).

A missing or unknown key, or a value of the wrong type or outside its range, raises
:class:`DeployError` naming the file and the key.
"""

from __future__ import annotations

import re
import sys
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Mapping

from ..config import REPO_ROOT
from ..errors import AtlasError

STACK_FILE = REPO_ROOT / "deploy" / "stack.toml"
ROLES = ("public", "kiosk", "editor")
#: Where each role is served behind the proxy, and the matching ``server.baseUrlPath`` of Streamlit.
ROLE_PATH = {"public": "/", "kiosk": "/kiosk/", "editor": "/editor/"}
SECRET_FILE_ENV = "ATLAS_PROXY_SECRET_FILE"
EDITOR_ENV = "ATLAS_EDITOR"
KIOSK_ENV = "ATLAS_KIOSK"
_SIZE = re.compile(r"^[1-9][0-9]{0,5}[km]$")
_RATE = re.compile(r"^[1-9][0-9]{0,4}r/[sm]$")
_NAME = re.compile(r"^(_|[A-Za-z0-9]([A-Za-z0-9.-]{0,250}[A-Za-z0-9])?)$")
_COOKIE = re.compile(r"^[a-z][a-z0-9_]{1,30}$")
_ADDRESS = re.compile(r"^[0-9]{1,3}(\.[0-9]{1,3}){3}$")
_UPSTREAM = re.compile(r"^[A-Za-z0-9.-]+:[0-9]{1,5}$")


class DeployError(AtlasError):
    """The production layout is malformed, or a deployment step could not be done (the reason is named)."""


@dataclass(frozen=True)
class Proxy:
    server_name: str
    listen_address: str
    https_port: int
    http_port: int
    max_body_public: str
    max_body_editor: str
    sign_in_rate: str
    sign_in_burst: int
    sticky_cookie: str
    hsts_seconds: int


PROXY_KEYS = {"server_name": str, "listen_address": str, "https_port": int, "http_port": int,
              "max_body_public": str, "max_body_editor": str, "sign_in_rate": str, "sign_in_burst": int,
              "sticky_cookie": str, "hsts_seconds": int}


@dataclass(frozen=True)
class Editor:
    auth: str  # 'basic' or 'oidc'
    oidc_upstream: str


@dataclass(frozen=True)
class Group:
    role: str
    replicas: int
    first_port: int

    @property
    def ports(self) -> tuple[int, ...]:
        return tuple(range(self.first_port, self.first_port + self.replicas))

    @property
    def path(self) -> str:
        return ROLE_PATH[self.role]

    @property
    def base_url_path(self) -> str:
        return self.path.strip("/")

    def instances(self) -> tuple[str, ...]:
        """The instance names of its replicas (``public-8501``, ...), as the systemd units name them."""
        return tuple(f"{self.role}-{port}" for port in self.ports)


@dataclass(frozen=True)
class Stack:
    proxy: Proxy
    editor: Editor
    groups: tuple[Group, ...]  # in ROLES order

    def group(self, role: str) -> Group:
        return next(g for g in self.groups if g.role == role)

    def with_groups(self, **replicas: int) -> "Stack":
        """The same stack with other replica counts (``public=2, kiosk=0``)."""
        unknown = sorted(set(replicas) - set(ROLES))
        if unknown:
            raise DeployError(f"unknown role {unknown[0]!r}; allowed: {', '.join(ROLES)}")
        groups = tuple(replace(g, replicas=replicas.get(g.role, g.replicas)) for g in self.groups)
        return _checked(replace(self, groups=groups), "(overrides)")

    def with_proxy(self, **values: Any) -> "Stack":
        """The same stack with other proxy settings (``listen_address="127.0.0.1", https_port=8443``)."""
        return _checked(replace(self, proxy=replace(self.proxy, **values)), "(overrides)")

    def with_first_ports(self, base: int) -> "Stack":
        """The groups moved to ``base``, ``base + 100``, ``base + 200`` (public, kiosk, editor)."""
        groups = tuple(replace(g, first_port=base + 100 * i) for i, g in enumerate(self.groups))
        return _checked(replace(self, groups=groups), "(overrides)")


def _table(data: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise DeployError(f"{where}: missing table [{key}]")
    return value


def _fields(table: Mapping[str, Any], spec: Mapping[str, type], where: str) -> dict[str, Any]:
    unknown = sorted(set(table) - set(spec))
    if unknown:
        raise DeployError(f"{where}: unknown key {unknown[0]!r}; allowed: {', '.join(spec)}")
    out = {}
    for key, kind in spec.items():
        if key not in table:
            raise DeployError(f"{where}: missing key {key!r}")
        value = table[key]
        if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
            raise DeployError(f"{where}: {key} must be a whole number, not {value!r:.40}")
        if kind is str and not isinstance(value, str):
            raise DeployError(f"{where}: {key} must be a string, not {value!r:.40}")
        out[key] = value
    return out


def _port(value: int, key: str, where: str, low: int = 1) -> None:
    if not low <= value <= 65535:
        raise DeployError(f"{where}: {key} = {value} is not a port number ({low}–65535)")


def _checked(stack: Stack, where: str) -> Stack:
    p = stack.proxy
    checks = [
        (_NAME.match(p.server_name), "server_name", p.server_name, "a host name or \"_\""),
        (_ADDRESS.match(p.listen_address), "listen_address", p.listen_address, "an IPv4 address"),
        (_SIZE.match(p.max_body_public), "max_body_public", p.max_body_public, "a size like 1m or 512k"),
        (_SIZE.match(p.max_body_editor), "max_body_editor", p.max_body_editor, "a size like 50m"),
        (_RATE.match(p.sign_in_rate), "sign_in_rate", p.sign_in_rate, "a rate like 10r/m or 1r/s"),
        (_COOKIE.match(p.sticky_cookie), "sticky_cookie", p.sticky_cookie, "lower-case letters, digits, _"),
        (stack.editor.auth in ("basic", "oidc"), "editor.auth", stack.editor.auth, "basic or oidc"),
        (_UPSTREAM.match(stack.editor.oidc_upstream), "editor.oidc_upstream", stack.editor.oidc_upstream,
         "host:port"),
        (1 <= p.sign_in_burst <= 1000, "sign_in_burst", str(p.sign_in_burst), "1–1000"),
        (0 <= p.hsts_seconds <= 63072000, "hsts_seconds", str(p.hsts_seconds), "0–63072000"),
    ]
    for ok, key, value, allowed in checks:
        if not ok:
            raise DeployError(f"{where}: {key} = {value[:40]!r} is not allowed; allowed: {allowed}")
    _port(p.https_port, "https_port", where)
    _port(p.http_port, "http_port", where)
    used: dict[int, str] = {p.https_port: "proxy.https_port", p.http_port: "proxy.http_port"}
    if p.https_port == p.http_port:
        raise DeployError(f"{where}: https_port and http_port are both {p.https_port}")
    for g in stack.groups:
        if not 0 <= g.replicas <= 32:
            raise DeployError(f"{where}: groups.{g.role}.replicas = {g.replicas}; allowed: 0–32")
        _port(g.first_port, f"groups.{g.role}.first_port", where, low=1024)
        _port(g.first_port + max(g.replicas - 1, 0), f"groups.{g.role}.first_port + replicas", where, low=1024)
        for port in g.ports:
            if port in used:
                raise DeployError(f"{where}: port {port} of groups.{g.role} is also {used[port]}")
            used[port] = f"groups.{g.role}"
    if stack.group("public").replicas < 1:
        raise DeployError(f"{where}: groups.public.replicas must be at least 1 (the atlas itself)")
    return stack


def load(path: str | Path = STACK_FILE) -> Stack:
    """Read and check a stack file (default ``deploy/stack.toml``)."""
    path = Path(path)
    where = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DeployError(f"the stack file {path} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise DeployError(f"{where} is not valid TOML: {exc}") from exc
    unknown = sorted(set(data) - {"proxy", "editor", "groups"})
    if unknown:
        raise DeployError(f"{where}: unknown table [{unknown[0]}]; allowed: proxy, editor, groups")
    proxy = Proxy(**_fields(_table(data, "proxy", where), PROXY_KEYS, f"{where} [proxy]"))
    editor = Editor(**_fields(_table(data, "editor", where), {"auth": str, "oidc_upstream": str},
                              f"{where} [editor]"))
    groups_table = _table(data, "groups", where)
    unknown = sorted(set(groups_table) - set(ROLES))
    if unknown:
        raise DeployError(f"{where}: unknown group [groups.{unknown[0]}]; allowed: {', '.join(ROLES)}")
    groups = tuple(Group(role=role, **_fields(_table(groups_table, role, where),
                                              {"replicas": int, "first_port": int}, f"{where} [groups.{role}]"))
                   for role in ROLES)
    return _checked(Stack(proxy, editor, groups), where)


def parse_instance(instance: str) -> tuple[str, int]:
    """``public-8501`` → ('public', 8501) (the instance name of a systemd unit)."""
    role, _, port = instance.partition("-")
    if role not in ROLES or not port.isdigit() or not 1024 <= int(port) <= 65535:
        raise DeployError(f"replica {instance[:40]!r} is not ROLE-PORT; allowed roles: {', '.join(ROLES)}, "
                          "ports 1024–65535 (e.g. public-8501)")
    return role, int(port)


def replica_command(role: str, port: int, *, python: str | None = None,
                    secret_file: str | Path | None = None) -> tuple[list[str], dict[str, str]]:
    """The command line and the extra environment of one replica (run from the repository root).

    The same flags as ``scripts/start.sh`` (public, editor) and ``scripts/kiosk.sh`` (kiosk), plus:
    bound to 127.0.0.1, no file watching, Streamlit's base URL path set to the role's location.
    Only the editor gets ``ATLAS_PROXY_SECRET_FILE`` (and with it the signed-in user's name).
    """
    if role not in ROLES:
        raise DeployError(f"unknown role {role[:40]!r}; allowed: {', '.join(ROLES)}")
    argv = [python or sys.executable, "-m", "app_support.server.serve", "atlas_app.py",
            "--server.address", "127.0.0.1",
            "--server.port", str(port),
            "--server.headless", "true",
            "--server.fileWatcherType", "none",
            "--server.runOnSave", "false",
            "--browser.gatherUsageStats", "false",
            "--client.showErrorDetails", "none",
            "--client.disableDataExport", "true"]
    env: dict[str, str] = {}
    base = ROLE_PATH[role].strip("/")
    if base:
        argv += ["--server.baseUrlPath", base]
    if role == "kiosk":
        argv += ["--client.toolbarMode", "minimal", "--client.showSidebarNavigation", "false",
                 "--server.maxUploadSize", "1"]
        env[KIOSK_ENV] = "1"
        env["ATLAS_WARMUP"] = ""  # the kiosk has one page: warm the front page alone (scripts/kiosk.sh)
    elif role == "public":
        argv += ["--server.maxUploadSize", "1"]
    else:
        argv += ["--server.maxUploadSize", "50"]
        env[EDITOR_ENV] = "1"
        if secret_file is not None:
            env[SECRET_FILE_ENV] = str(secret_file)
    return argv, env
