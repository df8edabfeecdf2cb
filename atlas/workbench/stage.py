"""Checking an uploaded file and staging it: the data workbench's path from upload to preview.

* :func:`validate_upload` — the importer's dry run (``atlas.importing.import_file(dry_run=True)``)
  on the uploaded bytes, against the served database: either the import's report or the
  ``ImportRejected`` with every problem. Nothing is written anywhere but a temporary folder.
* :func:`stage_import` — the same import written into a private copy of the served database
  (``versions.stage_copy``), with the token of the served file it was made from
  (``versions.served_token``, passed back to ``versions.publish``) and the comparison with what is
  published (``diff.diff_databases``). The served database is never touched.
* :func:`validate_points` / :func:`stage_points` — the same for a point layer
  (``atlas.importing.points.import_points``).

Every function that stages takes the editor's ``user`` and refuses None: only a signed-in editor
gets this far (the page's gate decides who that is).
"""

from __future__ import annotations

import re
import tempfile
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from ..catalogue import Indicator
from ..errors import ImportRejected
from ..importing.limits import MAX_FILE_BYTES, mebibytes
from ..importing.problems import reject

ALLOWED_SUFFIXES = (".csv", ".txt", ".xlsx")
POINT_SUFFIXES = (".csv", ".txt", ".xlsx", ".geojson", ".json")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_file_name(name: str, allowed: tuple[str, ...] = ALLOWED_SUFFIXES) -> str:
    """An uploaded file's name reduced to a plain file name (letters, digits, ``. _ -``; Turkish
    letters folded, at most 80 characters) with its suffix kept; the suffix must be one of ``allowed``."""
    base = Path(str(name).replace("\\", "/")).name
    suffix = Path(base).suffix.lower()
    if suffix not in allowed:
        raise reject(str(name)[:40] or "file", f"the file type {suffix or '(none)'!r} is not read; "
                                                f"allowed: {', '.join(allowed)}")
    stem = unicodedata.normalize("NFKD", Path(base).stem.replace("ı", "i").replace("İ", "I"))
    stem = _UNSAFE.sub("_", stem.encode("ascii", "ignore").decode()).strip("._-")[:80] or "upload"
    return stem + suffix


def require_user(user: str | None) -> str:
    """``user`` when it names a signed-in editor; PermissionError for None or an empty name."""
    if not user or not isinstance(user, str):
        raise PermissionError("no editor is signed in; sign in before uploading, publishing or restoring data")
    return user


@dataclass(frozen=True)
class Validation:
    """The outcome of checking one upload: ``report`` when it would import, else ``rejected``."""

    file_name: str
    kind: str  # "values" or "points"
    report: Any = None  # ImportReport or PointsImportReport
    rejected: ImportRejected | None = None

    @property
    def ok(self) -> bool:
        return self.rejected is None and self.report is not None


@dataclass(frozen=True)
class Staged:
    """An import written into a private copy of the served database, ready to preview and publish."""

    path: Path  # the staged database (in <target folder>/workbench/staging/)
    target: Path  # the served database it was made from
    token: str  # versions.served_token(target) when the copy was made
    file_name: str
    sha256: str
    bytes: int
    kind: str  # "values" or "points"
    report: Any  # ImportReport or PointsImportReport
    diff: Any = None  # atlas.workbench.diff.Diff
    changes: dict = field(default_factory=dict)  # diff.summary(): stored in the published Version


def _check_size(data: bytes, file_name: str) -> None:
    if len(data) > MAX_FILE_BYTES:
        raise reject(file_name, f"the file is {mebibytes(len(data))}; the limit is {mebibytes(MAX_FILE_BYTES)} per file "
                                "(split it, e.g. one file per period)")
    if not data:
        raise reject(file_name, "the file is empty")


