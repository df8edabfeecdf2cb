"""SEGE-2022: the build step on tiny files, and districts grouped by SEGE score or tier on a tiny database."""

from __future__ import annotations

import shutil

import duckdb
import pandas as pd
import pytest
import shapely
from shapely.geometry import box

from atlas.build.sege import read_sege, sege_indicators
from atlas.catalogue import load_catalogue
from atlas.equity.groups import GroupTable
from atlas.equity.report import equity_report, stratifier_choices
from atlas.equity.stratify import category_groups, quantile_groups
from atlas.errors import BuildError
from atlas.names import match_key

from tests.factories import SOURCE_ID, sample_indicator

HEADER = "ILCE,GENEL_SIRALAMA,IL_ICI_SIRALAMA,SKOR,KADEME\n"
ROWS = "Konak,11,1,3.465,1\nBornova,17,2,3.028,1\nKiraz,715,3,-0.599,5\n"


@pytest.fixture(scope="module")
def cat():
    return load_catalogue()


def _areas() -> pd.DataFrame:
    return pd.DataFrame({"level": ["district"] * 3, "code": ["1203", "1205", "1211"],
                         "name": ["Konak", "Bornova", "Kiraz"]})


def _write(tmp_path, text: str):
    path = tmp_path / "sege.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_build_on_a_tiny_file(tmp_path, cat):
    df = sege_indicators(_write(tmp_path, HEADER + ROWS), _areas(), cat, "sege_2022_districts")
    score = df[df["indicator_id"] == "sege_score"].set_index("area_code")
    tier = df[df["indicator_id"] == "sege_tier"].set_index("area_code")
    assert score["value"].to_dict() == {"1203": 3.465, "1205": 3.028, "1211": -0.599}
    assert tier["value"].to_dict() == {"1203": 1.0, "1205": 1.0, "1211": 5.0}
    assert set(df["period"]) == {"2022"} and set(df["level"]) == {"district"} and set(df["status"]) == {"ok"}
    assert score.loc["1211", "note_en"] == "SEGE-2022 rank 715 of 973 districts in Türkiye, 3 of 3 in İzmir"
    assert "973" in score.loc["1211", "note_tr"] and score.loc["1211", "note_tr"] != score.loc["1211", "note_en"]
    assert set(df["source_id"]) == {"sege_2022_districts"}


@pytest.mark.parametrize("text, message", [
    (HEADER.replace("SKOR", "SCORE") + ROWS, "missing SKOR"),
    (HEADER + ROWS.replace("3.028", "3.028x"), r"row 3 \('Bornova'\): column SKOR must be a number, got '3.028x'"),
    (HEADER + ROWS.replace(",5\n", ",7\n"), "KADEME must be 1 to 6, got 7"),
    (HEADER + ROWS.replace(",715,", ",71.5,"), "GENEL_SIRALAMA must be a whole number"),
    (HEADER + ROWS.replace("Kiraz", "Atlantis"), "'Atlantis' matches no İzmir district"),
    (HEADER + ROWS.replace("Kiraz", "Konak"), "'Konak' is listed twice"),
    (HEADER + ROWS.replace("Kiraz,715,3,-0.599,5\n", ""), "1 district.* not listed: Kiraz"),
])
def test_build_errors_name_the_row_and_value(tmp_path, cat, text, message):
    with pytest.raises(BuildError, match=message):
        sege_indicators(_write(tmp_path, text), _areas(), cat, "sege_2022_districts")


def test_missing_file_is_named(tmp_path):
    with pytest.raises(BuildError, match="SEGE-2022 file missing: .*nothing.csv"):
        read_sege(tmp_path / "nothing.csv")


def test_catalogue_entries(cat):
    score, tier = cat.get("sege_score"), cat.get("sege_tier")
    assert score.polarity == "higher_is_better" and tier.polarity == "lower_is_better"
    assert tier.ordinal and not score.ordinal and score.periods == ("2022",) and score.levels == ("district",)
    for ind in (score, tier):
        assert "SEGE-2022" in ind.source.tr and "Sanayi ve Teknoloji Bakanlığı" in ind.source.en
        assert "PDF" in ind.caveat.en and "PDF" in ind.caveat.tr and "hand" in ind.caveat.en


