"""Issue #16, finding 6: a 50,000-letter name is matched in linear time and quoted briefly in messages.

``atlas.names``' abbreviation pattern made such a name take 25–30 s (100,000 letters: minutes), and the
importer echoed the whole name back. Time is measured in ``bench/bench_hostile.py``; these tests check
the result and the length of the message only.
"""

from __future__ import annotations

from atlas.importing import AreaResolver, ParsedRow
from tests.test_importer import db, import_db, rejected, row, write_csv  # noqa: F401 (fixtures)
from atlas.importing.problems import QUOTED_CHARS, Problems, quoted
from atlas.names import Candidate, NameMatcher, display_name, match_key

LONG_NAME = "a" * 50_000  # the district name


def parsed(district: str | None, mahalle: str | None = None, level: str = "district",
           area_code: str | None = None) -> ParsedRow:
    return ParsedRow(row=2, indicator_id="x", level=level, district=district, mahalle=mahalle, area_code=area_code,
                     period="2023", period_sort=2023, value=1, numerator=None, denominator=None, lower_ci=None,
                     upper_ci=None, note=None)


RESOLVER_AREAS = [("district", "1", "Konak", "35"), ("district", "2", "Karşıyaka", "35"),
                  ("mahalle", "11", "Atatürk", "1"), ("mahalle", "12", "B.hayrettin Paşa", "1")]


def test_a_50000_letter_district_is_unknown_and_quoted_briefly():
    code, problem = AreaResolver(RESOLVER_AREAS).resolve(parsed(LONG_NAME))
    assert code is None
    assert problem.startswith("unknown district 'aaaa") and "(50,000 characters)" in problem
    assert problem.count("a") < QUOTED_CHARS + 20 and len(problem) < 120, len(problem)


def test_a_file_with_a_50000_letter_district_gets_a_short_message(import_db, tmp_path):
    f = write_csv(tmp_path / "long.csv", [row(district="Bornova", value=1), row(district=LONG_NAME, value=2)])
    problems = rejected(import_db, f)
    assert problems and all(len(p) < 200 for p in problems), [len(p) for p in problems]
    assert "a" * (QUOTED_CHARS + 1) not in " ".join(problems)


def test_long_mahalle_and_area_code_are_quoted_briefly():
    resolver = AreaResolver(RESOLVER_AREAS)
    _, problem = resolver.resolve(parsed("Konak", "B." + "b" * 100_000, level="mahalle"))
    assert problem.startswith("unknown mahalle in Konak 'B.bbb") and len(problem) < 160, len(problem)
    _, problem = resolver.resolve(parsed(None, area_code="9" * 50_000))
    assert problem.startswith("area_code '9999") and len(problem) < 120, len(problem)


def test_long_names_give_the_same_results_as_short_ones():
    matcher = NameMatcher([Candidate("1", "Barbaros Hayrettin Paşa"), Candidate("2", "Karşıyaka")],
                          allow_one_letter=True)
    for name in (LONG_NAME, "a" * 100_000, "a." * 50_000, "a " * 50_000, "a." + " " * 50_000 + "."):
        assert matcher.match(name).method == "no_match"
    assert matcher.match("B. Hayrettin Paşa").code == "1"
    assert match_key(LONG_NAME) == LONG_NAME
    assert display_name("a" + " " * 50_000 + "b") == "a" + " " * 50_000 + "b"
    assert display_name("Atatürk   MAHALLESİ ") == "Atatürk" and display_name("Mahallesi") == "Mahallesi"


def test_quoted_cuts_long_values_and_problems_stay_bounded():
    assert quoted("Karsiyka") == "'Karsiyka'"
    assert quoted(LONG_NAME) == "'" + "a" * QUOTED_CHARS + "…' (50,000 characters)"
    problems = Problems()
    problems.add(3, f"column {LONG_NAME!r} is not known")  # a message that quotes a value in full
    assert len(problems.lines()[0]) < 520
