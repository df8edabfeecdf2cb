"""Publish, history, rollback and recovery of the data workbench (atlas.workbench.versions, issue #18).

Most tests use the tiny fictional database (tests/factories.py) with the integrity checks it can
pass; the concurrent and the killed publishes use a copy of the real database with every check.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import shutil
import signal
import time
from pathlib import Path

import duckdb
import pytest

from atlas.build.checks import run_checks
from atlas.db import connect
from atlas.errors import WorkbenchError
from atlas.workbench import versions as V
from tests.factories import make_tiny_db

TINY_CHECKS = frozenset({"area_parents", "value_sources", "geometry"})  # tests/test_deploy.py: the tiny db passes these


def sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def district_value(db: Path, code: str) -> float:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT value FROM indicator_values WHERE indicator_id = 'test_share' AND area_code = $c",
                           {"c": code}).fetchone()[0]
    finally:
        con.close()


def staged_with(target: Path, value: float | None = None, note: str | None = None) -> tuple[Path, str]:
    """A staged copy of ``target`` with Karşıyaka's (9001) value set to ``value`` and/or a build_info
    note (what an import would change); the token of the served file it was made from."""
    token = V.served_token(target)
    staged = V.stage_copy(target)
    con = duckdb.connect(str(staged))
    if value is not None:
        con.execute("UPDATE indicator_values SET value = $v WHERE indicator_id = 'test_share' AND area_code = '9001'",
                    {"v": value})
    if note is not None:
        con.execute("INSERT OR REPLACE INTO build_info VALUES ('workbench_test', $n)", {"n": note})
    con.close()
    return staged, token


def publish_value(target: Path, value: float, user: str = "ayse", keep: int | None = None) -> V.Version:
    staged, token = staged_with(target, value)
    return V.publish(staged, target=target, user=user, file_name=f"value_{value:g}.csv", expected_token=token,
                     changes={"indicators": {"test_share": {"changed": 1}}}, keep=keep, checks=TINY_CHECKS)


def files(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative name → bytes), to show that nothing changed."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != "publish.lock"}


@pytest.fixture
def served(tmp_path) -> Path:
    """The tiny database served from its own folder: Karşıyaka (9001) 30/200 = 15.0 %, Bornova 10/100 = 10.0 %."""
    folder = tmp_path / "served"
    folder.mkdir()
    return make_tiny_db(folder / "atlas.duckdb")


@pytest.fixture
def served_real(tmp_path, real_db) -> Path:
    """A copy of the real database (passes every integrity check) served from its own folder."""
    folder = tmp_path / "served"
    folder.mkdir()
    shutil.copyfile(real_db, folder / "atlas.duckdb")
    return folder / "atlas.duckdb"


# --- publish and history ------------------------------------------------------------------------

def test_publish_keeps_the_first_file_creates_a_version_and_swaps(served):
    before = sha(served)
    inode = served.stat().st_ino
    assert district_value(served, "9001") == pytest.approx(15.0)  # 30 / 200 × 100
    version = publish_value(served, 20.0)
    assert district_value(served, "9001") == pytest.approx(20.0)
    assert served.stat().st_ino != inode  # a new file: the replicas' database_signature changes
    assert (version.version_id, version.user, version.file_name, version.action) == ("v0002", "ayse", "value_20.csv",
                                                                                     "publish")
    assert version.sha256 == sha(served) == V.served_token(served) and version.bytes == served.stat().st_size
    assert version.changes == {"indicators": {"test_share": {"changed": 1}}}
    assert version.published_at.endswith("Z") and version.published_at[4] == "-"
    initial = V.history(served)[-1]
    assert (initial.version_id, initial.action, initial.sha256) == ("v0001", "initial", before)
    assert sha(V.version_file(served, "v0001")) == before and sha(V.version_file(served, "v0002")) == version.sha256
    wb = served.parent / "workbench"
    assert not (wb / "pending.json").exists()
    assert sorted(p.name for p in served.parent.iterdir()) == ["atlas.duckdb", "workbench"]  # no temp files left
    assert len(list((wb / "staging").iterdir())) == 1  # the staged copy: the caller discards it


def test_history_lists_newest_first_with_user_file_checksum_and_changes(served):
    publish_value(served, 20.0, user="ayse")
    publish_value(served, 25.0, user="mehmet")
    hist = V.history(served)
    assert [(v.version_id, v.action, v.user, v.file_name) for v in hist] == [
        ("v0003", "publish", "mehmet", "value_25.csv"),
        ("v0002", "publish", "ayse", "value_20.csv"),
        ("v0001", "initial", "", "atlas.duckdb")]
    assert hist[0].sha256 == sha(served) and all(len(v.sha256) == 64 for v in hist)
    assert hist[0].changes == {"indicators": {"test_share": {"changed": 1}}}
    assert V.served_version(served) == hist[0]
    lines = (served.parent / "workbench" / "history.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["version_id"] for line in lines] == ["v0001", "v0002", "v0003"]  # the file: oldest first


def test_rollback_restores_an_earlier_file_as_a_new_version(served):
    original = sha(served)
    publish_value(served, 20.0)
    publish_value(served, 25.0)
    token = V.served_token(served)
    restored = V.rollback("v0001", target=served, user="zeynep", expected_token=token, checks=TINY_CHECKS)
    assert sha(served) == original and restored.sha256 == original
    assert district_value(served, "9001") == pytest.approx(15.0)
    assert (restored.version_id, restored.action, restored.user, restored.changes) == (
        "v0004", "rollback", "zeynep", {"restored": "v0001"})
    assert [v.action for v in V.history(served)] == ["rollback", "publish", "publish", "initial"]
    again = V.rollback("v0003", target=served, user="zeynep", checks=TINY_CHECKS)  # without a token: no stale check
    assert district_value(served, "9001") == pytest.approx(25.0) and again.changes == {"restored": "v0003"}


def test_rollback_refuses_what_it_cannot_restore(served):
    publish_value(served, 20.0)
    before = files(served.parent)
    with pytest.raises(WorkbenchError, match="v0002 is the one served now"):
        V.rollback("v0002", target=served, user="ayse", checks=TINY_CHECKS)
    with pytest.raises(WorkbenchError, match="There is no version v0009"):
        V.rollback("v0009", target=served, user="ayse")
    with pytest.raises(WorkbenchError, match="'2' is not a version: a version is written like v0003"):
        V.rollback("2", target=served, user="ayse")
    with pytest.raises(PermissionError, match="no editor is signed in"):
        V.rollback("v0001", target=served, user=None)
    with pytest.raises(PermissionError):
        V.rollback("v0001", target=served, user="  ")
    assert files(served.parent) == before


def test_a_tampered_version_file_is_not_restored(served):
    publish_value(served, 20.0)
    con = duckdb.connect(str(V.version_file(served, "v0001")))
    con.execute("INSERT INTO build_info VALUES ('tampered', 'yes')")
    con.close()
    served_before = sha(served)
    with pytest.raises(WorkbenchError, match="changed on disk and is not restored"):
        V.rollback("v0001", target=served, user="ayse", checks=TINY_CHECKS)
    assert sha(served) == served_before and len(V.history(served)) == 2


def test_keep_n_prunes_the_files_but_not_the_history(served):
    for value in (16.0, 17.0, 18.0):
        publish_value(served, value, keep=2)
    assert V.kept_versions(served) == {"v0003", "v0004"}
    assert [v.version_id for v in V.history(served)] == ["v0004", "v0003", "v0002", "v0001"]
    with pytest.raises(WorkbenchError, match=r"v0001 is no longer kept \(only the last 2 .* restored: v0004, v0003"):
        V.rollback("v0001", target=served, user="ayse", keep=2)
    V.rollback("v0003", target=served, user="ayse", keep=2, checks=TINY_CHECKS)
    assert V.kept_versions(served) == {"v0004", "v0005"}


def test_keep_comes_from_the_environment_and_is_checked(served, monkeypatch):
    monkeypatch.setenv(V.KEEP_ENV, "1")
    publish_value(served, 16.0)
    assert V.kept_versions(served) == {"v0002"}
    assert V.keep_count(3) == 3
    monkeypatch.delenv(V.KEEP_ENV)
    assert V.keep_count() == 10
    for bad, where in (("ten", "ATLAS_KEEP_VERSIONS = 'ten' is not a whole number"),
                       ("0", "ATLAS_KEEP_VERSIONS = 0 is out of range; keep between 1 and 1000")):
        monkeypatch.setenv(V.KEEP_ENV, bad)
        with pytest.raises(WorkbenchError, match=where):
            V.keep_count()
    with pytest.raises(WorkbenchError, match="keep = '2.5' is not a whole number"):
        V.keep_count(2.5)


# --- refusals that change nothing -------------------------------------------------------------------

def test_a_stale_token_raises_stale_data_and_changes_nothing(served):
    staged, token = staged_with(served, 30.0)  # editor A previews
    publish_value(served, 20.0, user="mehmet")  # editor B publishes meanwhile
    before = files(served.parent)
    with pytest.raises(V.StaleData) as err:
        V.publish(staged, target=served, user="ayse", file_name="a.csv", expected_token=token, changes={},
                  checks=TINY_CHECKS)
    assert "changed after this preview was made (v0002, by mehmet" in str(err.value)
    assert "v0002" in err.value.in_language("tr") and err.value.in_language("tr") != str(err.value)
    assert files(served.parent) == before
    assert district_value(served, "9001") == pytest.approx(20.0)


def test_no_user_and_bad_arguments_are_refused(served):
    staged, token = staged_with(served, 20.0)
    before = files(served.parent)
    for user in (None, ""):
        with pytest.raises(PermissionError):
            V.publish(staged, target=served, user=user, file_name="a.csv", expected_token=token, changes={})
    with pytest.raises(WorkbenchError, match="changes cannot be stored as JSON"):
        V.publish(staged, target=served, user="ayse", file_name="a.csv", expected_token=token, changes={"x": {1, 2}})
    with pytest.raises(WorkbenchError, match="is the served database itself"):
        V.publish(served, target=served, user="ayse", file_name="a.csv", expected_token=token, changes={})
    assert files(served.parent) == before


def test_a_database_failing_the_checks_is_not_published(served):
    staged, token = staged_with(served, 20.0)
    con = duckdb.connect(str(staged))
    con.execute("DELETE FROM indicator_values")  # check indicators_have_values fails
    con.close()
    before_sha = sha(served)
    with pytest.raises(WorkbenchError, match="The data was not published; the served data is unchanged"):
        V.publish(staged, target=served, user="ayse", file_name="a.csv", expected_token=token, changes={},
                  checks=TINY_CHECKS | {"indicators_have_values"})
    assert sha(served) == before_sha and V.history(served) == []
    wb = served.parent / "workbench"
    assert not (wb / "pending.json").exists() and V.kept_versions(served) == set()
    assert sorted(p.name for p in served.parent.iterdir()) == ["atlas.duckdb", "workbench"]


def test_a_malformed_history_line_is_named(served):
    publish_value(served, 20.0)
    path = served.parent / "workbench" / "history.jsonl"
    path.write_text(path.read_text(encoding="utf-8") + '{"version_id": "v0003"\n', encoding="utf-8")
    with pytest.raises(WorkbenchError, match="history.jsonl line 3 is not JSON"):
        V.history(served)


# --- staging and the token ------------------------------------------------------------------------------

def test_stage_copy_is_a_private_copy_and_the_token_follows_the_file(served, tmp_path):
    token = V.served_token(served)
    assert token == sha(served) and V.served_token(served) == token  # cached by (inode, mtime, size)
    staged = V.stage_copy(served)
    assert staged.parent == served.parent / "workbench" / "staging" and staged.read_bytes() == served.read_bytes()
    con = duckdb.connect(str(staged))
    con.execute("INSERT INTO build_info VALUES ('x', 'y')")
    con.close()
    assert V.served_token(served) == token  # the served file is untouched
    os.replace(staged, served)
    assert V.served_token(served) == sha(served) != token
    with pytest.raises(WorkbenchError, match="There is no served database at"):
        V.stage_copy(tmp_path / "nothing" / "atlas.duckdb")
    assert V.served_token(tmp_path / "nothing.duckdb") == V.MISSING_TOKEN


# --- concurrency and crashes ----------------------------------------------------------------------------

def _publish_worker(staged: str, target: str, user: str, token: str, barrier, results) -> None:
    """A second process publishing (spawned: nothing shared with the test's process but the files)."""
    barrier.wait(timeout=60)
    try:
        version = V.publish(Path(staged), target=Path(target), user=user, file_name=f"{user}.csv",
                            expected_token=token, changes={"by": user})
        results.put(("ok", user, version.sha256))
    except V.StaleData as exc:
        results.put(("stale", user, str(exc)))
    except Exception as exc:  # reported to the test, which fails naming it
        results.put(("error", user, f"{type(exc).__name__}: {exc}"))


def test_two_concurrent_publishes_one_wins_the_other_is_told_to_look_again(served_real):
    token = V.served_token(served_real)
    staged = {user: staged_with(served_real, note=user)[0] for user in ("ayse", "mehmet")}
    want = {user: sha(path) for user, path in staged.items()}
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=_publish_worker, args=(str(staged[u]), str(served_real), u, token, barrier, results))
             for u in staged]
    for p in procs:
        p.start()
    outcomes = sorted(results.get(timeout=120) for _ in procs)
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    assert sorted(o[0] for o in outcomes) == ["ok", "stale"], outcomes
    winner = next(o for o in outcomes if o[0] == "ok")[1]
    loser = next(o for o in outcomes if o[0] == "stale")
    assert f"by {winner}" in loser[2]
    assert sha(served_real) == want[winner]  # one whole file, the winner's
    con = connect(served_real)
    try:
        assert not run_checks(con).failed
        assert con.execute("SELECT value FROM build_info WHERE key = 'workbench_test'").fetchone()[0] == winner
    finally:
        con.close()
    assert [(v.action, v.user) for v in V.history(served_real)] == [("publish", winner), ("initial", "")]


