"""Import of count data by age band (issue #19, item 1): a family of indicators from events and
populations by area × period × age band, with hand-worked DSR / SMR, every bad case row-numbered,
disclosure (primary and secondary), the stored 99.8 % limits and the fictional example files."""

from __future__ import annotations

import math

import duckdb
import numpy as np
import openpyxl
import pytest

from atlas import cli
from atlas.catalogue import indicator_from_json
from atlas.equity.benchmark import benchmark_level
from atlas.errors import ImportRejected
from atlas.importing import import_file
from atlas.statistics import suppression as sp
from atlas.statistics.smoothing import eb_global
from tests.conftest import ROOT
from tests.factories import SOURCE_ID, _square, make_tiny_db

EXAMPLES = ROOT / "examples"
Z95 = 1.959963984540054

ENTRY = """[[indicator]]
id = "{id}"
input = "age_bands"
theme = "population"
title = {{ tr = "Ölümler (kurgusal)", en = "Deaths (fictional)" }}
definition = {{ tr = "Kurgusal", en = "Fictional" }}
unit = {{ tr = "100.000 kişide", en = "per 100,000" }}
scale = 100000
decimals = 1
polarity = "lower_is_better"
source = "Test fixture (fictional)"
source_url = "https://example.org/test"
licence = "CC0"
method = {{ tr = "Kurgusal veri.", en = "Fictional data." }}
periods = {periods}
levels = ["district", "mahalle"]
{extra}
"""

# Two districts, bands 0-64 and 65+ (they meet the ESP 2013 bands at 0 and 65), 2023.
#   Karşıyaka: 0-64 20 deaths / 8,000;  65+ 30 / 2,000  → 50 / 10,000
#   Bornova:   0-64 10 deaths / 9,000;  65+ 40 / 1,000  → 50 / 10,000
TWO = [("Karşıyaka", "0-64", 20, 8000), ("Karşıyaka", "65+", 30, 2000),
       ("Bornova", "0-64", 10, 9000), ("Bornova", "65+", 40, 1000)]
HEADER = "level,district,mahalle,period,age_band,events,population"


def _db(tmp_path, name="t.duckdb"):
    db = make_tiny_db(tmp_path / name)
    con = duckdb.connect(str(db))
    con.execute("INSERT INTO themes VALUES ('population', 'Nüfus', 'Population'), ('health', 'Sağlık', 'Health')")
    con.close()
    return db


@pytest.fixture
def db(tmp_path):
    return _db(tmp_path)


def write_entry(path, id="deaths", periods='["2023"]', extra=""):
    path.write_text(ENTRY.format(id=id, periods=periods, extra=extra), encoding="utf-8")
    return path


def write_csv(path, lines):
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def two_district_lines(period="2023", rows=TWO):
    return [f"district,{d},,{period},{b},{e},{p}" for d, b, e, p in rows]


def values(db, indicator_id, period="2023"):
    con = duckdb.connect(str(db), read_only=True)
    try:
        df = con.execute("SELECT * FROM indicator_values WHERE indicator_id = ? AND period = ? ORDER BY level, area_code",
                         [indicator_id, period]).df()
    finally:
        con.close()
    return {(r.level, r.area_code): r for r in df.itertuples()}


def byar(o, z):
    lower = o * (1 - 1 / (9 * o) - z / (3 * math.sqrt(o))) ** 3
    upper = (o + 1) * (1 - 1 / (9 * (o + 1)) + z / (3 * math.sqrt(o + 1))) ** 3
    return lower, upper


