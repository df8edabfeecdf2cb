"""atlas.workbench.stage: an upload checked by the importer's dry run, staged into a private copy,
published through atlas.workbench.versions — and nothing written while any problem remains."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from atlas.errors import ImportRejected
from atlas.importing.limits import MAX_FILE_BYTES
from atlas.workbench import stage
from tests.conftest import ROOT

EXAMPLE = ROOT / "examples" / "import_template.csv"
EXAMPLE_ENTRY = ROOT / "examples" / "import_template_entry.toml"


@pytest.fixture
def db(tmp_path, real_db) -> Path:
    path = tmp_path / "served" / "atlas.duckdb"
    path.parent.mkdir()
    shutil.copyfile(real_db, path)
    from atlas.importing import import_file

    import_file(EXAMPLE, path, EXAMPLE_ENTRY)  # the example indicator, imported before
    return path


def _staging(db: Path) -> list[Path]:
    folder = db.parent / "workbench" / "staging"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def test_safe_file_name_keeps_a_plain_name_and_the_suffix():
    assert stage.safe_file_name("../../etc/Aşı verisi 2024.CSV") == "Asi_verisi_2024.csv"
    assert stage.safe_file_name("C:\\Users\\İlçe.xlsx") == "Ilce.xlsx"
    assert stage.safe_file_name("....csv") == "upload.csv"
    with pytest.raises(ImportRejected, match=r"'\.exe' is not read; allowed: \.csv, \.txt, \.xlsx"):
        stage.safe_file_name("veri.exe")


def test_an_oversized_or_empty_upload_is_refused_before_it_is_read(db):
    v = stage.validate_upload(b"x" * (MAX_FILE_BYTES + 1), "big.csv", None, db)
    assert not v.ok and "the limit is 10 MB per file" in str(v.rejected)
    v = stage.validate_upload(b"", "empty.csv", None, db)
    assert not v.ok and "the file is empty" in str(v.rejected)


def test_validate_upload_gives_the_report_or_every_problem(db):
    good = stage.validate_upload(EXAMPLE.read_bytes(), "ok.csv", None, db)
    assert good.ok and good.report.indicator_id == "example_full_immunisation" and good.report.rows == 6
    bad = EXAMPLE.read_text(encoding="utf-8").replace("Bornova,,,2024,93.1", "Bornovva,,,2024,93.1")
    v = stage.validate_upload(bad.encode(), "bad.csv", None, db)
    assert not v.ok
    assert any("row 3" in str(p) for p in v.rejected.problems), v.rejected.problems
    assert not _staging(db)


def test_stage_import_needs_a_user_and_leaves_nothing_for_a_bad_file(db):
    with pytest.raises(PermissionError):
        stage.stage_import(EXAMPLE.read_bytes(), "ok.csv", None, db, user=None)
    bad = EXAMPLE.read_text(encoding="utf-8").replace(",11,12,", ",13,12,")
    with pytest.raises(ImportRejected):
        stage.stage_import(bad.encode(), "bad.csv", None, db, user="ayse")
    assert not _staging(db)


def test_staged_then_published_through_versions(db):
    from atlas.db import connect
    from atlas.workbench.versions import StaleData, history, served_token

    token = served_token(db)
    data = EXAMPLE.read_text(encoding="utf-8").replace(",4512,4801,", ",4600,4801,").encode()
    staged = stage.stage_import(data, "yeni.csv", None, db, user="ayse")
    assert staged.token == token and staged.path.is_file() and staged.path.parent == db.parent / "workbench" / "staging"
    assert staged.sha256 and staged.bytes == len(data) and staged.kind == "values"
    assert served_token(db) == token  # the served database is untouched
    # another editor publishes first: this one is told the data changed
    other = stage.stage_import(EXAMPLE.read_bytes(), "other.csv", None, db, user="mehmet")
    stage.publish_staged(other, user="mehmet")
    with pytest.raises(StaleData):
        stage.publish_staged(staged, user="ayse")
    assert not staged.path.exists()
    staged = stage.stage_import(data, "yeni.csv", None, db, user="ayse")
    version = stage.publish_staged(staged, user="ayse")
    assert version.user == "ayse" and version.file_name == "yeni.csv" and version.action == "publish"
    assert [v.version_id for v in history(db)][0] == version.version_id
    con = connect(db)
    try:
        n = con.execute("SELECT numerator FROM indicator_values WHERE indicator_id = 'example_full_immunisation' "
                        "AND level = 'district' AND numerator = 4600").fetchall()
    finally:
        con.close()
    assert n == [(4600.0,)]
    assert not _staging(db)
