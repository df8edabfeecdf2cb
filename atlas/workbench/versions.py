"""Published versions of the served database: publish, history, rollback, recovery (issue #18).

Everything lives beside the served database (``ATLAS_DB``), in ``<its folder>/workbench/``::

    workbench/
      publish.lock      one publish or restore at a time (fcntl.flock, every process and thread)
      staging/          private copies an import writes into (stage_copy); removed after a day
      versions/v0007.duckdb   a copy of each of the last N published files (ATLAS_KEEP_VERSIONS, 10)
      history.jsonl     one JSON line per published version, oldest first (never pruned)
      pending.json      only during a publish: the lines to add once the new file is served

**Publishing** (:func:`publish`), under the lock:

1. :func:`recover` — finish or undo a publish that was interrupted;
2. the *stale check*: the served file must still be the one the preview was made from
   (``expected_token``, taken by :func:`served_token` when the copy was staged), else
   :class:`StaleData` and nothing changes — of two editors publishing from the same data, the
   second is told to look again;
3. the staged file is copied to ``versions/<id>.duckdb`` (on the first publish, the file served
   until then is kept too, as the version "initial");
4. :func:`atlas.deploy.publish.publish` — copy beside the target, fsync, compare checksums, open
   it and run the integrity checks, then ``pending.json`` is written and the copy is renamed over
   the target in one step (the replicas notice the new inode at their next rerun:
   ``app_support.chrome.page.database_signature``);
5. the new lines are added to ``history.jsonl`` (a whole new file: temp, fsync, rename) and
   ``pending.json`` is removed; the version files beyond the last N are deleted.

A crash before the rename leaves the previous database serving and the history as it was; a crash
after it leaves ``pending.json``, and the next :func:`recover` (at the next publish, or when the
history is shown) adds the lines. Nothing is ever half-applied.

**Rolling back** (:func:`rollback`) publishes a kept version's file through the same steps, as a new
version with action ``rollback`` and ``changes == {"restored": "<id>"}``.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterator

from ..deploy.publish import fsync_dir
from ..errors import WorkbenchError
from ..i18n import lazy

KEEP_ENV = "ATLAS_KEEP_VERSIONS"
DEFAULT_KEEP = 10
MAX_KEEP = 1000
LOCK_TIMEOUT_S = 300.0  # waiting for another publish to finish
STAGING_MAX_AGE_S = 24 * 3600.0  # staged copies older than this are removed by recover()
ACTIONS = ("publish", "rollback", "initial")
FOLDER = "workbench"
MAX_USER = 200
MAX_FILE_NAME = 200
_VERSION_ID = re.compile(r"^v(\d{4,9})$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

Step = Callable[[str], None]  # called with "copied", "checked" (before the swap) and "swapped"


class StaleData(WorkbenchError):
    """The served database changed since the preview was made; nothing was published."""


@dataclass(frozen=True)
class Version:
    version_id: str  # "v0001", increasing
    published_at: str  # ISO 8601 UTC, e.g. "2026-12-03T05:40:00Z"
    user: str  # the editor who published (empty for an "initial": the file served before, or replaced outside)
    file_name: str  # the uploaded file (or the database's own name for "initial")
    sha256: str  # of the published database file
    bytes: int
    action: str  # "publish" | "rollback" | "initial"
    changes: dict  # the diff summary (atlas.workbench.diff) or {"restored": "v0003"}

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_dict(cls, data: Any, where: str) -> "Version":
        names = [f.name for f in fields(cls)]
        if not isinstance(data, dict):
            raise WorkbenchError(f"{where}: a version must be a JSON object, not {type(data).__name__}")
        missing = [n for n in names if n not in data]
        unknown = sorted(set(data) - set(names))
        if missing or unknown:
            raise WorkbenchError(f"{where}: missing keys {missing or '-'}, unknown keys {unknown or '-'}; "
                                 f"a version has exactly {', '.join(names)}")
        if not isinstance(data["version_id"], str) or not _VERSION_ID.match(data["version_id"]):
            raise WorkbenchError(f"{where}: version_id {str(data['version_id'])[:40]!r} is not like 'v0001'")
        if data["action"] not in ACTIONS:
            raise WorkbenchError(f"{where}: action {str(data['action'])[:40]!r} is not one of {', '.join(ACTIONS)}")
        if not isinstance(data["changes"], dict) or not isinstance(data["bytes"], int):
            raise WorkbenchError(f"{where}: changes must be an object and bytes a whole number")
        return cls(**{n: data[n] for n in names})


# --- Places ---------------------------------------------------------------------------------------

def workbench_dir(target: Path) -> Path:
    """``<folder of the served database>/workbench`` (made when missing)."""
    folder = Path(target).parent / FOLDER
    folder.mkdir(mode=0o750, exist_ok=True)
    return folder


def _sub(target: Path, name: str) -> Path:
    path = workbench_dir(target) / name
    path.mkdir(mode=0o750, exist_ok=True)
    return path


def version_file(target: Path, version_id: str) -> Path | None:
    """The kept copy of ``version_id``, or None when it was pruned (or never kept)."""
    path = Path(target).parent / FOLDER / "versions" / f"{_check_version_id(version_id)}.duckdb"
    return path if path.is_file() else None


def kept_versions(target: Path) -> set[str]:
    """The ids of the versions whose file is still kept on disk."""
    folder = Path(target).parent / FOLDER / "versions"
    if not folder.is_dir():
        return set()
    return {p.stem for p in folder.glob("v*.duckdb") if _VERSION_ID.match(p.stem)}


def keep_count(keep: int | None = None) -> int:
    """How many versions to keep on disk: ``keep``, else ``ATLAS_KEEP_VERSIONS``, else 10."""
    raw: Any = keep if keep is not None else os.environ.get(KEEP_ENV, "").strip() or DEFAULT_KEEP
    where = "keep" if keep is not None else KEEP_ENV
    try:
        value = int(raw)
        if isinstance(raw, float) or isinstance(raw, bool):
            raise ValueError
    except (TypeError, ValueError):
        raise WorkbenchError(f"{where} = {str(raw)[:40]!r} is not a whole number; "
                             f"keep between 1 and {MAX_KEEP} versions") from None
    if not 1 <= value <= MAX_KEEP:
        raise WorkbenchError(f"{where} = {value} is out of range; keep between 1 and {MAX_KEEP} versions")
    return value


# --- Small helpers --------------------------------------------------------------------------------

def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _short(path: Path) -> str:
    text = str(path)
    return text if len(text) <= 60 else "…" + text[-59:]


def _check_version_id(version_id: Any) -> str:
    if not isinstance(version_id, str) or not _VERSION_ID.match(version_id):
        raise WorkbenchError(lazy.gettext("{value} is not a version: a version is written like v0003 "
                                          "(see the version history).", value=repr(str(version_id)[:40])))
    return version_id


def _check_user(user: Any) -> str:
    if user is None or (isinstance(user, str) and not user.strip()):
        raise PermissionError("no editor is signed in; sign in before publishing or restoring data")
    if not isinstance(user, str) or len(user) > MAX_USER or _CONTROL.search(user):
        raise WorkbenchError(f"the editor's name {str(user)[:40]!r} is not a name of at most {MAX_USER} "
                             "printable characters")
    return user.strip()


def _check_file_name(file_name: Any) -> str:
    text = _CONTROL.sub(" ", str(file_name)).strip()
    if not text:
        raise WorkbenchError("the published file's name is empty; give the uploaded file's name")
    return text[:MAX_FILE_NAME]


def _check_changes(changes: Any) -> dict:
    if not isinstance(changes, dict):
        raise WorkbenchError(f"changes must be a dict (the diff summary), not {type(changes).__name__}")
    try:
        return json.loads(json.dumps(changes, ensure_ascii=False, allow_nan=False))
    except (TypeError, ValueError) as exc:
        raise WorkbenchError(f"changes cannot be stored as JSON: {str(exc)[:80]}") from exc


def _write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` in one step: a temporary file, fsync, rename, fsync the folder."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with tmp.open("w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def _copy_file(source: Path, dest: Path) -> tuple[str, int]:
    """Copy ``source`` to ``dest`` through a temporary file (fsync, rename); its SHA-256 and size."""
    import hashlib

    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.part")
    digest = hashlib.sha256()
    size = 0
    try:
        with source.open("rb") as fin, tmp.open("wb") as fout:
            for block in iter(lambda: fin.read(1 << 20), b""):
                digest.update(block)
                size += len(block)
                fout.write(block)
            fout.flush()
            os.fsync(fout.fileno())
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(dest.parent)
    return digest.hexdigest(), size


# --- The served file's token ----------------------------------------------------------------------

_TOKENS: dict[tuple[str, int, int, int], str] = {}
_TOKENS_LOCK = threading.Lock()
MISSING_TOKEN = "missing"


def served_token(target: Path) -> str:
    """The SHA-256 of the served database (``"missing"`` when there is none), cached by the file's
    (path, inode, modification time, size): a replaced file is hashed again. Taken when a copy is
    staged and passed back to :func:`publish`, which refuses when it changed."""
    import hashlib

    path = Path(target)
    try:
        st = path.stat()
    except FileNotFoundError:
        return MISSING_TOKEN
    key = (str(path.resolve()), st.st_ino, st.st_mtime_ns, st.st_size)
    with _TOKENS_LOCK:
        hit = _TOKENS.get(key)
    if hit is not None:
        return hit
    try:
        fh = path.open("rb")
    except FileNotFoundError:
        return MISSING_TOKEN
    with fh:
        st = os.fstat(fh.fileno())  # the file actually read, even if the path was replaced meanwhile
        key = (key[0], st.st_ino, st.st_mtime_ns, st.st_size)
        digest = hashlib.sha256()
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    token = digest.hexdigest()
    with _TOKENS_LOCK:
        if len(_TOKENS) > 64:
            _TOKENS.clear()
        _TOKENS[key] = token
    return token


def stage_copy(target: Path) -> Path:
    """A private copy of the served database in ``<folder>/workbench/staging/`` for an import to
    write into. The served file is only read. The caller removes the copy when done."""
    target = Path(target)
    if not target.is_file():
        raise WorkbenchError(lazy.gettext("There is no served database at {path}; build it first "
                                          "(python -m atlas build).", path=_short(target)))
    if Path(f"{target}.wal").exists():
        raise WorkbenchError(f"the served database {_short(target)} has a write-ahead log ({target.name}.wal): "
                             "a program is writing it; wait until it has finished")
    staging = _sub(target, "staging")
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
    dest = staging / f"{stamp}-{uuid.uuid4().hex[:10]}.duckdb"
    _copy_file(target, dest)
    return dest


# --- History --------------------------------------------------------------------------------------

def _history_path(target: Path) -> Path:
    return Path(target).parent / FOLDER / "history.jsonl"


def _pending_path(target: Path) -> Path:
    return Path(target).parent / FOLDER / "pending.json"


def _read_history(target: Path) -> list[Version]:
    """The history, oldest first."""
    path = _history_path(target)
    if not path.exists():
        return []
    out: list[Version] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise WorkbenchError(f"{_short(path)} line {number} is not JSON ({exc.msg}); "
                                 "each line must be one version") from exc
        out.append(Version.from_dict(data, f"{_short(path)} line {number}"))
    return out


def _write_history(target: Path, versions: list[Version]) -> None:
    _write_atomically(_history_path(target), "".join(v.to_json() + "\n" for v in versions))


def history(target: Path) -> list[Version]:
    """Every published version, newest first (the versions whose file was pruned included)."""
    return list(reversed(_read_history(Path(target))))


def served_version(target: Path) -> Version | None:
    """The newest version whose checksum is the served file's, or None (not published here)."""
    token = served_token(Path(target))
    return next((v for v in history(target) if v.sha256 == token), None)


