"""Integration: build the atlas from the real data in ../shared/data and check what it holds."""

import hashlib
import shutil
import subprocess
import sys

import duckdb
import pytest

from atlas import queries
from atlas.build.pipeline import build
from atlas.build.checks import run_checks
from atlas.db import connect
from atlas.errors import BuildError, MissingDataError
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def con(real_db):
    c = connect(real_db)
    yield c
    c.close()


def one(con, sql):
    return con.cursor().execute(sql).fetchall()


def test_thirty_districts_with_tuik_codes_and_pcodes(con):
    rows = one(con, "SELECT code, hdx_pcode, name FROM areas WHERE level = 'district' ORDER BY hdx_pcode")
    assert len(rows) == 30
    assert rows[0] == ("1128", "TUR035001", "Aliağa")
    assert {r[2] for r in rows} >= {"Bayraklı", "Karabağlar", "Karşıyaka", "Çiğli", "Ödemiş"}


def test_mahalle_layer_tied_to_districts_with_kinds(con):
    kinds = dict(one(con, "SELECT kind, count(*) FROM areas WHERE level = 'mahalle' GROUP BY kind"))
    assert sum(kinds.values()) == 1360
    assert kinds["mahalle"] >= 1288 and kinds["island"] >= 40 and kinds["industrial_zone"] >= 10
    assert kinds["free_zone"] >= 1
    orphans = one(con, "SELECT count(*) FROM areas m LEFT JOIN areas d ON d.level = 'district' "
                       "AND d.code = m.parent_code WHERE m.level = 'mahalle' AND d.code IS NULL")
    assert orphans == [(0,)]
    # the same name in two districts stays two areas
    assert one(con, "SELECT count(DISTINCT parent_code) FROM areas WHERE level = 'mahalle' AND name = 'Atatürk'")[0][0] > 3


def test_district_population_totals(con):
    totals = dict(one(con, "SELECT period, sum(value) FROM indicator_values WHERE indicator_id = 'pop_total' "
                           "AND level = 'district' GROUP BY period"))
    assert totals == {"2021": 4425789, "2023": 4479525, "2025": 4504185}


def test_every_value_has_a_documented_source(con):
    assert one(con, "SELECT count(*) FROM indicator_values v LEFT JOIN sources s USING (source_id) "
                    "WHERE s.source_id IS NULL") == [(0,)]
    rows = one(con, "SELECT sha256, licence_tr, licence_en, attribution_tr, attribution_en FROM sources")
    for sha, *texts in rows:
        assert len(sha) == 64 and all(texts)
    assert one(con, "SELECT count(*) FROM sources WHERE attribution_tr = attribution_en") == [(0,)]  # all translated


def test_mahalle_population_joins_for_99_percent(con):
    share = float(dict(one(con, "SELECT key, value FROM build_info"))["mahalle_join_population_share"])
    assert share >= 0.99
    unmatched = one(con, "SELECT source_name FROM name_matches WHERE area_code IS NULL")
    assert 0 < len(unmatched) < 15  # listed, not hidden


def test_geometry_display_is_smaller_and_areas_are_plausible(con):
    raw, disp = one(con, "SELECT sum(octet_length(geom_wkb)), sum(octet_length(geom_display_wkb)) FROM areas "
                         "WHERE level = 'mahalle'")[0]
    assert disp < 0.5 * raw
    konak = one(con, "SELECT area_km2, area_km2_official FROM areas WHERE level = 'district' AND name = 'Konak'")[0]
    assert konak[0] == pytest.approx(konak[1], rel=0.1)
    total = one(con, "SELECT sum(area_km2) FROM areas WHERE level = 'district'")[0][0]
    assert total == pytest.approx(11879, rel=0.01)


def test_proportions_carry_counts_and_wilson_ci(con):
    rows = one(con, "SELECT value, numerator, denominator, lower_ci, upper_ci FROM indicator_values "
                    "WHERE indicator_id = 'adults_65plus_share' AND level = 'district'")
    assert len(rows) == 30
    for value, num, den, lo, hi in rows:
        assert value == pytest.approx(100 * num / den)
        assert lo < value < hi


