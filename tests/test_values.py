"""atlas.values: value rows, their notes in two languages and the disclosure rule."""

from __future__ import annotations

import pandas as pd
import pytest

from atlas import values as V
from atlas.build.grid import coverage_note, province_note
from atlas.catalogue import Text
from tests.factories import sample_indicator


def test_a_note_is_stored_in_both_languages():
    ind = sample_indicator()
    df = V.frame(ind, "district", "2023", "src", [
        {"area_code": "9001", "status": "missing", "note": Text("veri yok", "no data")},
        {"area_code": "9002", "value": 3.0}])
    assert (df["note_tr"].iloc[0], df["note_en"].iloc[0]) == ("veri yok", "no data")
    assert df[["note_tr", "note_en"]].iloc[1].isna().all()
    assert "note" not in df.columns


def test_a_note_in_one_language_only_fails_loudly():
    with pytest.raises(TypeError, match="a note must be a Text"):
        V.frame(sample_indicator(), "district", "2023", "src",
                [{"area_code": "9001", "status": "missing", "note": "no data"}])


def test_suppression_note_names_only_the_limits_the_rule_has():
    both = V.suppression_note(5, 100)
    assert both.en == "suppressed by the disclosure rule: fewer than 5 events or a denominator under 100"
    assert both.tr == "küçük sayı kuralıyla gizlendi: 5 olaydan az ya da payda 100 altında"
    only_count = V.suppression_note(5, 0)
    assert "denominator" not in only_count.en and "payda" not in only_count.tr


@pytest.mark.parametrize("tr,en,want", [
    ("not", "note", Text("not", "note")),
    ("yalnız türkçe", None, Text("yalnız türkçe", "yalnız türkçe")),
    (float("nan"), "english only", Text("english only", "english only")),
    ("  ", None, None),
])
def test_note_text_falls_back_to_the_other_language(tr, en, want):
    assert V.note_text(tr, en) == want


def test_notes_in_picks_the_language_per_row():
    frame = pd.DataFrame({"note_tr": ["bir", None, None], "note_en": ["one", "two", None]})
    assert V.notes_in(frame, "tr") == ["bir", "two", None]
    assert V.notes_in(frame, "en") == ["one", "two", None]


def test_grid_notes_write_percentages_as_each_language_does():
    low = coverage_note(3, 0.42, "mahalle")
    assert low.tr == "ızgara alanın %42 kadarını kapsıyor (en az %50 gerekli)"
    assert low.en == "the grid covers 42% of the area (at least 50% needed)"
    ok = coverage_note(12, 0.9, "district")
    assert ok.tr == "12 ızgara hücresi; sakinlerin %90 kadarı kapsanıyor"
    assert ok.en == "12 grid cells; 90% of the residents covered"
    assert "ilin tamamı değil" in province_note(700).tr and "not the whole province" in province_note(700).en


def test_notes_in_refuses_an_unknown_language():
    with pytest.raises(ValueError, match="language 'de' is not supported"):
        V.notes_in(pd.DataFrame({"note_tr": ["bir"], "note_en": ["one"]}), "de")