def _next_number(target: Path, versions: list[Version]) -> int:
    numbers = [int(v.version_id[1:]) for v in versions] + [int(k[1:]) for k in kept_versions(target)]
    return max(numbers, default=0) + 1


def _vid(number: int) -> str:
    return f"v{number:04d}"


# --- The lock -------------------------------------------------------------------------------------

@contextmanager
def _locked(target: Path, timeout: float = LOCK_TIMEOUT_S) -> Iterator[None]:
    """Hold ``workbench/publish.lock`` exclusively (released by the kernel if the process dies)."""
    lock_path = workbench_dir(target) / "publish.lock"
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o640)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise WorkbenchError(lazy.gettext(
                        "Another publish or restore has been running for more than {seconds} seconds; "
                        "nothing was changed. Try again later.", seconds=int(timeout))) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


# --- Recovery -------------------------------------------------------------------------------------

def needs_recovery(target: Path) -> bool:
    """True when :func:`recover` has something to do (cheap: no lock, the token is cached)."""
    target = Path(target)
    if _pending_path(target).exists():
        return True
    versions = _read_history(target)
    return bool(versions) and target.exists() and versions[-1].sha256 != served_token(target)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove(paths: list[Path]) -> None:
    for path in paths:
        for leftover in (path, Path(f"{path}.wal")):
            leftover.unlink(missing_ok=True)


