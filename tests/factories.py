"""Tiny, clearly fictional test data: a real DuckDB with the atlas schema.

Two districts with Turkish names (so matching is exercised), five mahalle, one
source and one indicator. Geometry is unit squares near İzmir. Nothing here is
real data and nothing here is ever shown in the app.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import shapely
from shapely.geometry import box

from atlas.catalogue import Disclosure, Indicator, Text
from atlas.db import create_schema

SOURCE_ID = "test_fixture"

DISTRICTS = [("9001", "Karşıyaka"), ("9002", "Bornova")]
MAHALLE = [
    # code, district code, name
    ("91001", "9001", "Atatürk"),
    ("91002", "9001", "Bostanlı"),
    ("91003", "9001", "İnönü"),
    ("92001", "9002", "Atatürk"),
    ("92002", "9002", "Kazımdirik"),
]


def sample_indicator(**overrides) -> Indicator:
    fields = dict(
        id="test_share",
        theme="population",
        title=Text("Test payı", "Test share"),
        definition=Text("Test tanımı", "Test definition"),
        unit=Text("%", "%"),
        scale=100.0,
        value_type="proportion",
        decimals=1,
        polarity="lower_is_better",
        source="Test fixture",
        source_url="https://example.org/test",
        licence="CC0 (test fixture)",
        method=Text("Yöntem", "Method"),
        periods=("2023",),
        levels=("district", "mahalle"),
        disclosure=Disclosure(min_count=5, min_denominator=0),
    )
    fields.update(overrides)
    return Indicator(**fields)


def _square(i: int) -> bytes:
    x0, y0 = 27.0 + 0.01 * i, 38.4
    return shapely.to_wkb(box(x0, y0, x0 + 0.01, y0 + 0.01))


def make_tiny_db(path: Path, *, with_values: bool = True) -> Path:
    """Create a tiny atlas database at ``path`` and return the path."""
    con = duckdb.connect(str(path))
    create_schema(con)
    con.execute(
        "INSERT INTO sources VALUES ($id, 'Test verisi', 'Test fixture', 'https://example.org/test', 'CC0', 'CC0', "
        "'Test verisi (kurgusal)', 'Test fixture (fictional)', NULL, NULL, NULL, now(), 'tests only')",
        {"id": SOURCE_ID},
    )
    rows = [("province", "35", "İzmir", "izmir", None, "province", 0)]
    rows += [("district", c, n, n, "35", "district", i) for i, (c, n) in enumerate(DISTRICTS)]
    rows += [("mahalle", c, n, n, d, "mahalle", 10 + i) for i, (c, d, n) in enumerate(MAHALLE)]
    from atlas.names import match_key

    for level, code, name, key, parent, kind, i in rows:
        wkb = _square(i)
        con.execute(
            "INSERT INTO areas VALUES ($level, $code, $name, $key, $parent, $kind, NULL, NULL, 1.0, NULL, "
            "27.0, 38.4, $wkb, $wkb, $src)",
            {"level": level, "code": code, "name": name, "key": match_key(key), "parent": parent,
             "kind": kind, "wkb": wkb, "src": SOURCE_ID},
        )
    ind = sample_indicator()
    con.execute(
        "INSERT INTO indicators VALUES ($id, $theme, $ttr, $ten, $utr, $uen, $vt, $pol, NULL, 'catalogue', $meta)",
        {"id": ind.id, "theme": ind.theme, "ttr": ind.title.tr, "ten": ind.title.en, "utr": ind.unit.tr,
         "uen": ind.unit.en, "vt": ind.value_type, "pol": ind.polarity, "meta": ind.to_json()},
    )
    if with_values:
        for code, num, den in (("9001", 30, 200), ("9002", 10, 100)):
            con.execute(
                "INSERT INTO indicator_values VALUES ('test_share', 'district', $code, '2023', 2023, "
                "$v, $n, $d, NULL, NULL, 'ok', NULL, NULL, NULL, $src, NULL, NULL)",
                {"code": code, "v": 100 * num / den, "n": num, "d": den, "src": SOURCE_ID},
            )
    con.execute("INSERT INTO build_info VALUES ('built_at', '2026-01-01T00:00:00Z')")
    con.close()
    return path
