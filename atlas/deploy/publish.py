"""Publishing a database to the running replicas: copy, check, rename — never a half-written file.

The replicas open the database read-only and reopen it when the file at ``ATLAS_DB`` is another
file (``app_support.chrome.page.database_signature``: path, inode, modification time). So the
only safe way to change what they serve is to put a complete, checked file in place in one step:

1. **copy** the new database to a temporary file beside the target (same folder, same file
   system), ``fsync`` it, and compare its SHA-256 with the source's;
2. **check** the copy: it opens as an atlas database of this version (:func:`atlas.db.connect`)
   and passes the build's integrity checks (:func:`atlas.build.checks.run_checks`);
3. **rename** it over the target with ``os.replace`` (atomic on POSIX) and ``fsync`` the folder.

A replica in the middle of a query keeps reading the old file (still open, its inode alive); the
next rerun of every session opens the new one. A failure at any step removes the temporary file
and leaves the served database untouched. ``python -m atlas build`` and ``import`` already write
their own database this way; ``publish`` is for a database made elsewhere (a build machine, a copy
from the editor's server).
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..config import db_path
from .stack import DeployError

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Published:
    target: Path
    sha256: str
    bytes: int


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fsync_dir(folder: Path) -> None:
    """Make a rename or new file in ``folder`` durable (fsync the folder itself)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(source: str | os.PathLike, target: str | os.PathLike | None = None, *,
            progress: Progress = lambda _msg: None, checks: frozenset[str] | None = None,
            before_swap: Callable[[Path], None] | None = None) -> Published:
    """Put the database ``source`` in place of ``target`` (default: ATLAS_DB or geodata/atlas.duckdb).

    ``checks``: the names of the integrity checks to run (default: all of them, as ``atlas check``).
    ``before_swap``: called with the checked copy's path just before the rename (the data workbench
    records its intent there, ``atlas.workbench.versions``; tests pause or fail there).
    """
    from ..build.checks import run_checks
    from ..db import connect
    from ..errors import MissingDataError

    src = Path(source)
    dst = db_path(target)
    if not src.is_file():
        raise DeployError(f"the database to publish {str(src)[:80]} does not exist")
    if Path(f"{src}.wal").exists():
        raise DeployError(f"{str(src)[:80]} has a write-ahead log ({src.name}.wal): it is still open for "
                          "writing or was not closed cleanly. Close the program that writes it (or open and "
                          "close it once with DuckDB) and publish again.")
    if dst.exists() and src.resolve() == dst.resolve():
        raise DeployError(f"{str(src)[:80]} is already the served database; publish a copy built elsewhere")
    if not dst.parent.is_dir():
        raise DeployError(f"the folder of the served database {str(dst.parent)[:80]} does not exist")
    tmp = dst.with_name(f".{dst.name}.publish-{os.getpid()}")
    try:
        progress(f"copying {src} to {tmp}")
        with src.open("rb") as fin, tmp.open("wb") as fout:
            shutil.copyfileobj(fin, fout, 1 << 20)
            fout.flush()
            os.fsync(fout.fileno())
        digest = _sha256(tmp)
        if digest != _sha256(src):
            raise DeployError(f"the copy {tmp.name} differs from {str(src)[:80]} (did it change while it was copied?)")
        progress("checking the copy (schema version, integrity checks)")
        try:
            con = connect(tmp)
        except MissingDataError as exc:
            raise DeployError(f"{str(src)[:80]} cannot be published: {exc}") from exc
        try:
            report = run_checks(con, checks)
        finally:
            con.close()
        if report.failed:
            raise DeployError(f"{str(src)[:80]} failed the integrity checks and was not published:\n{report.text()}")
        size = tmp.stat().st_size
        if before_swap is not None:
            before_swap(tmp)
        os.replace(tmp, dst)
        fsync_dir(dst.parent)
    except BaseException:
        for leftover in (tmp, Path(f"{tmp}.wal")):
            leftover.unlink(missing_ok=True)
        raise
    progress(f"published {dst} ({size / 1e6:.1f} MB, sha256 {digest[:12]}…); the replicas read it from their next rerun")
    return Published(dst, digest, size)