def _killed_worker(staged: str, target: str, token: str, pause_at: str, marker: str) -> None:
    """Publish, and stop at step ``pause_at`` (signal the test through ``marker``) to be killed there."""
    def on_step(name: str) -> None:
        if name == pause_at:
            Path(marker).write_text(str(os.getpid()))
            time.sleep(120)

    V.publish(Path(staged), target=Path(target), user="ayse", file_name="killed.csv", expected_token=token,
              changes={}, on_step=on_step)


def _kill_at(served: Path, pause_at: str, tmp_path: Path) -> str:
    """Run a publish in another process and SIGKILL it at ``pause_at``; the staged file's checksum."""
    staged, token = staged_with(served, note="killed")
    marker = tmp_path / f"paused-{pause_at}"
    proc = multiprocessing.get_context("spawn").Process(
        target=_killed_worker, args=(str(staged), str(served), token, pause_at, str(marker)))
    proc.start()
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert proc.is_alive() and time.monotonic() < deadline, "the publish never reached its pause"
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.join(timeout=30)
    assert proc.exitcode == -signal.SIGKILL
    return sha(staged)


def test_a_publish_killed_between_copy_and_swap_leaves_the_previous_database(served_real, tmp_path):
    publish_first, token = staged_with(served_real, note="first")
    V.publish(publish_first, target=served_real, user="mehmet", file_name="first.csv", expected_token=token,
              changes={})
    serving, history_before = sha(served_real), (served_real.parent / "workbench" / "history.jsonl").read_bytes()
    _kill_at(served_real, "checked", tmp_path)  # the checked copy lies beside the target, not yet renamed
    assert sha(served_real) == serving
    con = connect(served_real)
    try:
        assert not run_checks(con).failed
    finally:
        con.close()
    wb = served_real.parent / "workbench"
    assert (wb / "history.jsonl").read_bytes() == history_before
    assert (wb / "pending.json").exists() and list(served_real.parent.glob(".atlas.duckdb.publish-*"))
    assert V.needs_recovery(served_real)
    assert V.recover(served_real) == []  # nothing to record: the swap never happened
    assert (wb / "history.jsonl").read_bytes() == history_before and not (wb / "pending.json").exists()
    assert not list(served_real.parent.glob(".atlas.duckdb.publish-*")) and V.kept_versions(served_real) == {"v0001",
                                                                                                             "v0002"}
    assert not V.needs_recovery(served_real)


