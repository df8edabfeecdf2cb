"""AppTest: the version history panel (app_support.workbench.history) through tests/workbench_history_app.py.

The served database is a copy of the real one (restoring runs every integrity check); one version was
published through the core before each test, so the history holds v0002 (published) and v0001 (the
starting point).
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from app_support.workbench import gate
from app_support.workbench.history import CONFIRM_KEY, changes_text, local_time
from atlas.deploy.stack import EDITOR_ENV, KIOSK_ENV, SECRET_FILE_ENV
from atlas.workbench import versions as V
from tests.conftest import ROOT


def sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def publish_note(target: Path, note: str, user: str = "mehmet") -> V.Version:
    token = V.served_token(target)
    staged = V.stage_copy(target)
    con = duckdb.connect(str(staged))
    con.execute("INSERT OR REPLACE INTO build_info VALUES ('workbench_test', $n)", {"n": note})
    con.close()
    return V.publish(staged, target=target, user=user, file_name=f"{note}.xlsx", expected_token=token,
                     changes={"rows": {"added": 3, "changed": 1, "removed": 0}, "lost_count": 0})


@pytest.fixture
def served(tmp_path, real_db, monkeypatch) -> Path:
    folder = tmp_path / "served"
    folder.mkdir()
    target = folder / "atlas.duckdb"
    shutil.copyfile(real_db, target)
    monkeypatch.setenv("ATLAS_DB", str(target))
    monkeypatch.setenv(EDITOR_ENV, "1")
    monkeypatch.delenv(KIOSK_ENV, raising=False)
    monkeypatch.delenv(SECRET_FILE_ENV, raising=False)  # password mode: the user lives in session state
    return target


def run(signed_in: str | None = None, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "tests" / "workbench_history_app.py"), default_timeout=120)
    at.query_params.update(params)
    if signed_in is not None:
        at.session_state[gate.USER_KEY] = signed_in
    return at.run()


def test_an_empty_history_says_so(served):
    at = run(lang="en")
    assert not at.exception and not at.error
    assert "Nothing has been published from the workbench yet" in at.info[0].value
    assert not at.dataframe


def test_the_table_is_shown_and_nobody_signed_in_can_restore_nothing(served):
    published = publish_note(served, "first")
    at = run(lang="en")
    assert not at.exception and not at.error
    table = at.dataframe[0].value
    assert list(table.columns) == ["Version", "When (İzmir time)", "Who", "Action", "File", "Checksum (SHA-256)",
                                   "What changed", "Kept on disk"]
    assert table.iloc[0].tolist() == ["v0002 ◀ served now", local_time(published.published_at), "mehmet", "published",
                                      "first.xlsx", published.sha256[:12] + "…",
                                      "3 values added; 1 value changed; 0 values removed", "yes"]
    assert table.iloc[1][["Version", "Who", "Action", "What changed"]].tolist() == [
        "v0001", "–", "starting point", "the data served before the first publish"]
    assert [i.value for i in at.info] == ["Sign in as an editor to restore an earlier version."]
    assert not at.selectbox and not at.button


def test_the_table_reads_in_turkish(served):
    publish_note(served, "first")
    at = run()
    assert not at.exception
    assert list(at.dataframe[0].value.columns)[:2] == ["Sürüm", "Ne zaman (İzmir saati)"]
    assert at.dataframe[0].value.iloc[0]["İşlem"] == "yayımlandı"


def test_a_signed_in_editor_restores_an_earlier_version_after_confirming(served):
    original = sha(served)
    publish_note(served, "first")
    at = run(signed_in="ayse", user="ayse", lang="en")
    assert not at.exception and not at.error
    assert at.selectbox(key="wb_restore_version").options == [
        f"v0001 · {local_time(V.history(served)[1].published_at)} · – · atlas.duckdb"]
    at.button(key="wb_restore").click().run()
    assert "Restore v0001 (atlas.duckdb, the data served as of" in at.warning[0].value
    assert sha(served) != original  # nothing happens before the confirmation
    at.button(key="wb_restore_confirm").click().run()
    assert not at.exception and not at.error
    assert sha(served) == original
    newest = V.history(served)[0]
    assert (newest.version_id, newest.action, newest.user, newest.changes) == ("v0003", "rollback", "ayse",
                                                                               {"restored": "v0001"})
    assert at.success[0].value.startswith("Version v0001 is served again (recorded as v0003)")
    assert at.dataframe[0].value.iloc[0]["What changed"] == "version v0001 again"
    assert CONFIRM_KEY not in at.session_state


def test_cancel_restores_nothing(served):
    publish_note(served, "first")
    publish_note(served, "second", user="zeynep")
    before = sha(served)
    at = run(signed_in="ayse", user="ayse", lang="en")
    assert [o.split(" · ")[0] for o in at.selectbox(key="wb_restore_version").options] == ["v0002", "v0001"]
    at.selectbox(key="wb_restore_version").set_value("v0002").run()
    at.button(key="wb_restore").click().run()
    assert at.warning[0].value.startswith("Restore v0002 (first.xlsx, published ")
    assert " by mehmet)? Every visitor sees that data" in at.warning[0].value
    at.button(key="wb_restore_cancel").click().run()
    assert not at.exception and not at.warning and sha(served) == before and len(V.history(served)) == 3


def test_a_session_that_only_claims_a_user_restores_nothing(served):
    publish_note(served, "first")
    before = sha(served)
    at = run(user="mallory", lang="en")  # the URL claims a user; the gate knows nobody
    at.button(key="wb_restore").click().run()
    at.button(key="wb_restore_confirm").click().run()
    assert [e.value for e in at.error] == ["You are not signed in as an editor; nothing was restored."]
    assert sha(served) == before and len(V.history(served)) == 2


def test_a_restore_after_another_publish_is_refused_as_stale(served):
    publish_note(served, "first")
    at = run(signed_in="ayse", user="ayse", lang="en")
    at.button(key="wb_restore").click().run()
    publish_note(served, "second", user="zeynep")  # meanwhile, from another session
    now = sha(served)
    at.button(key="wb_restore_confirm").click().run()
    assert "changed after you opened this list (v0003, by zeynep" in at.error[0].value
    assert sha(served) == now and [v.action for v in V.history(served)] == ["publish", "publish", "initial"]


def test_changes_text_reads_the_kinds_of_version():
    def version(action: str, changes: dict) -> V.Version:
        return V.Version("v0009", "2026-12-03T05:40:00Z", "ayse", "f.csv", "0" * 64, 1, action, changes)

    assert changes_text(version("rollback", {"restored": "v0002"}), "tr") == "v0002 sürümü yeniden"
    assert changes_text(version("initial", {"outside_workbench": True}), "en").startswith("replaced outside")
    assert changes_text(version("publish", {"points": {"layer": "pharmacies", "points": 1}}), "en") == \
        "point layer pharmacies: 1 point"
    assert changes_text(version("publish", {}), "en") == "–"
    summary = {"rows": {"added": 2, "changed": 1, "removed": 0}, "lost_count": 1, "largest": [], "lost": [],
               "groups": [{"indicator_id": "asthma_rate", "level": "mahalle", "period": "2024", "added": 2,
                           "changed": 1, "removed": 0}],
               "indicators": [{"indicator_id": "asthma_rate", "change": "added"}],
               "layers": [{"layer_id": "pharmacies", "added": 4, "changed": 0, "removed": 1}]}
    assert changes_text(version("publish", summary), "en") == (
        "2 values added; 1 value changed; 0 values removed; 1 area lost a value; "
        "point layer pharmacies: 4 added, 0 changed, 1 removed; indicator: asthma_rate")
    assert changes_text(version("publish", summary), "tr").startswith("2 değer eklendi; 1 değer değişti")
    assert local_time("2026-12-03T05:40:00Z") == "2026-12-03 08:40"  # İzmir is UTC+3 all year