def test_hand_worked_dsr_smr_isr_of_two_districts(db, tmp_path):
    f = write_csv(tmp_path / "d.csv", two_district_lines())
    report = import_file(f, db, write_entry(tmp_path / "e.toml"))
    assert report.indicator_id == "deaths" and report.new_indicator
    # ESP 2013 weights: 0-64 = 5000+5500·3+6000·2+6500+7000·4+6500+6000 = 80,500; 65+ = 19,500 (of 100,000)
    # DSR Karşıyaka = (0.805·20/8000 + 0.195·30/2000) × 100,000 = (0.0020125 + 0.0029250) × 1e5 = 493.75
    # DSR Bornova   = (0.805·10/9000 + 0.195·40/1000) × 100,000 = 89.444… + 780 = 869.444…
    head = values(db, "deaths")
    assert head[("district", "9001")].value == pytest.approx(493.75)
    assert head[("district", "9002")].value == pytest.approx(89.4444444 + 780)
    # Dobson's limits: var = Σ x (w/n)² = 20·(0.805/8000)² + 30·(0.195/2000)²; O = 50, Byar's limits of 50
    var = 20 * (0.805 / 8000) ** 2 + 30 * (0.195 / 2000) ** 2
    o_lo, o_hi = byar(50, Z95)
    k = math.sqrt(var / 50)
    a = head[("district", "9001")]
    assert a.lower_ci == pytest.approx((0.0049375 + k * (o_lo - 50)) * 1e5, rel=1e-9)
    assert a.upper_ci == pytest.approx((0.0049375 + k * (o_hi - 50)) * 1e5, rel=1e-9)
    assert (a.numerator, a.denominator) == (50, 10000)
    # İzmir (the two districts added up): 0-64 30 / 17,000; 65+ 70 / 3,000; DSR = 80500·30/17000 + 19500·70/3000
    assert head[("province", "35")].value == pytest.approx(80500 * 30 / 17000 + 19500 * 70 / 3000)
    # crude: 50 / 10,000 × 100,000 = 500 in both
    crude = values(db, "deaths__crude")
    assert crude[("district", "9001")].value == pytest.approx(500.0)
    # SMR: expected Karşıyaka = 8000·30/17000 + 2000·70/3000 = 14.1176 + 46.6667 = 60.7843; 50/60.7843·100 = 82.258
    smr = values(db, "deaths__smr")
    e_a = 8000 * 30 / 17000 + 2000 * 70 / 3000
    e_b = 9000 * 30 / 17000 + 1000 * 70 / 3000
    assert e_a + e_b == pytest.approx(100)  # the expected deaths add up to the observed ones
    assert smr[("district", "9001")].value == pytest.approx(50 / e_a * 100)
    assert smr[("district", "9002")].value == pytest.approx(127.5)  # 50 / 39.2157 · 100
    assert smr[("province", "35")].value == pytest.approx(100.0)
    lo, hi = byar(50, Z95)
    assert (smr[("district", "9001")].lower_ci, smr[("district", "9001")].upper_ci) == pytest.approx(
        (lo / e_a * 100, hi / e_a * 100))
    # ISR = SMR / 100 × İzmir's crude rate (100 / 20,000 × 1e5 = 500) = 411.29
    isr = values(db, "deaths__isr")
    assert isr[("district", "9001")].value == pytest.approx(50 / e_a * 500)
    # DSR to İzmir's own population: weights 17,000 and 3,000 of 20,000
    own = values(db, "deaths__dsr_izmir")
    assert own[("district", "9001")].value == pytest.approx((0.85 * 20 / 8000 + 0.15 * 30 / 2000) * 1e5)
    assert own[("province", "35")].value == pytest.approx(500.0)  # İzmir to its own structure: its crude rate


def test_the_family_written_and_its_catalogue_entries(db, tmp_path):
    f = write_csv(tmp_path / "d.csv", two_district_lines())
    report = import_file(f, db, write_entry(tmp_path / "e.toml"))
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT indicator_id, value_type, origin, metadata_json FROM indicators "
                       "WHERE indicator_id LIKE 'deaths%' ORDER BY 1").fetchall()
    con.close()
    got = {r[0]: indicator_from_json(r[3]) for r in rows}
    assert set(got) == {"deaths", "deaths__dsr_who2001", "deaths__dsr_izmir", "deaths__crude", "deaths__smr",
                        "deaths__isr"}  # no mahalle rows: no smoothed members
    assert {(i.measure, i.standard) for i in got.values()} == {
        ("dsr", "esp2013"), ("dsr", "who2001"), ("dsr", "izmir"), ("crude_rate", None), ("smr", None), ("isr", None)}
    assert all(i.family == "deaths" for i in got.values())
    assert got["deaths"].title.en == "Deaths (fictional) (age-standardised, ESP 2013)"
    assert got["deaths__crude"].title.en == "Deaths (fictional) (crude rate)"
    assert got["deaths__smr"].value_type == "ratio"
    assert "Dobson" in got["deaths"].method.en and "fewer than 10 events" in got["deaths"].method.en
    assert got["deaths"].method.en.endswith("Fictional data.")
    assert len(report.members) == 6 and report.members[0].startswith("deaths (dsr, esp2013)")


