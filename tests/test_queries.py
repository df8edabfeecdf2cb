"""The one-query-a-file runner."""

import duckdb
import pytest

from atlas import queries
from atlas.db import connect
from atlas.errors import QueryError


def test_every_shipped_query_has_a_docstring_and_named_params_only():
    found = queries.all_queries()
    assert len(found) >= 10
    for q in found:
        assert q.doc, q.name
        assert q.path.name == f"{q.name}.sql"


def test_run_binds_parameters(tiny_db):
    con = connect(tiny_db)
    df = queries.run(con.cursor(), "list_indicators", {"lang": "en"})
    assert df.loc[0, "title"] == "Test share"
    tr = queries.run(con.cursor(), "list_indicators", {"lang": "tr"})
    assert tr.loc[0, "title"] == "Test payı"


def test_user_text_is_bound_never_pasted(tiny_db):
    con = connect(tiny_db)
    evil = "en' OR 1=1; DROP TABLE indicators; --"
    df = queries.run(con.cursor(), "list_indicators", {"lang": evil})
    assert df.loc[0, "title"] == "Test payı"  # treated as an unknown language, nothing executed
    assert len(queries.run(con.cursor(), "list_indicators", {"lang": "tr"})) == 1


def test_missing_and_unexpected_parameters_name_the_file(tiny_db):
    con = connect(tiny_db)
    with pytest.raises(QueryError, match=r"list_indicators.sql: missing lang \(it takes: lang\)"):
        queries.run(con.cursor(), "list_indicators", {})
    with pytest.raises(QueryError, match=r"list_indicators.sql: unexpected level \(it takes: lang\)"):
        queries.run(con.cursor(), "list_indicators", {"lang": "tr", "level": "x"})


def test_unknown_query_lists_the_known_ones():
    with pytest.raises(QueryError, match="no query file nope.sql.*list_indicators"):
        queries.get_query("nope")
    with pytest.raises(QueryError, match="not valid"):
        queries.get_query("../etc/passwd")


def test_parse_rules(tmp_path):
    (tmp_path / "no_doc.sql").write_text("SELECT 1;")
    (tmp_path / "positional.sql").write_text("-- doc\nSELECT * FROM t WHERE a = ?;")
    (tmp_path / "colon.sql").write_text("-- doc\nSELECT * FROM t WHERE a = :a;")
    (tmp_path / "ok.sql").write_text("-- Doc line.\n-- More.\nSELECT $a::TEXT AS x, '$notparam' AS y -- $nor_this\n;")
    with pytest.raises(QueryError, match="no_doc.sql: the first lines must be '--' comments"):
        queries.get_query("no_doc", tmp_path)
    with pytest.raises(QueryError, match="positional.sql: use named parameters"):
        queries.get_query("positional", tmp_path)
    with pytest.raises(QueryError, match="colon.sql: use named parameters"):
        queries.get_query("colon", tmp_path)
    ok = queries.get_query("ok", tmp_path)
    assert ok.params == {"a"} and ok.doc == "Doc line.\nMore."
    con = duckdb.connect()
    assert queries.run(con, "ok", {"a": "v"}, tmp_path).loc[0, "x"] == "v"


def test_database_errors_name_the_file(tmp_path):
    (tmp_path / "bad_table.sql").write_text("-- Selects from a table that is not there.\nSELECT * FROM nowhere;")
    with pytest.raises(QueryError, match="bad_table.sql: CatalogException"):
        queries.run(duckdb.connect(), "bad_table", {}, tmp_path)