def _recover_locked(target: Path) -> list[Version]:
    """See :func:`recover`; the caller holds the lock."""
    versions = _read_history(target)
    known = {v.version_id for v in versions}
    added: list[Version] = []
    pending_path = _pending_path(target)
    if pending_path.exists():
        try:
            pending = [Version.from_dict(d, _short(pending_path))
                       for d in json.loads(pending_path.read_text(encoding="utf-8"))]
        except (json.JSONDecodeError, TypeError) as exc:  # written atomically: only a hand edit gets here
            raise WorkbenchError(f"{_short(pending_path)} is not a list of versions ({str(exc)[:60]}); "
                                 "remove it after checking which database is served") from exc
        if pending and served_token(target) == pending[-1].sha256:  # the swap happened
            added = [v for v in pending if v.version_id not in known]
            if added:
                _write_history(target, versions + added)
                versions += added
                known |= {v.version_id for v in added}
        pending_path.unlink()
        fsync_dir(pending_path.parent)
    versions_dir = target.parent / FOLDER / "versions"
    if versions_dir.is_dir():  # copies of an interrupted publish (not in the history)
        _remove([p for p in versions_dir.glob("v*.duckdb") if p.stem not in known])
        _remove([p for p in versions_dir.glob(".*.part")])
    for leftover in target.parent.glob(f".{target.name}.publish-*"):  # atlas.deploy.publish's temp files
        pid = leftover.name.rsplit("-", 1)[-1].removesuffix(".wal")
        if pid.isdigit() and not _pid_alive(int(pid)):
            leftover.unlink(missing_ok=True)
    staging = target.parent / FOLDER / "staging"
    if staging.is_dir():
        now = time.time()
        old = []
        for p in staging.glob("*.duckdb"):
            try:
                if now - p.stat().st_mtime > STAGING_MAX_AGE_S:
                    old.append(p)
            except FileNotFoundError:  # discarded by its session meanwhile
                continue
        _remove(old)
    if versions and target.is_file() and served_token(target) != versions[-1].sha256:
        # Replaced outside the workbench (python -m atlas build/import/deploy publish): record it so the
        # history says what is served, and keep a copy so that it can be restored.
        vid = _vid(_next_number(target, versions))
        sha, size = _copy_file(target, _sub(target, "versions") / f"{vid}.duckdb")
        outside = Version(vid, _now(), "", target.name, sha, size, "initial", {"outside_workbench": True})
        _write_history(target, versions + [outside])
        added.append(outside)
    return added