def test_xlsx_imports_like_csv(tmp_path):
    db_csv, db_xlsx = _db(tmp_path, "a.duckdb"), _db(tmp_path, "b.duckdb")
    import_file(write_csv(tmp_path / "d.csv", two_district_lines()), db_csv, write_entry(tmp_path / "e.toml"))
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER.split(","))
    for d, b, e, p in TWO:
        ws.append(["district", d, None, 2023, b, e, p])
    wb.save(tmp_path / "d.xlsx")
    import_file(tmp_path / "d.xlsx", db_xlsx, write_entry(tmp_path / "e.toml"))
    for member in ("deaths", "deaths__smr", "deaths__dsr_who2001"):
        a, b = values(db_csv, member), values(db_xlsx, member)
        assert {k: round(v.value, 9) for k, v in a.items()} == {k: round(v.value, 9) for k, v in b.items()}


BAD = [
    # (what, lines, row, words)
    ("gap", ["district,Karşıyaka,,2023,0-44,5,4000", "district,Karşıyaka,,2023,65+,30,2000"], 3,
     "missing age band: ages 45-64"),
    ("overlap", ["district,Karşıyaka,,2023,0-64,20,8000", "district,Karşıyaka,,2023,60+,30,2000"], 3,
     "overlapping age bands: 60+ overlaps 0-64"),
    ("no open top", ["district,Karşıyaka,,2023,0-64,20,8000", "district,Karşıyaka,,2023,65-84,30,2000"], 3,
     "missing open top band"),
    ("not from 0", ["district,Karşıyaka,,2023,5-64,20,8000", "district,Karşıyaka,,2023,65+,30,2000"], 2,
     "starts at age 5"),
    ("events > population", ["district,Karşıyaka,,2023,0-64,20,8000", "district,Karşıyaka,,2023,65+,30,20"], 3,
     "events (30) are more than the population (20)"),
    ("negative", ["district,Karşıyaka,,2023,0-64,-2,8000", "district,Karşıyaka,,2023,65+,30,2000"], 2,
     "events is negative (-2)"),
    ("non-integer", ["district,Karşıyaka,,2023,0-64,20,8000", "district,Karşıyaka,,2023,65+,30,2000.5"], 3,
     "population is 2000.5, not a whole number"),
    ("duplicate", ["district,Karşıyaka,,2023,0-64,20,8000", "district,Karşıyaka,,2023,65+,30,2000",
                   "district,Karşıyaka,,2023,65+,31,2000"], 4, "duplicate: the age band 65+"),
    ("unknown area", ["district,Karşıyka,,2023,0-64,20,8000", "district,Karşıyka,,2023,65+,30,2000"], 2,
     "unknown district 'Karşıyka'; closest: Karşıyaka"),
    ("bad band", ["district,Karşıyaka,,2023,0-64,20,8000", "district,Karşıyaka,,2023,old,30,2000"], 3,
     "The age band 'old' cannot be read"),
    ("span in a row", ["district,Karşıyaka,,2022-2023,0-64,20,8000", "district,Karşıyaka,,2022-2023,65+,30,2000"],
     2, "count data give single years"),
]


