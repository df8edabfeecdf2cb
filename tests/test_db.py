"""atlas.db: opening a database, and telling a database of another version apart."""

from __future__ import annotations

import duckdb
import pytest

from atlas import db
from atlas.build.carry_imports import read_previous
from atlas.errors import MissingDataError, OutdatedDatabaseError
from tests.factories import SOURCE_ID, make_tiny_db


def _as_version_1(path):
    """What the atlas built before notes and source texts had two languages, made from a tiny
    database: one ``note`` column, one ``title``/``licence``/``attribution`` column, no schema
    version, and the indicators imported. Written to a new file (the tables are copied, since the
    keys between them do not allow altering them in place)."""
    con = duckdb.connect(str(path))
    con.execute("UPDATE indicator_values SET note_tr = 'eski not', note_en = 'eski not' WHERE area_code = '9001'")
    con.execute("DELETE FROM build_info WHERE key = 'schema_version'")
    con.execute("UPDATE indicators SET origin = 'import'")
    old = path.with_name(f"v1-{path.name}")
    con.execute(f"ATTACH '{old}' AS v1")
    changed = {
        "indicator_values": "SELECT * EXCLUDE (note_tr, note_en, coverage, source_id), note_tr AS note, coverage, "
                            "source_id FROM indicator_values",
        "sources": "SELECT source_id, title_en AS title, url, licence_en AS licence, attribution_en AS attribution, "
                   "file_path, sha256, bytes, loaded_at, notes FROM sources",
    }
    for table in db.TABLES:
        con.execute(f"CREATE TABLE v1.{table} AS {changed.get(table, f'SELECT * FROM {table}')}")
    con.close()
    return old


def test_a_new_database_records_its_schema_version(tmp_path):
    con = db.connect(make_tiny_db(tmp_path / "a.duckdb"))
    try:
        assert db.schema_version(con) == db.SCHEMA_VERSION
    finally:
        con.close()


def test_a_database_of_an_older_version_is_refused_with_how_to_rebuild(tmp_path):
    path = _as_version_1(make_tiny_db(tmp_path / "old.duckdb"))
    with pytest.raises(OutdatedDatabaseError, match=r"older version of the atlas \(database schema 1; this version "
                                                     rf"reads schema {db.SCHEMA_VERSION}\)\. Rebuild it with `python -m atlas build`"):
        db.connect(path)
    assert "older version" in db.build_reason(path)
    db.connect(path, any_version=True).close()


def test_a_database_of_a_newer_version_is_refused(tmp_path):
    path = make_tiny_db(tmp_path / "new.duckdb")
    con = duckdb.connect(str(path))
    con.execute("UPDATE build_info SET value = '99' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(OutdatedDatabaseError, match="newer version"):
        db.connect(path)


def test_build_is_needed_only_for_a_missing_or_outdated_database(tmp_path):
    assert "does not exist" in db.build_reason(tmp_path / "none.duckdb")
    assert db.build_reason(make_tiny_db(tmp_path / "ok.duckdb")) is None
    other = tmp_path / "other.duckdb"
    duckdb.connect(str(other)).close()  # a DuckDB file that is not an atlas: the app explains, no build over it
    with pytest.raises(MissingDataError, match="not an atlas database"):
        db.connect(other)
    assert db.build_reason(other) is None


def test_a_rebuild_carries_the_notes_of_a_version_1_database_into_both_languages(tmp_path):
    carried = read_previous(_as_version_1(make_tiny_db(tmp_path / "old.duckdb")))
    values = carried.values.set_index("area_code")
    assert "note" not in values.columns
    assert (values.at["9001", "note_tr"], values.at["9001", "note_en"]) == ("eski not", "eski not")
    src = carried.sources.set_index("source_id").loc[SOURCE_ID]
    assert "title" not in src.index and (src["title_tr"], src["title_en"]) == ("Test fixture", "Test fixture")
    assert src["attribution_tr"] == src["attribution_en"] == "Test fixture (fictional)"
