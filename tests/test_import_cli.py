"""`python -m atlas import` end to end on a real build, including while the app has the database open."""

import shutil
import subprocess
import sys

import duckdb

from tests.conftest import ROOT

EXAMPLE = ROOT / "examples" / "import_template.csv"
ENTRY = ROOT / "examples" / "import_template_entry.toml"
HOLD_OPEN = (
    "import duckdb, sys\n"
    "con = duckdb.connect(sys.argv[1], read_only=True)\n"
    "print(con.execute('SELECT count(*) FROM indicators').fetchone()[0], flush=True)\n"
    "sys.stdin.read()\n"
)


def _import(db, *extra):
    return subprocess.run([sys.executable, "-m", "atlas", "import", str(EXAMPLE), "--entry", str(ENTRY),
                           "--db", str(db), *extra], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_import_while_another_process_reads_the_database(real_db, tmp_path):
    db = tmp_path / "atlas.duckdb"
    shutil.copy(real_db, db)
    reader = subprocess.Popen([sys.executable, "-c", HOLD_OPEN, str(db)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        before = int(reader.stdout.readline())  # the reader holds its read lock from here on
        res = _import(db)
        assert res.returncode == 0, res.stderr
        assert "imported: 6 rows of example_full_immunisation (new indicator)" in res.stdout
    finally:
        reader.communicate("", timeout=30)
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM indicators").fetchone()[0] == before + 1
    assert con.execute("SELECT count(*) FROM indicator_values WHERE indicator_id = 'example_full_immunisation'"
                       ).fetchone()[0] == 6
    con.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["atlas.duckdb"]  # no temporary copy left


def test_dry_run_writes_nothing(real_db, tmp_path):
    db = tmp_path / "atlas.duckdb"
    shutil.copy(real_db, db)
    before = db.read_bytes()
    res = _import(db, "--dry-run")
    assert res.returncode == 0 and "dry run, nothing written" in res.stdout
    assert db.read_bytes() == before