@pytest.mark.parametrize("what, lines, row, words", BAD, ids=[b[0] for b in BAD])
def test_bad_files_are_rejected_with_row_numbers_and_nothing_written(db, tmp_path, what, lines, row, words):
    f = write_csv(tmp_path / "bad.csv", lines + two_district_lines(rows=TWO[2:]))
    before = duckdb.connect(str(db), read_only=True)
    n_before = before.execute("SELECT count(*) FROM indicator_values").fetchone()[0]
    before.close()
    with pytest.raises(ImportRejected) as exc:
        import_file(f, db, write_entry(tmp_path / "e.toml"))
    assert any(p.startswith(f"row {row}: ") and words in p for p in exc.value.problems), exc.value.problems
    assert "nothing was written" in str(exc.value)
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM indicator_values").fetchone()[0] == n_before
    assert con.execute("SELECT count(*) FROM indicators WHERE indicator_id LIKE 'deaths%'").fetchone()[0] == 0
    con.close()


def test_missing_band_of_one_sex_and_sex_choice(db, tmp_path):
    head = "level,district,period,sex,age_band,events,population"
    lines = [head] + [f"district,{d},2023,{s},{b},{e // 2},{p // 2}" for d, b, e, p in TWO for s in ("kadın", "erkek")]
    f = tmp_path / "s.csv"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_file(f, db, write_entry(tmp_path / "e.toml"))  # female + male added up = the persons' file
    assert values(db, "deaths__crude")[("district", "9001")].numerator == 50
    f.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")  # Bornova's male 65+ left out
    with pytest.raises(ImportRejected) as exc:
        import_file(f, db, write_entry(tmp_path / "e.toml"))
    assert any(p.startswith("row 7: missing open top band") and ", male" in p for p in exc.value.problems), \
        exc.value.problems


def test_entry_keys_are_checked_loudly(db, tmp_path):
    f = write_csv(tmp_path / "d.csv", two_district_lines())
    cases = [('measures = ["dsr", "median"]', "key 'measures': 'median' is not allowed"),
             ('value_type = "proportion"', "key 'value_type': count data by age band make rates"),
             ('standard = "who2001"', "key 'standard': set by the import of count data"),
             ('sex = "both"', "key 'sex': 'both' is not allowed"),
             ('pooled = ["2019-2023"]', "'2019-2023' must also be listed in 'periods'")]
    for extra, words in cases:
        with pytest.raises(ImportRejected) as exc:
            import_file(f, db, write_entry(tmp_path / "e.toml", extra=extra))
        assert words in str(exc.value), (extra, str(exc.value))
    bad_input = write_entry(tmp_path / "e.toml").read_text(encoding="utf-8").replace('"age_bands"', '"counts"')
    (tmp_path / "e2.toml").write_text(bad_input, encoding="utf-8")
    with pytest.raises(ImportRejected, match="key 'input': 'counts' is not allowed"):
        import_file(f, db, tmp_path / "e2.toml")
    with pytest.raises(ImportRejected, match="count data by age band"):
        import_file(f, db)  # count data without their entry


def test_measures_chosen_by_the_entry(db, tmp_path):
    f = write_csv(tmp_path / "d.csv", two_district_lines())
    report = import_file(f, db, write_entry(tmp_path / "e.toml", extra='measures = ["crude"]'))
    assert [m.split(" ")[0] for m in report.members] == ["deaths", "deaths__crude"]  # the head always


def _mahalle_lines(period, counts):
    """counts: {(district, mahalle): (events 0-64, pop 0-64, events 65+, pop 65+)}; district rows added up."""
    out, sums = [], {}
    for (d, m), (x1, n1, x2, n2) in counts.items():
        out += [f"mahalle,{d},{m},{period},0-64,{x1},{n1}", f"mahalle,{d},{m},{period},65+,{x2},{n2}"]
        s = sums.setdefault(d, [0, 0, 0, 0])
        for i, v in enumerate((x1, n1, x2, n2)):
            s[i] += v
    for d, (x1, n1, x2, n2) in sums.items():
        out += [f"district,{d},,{period},0-64,{x1},{n1}", f"district,{d},,{period},65+,{x2},{n2}"]
    return out


