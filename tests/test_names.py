"""Turkish-aware name normalisation and matching, on names taken from the real sources."""

import pytest

from atlas.names import Candidate, NameMatcher, display_name, fold, match_key, match_many, turkish_lower, \
    turkish_title, turkish_upper


@pytest.mark.parametrize("raw, key", [
    ("KARŞIYAKA", "karsiyaka"),
    ("Karşıyaka", "karsiyaka"),
    ("karsiyaka", "karsiyaka"),
    ("IŞIKLAR Mahallesi", "isiklar"),          # dotless I must fold like ı, not vanish
    ("İNÖNÜ MH.", "inonu"),                     # dotted İ, suffix with dot
    ("İnönü Mah.", "inonu"),
    ("2. İnönü", "2 inonu"),                    # TÜİK spelling in Narlıdere
    ("Bostanlı  Mh", "bostanli"),               # double space, suffix without dot
    ("Hacılar (dereköy Bucağı)", "hacilar derekoy"),
    ("Bucak", "bucak"),                         # a real mahalle name, not a qualifier
    ("75.yıl Cumhuriyet", "75 yil cumhuriyet"),
    ("Çiğli", "cigli"),
    ("Güzelbahçe", "guzelbahce"),
    ("Yeni Mahalle Mah.", "yeni mahalle"),      # 'Mahalle' is part of the name here
    ("Şirinyer", "sirinyer"),
    ("Ağaçlıyol", "agacliyol"),
    ("Dikili ", "dikili"),
])
def test_match_key(raw, key):
    assert match_key(raw) == key


def test_turkish_case_rules_differ_from_python():
    assert "I".lower() == "i"  # Python's rule, wrong for Turkish
    assert turkish_lower("IĞDIR") == "ığdır"
    assert turkish_lower("İZMİR") == "izmir"
    assert turkish_upper("izmir ılıca") == "İZMİR ILICA"
    assert turkish_title("KARŞIYAKA İNÖNÜ") == "Karşıyaka İnönü"
    assert fold("İ") == "i" and fold("I") == "i" and fold("ı") == "i"


def test_display_name_keeps_spelling_drops_suffix():
    assert display_name("Atatürk Mh.") == "Atatürk"
    assert display_name("Yeni Mahalle Mah.") == "Yeni Mahalle"
    assert display_name("Tavşan Adası") == "Tavşan Adası"


CANDIDATES = [Candidate("1", "Barbaros Hayrettin Paşa Mh."), Candidate("2", "Dereköy Hacılar Mh."),
              Candidate("3", "Yeni Mahalle Mah."), Candidate("4", "Sasallı Merkez Mh."),
              Candidate("5", "İsmailli Hacılar Mh."), Candidate("6", "Refik Şevket İnce Mh."),
              Candidate("7", "Rüstem Şevket Mh.")]


@pytest.mark.parametrize("query, code, method", [
    ("Barbaros Hayrettin Paşa", "1", "exact"),
    ("BARBAROS HAYRETTİN PAŞA MAHALLESİ", "1", "exact"),
    ("B.hayrettin Paşa", "1", "abbreviation"),
    ("R.şevket Ince", "6", "abbreviation"),    # TÜİK writes İnce as 'Ince'
    ("Hacılar (dereköy Bucağı)", "2", "token_set"),
    ("Hacılar (İsmailli Bucağı)", "5", "token_set"),
    ("Yenimahalle", "3", "compact"),
])
def test_matcher_methods(query, code, method):
    m = NameMatcher(CANDIDATES).match(query)
    assert (m.code, m.method) == (code, method)


def test_abbreviation_that_fits_two_candidates_is_ambiguous():
    cands = [Candidate("a", "Refik Şevket Mh."), Candidate("b", "Rüstem Şevket Mh.")]
    m = NameMatcher(cands).match("R.şevket")
    assert m.code is None and m.method == "ambiguous"
    assert set(m.suggestions) == {"Refik Şevket Mh.", "Rüstem Şevket Mh."}


def test_unmatched_names_come_with_closest_candidates():
    m = NameMatcher(CANDIDATES).match("Hacılar")
    assert not m.matched and m.method == "no_match"
    assert "Dereköy Hacılar Mh." in m.suggestions


def test_one_letter_variants_only_in_second_pass_and_one_to_one():
    results = match_many(["Sasalı Merkez", "Sasallı Merkez"], CANDIDATES)
    # the exact spelling takes the polygon; the variant is not allowed to claim it too
    assert results[1].code == "4" and results[1].method == "exact"
    assert results[0].code is None
    alone = match_many(["Sasalı Merkez"], CANDIDATES)
    assert alone[0].code == "4" and alone[0].method == "one_letter"


def test_same_name_in_two_districts_is_matched_within_its_district():
    karsiyaka = NameMatcher([Candidate("k1", "Atatürk Mh."), Candidate("k2", "Bostanlı Mh.")])
    bornova = NameMatcher([Candidate("b1", "Atatürk Mh."), Candidate("b2", "Kazımdirik Mh.")])
    assert karsiyaka.match("ATATÜRK").code == "k1"
    assert bornova.match("ATATÜRK").code == "b1"


def test_short_names_never_match_loosely():
    results = match_many(["Bucak"], [Candidate("x", "Burak Mh.")])
    assert results[0].code is None
