"""The indicator catalogue: the shipped files load, and every malformed entry fails naming file and key."""

import shutil

import pytest

from atlas.catalogue import POLARITIES, Text, indicator_from_json, load_catalogue
from atlas.config import INDICATORS_DIR
from atlas.errors import CatalogueError


def test_shipped_catalogue_loads_with_full_metadata():
    cat = load_catalogue()
    assert {"pop_total", "pop_density", "pop_change", "sex_ratio", "adults_65plus_share", "lst_summer_mean",
            "svi_mean", "green_fraction", "elderly_share_grid"} <= set(cat.ids)
    for ind in cat.indicators:
        assert ind.title.tr and ind.title.en and ind.definition.tr and ind.definition.en
        assert ind.polarity in POLARITIES
        assert ind.source_url.startswith("https://")
        assert ind.licence and ind.method.tr and ind.method.en and ind.periods and ind.levels
    assert cat.get("adults_65plus_share").proxy is True


def test_all_32_who_healthy_cities_indicators_listed_with_gaps():
    cat = load_catalogue()
    assert len(cat.who) == 32
    assert [w.code for w in cat.who][:3] == ["A1", "A2", "A3"]
    coverage = dict((w.code, ids) for w, ids in cat.who_coverage())
    assert coverage["C6"] == ("green_fraction",)
    assert coverage["A1"] == ()  # a gap: no mortality data yet


def test_a_licence_is_in_both_languages_or_one_string_for_both(cat_dir):
    cat = load_catalogue()
    lst = cat.get("lst_summer_mean").licence
    assert "resmî istatistik değildir" in lst.tr and "not official statistics" in lst.en
    _edit(cat_dir / "population.toml", 'licence = { tr = "TÜİK kamu istatistiği (TÜİK kaynak gösterilerek); yeniden '
                                       'dağıtım MIT", en = "TÜİK public statistics (cite TÜİK); redistribution MIT" }',
          'licence = "CC BY 4.0"')
    plain = load_catalogue(cat_dir).get("pop_total").licence
    assert plain == Text("CC BY 4.0", "CC BY 4.0")
    stored = load_catalogue(cat_dir).get("pop_total").to_json().replace('"licence": {"en": "CC BY 4.0", "tr": "CC BY 4.0"}',
                                                                         '"licence": "CC BY 4.0"')
    assert indicator_from_json(stored).licence == plain  # a database made before licences had two languages


def test_a_source_is_in_both_languages_or_one_string_for_both(cat_dir):
    src = load_catalogue().get("pop_total").source
    assert src == Text("TÜİK, Adrese Dayalı Nüfus Kayıt Sistemi (ADNKS), turkiye-api aracılığıyla",
                       "TÜİK, Address-Based Population Registration System (ADNKS), via turkiye-api")
    path = cat_dir / "population.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f'source = {{ tr = "{src.tr}", en = "{src.en}" }}', 'source = "TÜİK"', 1),
                    encoding="utf-8")
    plain = load_catalogue(cat_dir).get("pop_total")
    assert plain.source == Text("TÜİK", "TÜİK")
    stored = plain.to_json().replace('"source": {"en": "TÜİK", "tr": "TÜİK"}', '"source": "TÜİK"')
    assert indicator_from_json(stored).source == plain.source  # a database made before sources had two languages


def test_indicator_round_trips_through_json():
    for ind in load_catalogue().indicators:
        assert indicator_from_json(ind.to_json()) == ind


