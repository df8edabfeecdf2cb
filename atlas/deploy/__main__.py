"""``python -m atlas.deploy``: generate the proxy and systemd configuration, run the local stack,
start one replica, publish a database, make a proxy secret (docs/deploy.md).

An error the atlas explains (AtlasError) is printed as one message with exit status 1.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..config import REPO_ROOT, db_path
from ..errors import AtlasError
from . import stack as stack_mod


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m atlas.deploy", description=__doc__.split("\n\n")[0])
    p.add_argument("--stack", type=Path, default=stack_mod.STACK_FILE, help="stack file (default deploy/stack.toml)")
    sub = p.add_subparsers(dest="command", required=True)

    n = sub.add_parser("nginx", help="write the nginx site configuration (/etc/nginx/conf.d/atlas.conf)")
    n.add_argument("--out", type=Path, required=True, help="file to write, e.g. /etc/nginx/conf.d/atlas.conf")
    n.add_argument("--cert", type=Path, required=True, help="certificate chain (PEM)")
    n.add_argument("--key", type=Path, required=True, help="certificate key (PEM)")
    n.add_argument("--htpasswd", type=Path, default=Path("/etc/atlas/editors.htpasswd"),
                   help="password file of the editors (default /etc/atlas/editors.htpasswd)")
    n.add_argument("--secret-file", type=Path, default=Path("/etc/atlas/proxy-secret"),
                   help="the proxy's shared secret (default /etc/atlas/proxy-secret)")

    s = sub.add_parser("systemd", help="write the systemd units of the stack into a folder")
    s.add_argument("--out", type=Path, required=True, help="folder (/etc/systemd/system or ~/.config/systemd/user)")
    s.add_argument("--user", action="store_true", help="user-level units (no root; nginx on high ports)")
    s.add_argument("--run-dir", type=Path, help="user level: the run directory made by `local`")
    s.add_argument("--db", type=Path, help="served database (default: ATLAS_DB or geodata/atlas.duckdb)")
    s.add_argument("--secret-file", type=Path, default=Path("/etc/atlas/proxy-secret"))
    s.add_argument("--account", default="atlas", help="system account of the replicas (default atlas)")

    for name, helptext in (("local", "prepare a run directory (certificate, secret, nginx.conf) and stop"),
                           ("serve", "run the whole stack in the foreground (scripts/serve-prod.sh)")):
        loc = sub.add_parser(name, help=helptext)
        loc.add_argument("--run-dir", type=Path, required=True)
        loc.add_argument("--https-port", type=int, default=8443)
        loc.add_argument("--http-port", type=int, default=8080)
        loc.add_argument("--base-port", type=int, default=8501,
                         help="first replica port of the public group (kiosk +100, editor +200)")
        for role in stack_mod.ROLES:
            loc.add_argument(f"--{role}", type=int, help=f"{role} replicas (default: the stack file)")

    r = sub.add_parser("replica", help="run one replica in the foreground (the systemd units call this)")
    r.add_argument("instance", help="ROLE-PORT, e.g. public-8501")
    r.add_argument("--secret-file", type=Path, help="the proxy's shared secret (editor replicas)")

    pub = sub.add_parser("publish", help="put a database in place for the running replicas (copy, check, rename)")
    pub.add_argument("source", type=Path, help="the new database file")
    pub.add_argument("--db", type=Path, help="the served database (default: ATLAS_DB or geodata/atlas.duckdb)")

    sec = sub.add_parser("secret", help="write a new proxy secret into a file (mode 0600)")
    sec.add_argument("file", type=Path)
    return p


def _local_stack(args) -> stack_mod.Stack:
    st = stack_mod.load(args.stack).with_proxy(listen_address="127.0.0.1", https_port=args.https_port,
                                              http_port=args.http_port, server_name="_")
    st = st.with_first_ports(args.base_port)
    counts = {role: getattr(args, role) for role in stack_mod.ROLES if getattr(args, role) is not None}
    return st.with_groups(**counts) if counts else st


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except AtlasError as exc:
        print(f"deploy: ERROR: {exc}", file=sys.stderr)
        return 1


def _run(args) -> int:
    from . import local, nginx, publish, systemd, trust

    if args.command == "replica":
        role, port = stack_mod.parse_instance(args.instance)
        argv, extra = stack_mod.replica_command(role, port, secret_file=args.secret_file)
        if role == "editor" and args.secret_file is not None:
            trust.read_secret(args.secret_file)  # refuse to start with an unreadable secret
        os.chdir(REPO_ROOT)
        os.execvpe(argv[0], argv, {**os.environ, **extra})
    if args.command == "secret":
        local.write_private(args.file, local.make_secret() + "\n")
        print(f"deploy: wrote a new proxy secret to {args.file} (mode 0600); generate the nginx configuration "
              "again and restart the editor replicas")
        return 0
    if args.command == "publish":
        publish.publish(args.source, args.db, progress=lambda m: print(f"publish: {m}", flush=True))
        return 0
    if args.command == "nginx":
        st = stack_mod.load(args.stack)
        secret = trust.read_secret(args.secret_file)
        text = nginx.site_config(st, nginx.SiteFiles(args.cert.resolve(), args.key.resolve(),
                                                     args.htpasswd.resolve(), secret or ""))
        local.write_private(args.out, text, mode=0o600)
        print(f"deploy: wrote {args.out}; check it with `nginx -t` and reload nginx (`systemctl reload nginx`)")
        return 0
    if args.command == "systemd":
        st = stack_mod.load(args.stack)
        args.out.mkdir(parents=True, exist_ok=True)
        files = systemd.units(st, root=REPO_ROOT, python=Path(sys.executable), db=db_path(args.db).resolve(),
                              secret_file=args.secret_file.resolve(), user_level=args.user,
                              account=args.account, run_dir=args.run_dir.resolve() if args.run_dir else None)
        for name, text in files.items():
            (args.out / name).write_text(text, encoding="utf-8")
            print(f"deploy: wrote {args.out / name}")
        return 0
    st = _local_stack(args)
    run = local.prepare(st, args.run_dir)
    host = f"https://127.0.0.1:{st.proxy.https_port}"
    print(f"deploy: run directory {run.root} (nginx -t: ok)")
    if run.editor_password:
        print(f"deploy: editor sign-in: user '{local.LOCAL_EDITOR}', password '{run.editor_password}' "
              f"(in {run.htpasswd_file}; shown once)")
    if args.command == "local":
        return 0
    from .supervise import serve

    groups = ", ".join(f"{g.role} ×{g.replicas} on {g.first_port}…" for g in st.groups if g.replicas)
    print(f"deploy: replicas: {groups}")
    print(f"deploy: the atlas at {host}/  kiosk {host}/kiosk/  editor {host}/editor/  "
          "(self-signed certificate: the browser asks once; Ctrl+C stops everything)", flush=True)
    return serve(st, run, say=lambda m: print(m, flush=True))


if __name__ == "__main__":
    sys.exit(main())