def test_real_build_has_sege_for_all_30_districts(real_db):
    con = duckdb.connect(str(real_db), read_only=True)
    df = con.execute("SELECT indicator_id, count(*) n, min(value) lo, max(value) hi FROM indicator_values "
                     "WHERE indicator_id LIKE 'sege_%' AND status = 'ok' GROUP BY 1 ORDER BY 1").df()
    assert df["n"].tolist() == [30, 30]
    assert df.set_index("indicator_id").loc["sege_score", "hi"] == pytest.approx(3.465)  # Konak
    assert df.set_index("indicator_id").loc["sege_tier", "hi"] == 5  # Kiraz


def test_build_without_the_sege_file_names_it_and_leaves_its_indicators_out(real_data_dir, tmp_path):
    from atlas.build.pipeline import build

    partial = tmp_path / "data"
    shutil.copytree(real_data_dir, partial, ignore=shutil.ignore_patterns("izmir_sege_2022_districts",
                                                                          "izmir_heat_vulnerability_grid"))
    messages: list[str] = []
    report = build(partial, tmp_path / "x.duckdb", progress=messages.append)
    assert "sege_2022_districts" in report.skipped
    assert {"sege_score", "sege_tier"} <= set(report.skipped_indicators)
    assert any("SEGE-2022 file missing" in m and "izmir_sege_2022_districts.csv" in m for m in messages)


# --- districts grouped by SEGE (a tiny database of six districts) ------------------------------

CODES = ["9001", "9002", "9003", "9004", "9005", "9006"]
POPS = [100, 200, 100, 300, 200, 100]
SCORES = [3.0, 2.0, 1.0, 0.5, -0.2, -0.5]
TIERS = [1, 1, 2, 2, 3, 4]
SHARE = [(10, 100), (30, 200), (20, 100), (60, 300), (50, 200), (30, 100)]  # 10, 15, 20, 20, 25, 30 %


def _add(con, ind, level, period, values):
    con.execute("INSERT INTO indicators VALUES ($id, $theme, $ttr, $ten, $utr, $uen, $vt, $pol, NULL, 'catalogue', $m)",
                {"id": ind.id, "theme": ind.theme, "ttr": ind.title.tr, "ten": ind.title.en, "utr": ind.unit.tr,
                 "uen": ind.unit.en, "vt": ind.value_type, "pol": ind.polarity, "m": ind.to_json()})
    for code, v in zip(CODES, values):
        value, num, den = (100 * v[0] / v[1], v[0], v[1]) if isinstance(v, tuple) else (v, None, None)
        con.execute("INSERT INTO indicator_values VALUES ($i, $level, $code, $p, $sort, $v, $n, $d, NULL, NULL, 'ok', "
                    "NULL, NULL, NULL, $src, NULL, NULL)", {"i": ind.id, "level": level, "code": code, "p": period,
                                                "sort": int(period), "v": value, "n": num, "d": den, "src": SOURCE_ID})


@pytest.fixture
def district_db(tiny_db, cat):
    """The tiny database with four more districts (six), their population, SEGE score and tier (the
    catalogue's entries) and a proportion ``share`` (lower is better)."""
    con = duckdb.connect(str(tiny_db))
    for i, code in enumerate(CODES[2:], start=2):
        wkb = shapely.to_wkb(box(27.0 + 0.01 * i, 38.5, 27.01 + 0.01 * i, 38.51))
        con.execute("INSERT INTO areas VALUES ('district', $c, $n, $k, '35', 'district', NULL, NULL, 1.0, NULL, "
                    "27.0, 38.5, $w, $w, $s)", {"c": code, "n": f"İlçe {i}", "k": match_key(f"ilce {i}"),
                                                "w": wkb, "s": SOURCE_ID})
    _add(con, sample_indicator(id="pop_total", value_type="count", scale=1.0, polarity="no_judgement",
                               periods=("2023",)), "district", "2023", POPS)
    _add(con, cat.get("sege_score"), "district", "2022", SCORES)
    _add(con, cat.get("sege_tier"), "district", "2022", TIERS)
    _add(con, sample_indicator(id="share", polarity="lower_is_better"), "district", "2023", SHARE)
    con.close()
    return duckdb.connect(str(tiny_db), read_only=True)


