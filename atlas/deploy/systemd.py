"""systemd units for the stack, generated from ``deploy/systemd/*.in`` and the stack file.

System level (root, the city's server): ``atlas@.service`` (public and kiosk replicas, read-only),
``atlas-editor@.service`` (editor replicas) and ``atlas.target``, which wants every replica of the
stack file and Debian's ``nginx.service`` (configured with ``/etc/nginx/conf.d/atlas.conf``).
User level (``--user``, a machine without root): the same replica units without the account and
sandbox lines, plus ``atlas-proxy.service`` (nginx on high ports from a run directory) — for
``~/.config/systemd/user/``. Every replica unit has ``Restart=always``.
"""

from __future__ import annotations

from pathlib import Path

from ..config import REPO_ROOT
from .nginx import NGINX, render
from .stack import Stack

TEMPLATES = REPO_ROOT / "deploy" / "systemd"

HARDENING = """NoNewPrivileges=yes
PrivateTmp=yes
PrivateDevices=yes
ProtectSystem=strict
ProtectHome=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectControlGroups=yes
RestrictSUIDSGID=yes
LockPersonality=yes
StateDirectory=atlas
"""


def _template(name: str, values: dict[str, object]) -> str:
    return render((TEMPLATES / f"{name}.in").read_text(encoding="utf-8"), values, f"deploy/systemd/{name}.in")


def units(stack: Stack, *, root: Path, python: Path, db: Path, secret_file: Path, user_level: bool = False,
          account: str = "atlas", run_dir: Path | None = None) -> dict[str, str]:
    """File name → text of every unit of ``stack``."""
    common = {
        "root": root, "python": python, "db": db,
        "account": "" if user_level else f"User={account}\nGroup={account}\n",
        "home": (run_dir or root) if user_level else "/var/lib/atlas",
        "hardening": "" if user_level else HARDENING,
    }
    out = {"atlas@.service": _template("atlas@.service", common),
           "atlas-editor@.service": _template("atlas-editor@.service", {
               **common, "secret_file": secret_file,
               "writable": "" if user_level else f"ReadWritePaths={db.parent}\n"})}
    wants = [f"atlas@{i}.service" for g in stack.groups if g.role != "editor" for i in g.instances()]
    wants += [f"atlas-editor@{i}.service" for i in stack.group("editor").instances()]
    if user_level:
        if run_dir is None:
            raise ValueError("user-level units need the run directory of the proxy (run_dir)")
        out["atlas-proxy.service"] = _template("atlas-proxy.service", {
            "nginx": NGINX, "nginx_conf": run_dir / "nginx.conf", "run_dir": run_dir})
        wants.append("atlas-proxy.service")
    else:
        wants.append("nginx.service")
    out["atlas.target"] = _template("atlas.target", {
        "wants": " ".join(wants), "user_flag": "--user " if user_level else "",
        "wanted_by": "default.target" if user_level else "multi-user.target"})
    return out
