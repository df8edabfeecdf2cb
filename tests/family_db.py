"""A tiny fictional database with a *family* of measures (issue #19), as the age-band import writes it.

Built on ``tests.factories.make_tiny_db`` (two districts, five mahalle, unit squares): a family
``deaths`` (head: DSR against ESP 2013; members ``deaths__dsr_who2001``, ``deaths__dsr_izmir``,
``deaths__crude``, ``deaths__smr``, ``deaths__isr`` at both levels; ``deaths__eb_global`` and
``deaths__eb_spatial`` at mahalle level), and a score indicator ``test_score``. Every number is
made up; Bornova's district value and İnönü's mahalle value are suppressed (no value, no counts).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from atlas.catalogue import Disclosure, Text
from tests.factories import SOURCE_ID, make_tiny_db, sample_indicator

FAMILY = "deaths"
PERIOD = "2023"
# area → (events, population); None = suppressed
DISTRICT_COUNTS = {"9001": (40, 20_000), "9002": None}
MAHALLE_COUNTS = {"91001": (12, 8_000), "91002": (60, 9_000), "91003": None, "92001": (8, 6_000),
                  "92002": (10, 5_000)}
IZMIR = (400, 400_000)  # 100 per 100,000
SUPPRESSED_NOTE = ("5'ten az olay: gizlendi", "fewer than 5 events: suppressed")

# id suffix → (measure, standard, value_type, title suffix TR, EN, levels, value factor)
MEMBERS = {
    "": ("dsr", "esp2013", "rate", "yaşa göre standartlaştırılmış, ASN 2013", "age-standardised, ESP 2013", 1.10),
    "__dsr_who2001": ("dsr", "who2001", "rate", "yaşa göre standartlaştırılmış, DSÖ", "age-standardised, WHO", 0.80),
    "__dsr_izmir": ("dsr", "izmir", "rate", "yaşa göre standartlaştırılmış, İzmir", "age-standardised, İzmir", 1.00),
    "__crude": ("crude_rate", None, "rate", "ham", "crude", 1.00),
    "__smr": ("smr", None, "ratio", "SMR", "SMR", None),
    "__isr": ("isr", None, "rate", "dolaylı standart", "indirectly standardised", 1.05),
    "__eb_global": ("eb_global", None, "rate", "düzleştirilmiş, genel", "smoothed, global", 0.90),
    "__eb_spatial": ("eb_spatial", None, "rate", "düzleştirilmiş, komşular", "smoothed, neighbours", 0.95),
}


def family_indicators():
    out = []
    for suffix, (measure, standard, vtype, tr, en, _f) in MEMBERS.items():
        ratio = vtype == "ratio"
        out.append(sample_indicator(
            id=FAMILY + suffix, theme="population",
            title=Text(f"Ölümler ({tr})", f"Deaths ({en})"),
            definition=Text("Kurgusal ölümler", "Fictional deaths"),
            unit=Text("", "") if ratio else Text("100.000 kişide", "per 100,000"),
            scale=1.0 if ratio else 100_000.0, value_type=vtype, decimals=1, polarity="lower_is_better",
            method=Text(f"Yöntem: {tr}", f"Method: {en}"),
            levels=("mahalle",) if measure.startswith("eb_") else ("district", "mahalle"),
            disclosure=Disclosure(min_count=5), family=FAMILY, measure=measure, standard=standard))
    return out


def _value(ind, events: int, population: int) -> float:
    crude = events / population * 100_000
    if ind.measure == "smr":
        return 100 * events / (population * IZMIR[0] / IZMIR[1])
    return crude * MEMBERS[ind.id[len(FAMILY):]][5]


def _insert_indicator(con, ind) -> None:
    con.execute("INSERT INTO indicators VALUES ($id, $theme, $ttr, $ten, $utr, $uen, $vt, $pol, NULL, 'import', $meta)",
                {"id": ind.id, "theme": ind.theme, "ttr": ind.title.tr, "ten": ind.title.en, "utr": ind.unit.tr,
                 "uen": ind.unit.en, "vt": ind.value_type, "pol": ind.polarity, "meta": ind.to_json()})


def _insert_value(con, ind_id, level, code, value, num, den, status, note=(None, None)) -> None:
    lo, hi = (None, None) if value is None else (value * 0.8, value * 1.25)
    con.execute("INSERT INTO indicator_values (indicator_id, level, area_code, period, period_sort, value, numerator, "
                "denominator, lower_ci, upper_ci, status, note_tr, note_en, coverage, source_id) VALUES "
                "($i, $lv, $c, $p, 2023, $v, $n, $d, $lo, $hi, $s, $ntr, $nen, NULL, $src)",
                {"i": ind_id, "lv": level, "c": code, "p": PERIOD, "v": value, "n": num, "d": den, "lo": lo, "hi": hi,
                 "s": status, "ntr": note[0], "nen": note[1], "src": SOURCE_ID})


def make_family_db(path: Path) -> Path:
    make_tiny_db(path)
    con = duckdb.connect(str(path))
    con.execute("INSERT INTO themes VALUES ('population', 'Nüfus', 'Population')")
    for ind in family_indicators():
        _insert_indicator(con, ind)
        levels = {"mahalle": MAHALLE_COUNTS} if ind.measure.startswith("eb_") else {
            "district": DISTRICT_COUNTS, "mahalle": MAHALLE_COUNTS}
        for level, counts in levels.items():
            for code, got in counts.items():
                if got is None:
                    _insert_value(con, ind.id, level, code, None, None, None, "suppressed", SUPPRESSED_NOTE)
                else:
                    _insert_value(con, ind.id, level, code, _value(ind, *got), *got, "ok")
        _insert_value(con, ind.id, "province", "35", _value(ind, *IZMIR), *IZMIR, "ok")
    score = sample_indicator(id="test_score", title=Text("Test puanı", "Test score"), unit=Text("puan", "points"),
                             scale=1.0, value_type="score", polarity="higher_is_better", levels=("district",))
    _insert_indicator(con, score)
    for code, v in (("9001", 3.0), ("9002", 4.0)):
        _insert_value(con, "test_score", "district", code, v, None, None, "ok")
    _insert_value(con, "test_score", "province", "35", 3.5, None, None, "ok")
    con.close()
    return path
