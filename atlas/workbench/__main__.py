"""``python -m atlas.workbench hash-password``: the line for ``ATLAS_EDITOR_PASSWORD_HASH``.

Also ``history``, ``rollback VERSION --user NAME`` and ``recover`` (the published versions of the served
database, ``atlas.workbench.versions``; see docs/workbench.md "Publishing and rolling back").

Asks for the editor's password twice (not echoed) and prints its salted scrypt hash
(``atlas.workbench.password``). Put the line in the editor's environment::

    export ATLAS_EDITOR_PASSWORD_HASH='scrypt$16384$8$1$…$…'
    ./scripts/start.sh --editor

or in a file only the editor's user can read, named by ``ATLAS_EDITOR_PASSWORD_HASH_FILE``.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from .password import MIN_LENGTH, hash_password


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m atlas.workbench", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    hp = sub.add_parser("hash-password", help="print the salted scrypt hash of the editor's password")
    hp.add_argument("--stdin", action="store_true", help="read the password from one line of standard input "
                                                         "(for scripts; not echoed anywhere)")
    _add_version_commands(sub)
    args = parser.parse_args(argv)
    if args.command != "hash-password":
        return _version_command(args)
    if args.stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass(f"Editor password (at least {MIN_LENGTH} characters): ")
        if getpass.getpass("The same password again: ") != password:
            print("hash-password: the two passwords differ; nothing was printed.", file=sys.stderr)
            return 2
    try:
        line = hash_password(password)
    except ValueError as exc:
        print(f"hash-password: {exc}", file=sys.stderr)
        return 2
    print(line)
    return 0


def _add_version_commands(sub) -> None:
    """``history``, ``rollback VERSION --user NAME`` and ``recover`` (atlas.workbench.versions)."""
    hist = sub.add_parser("history", help="list the published versions, newest first")
    rb = sub.add_parser("rollback", help="serve an earlier kept version again (recorded as a new version)")
    rb.add_argument("version", help="the version to restore, e.g. v0003 (see `history`)")
    rb.add_argument("--user", required=True, help="the editor's name, recorded in the history")
    rb.add_argument("--keep", type=int, default=None, help="versions to keep on disk "
                                                                  "(default: ATLAS_KEEP_VERSIONS or 10)")
    rec = sub.add_parser("recover", help="reconcile the history with the served database after a crash")
    for p in (hist, rb, rec):
        p.add_argument("--db", default=None, help="the served database (default: ATLAS_DB or geodata/atlas.duckdb)")


def _version_command(args) -> int:
    from ..config import db_path
    from ..errors import WorkbenchError
    from . import versions

    target = db_path(args.db)
    if not target.is_file():
        print(f"{args.command}: there is no database at {str(target)[:80]}; give --db or set ATLAS_DB", file=sys.stderr)
        return 2
    try:
        if args.command == "history":
            kept = versions.kept_versions(target)
            token = versions.served_token(target)
            for v in versions.history(target):
                flags = ("served " if v.sha256 == token else "") + ("kept" if v.version_id in kept else "pruned")
                print(f"{v.version_id}  {v.published_at}  {v.action:<8}  {v.user or '-':<16}  {v.sha256[:12]}  "
                      f"{v.bytes / 1e6:6.1f} MB  {flags:<12}  {v.file_name}")
            return 0
        if args.command == "rollback":
            version = versions.rollback(args.version, target=target, user=args.user, keep=args.keep)
            print(f"rollback: {args.version} is served again, recorded as {version.version_id} (sha256 "
                  f"{version.sha256[:12]}…); the replicas read it from their next rerun")
            return 0
        added = versions.recover(target)
        print(f"recover: {len(added)} version(s) recorded" + "".join(f"\n  {v.version_id} {v.action}" for v in added))
        return 0
    except (WorkbenchError, PermissionError) as exc:
        print(f"{args.command}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