def test_grid_indicators_mark_poor_coverage_instead_of_guessing(con):
    rows = one(con, "SELECT status, coverage, note_tr FROM indicator_values WHERE indicator_id = 'lst_summer_mean' "
                    "AND level = 'mahalle'")
    ok = [r for r in rows if r[0] == "ok"]
    missing = [r for r in rows if r[0] == "missing"]
    assert len(ok) > 150 and len(missing) > 500
    assert all(r[1] >= 0.5 for r in ok) and all(r[1] < 0.5 and r[2] for r in missing)
    districts = dict(one(con, "SELECT a.name, v.status FROM indicator_values v JOIN areas a ON a.level = v.level "
                              "AND a.code = v.area_code WHERE indicator_id = 'lst_summer_mean' AND v.level = 'district'"))
    assert districts["Konak"] == "ok" and districts["Kiraz"] == "missing"


def test_every_note_of_the_build_is_in_turkish_and_in_english(con):
    rows = one(con, "SELECT indicator_id, status, note_tr, note_en FROM indicator_values "
                    "WHERE note_tr IS NOT NULL OR note_en IS NOT NULL")
    assert len(rows) > 1000
    assert all(tr and en and tr != en for _, _, tr, en in rows), [r for r in rows if not (r[2] and r[3])][:3]
    english = ("grid", " the ", "covered", "outside", "no resident", "matched", "suppressed")
    assert not [tr for _, _, tr, _ in rows if any(w in tr for w in english)][:3]
    notes = dict(((i, st), (tr, en)) for i, st, tr, en in rows)
    tr, en = notes[("lst_summer_mean", "missing")]
    assert "ızgara" in tr and "grid" in en


def test_notes_of_a_database_made_before_they_had_two_languages_are_kept_in_both():
    import pandas as pd

    from atlas.build.carry_imports import bilingual_notes

    old = pd.DataFrame({"area_code": ["9001", "9002"], "note": ["küçük sayı", None]})
    new = bilingual_notes(old)
    for col in ("note_tr", "note_en"):
        assert new[col].iloc[0] == "küçük sayı" and pd.isna(new[col].iloc[1])
    assert "note" not in new
    assert bilingual_notes(new) is new


def test_built_database_passes_every_check(con):
    report = run_checks(con)
    assert not report.failed, report.text()


def test_check_detects_a_broken_value(real_db, tmp_path):
    broken = tmp_path / "broken.duckdb"
    shutil.copy(real_db, broken)
    c = duckdb.connect(str(broken))
    c.execute("UPDATE indicator_values SET lower_ci = value + 1 WHERE indicator_id = 'sex_ratio' AND level = 'district'")
    c.close()
    c = connect(broken)
    report = run_checks(c)
    assert [o.name for o in report.failed] == ["value_ci"]
    assert "does not contain" in report.text()


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_failed_build_leaves_previous_database_untouched(real_db, real_data_dir, tmp_path):
    target = tmp_path / "atlas.duckdb"
    shutil.copy(real_db, target)
    before = _digest(target)
    bad = tmp_path / "data"
    shutil.copytree(real_data_dir, bad)
    csv = bad / "izmir_population_tuik_via_turkiye_api" / "izmir_district_population_2021_2023_2025.csv"
    csv.chmod(0o644)
    csv.write_text("year,ilce\n2021,Aliağa\n", encoding="utf-8")
    with pytest.raises(BuildError, match="izmir_district_population_2021_2023_2025.csv: expected columns"):
        build(bad, target, progress=lambda _m: None)
    assert _digest(target) == before
    assert list(tmp_path.glob("atlas.duckdb.tmp*")) == []


def test_missing_file_is_named_with_where_to_put_it(real_data_dir, tmp_path):
    partial = tmp_path / "data"
    shutil.copytree(real_data_dir, partial)
    (partial / "izmir_mahalle_turkeygeojson" ).chmod(0o755)
    (partial / "izmir_mahalle_turkeygeojson" / "izmir_mahalle_turkeygeojson.geojson").unlink()
    with pytest.raises(MissingDataError) as err:
        build(partial, tmp_path / "x.duckdb", progress=lambda _m: None)
    msg = str(err.value)
    assert "izmir_mahalle_turkeygeojson/izmir_mahalle_turkeygeojson.geojson" in msg
    assert str(partial) in msg and "ATLAS_DATA_DIR" in msg
    assert not (tmp_path / "x.duckdb").exists()