def test_districts_in_population_weighted_thirds_of_the_sege_score(district_db):
    g = quantile_groups(district_db, "share", "2023", "sege_score", n_groups=3, level="district")
    # from the low (disadvantaged) score: −0.5 (100), −0.2 (200), 0.5 (300), 1.0 (100), 2.0 (200), 3.0 (100);
    # midpoints .05 .20 | .45 .65 | .80 .95 → {9006, 9005}, {9004, 9003}, {9002, 9001}
    assert g.ordered and g.level == "district" and g.stratifier_id == "sege_score" and g.stratifier_period == "2022"
    assert dict(g.area_groups) == {"9006": "1", "9005": "1", "9004": "2", "9003": "2", "9002": "3", "9001": "3"}
    # (30 + 50) / 300 = 26.67 %, (60 + 20) / 400 = 20 %, (30 + 10) / 300 = 13.33 %
    assert g.values == pytest.approx((80 / 3, 20.0, 40 / 3)) and g.populations == (300.0, 400.0, 300.0)


def test_districts_by_official_tier(district_db):
    g = category_groups(district_db, "share", "2023", "sege_tier")
    # tier 1 = most developed, lower is better: groups from tier 4 (most disadvantaged) to tier 1
    assert g.ordered and g.n_groups == 4 and g.codes == ("1", "2", "3", "4")
    assert [lab.get("en") for lab in g.labels] == ["tier 4 (most disadvantaged)", "tier 3", "tier 2",
                                                   "tier 1 (most advantaged)"]
    assert g.labels[0].get("tr").startswith("kademe 4")
    assert dict(g.area_groups) == {"9006": "1", "9005": "2", "9003": "3", "9004": "3", "9001": "4", "9002": "4"}
    # 30/100, 50/200, (20 + 60)/400, (10 + 30)/300
    assert g.values == pytest.approx((30.0, 25.0, 20.0, 40 / 3)) and g.populations == (100.0, 200.0, 400.0, 300.0)
    assert g.n_areas == (1, 1, 2, 2) and g.value_method == "counts"


def test_equity_report_groups_by_tier_and_shows_the_source(district_db, cat):
    from atlas.equity.stratify import _indicator

    assert {"sege_score", "sege_tier"} <= set(stratifier_choices(
        district_db, {i: _indicator(district_db, i) for i in ("sege_score", "sege_tier", "share")}, "district"))
    r = equity_report(district_db, _indicator(district_db, "share"), "2023", "district", stratifier="sege_tier")
    assert isinstance(r.groups, GroupTable) and r.groups.n_groups == 4 and r.stratifier == "sege_tier"
    assert r.stratifier_indicator.caveat is not None and "PDF" in r.stratifier_indicator.caveat.en
    assert "tier 4 (most disadvantaged)" in r.summary.get("en") and "fifth" not in r.summary.get("en")
    assert {m.id for m in r.measures if hasattr(m, "value")} >= {"sii", "rii", "aci", "rci"}
    from atlas.equity.cli import report_dict

    d = report_dict(r, "tr")  # the command line's report names the grouping's source and caveat
    assert "SEGE-2022" in d["groups"]["stratifier_source"] and "PDF" in d["groups"]["stratifier_caveat"]
    q = equity_report(district_db, _indicator(district_db, "share"), "2023", "district", stratifier="sege_score")
    # quintiles of the score: midpoints .05 .20 .45 .65 .80 .95 → groups 1 2 3 4 5 5
    assert q.groups.n_groups == 5 and q.groups.n_areas == (1, 1, 1, 1, 2)