@pytest.fixture
def cat_dir(tmp_path):
    d = tmp_path / "indicators"
    shutil.copytree(INDICATORS_DIR, d)
    return d


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not found in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("old, new, expected", [
    ('decimals = 0\npolarity', 'decimals = 0\nunti = "x"\npolarity', "key 'unti': unknown key"),
    ('unit = { tr = "kişi", en = "people" }\n', "", "missing key 'unit'"),
    ('polarity = "no_judgement"', 'polarity = "good"', "key 'polarity': 'good' is not allowed"),
    ('levels = ["district", "mahalle"]', 'levels = ["county"]', "key 'levels': 'county' is not allowed"),
    ('scale = 1\n', 'scale = "one"\n', "key 'scale': expected float"),
    ('title = { tr = "Nüfus", en = "Population" }', 'title = { tr = "Nüfus" }', "key 'title': missing key 'en'"),
    ('id = "pop_total"', 'id = "Pop Total"', "key 'id'"),
    ('periods = ["2021", "2023", "2025"]', 'periods = []', "key 'periods': must list at least one value"),
    ('licence = { tr = "TÜİK kamu', 'licence = { tr = 3, xx = "TÜİK kamu', "key 'tr': expected str, got int 3"),
    ('licence = { tr = "TÜİK kamu', 'licence = 7\nxlicence = { tr = "TÜİK kamu', "key 'licence': expected a string or a { tr = ..., en = ... } table, got int 7"),
])
def test_bad_entry_names_file_entry_and_key(cat_dir, old, new, expected):
    _edit(cat_dir / "population.toml", old, new)
    with pytest.raises(CatalogueError) as err:
        load_catalogue(cat_dir)
    assert "population.toml" in str(err.value)
    assert expected in str(err.value)


def test_unknown_who_code_and_theme_fail(cat_dir):
    _edit(cat_dir / "environment.toml", 'who_code = "C6"', 'who_code = "Z9"')
    with pytest.raises(CatalogueError, match=r"environment.toml.*'green_fraction'.*who_code.*Z9"):
        load_catalogue(cat_dir)


def test_duplicate_indicator_id_fails(cat_dir):
    text = (cat_dir / "population.toml").read_text(encoding="utf-8")
    start = text.index("[[indicator]]")
    first = text[start:text.index("[[indicator]]", start + 1)]
    (cat_dir / "extra.toml").write_text(first, encoding="utf-8")
    with pytest.raises(CatalogueError, match="'pop_total' is already defined in extra.toml"):
        load_catalogue(cat_dir)


def test_invalid_toml_names_the_file(cat_dir):
    (cat_dir / "broken.toml").write_text("[[indicator]\nid = ", encoding="utf-8")
    with pytest.raises(CatalogueError, match="broken.toml: not valid TOML"):
        load_catalogue(cat_dir)


def test_unknown_indicator_lists_known_ones():
    with pytest.raises(CatalogueError, match="unknown indicator 'nope'.*pop_total"):
        load_catalogue().get("nope")


def test_a_family_member_names_its_measure_and_a_dsr_its_standard(cat_dir):
    path = cat_dir / "population.toml"
    anchor = 'id = "pop_total"\n'
    assert anchor in path.read_text(encoding="utf-8")
    _edit(path, anchor, anchor + 'family = "pop_total"\nmeasure = "dsr"\nstandard = "esp2013"\n')
    member = load_catalogue(cat_dir).get("pop_total")
    assert (member.family, member.measure, member.standard) == ("pop_total", "dsr", "esp2013")
    assert indicator_from_json(member.to_json()) == member
    # An entry written before families existed is a plain value with no family.
    plain = load_catalogue().get("pop_total")
    assert (plain.family, plain.measure, plain.standard) == (None, "value", None)

    _edit(path, 'measure = "dsr"\n', 'measure = "age_adjusted"\n')
    with pytest.raises(CatalogueError, match=r"population.toml.*pop_total.*key 'measure'.*'age_adjusted' is not allowed"):
        load_catalogue(cat_dir)
    _edit(path, 'measure = "age_adjusted"\n', 'measure = "crude_rate"\n')
    with pytest.raises(CatalogueError, match=r"key 'standard'.*only a 'dsr'"):
        load_catalogue(cat_dir)
    _edit(path, 'standard = "esp2013"\n', '')
    _edit(path, 'measure = "crude_rate"\n', 'measure = "dsr"\n')
    with pytest.raises(CatalogueError, match=r"key 'standard'.*names its standard population"):
        load_catalogue(cat_dir)
    _edit(path, 'family = "pop_total"\n', 'family = "Pop Total"\n')
    with pytest.raises(CatalogueError, match=r"key 'family'.*must be an indicator id"):
        load_catalogue(cat_dir)
