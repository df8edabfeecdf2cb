"""The importer's problems in Turkish and English (atlas.importing.problems, atlas.workbench.report), on the
tiny fictional database: the same rejection the command line prints in English, as a table in the page's
language with the column and the closest names, and as a formula-safe CSV."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from atlas.errors import ImportRejected
from atlas.importing import COLUMNS, import_file
from atlas.importing.problems import MAX_LISTED, Problems, Suggested, render
from atlas.i18n import lazy
from atlas.workbench.report import problem_column, problems_csv, problems_table, summary_line

HEADER = ",".join(COLUMNS)
BAD = [  # rows 2–7 of the file
    "test_share,district,Karsiyakaa,,,2023,,5,10,,,,",
    "test_share,district,Bornova,,,2023,,50,10,,,,",
    "test_share,ilce,=cmd|x,,,2023,12,,,,,,",
    "test_share,mahalle,Karşıyaka,Bostanlı,,2019,12,,,,,,",
    "test_share,köy,Karşıyaka,,,2023,12,,,,,,",
    "test_share,mahalle,Karşıyaka,Bostanli,,2023,abc,,,,,,",
]


@pytest.fixture
def import_db(tiny_db: Path) -> Path:
    con = duckdb.connect(str(tiny_db))
    con.execute("UPDATE indicators SET origin = 'import' WHERE indicator_id = 'test_share'")
    con.close()
    return tiny_db


def rejected(db: Path, tmp_path: Path, lines: list[str]) -> ImportRejected:
    f = tmp_path / "hatali.csv"
    f.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as info:
        import_file(f, db)
    return info.value


def test_the_command_line_still_reads_english(import_db, tmp_path):
    exc = rejected(import_db, tmp_path, BAD)
    assert str(exc).split("\n")[0] == "hatali.csv: import rejected, 6 problems; nothing was written."
    assert exc.problems == [
        "row 2: unknown district 'Karsiyakaa'; closest: Karşıyaka",
        "row 3: numerator 50 is larger than denominator 10",
        "row 4: unknown district '=cmd|x'",
        "row 5: period 2019 is not in the periods of test_share (2023); to add a period, give --entry with the "
        "period added",
        "row 6: level is 'köy'; use district (ilçe) or mahalle",
        "row 7: value: 'abc' is not a number (this file writes numbers like 1234.5)",
    ]


def test_the_same_rejection_in_turkish(import_db, tmp_path):
    exc = rejected(import_db, tmp_path, BAD)
    assert exc.in_language("tr").split("\n") == [
        "hatali.csv: yükleme reddedildi, 6 sorun; hiçbir şey yazılmadı.",
        "  - satır 2: bilinmeyen ilçe 'Karsiyakaa'; en yakınlar: Karşıyaka",
        "  - satır 3: pay 50, paydadan (10) büyük",
        "  - satır 4: bilinmeyen ilçe '=cmd|x'",
        "  - satır 5: 2019 dönemi test_share göstergesinin dönemlerinden biri değil (2023); dönem eklemek için "
        "dönemi eklenmiş gösterge kaydını verin (--entry)",
        "  - satır 6: düzey 'köy'; ilçe (district) ya da mahalle yazın",
        "  - satır 7: değer: 'abc' bir sayı değil (bu dosya sayıları 1234.5 gibi yazıyor)",
    ]
    assert summary_line(exc, "tr") == "hatali.csv: yükleme reddedildi, 6 sorun; hiçbir şey yazılmadı."


def test_problems_table_in_each_language(import_db, tmp_path):
    exc = rejected(import_db, tmp_path, BAD)
    tr = problems_table(exc, "tr")
    assert list(tr.columns) == ["Satır", "Sütun", "Sorun", "En yakın adlar"]
    assert list(tr["Satır"]) == [2, 3, 4, 5, 6, 7]
    assert list(tr["Sütun"]) == ["ilçe", "pay", "ilçe", "dönem", "düzey", "değer"]
    assert tr["Sorun"][0] == "bilinmeyen ilçe 'Karsiyakaa'; en yakınlar: Karşıyaka"
    assert list(tr["En yakın adlar"]) == ["Karşıyaka", "", "", "", "", ""]
    en = problems_table(exc, "en")
    assert list(en.columns) == ["Row", "Column", "Problem", "Closest names"]
    assert list(en["Column"]) == ["district", "numerator", "district", "period", "level", "value"]
    assert list(en["Problem"]) == [p.split(": ", 1)[1] for p in exc.problems]


def test_mahalle_suggestions_and_file_level_problems(import_db, tmp_path):
    exc = rejected(import_db, tmp_path, ["test_share,mahalle,Karşıyaka,Bostanlıı,,2023,12,,,,,,",
                                         "other_id,district,Bornova,,,2023,12,,,,,,"])
    en = problems_table(exc, "en")
    # the file as a whole (two indicators) comes first, with no row
    assert en["Row"].isna().tolist() == [True, False] and en["Row"][1] == 2
    assert en["Column"].tolist() == ["indicator_id", "mahalle"]
    assert en["Problem"][1] == "unknown mahalle in Karşıyaka 'Bostanlıı'; closest: Bostanlı"
    assert en["Closest names"][1] == "Bostanlı"
    tr = problems_table(exc, "tr")
    assert tr["Sorun"][1] == "Karşıyaka ilçesinde bilinmeyen mahalle 'Bostanlıı'; en yakınlar: Bostanlı"


def test_problems_csv_is_formula_safe_with_bom(import_db, tmp_path):
    exc = rejected(import_db, tmp_path, ["test_share,district,=cmd|x,,,2023,12,,,,,,"])
    df = problems_table(exc, "en")
    df.loc[0, "Closest names"] = "=HYPERLINK(\"http://x\")"  # as if a name in the database were hostile
    data = problems_csv(df)
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").split("\n") == [
        '"Row","Column","Problem","Closest names"',
        '2,"district","unknown district \'=cmd|x\'","\'=HYPERLINK(""http://x"")"',
        "",
    ]


def test_every_problem_is_in_the_table_while_the_command_line_lists_fifty(import_db, tmp_path):
    lines = ["test_share,köy,Bornova,,,2023,12,,,,,,"] * 60  # one problem a row (an unknown level)
    exc = rejected(import_db, tmp_path, lines)
    assert len(exc.problems) == MAX_LISTED + 1 and exc.problems[-1] == "… and 10 more problem(s) not listed"
    assert exc.in_language("tr").split("\n")[-1] == "  - … ve listelenmeyen 10 sorun daha"
    assert len(problems_table(exc, "tr")) == 60


def test_problems_take_plain_strings_and_messages():
    problems = Problems()
    problems.add(0, "plain English")
    problems.add(3, lazy.gettext("period is empty"))
    problems.add(2, Suggested(lazy.gettext("unknown district {name}; closest: {names}", name="'X'", names="A, B"),
                              ("A", "B")))
    assert problems.lines() == ["plain English", "row 2: unknown district 'X'; closest: A, B", "row 3: period is empty"]
    exc = problems.rejection("f.csv")
    assert str(exc).split("\n")[0] == "f.csv: import rejected, 3 problems; nothing was written."
    assert render(problems.items[1][1], "tr") == "dönem boş"
    assert [problem_column(m) for _, m in problems.items] == [None, "period", "district"]
    table = problems_table(exc, "en")
    assert table["Closest names"].tolist() == ["", "A, B", ""]


def test_a_rejection_made_with_plain_strings_still_makes_a_table():
    exc = ImportRejected("x.csv: the database refused the import; nothing was written.", ["constraint failed"])
    table = problems_table(exc, "tr")
    assert table["Satır"].isna().tolist() == [True]
    assert table.drop(columns="Satır").to_dict("list") == {"Sütun": [""], "Sorun": ["constraint failed"],
                                                          "En yakın adlar": [""]}
    assert exc.in_language("tr") == str(exc)


def test_point_file_problems_in_turkish_name_features():
    from atlas.importing.points.parse import parse_geojson

    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": []}, "properties": {}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": ["x", 38.4]}, "properties": {}},
    ]}
    exc = parse_geojson(doc, "eczaneler.geojson").problems.rejection("eczaneler.geojson")
    assert exc.problems == [
        "feature 1: 'Polygon' geometry; only Point features are read (save polygons' centroids or entrances as "
        "points)",
        "feature 2: the coordinates '[\"x\", 38.4]' are not two numbers",
    ]
    assert exc.in_language("tr").split("\n")[1:] == [
        "  - öğe 1: 'Polygon' geometri; yalnızca nokta (Point) öğeleri okunur (alanların merkezlerini ya da "
        "girişlerini nokta olarak kaydedin)",
        "  - öğe 2: '[\"x\", 38.4]' koordinatları iki sayı değil",
    ]
    assert problems_table(exc, "tr")["Satır"].tolist() == [1, 2]


def test_a_rejection_pickles_with_its_messages(import_db, tmp_path):
    import pickle

    exc = rejected(import_db, tmp_path, BAD)
    back = pickle.loads(pickle.dumps(exc))
    assert str(back) == str(exc) and back.problems == exc.problems
    assert back.in_language("tr") == exc.in_language("tr")
    assert problems_table(back, "tr").equals(problems_table(exc, "tr"))