MAHALLE = {("Karşıyaka", "Atatürk"): (1, 500, 2, 100),  # 3 deaths: suppressed (fewer than 5)
           ("Karşıyaka", "Bostanlı"): (10, 3000, 20, 800),
           ("Karşıyaka", "İnönü"): (9, 4500, 8, 1100),
           ("Bornova", "Atatürk"): (5, 5000, 20, 500),
           ("Bornova", "Kazımdirik"): (5, 4000, 20, 500)}


def test_secondary_suppression_cannot_be_undone_by_subtraction(db, tmp_path):
    f = write_csv(tmp_path / "m.csv", _mahalle_lines("2023", MAHALLE))
    report = import_file(f, db, write_entry(tmp_path / "e.toml"))
    assert "1 area-period(s) suppressed by the disclosure rule, 1 more by secondary suppression" in report.warnings[0]
    for member in ("deaths", "deaths__crude", "deaths__smr", "deaths__eb_global", "deaths__eb_spatial"):
        got = values(db, member)
        hidden = [k for k, r in got.items() if r.status == "suppressed"]
        assert set(hidden) == {("mahalle", "91001"), ("mahalle", "91003")}, member  # 3 deaths, and the next smallest
        for k in hidden:  # nothing recoverable is stored
            r = got[k]
            assert all(np.isnan(getattr(r, c)) for c in ("value", "numerator", "denominator", "lower_ci",
                                                         "upper_ci", "lower_998", "upper_998"))
        assert "worked out" in got[("mahalle", "91003")].note_en
        assert "fewer than 5 events" in got[("mahalle", "91001")].note_en
    # the attack: Karşıyaka's published deaths minus its published mahalle
    crude = values(db, "deaths__crude")
    left = crude[("district", "9001")].numerator - sum(
        r.numerator for k, r in crude.items() if k[0] == "mahalle" and k[1].startswith("91") and r.status == "ok")
    assert left == 3 + 17  # two hidden mahalle share the remainder: neither count follows
    cells = ["d", "m1", "m2", "m3"]
    assert sp.recoverable(cells, [sp.Equation("d", ("m1", "m2", "m3"))], ["m1", "m3"]) == set()


def test_smoothed_members_are_said_to_be_smoothed_and_match_the_smoother(db, tmp_path):
    f = write_csv(tmp_path / "m.csv", _mahalle_lines("2023", MAHALLE))
    import_file(f, db, write_entry(tmp_path / "e.toml"))
    con = duckdb.connect(str(db), read_only=True)
    meta = {r[0]: indicator_from_json(r[1]) for r in con.execute(
        "SELECT indicator_id, metadata_json FROM indicators WHERE indicator_id LIKE 'deaths__eb%'").fetchall()}
    con.close()
    for ind in meta.values():
        assert "smoothed" in ind.title.en and "smoothed" in ind.method.en.lower() and ind.levels == ("mahalle",)
    assert "queen contiguity" in meta["deaths__eb_spatial"].method.en
    o = [sum(v[::2]) for v in MAHALLE.values()]
    n = [sum(v[1::2]) for v in MAHALLE.values()]
    expected = eb_global(o, n, 100_000).rates
    got = values(db, "deaths__eb_global")
    for code, e in zip(["91001", "91002", "91003", "92001", "92002"], expected):
        if got[("mahalle", code)].status == "ok":
            assert got[("mahalle", code)].value == pytest.approx(e)
            assert np.isnan(got[("mahalle", code)].lower_ci)  # a smoothed rate has no CI


def test_dsr_of_fewer_than_10_events_is_not_calculated(db, tmp_path):
    small = [("Karşıyaka", "0-64", 2, 8000), ("Karşıyaka", "65+", 5, 2000)] + TWO[2:]
    import_file(write_csv(tmp_path / "d.csv", two_district_lines(rows=small)), db, write_entry(tmp_path / "e.toml"))
    head = values(db, "deaths")[("district", "9001")]
    assert head.status == "suppressed" and np.isnan(head.value) and "at least 10 events" in head.note_en
    assert values(db, "deaths__crude")[("district", "9001")].value == pytest.approx(70.0)  # 7 deaths are shown