def test_recover_records_a_swap_that_has_no_history_line(served_real, tmp_path):
    original = sha(served_real)
    published = _kill_at(served_real, "swapped", tmp_path)  # killed after the rename, before the history
    assert sha(served_real) == published and V.history(served_real) == []
    assert V.needs_recovery(served_real)
    added = V.recover(served_real)
    assert [(v.version_id, v.action, v.sha256) for v in added] == [("v0001", "initial", original),
                                                                   ("v0002", "publish", published)]
    assert V.history(served_real) == list(reversed(added)) and V.served_version(served_real) == added[-1]
    assert V.recover(served_real) == [] and not V.needs_recovery(served_real)


def test_a_database_replaced_outside_the_workbench_is_recorded(served):
    publish_value(served, 20.0)
    outside = make_tiny_db(served.parent / "rebuilt.duckdb")  # e.g. python -m atlas build
    con = duckdb.connect(str(outside))
    con.execute("INSERT INTO build_info VALUES ('rebuilt', 'yes')")
    con.close()
    os.replace(outside, served)
    assert V.needs_recovery(served)
    staged, token = staged_with(served, 22.0)
    V.publish(staged, target=served, user="ayse", file_name="after.csv", expected_token=token, changes={},
              checks=TINY_CHECKS)
    hist = V.history(served)
    assert [(v.version_id, v.action, v.user) for v in hist] == [
        ("v0004", "publish", "ayse"), ("v0003", "initial", ""), ("v0002", "publish", "ayse"), ("v0001", "initial", "")]
    assert hist[1].changes == {"outside_workbench": True} and V.version_file(served, "v0003") is not None


def test_the_command_line_lists_restores_and_recovers(served, capsys):
    from atlas.workbench.__main__ import main

    original = sha(served)
    publish_value(served, 20.0)
    assert main(["history", "--db", str(served)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == ["v0002", "v0001"]
    assert "served kept" in lines[0] and "value_20.csv" in lines[0] and lines[1].split()[2] == "initial"
    with pytest.raises(SystemExit):  # --user is required
        main(["rollback", "v0001", "--db", str(served)])
    capsys.readouterr()
    # the tiny database fails the full integrity checks: the restore is refused and nothing changes
    assert main(["rollback", "v0001", "--user", "ayse", "--db", str(served)]) == 2
    assert "The data was not published; the served data is unchanged" in capsys.readouterr().err
    assert sha(served) != original and len(V.history(served)) == 2
    assert main(["rollback", "v0002", "--user", "ayse", "--db", str(served)]) == 2
    assert "v0002 is the one served now" in capsys.readouterr().err
    assert main(["recover", "--db", str(served)]) == 0
    assert capsys.readouterr().out == "recover: 0 version(s) recorded\n"
    assert main(["history", "--db", str(served.parent / "none.duckdb")]) == 2
