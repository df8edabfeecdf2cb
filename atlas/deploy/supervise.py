"""The whole stack in the foreground, without systemd: replicas restarted when they die, nginx in front.

``scripts/serve-prod.sh`` runs :func:`serve`. It starts every replica of the stack
(:func:`atlas.deploy.stack.replica_command`, from the repository root) and nginx with the
configuration of the run directory (:mod:`atlas.deploy.local`), then watches them twice a second:

* a replica that exits is started again (after 1 s, doubling up to 30 s while it keeps dying
  within 10 s of its start) — what ``Restart=always`` does under systemd; while it is down nginx
  sends its browsers to the other replicas of the group (passive health checks);
* if nginx exits, everything is stopped and the command fails (nothing is served without it);
* Ctrl+C or SIGTERM stops nginx, then every replica (SIGTERM, SIGKILL after 10 s).

Each child's output goes to ``<run dir>/logs/<name>.log``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..config import REPO_ROOT
from . import nginx
from .local import RunDir
from .stack import Stack, replica_command

Say = Callable[[str], None]


@dataclass
class Child:
    name: str
    argv: list[str]
    env: dict[str, str]
    log: Path
    proc: subprocess.Popen | None = None
    started: float = 0.0
    restarts: int = 0
    backoff: float = 1.0
    due: float = 0.0  # when a dead child may start again
    exits: list[int] = field(default_factory=list)

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(self.argv, cwd=REPO_ROOT, env=self.env, stdout=log,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        self.started = time.monotonic()

    def stop(self, grace: float = 10.0) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=grace)


def replica_children(stack: Stack, run: RunDir, base_env: dict[str, str]) -> list[Child]:
    (run.root / "logs").mkdir(exist_ok=True)
    children = []
    for group in stack.groups:
        for port in group.ports:
            argv, extra = replica_command(group.role, port, secret_file=run.secret_file)
            name = f"{group.role}-{port}"
            children.append(Child(name, argv, {**base_env, **extra}, run.root / "logs" / f"{name}.log"))
    return children


def nginx_child(run: RunDir, base_env: dict[str, str]) -> Child:
    binary = nginx.nginx_binary() or nginx.NGINX
    return Child("nginx", [binary, "-c", str(run.nginx_conf), "-p", str(run.root)], base_env,
                 run.root / "logs" / "nginx.log")


class _Stop(Exception):
    pass


def serve(stack: Stack, run: RunDir, *, say: Say = print, env: dict[str, str] | None = None,
          poll_s: float = 0.5) -> int:
    """Run the stack until Ctrl+C / SIGTERM (0) or until nginx exits (1)."""
    base_env = dict(os.environ if env is None else env)
    replicas = replica_children(stack, run, base_env)
    proxy = nginx_child(run, base_env)

    def on_signal(signum, _frame):
        raise _Stop(signal.Signals(signum).name)

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    status = 0
    try:
        for child in replicas:
            child.start()
            say(f"serve-prod: started {child.name} (pid {child.proc.pid}, log {child.log})")
        proxy.start()
        say(f"serve-prod: started nginx (pid {proxy.proc.pid}, log {proxy.log})")
        while True:
            time.sleep(poll_s)
            if proxy.proc.poll() is not None:
                say(f"serve-prod: ERROR: nginx exited with code {proxy.proc.returncode}; stopping "
                    f"(see {proxy.log})")
                status = 1
                break
            now = time.monotonic()
            for child in replicas:
                code = child.proc.poll() if child.proc is not None else None
                if child.proc is not None and code is not None:
                    child.exits.append(code)
                    quick = now - child.started < 10
                    child.backoff = min(child.backoff * 2, 30.0) if quick else 1.0
                    child.due = now + child.backoff
                    say(f"serve-prod: {child.name} exited with code {code}; starting it again in "
                        f"{child.backoff:.0f} s")
                    child.proc = None
                if child.proc is None and now >= child.due:
                    child.restarts += 1
                    child.start()
                    say(f"serve-prod: restarted {child.name} (pid {child.proc.pid}, restart {child.restarts})")
    except _Stop as stop:
        say(f"serve-prod: {stop}: stopping")
    finally:
        for s in previous:  # a second Ctrl+C must not interrupt the stopping
            signal.signal(s, signal.SIG_IGN)
        proxy.stop()
        for child in replicas:
            child.stop()
        say("serve-prod: stopped")
        for s, handler in previous.items():
            signal.signal(s, handler)
    return status