def test_pooled_period_adds_up_the_years(db, tmp_path):
    lines = two_district_lines("2022") + two_district_lines("2023")
    entry = write_entry(tmp_path / "e.toml", periods='["2022", "2023", "2022-2023"]', extra='pooled = ["2022-2023"]')
    report = import_file(write_csv(tmp_path / "d.csv", lines), db, entry)
    assert report.periods == ("2022", "2022-2023", "2023")
    pooled = values(db, "deaths", "2022-2023")[("district", "9001")]
    # the same counts twice: 40 / 16,000 and 60 / 4,000 give the same DSR, from 100 events
    assert pooled.value == pytest.approx(493.75) and pooled.numerator == 100 and pooled.denominator == 20000
    with pytest.raises(ImportRejected, match="pooled period 2022-2023"):
        import_file(write_csv(tmp_path / "d1.csv", two_district_lines("2022") + two_district_lines(
            "2023", rows=TWO[:2])), db, entry)


def test_stored_998_limits_contain_the_95_ones_and_benchmark_uses_them(db, tmp_path):
    import_file(write_csv(tmp_path / "m.csv", _mahalle_lines("2023", MAHALLE)), db, write_entry(tmp_path / "e.toml"))
    con = duckdb.connect(str(db), read_only=True)
    df = con.execute("SELECT * FROM indicator_values WHERE indicator_id LIKE 'deaths%' AND lower_ci IS NOT NULL").df()
    assert len(df) > 30
    assert (df["lower_998"] <= df["lower_ci"]).all() and (df["upper_ci"] <= df["upper_998"]).all()
    assert (df["lower_ci"] <= df["value"]).all() and (df["value"] <= df["upper_ci"]).all()
    meta = con.execute("SELECT metadata_json FROM indicators WHERE indicator_id = 'deaths'").fetchone()[0]
    out = benchmark_level(con, indicator_from_json(meta), "2023", "district")
    stored = df[(df["indicator_id"] == "deaths") & (df["level"] == "district")].set_index("area_code")
    con.close()
    assert set(out["ci998_method"]) == {"stored"}
    for r in out.itertuples():
        assert (r.lower_998, r.upper_998) == pytest.approx((stored.at[r.area_code, "lower_998"],
                                                            stored.at[r.area_code, "upper_998"]))


def test_dry_run_checks_everything_and_writes_nothing(db, tmp_path):
    report = import_file(write_csv(tmp_path / "d.csv", two_district_lines()), db, write_entry(tmp_path / "e.toml"),
                         dry_run=True)
    assert len(report.members) == 6 and report.rows == 6 * 3
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM indicators WHERE indicator_id LIKE 'deaths%'").fetchone()[0] == 0
    con.close()


def test_reimport_replaces_the_period_of_every_member(db, tmp_path):
    entry = write_entry(tmp_path / "e.toml")
    import_file(write_csv(tmp_path / "d.csv", two_district_lines()), db, entry)
    changed = [("Karşıyaka", "0-64", 40, 8000)] + TWO[1:]
    report = import_file(write_csv(tmp_path / "d2.csv", two_district_lines(rows=changed)), db, entry)
    assert not report.new_indicator
    assert values(db, "deaths__crude")[("district", "9001")].numerator == 70