def test_missing_optional_grid_leaves_its_indicators_out(real_data_dir, tmp_path):
    partial = tmp_path / "data"
    shutil.copytree(real_data_dir, partial, ignore=shutil.ignore_patterns("izmir_heat_vulnerability_grid"))
    report = build(partial, tmp_path / "x.duckdb", progress=lambda _m: None)
    assert report.skipped == ["heat_vulnerability_grid"]
    c = connect(tmp_path / "x.duckdb")
    ids = set(queries.run(c.cursor(), "list_indicators", {"lang": "en"})["indicator_id"])
    assert "lst_summer_mean" not in ids and "pop_total" in ids


def _cli(*args, env=None):
    import os

    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "atlas", *args], cwd=ROOT, capture_output=True, text=True,
                          env=full_env, timeout=300)


def test_cli_check_passes_on_built_db(real_db):
    res = _cli("check", "--db", str(real_db))
    assert res.returncode == 0, res.stdout + res.stderr
    assert "12 of 12 checks passed" in res.stdout


def test_cli_without_data_says_what_is_missing(tmp_path):
    res = _cli("build", "--db", str(tmp_path / "x.duckdb"), env={"ATLAS_DATA_DIR": str(tmp_path / "nowhere")})
    assert res.returncode == 1
    assert "error: The data directory given by ATLAS_DATA_DIR does not exist" in res.stderr
    assert "Traceback" not in res.stderr


def test_cli_without_database_says_how_to_build(tmp_path):
    res = _cli("check", "--db", str(tmp_path / "none.duckdb"))
    assert res.returncode == 1 and "python -m atlas build" in res.stderr and "Traceback" not in res.stderr


def test_rebuild_keeps_imported_indicators(real_db, real_data_dir, tmp_path):
    from atlas.importing import import_file

    target = tmp_path / "atlas.duckdb"
    shutil.copy(real_db, target)
    report = import_file(ROOT / "examples" / "import_template.csv", target,
                         ROOT / "examples" / "import_template_entry.toml")
    c = connect(target)
    before = one(c, f"SELECT level, area_code, period, value FROM indicator_values "
                    f"WHERE indicator_id = '{report.indicator_id}' ORDER BY ALL")
    c.close()
    assert before

    rebuilt = build(real_data_dir, target, progress=lambda _m: None)
    assert rebuilt.carried_indicators == [report.indicator_id]
    c = connect(target)
    after = one(c, f"SELECT level, area_code, period, value FROM indicator_values "
                   f"WHERE indicator_id = '{report.indicator_id}' ORDER BY ALL")
    origin = one(c, f"SELECT origin FROM indicators WHERE indicator_id = '{report.indicator_id}'")
    assert after == before and origin == [("import",)]
    assert not run_checks(c).failed


def test_cli_check_on_a_file_that_is_not_a_database(tmp_path):
    not_db = tmp_path / "values.csv"
    not_db.write_text("a,b\n1,2\n", encoding="utf-8")
    res = _cli("check", "--db", str(not_db))
    assert res.returncode == 1 and "is not a DuckDB database" in res.stderr and "Traceback" not in res.stderr


def test_methods_content_from_the_real_build(con):
    from atlas.views.methods import indicator_cards, sources, who_coverage

    cards = indicator_cards(con, "en")
    by_id = {c.indicator.id: c for c in cards}
    assert by_id["pop_total"].periods == ("2021", "2023", "2025")
    assert by_id["pop_total"].levels == ("district", "mahalle")
    assert by_id["adults_65plus_share"].indicator.proxy
    who = who_coverage(con, "tr")
    # C6 green fraction (grid); C7, C9, C12, C13 the access indicators of issue #17
    assert len(who) == 32 and set(who.loc[who["has_data"], "code"]) == {"C6", "C7", "C9", "C12", "C13"}
    assert who.loc[who["code"] == "C6", "indicator_ids"].item() == "green_fraction"
    assert list(who["code"][:4]) == ["A1", "A2", "A3", "B1"] and list(who["code"][-1:]) == ["D8"]
    src = sources(con, "en")
    assert "HGM via OCHA/HDX COD-AB" in " ".join(src["attribution"])
    src_tr = sources(con, "tr")
    assert "İdari sınırlar: HGM, OCHA/HDX COD-AB aracılığıyla" in list(src_tr["attribution"])
    assert "Harita Genel Müdürlüğü" in " ".join(src_tr["licence"]) and list(src_tr["url"]) == list(src["url"])