@contextmanager
def _upload_files(data: bytes, file_name: str, entry_text: str | None,
                  allowed: tuple[str, ...]) -> Iterator[tuple[Path, Path | None]]:
    """The upload (and the entry TOML, when given) as files in a private temporary folder."""
    name = safe_file_name(file_name, allowed)
    _check_size(data, name)
    with tempfile.TemporaryDirectory(prefix="atlas-upload-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        entry_path = None
        if entry_text is not None:
            entry_path = Path(folder) / "entry.toml"
            entry_path.write_text(entry_text, encoding="utf-8")
        yield path, entry_path


def _entry_text(entry: Indicator | None) -> str | None:
    if entry is None:
        return None
    from .entry_form import entry_toml

    return entry_toml(entry)


def validate_upload(data: bytes, file_name: str, entry: Indicator | None, target: Path) -> Validation:
    """Check an uploaded indicator file as ``python -m atlas import --dry-run`` would, against ``target``.

    ``entry``: the catalogue entry of a new indicator (the page's form), None for an indicator
    already imported. Never raises ImportRejected: the problems are in the result.
    """
    from ..importing import import_file

    try:
        with _upload_files(data, file_name, _entry_text(entry), ALLOWED_SUFFIXES) as (path, entry_path):
            report = import_file(path, Path(target), entry_path, dry_run=True)
    except ImportRejected as exc:
        return Validation(str(file_name), "values", rejected=exc)
    return Validation(str(file_name), "values", report=report)


STAGING_MAX_AGE_S = 24 * 3600  # a staged copy left behind by a session that ended


def prune_staging(target: Path, max_age_s: float = STAGING_MAX_AGE_S) -> int:
    """Remove staged copies older than ``max_age_s`` (their sessions have ended); how many went."""
    import time

    folder = Path(target).parent / "workbench" / "staging"
    if not folder.is_dir():
        return 0
    now, removed = time.time(), 0
    for path in folder.glob("*.duckdb*"):
        try:
            if now - path.stat().st_mtime > max_age_s:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed


def _staged_copy(target: Path) -> tuple[Path, str]:
    """A private copy of ``target`` and the token of the file it copies (taken before and after the
    copy, so a publish in between is noticed: then the copy is made again)."""
    from .versions import served_token, stage_copy

    prune_staging(target)
    for _ in range(3):
        token = served_token(target)
        staged = stage_copy(target)
        if served_token(target) == token:
            return staged, token
        discard(staged)
    raise ImportRejected("the served database kept changing while it was copied; try again in a moment", [])


def discard(staged: Path | Staged | None) -> None:
    """Remove a staged database (and its write-ahead log); nothing when it is already gone."""
    if staged is None:
        return
    path = staged.path if isinstance(staged, Staged) else Path(staged)
    for leftover in (path, Path(f"{path}.wal")):
        leftover.unlink(missing_ok=True)


def stage_import(data: bytes, file_name: str, entry: Indicator | None, target: Path, *, user: str | None) -> Staged:
    """Import the upload into a private copy of ``target`` and compare it with ``target``.

    Raises ImportRejected (nothing staged) when the file has any problem, PermissionError without
    a user. The caller shows the preview of ``Staged.path`` and publishes it with ``Staged.token``.
    """
    from ..build.sources import sha256_of
    from ..importing import import_file

    require_user(user)
    target = Path(target)
    with _upload_files(data, file_name, _entry_text(entry), ALLOWED_SUFFIXES) as (path, entry_path):
        import_file(path, target, entry_path, dry_run=True)  # every problem before any copy is made
        staged, token = _staged_copy(target)
        try:
            from .diff import diff_databases

            report = import_file(path, staged, entry_path)
            diff = diff_databases(target, staged)
        except BaseException:
            discard(staged)
            raise
        return Staged(staged, target, token, str(file_name), sha256_of(path), path.stat().st_size, "values",
                      report, diff, diff.summary())


def validate_points(data: bytes, file_name: str, layer_id: str, entry_text: str | None, target: Path, *,
                    crs: str | None = None) -> Validation:
    """Check an uploaded point file for layer ``layer_id`` (``entry_text``: a ``[[layer]]`` TOML for a
    new layer) as ``python -m atlas import-points --dry-run`` would."""
    from ..importing.points import import_points

    try:
        with _upload_files(data, file_name, entry_text, POINT_SUFFIXES) as (path, entry_path):
            report = import_points(path, Path(target), layer_id, entry_path, crs=crs, dry_run=True)
    except ImportRejected as exc:
        return Validation(str(file_name), "points", rejected=exc)
    return Validation(str(file_name), "points", report=report)


def stage_points(data: bytes, file_name: str, layer_id: str, entry_text: str | None, target: Path, *,
                 user: str | None, crs: str | None = None) -> Staged:
    """Import a point file into a private copy of ``target`` (see :func:`stage_import`)."""
    from ..build.sources import sha256_of
    from ..importing.points import import_points

    require_user(user)
    target = Path(target)
    with _upload_files(data, file_name, entry_text, POINT_SUFFIXES) as (path, entry_path):
        import_points(path, target, layer_id, entry_path, crs=crs, dry_run=True)
        staged, token = _staged_copy(target)
        try:
            from .diff import diff_databases

            report = import_points(path, staged, layer_id, entry_path, crs=crs)
            diff = diff_databases(target, staged)  # the layer's points and its access indicators
        except BaseException:
            discard(staged)
            raise
        changes = {**diff.summary(), "points": {"layer": layer_id, "points": report.points}}
        return Staged(staged, target, token, str(file_name), sha256_of(path), path.stat().st_size, "points",
                      report, diff, changes)


def publish_staged(staged: Staged, *, user: str | None, keep: int | None = None):
    """Publish a staged database in place of the served one (``versions.publish``); StaleData when the
    served database changed since the copy was made. The staged file is removed afterwards."""
    from .versions import publish

    require_user(user)
    try:
        version = publish(staged.path, target=staged.target, user=user, file_name=staged.file_name,
                          expected_token=staged.token, changes=staged.changes, keep=keep)
    finally:
        discard(staged)
    return version