def _db30(tmp_path):
    """tiny_db (Karşıyaka, Bornova) with İzmir's other 28 districts added (fictional codes and squares)."""
    db = _db(tmp_path, "thirty.duckdb")
    others = ['Aliağa', 'Bayındır', 'Bergama', 'Çeşme', 'Dikili', 'Foça', 'Karaburun', 'Kemalpaşa', 'Kınık',
              'Kiraz', 'Menemen', 'Ödemiş', 'Seferihisar', 'Selçuk', 'Tire', 'Torbalı', 'Urla', 'Beydağ', 'Buca',
              'Konak', 'Menderes', 'Balçova', 'Çiğli', 'Gaziemir', 'Narlıdere', 'Güzelbahçe', 'Bayraklı', 'Karabağlar']
    from atlas.names import match_key

    con = duckdb.connect(str(db))
    for i, name in enumerate(others):
        wkb = _square(40 + i)
        con.execute("INSERT INTO areas VALUES ('district', $code, $name, $key, '35', 'district', NULL, NULL, 1.0, "
                    "NULL, 27.0, 38.4, $wkb, $wkb, $src)",
                    {"code": str(9100 + i), "name": name, "key": match_key(name), "wkb": wkb, "src": SOURCE_ID})
    con.close()
    return db


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_the_fictional_example_imports(tmp_path, suffix):
    db = _db30(tmp_path)
    example = EXAMPLES / f"deaths_by_age_example.{suffix}"
    report = import_file(example, db, EXAMPLES / "deaths_by_age_example_entry.toml")
    assert report.periods == ("2022", "2022-2023", "2023") and report.levels == ("district",)
    con = duckdb.connect(str(db), read_only=True)
    n = con.execute("SELECT count(*) FROM indicator_values WHERE indicator_id = 'example_deaths' "
                    "AND level = 'district' AND period = '2023' AND status = 'ok'").fetchone()[0]
    izmir = con.execute("SELECT count(*) FROM indicator_values WHERE indicator_id LIKE 'example_deaths%' "
                        "AND level = 'province'").fetchone()[0]
    con.close()
    assert n == 30 and izmir == 6 * 3  # every district on the map; an İzmir value per member and period
    for line in example.read_text(encoding="utf-8").splitlines()[1:] if suffix == "csv" else ():
        assert line.endswith("KURGUSAL / FICTIONAL")


def test_the_template_names_every_column():
    header = (EXAMPLES / "age_bands_template.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    from atlas.importing.age_rows import COUNT_COLUMNS

    assert tuple(header) == COUNT_COLUMNS[:-1]  # all but note_en
    rows = (EXAMPLES / "age_bands_template.csv").read_text(encoding="utf-8").splitlines()[1:]
    assert rows and all(r.endswith("KURGUSAL / FICTIONAL") for r in rows)


def test_cli_lists_the_family_members(db, tmp_path, capsys):
    f = write_csv(tmp_path / "d.csv", two_district_lines())
    assert cli.main(["import", str(f), "--entry", str(write_entry(tmp_path / "e.toml")), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "family member: deaths (dsr, esp2013): 3 rows" in out
    assert "family member: deaths__smr (smr): 3 rows" in out


def test_benchmark_prefers_stored_998_limits_and_never_compares_smoothed_rates():
    import pandas as pd

    from atlas.equity.benchmark import benchmark_areas
    from tests.factories import sample_indicator

    ind = sample_indicator(value_type="rate", scale=100_000.0, measure="dsr", standard="esp2013")
    frame = pd.DataFrame({"area_code": ["a", "b"], "value": [500.0, 500.0], "lower_ci": [420.0, 420.0],
                          "upper_ci": [590.0, 590.0], "lower_998": [380.0, np.nan], "upper_998": [650.0, np.nan],
                          "numerator": [50.0, 50.0], "denominator": [10_000.0, 10_000.0], "status": ["ok", "ok"]})
    out = benchmark_areas(frame, ind, 400.0)
    # a: the stored Dobson 99.8 % limits (380 – 650 contain 400: similar at 99.8 %, worse at 95 %)
    assert (out.at[0, "lower_998"], out.at[0, "upper_998"], out.at[0, "ci998_method"]) == (380.0, 650.0, "stored")
    assert (out.at[0, "verdict_95"], out.at[0, "verdict_998"]) == ("worse", "similar")
    # b: none stored, so the 95 % CI is stretched as before
    assert out.at[1, "ci998_method"] == "scaled_from_95"
    smoothed = sample_indicator(value_type="rate", scale=100_000.0, measure="eb_global")
    assert set(benchmark_areas(frame, smoothed, 400.0)["reason"]) == {"no_ci"}