def recover(target: Path) -> list[Version]:
    """Reconcile the history with the served file after a crash; the versions it recorded.

    * a publish that was interrupted after its swap (``pending.json`` names the served file): its
      history lines are added; one interrupted before the swap: its copies are removed;
    * leftover temporary files (of dead processes) and staged copies older than a day are removed;
    * a database replaced outside the workbench is recorded as a version "initial" (user empty).
    """
    target = Path(target)
    with _locked(target):
        return _recover_locked(target)


# --- Publish and roll back ------------------------------------------------------------------------

def publish(staged: Path, *, target: Path, user: str, file_name: str, expected_token: str, changes: dict,
            keep: int | None = None, checks: frozenset[str] | None = None, on_step: Step | None = None) -> Version:
    """Publish the database ``staged`` in place of ``target`` and record it (see the module docstring).

    Raises StaleData when the served file is no longer the one of ``expected_token``,
    PermissionError without a user, WorkbenchError when the file cannot be published (the integrity
    checks fail, …) — in every case the served database and the history are unchanged.
    ``checks``: the integrity checks to run (default: all, as ``python -m atlas check``).
    ``on_step``: called with "copied", "checked" (right before the swap) and "swapped".
    """
    if not isinstance(expected_token, str) or not expected_token:
        raise WorkbenchError("expected_token must be the served_token() taken when the copy was staged")
    return _publish(Path(staged), Path(target), _check_user(user), _check_file_name(file_name), expected_token,
                    _check_changes(changes), keep_count(keep), "publish", None, checks, on_step)


def rollback(version_id: str, *, target: Path, user: str, expected_token: str | None = None,
             keep: int | None = None, checks: frozenset[str] | None = None, on_step: Step | None = None) -> Version:
    """Serve the kept file of ``version_id`` again, as a new version (action "rollback").

    ``expected_token``: the served file's token when the editor chose the version (StaleData if it
    changed since); None restores whatever is served now.
    """
    vid = _check_version_id(version_id)
    user = _check_user(user)
    target = Path(target)
    keep_n = keep_count(keep)
    entry = next((v for v in _read_history(target) if v.version_id == vid), None)
    if entry is None:
        raise WorkbenchError(lazy.gettext("There is no version {version} in the history of {path}.",
                                          version=vid, path=_short(target)))
    source = version_file(target, vid)
    if source is None:
        kept = ", ".join(sorted(kept_versions(target), reverse=True)) or "-"
        raise WorkbenchError(lazy.gettext("The file of version {version} is no longer kept (only the last {keep} "
                                          "versions are kept on disk). Versions that can be restored: {kept}.",
                                          version=vid, keep=keep_n, kept=kept))
    return _publish(source, target, user, entry.file_name, expected_token, {"restored": vid}, keep_n,
                    "rollback", entry, checks, on_step)


def _stale(target: Path, restoring: bool) -> StaleData:
    newest = served_version(target)
    if newest is None:
        if restoring:
            return StaleData(lazy.gettext("The published data changed after you opened this list. Nothing was "
                                          "restored: look at the list again and choose."))
        return StaleData(lazy.gettext("The published data changed after this preview was made. Nothing was "
                                      "published: prepare the preview again and check it before publishing."))
    who = {"version": newest.version_id, "user": newest.user or "-", "when": newest.published_at}
    if restoring:
        return StaleData(lazy.gettext("The published data changed after you opened this list ({version}, by {user}, "
                                      "{when}). Nothing was restored: look at the list again and choose.", **who))
    return StaleData(lazy.gettext("The published data changed after this preview was made ({version}, by {user}, "
                                  "{when}). Nothing was published: prepare the preview again and check it "
                                  "before publishing.", **who))


def _publish(source: Path, target: Path, user: str, file_name: str, expected_token: str | None, changes: dict,
             keep: int, action: str, restoring: Version | None, checks: frozenset[str] | None,
             on_step: Step | None) -> Version:
    from ..deploy.publish import publish as deploy_publish
    from ..deploy.stack import DeployError

    step = on_step or (lambda _name: None)
    if not source.is_file():
        raise WorkbenchError(f"the database to publish {_short(source)} does not exist (was it discarded?)")
    if target.exists() and source.resolve() == target.resolve():
        raise WorkbenchError(f"{_short(source)} is the served database itself; publish a staged copy")
    with _locked(target):
        _recover_locked(target)
        token = served_token(target)
        if expected_token is not None and token != expected_token:
            raise _stale(target, restoring is not None)
        if restoring is not None and token == restoring.sha256:
            raise WorkbenchError(lazy.gettext("Version {version} is the one served now; there is nothing to "
                                              "restore.", version=restoring.version_id))
        versions = _read_history(target)
        number = _next_number(target, versions)
        versions_dir = _sub(target, "versions")
        new: list[Version] = []
        made: list[Path] = []
        try:
            if not versions and target.is_file():  # keep what was served before the first publish
                vid = _vid(number)
                made.append(versions_dir / f"{vid}.duckdb")
                sha, size = _copy_file(target, made[-1])
                new.append(Version(vid, _now(), "", target.name, sha, size, "initial", {}))  # nobody published it here
                number += 1
            vid = _vid(number)
            made.append(versions_dir / f"{vid}.duckdb")
            sha, size = _copy_file(source, made[-1])
            if restoring is not None and sha != restoring.sha256:
                raise WorkbenchError(f"the kept file of {restoring.version_id} has checksum {sha[:12]}…, not the "
                                     f"recorded {restoring.sha256[:12]}…; it was changed on disk and is not restored")
            version = Version(vid, _now(), user, file_name, sha, size, action, changes)
            new.append(version)
            step("copied")

            def before_swap(_tmp: Path) -> None:
                _write_atomically(_pending_path(target), json.dumps([asdict(v) for v in new], ensure_ascii=False))
                step("checked")

            try:
                deploy_publish(made[-1], target, checks=checks, before_swap=before_swap)
            except DeployError as exc:
                raise WorkbenchError(lazy.gettext("The data was not published; the served data is unchanged. "
                                                  "The check said: {problem}", problem=str(exc)[:2000])) from exc
        except BaseException:
            # Before the swap: remove what was made. After it (a failure while syncing the folder):
            # recovery adds the history lines, since pending.json names the served file.
            _recover_locked(target)
            raise
        step("swapped")
        _write_history(target, versions + new)
        _pending_path(target).unlink(missing_ok=True)
        fsync_dir(versions_dir.parent)
        _prune(target, versions + new, keep)
    return version


def _prune(target: Path, versions: list[Version], keep: int) -> list[str]:
    """Delete the version files older than the last ``keep`` versions; the ids deleted."""
    wanted = {v.version_id for v in versions[-keep:]}
    gone = sorted(k for k in kept_versions(target) if k not in wanted)
    folder = target.parent / FOLDER / "versions"
    _remove([folder / f"{k}.duckdb" for k in gone])
    return gone
