"""atlas.build.sources: the manifest of source files (geodata/sources.toml)."""

from __future__ import annotations

import pytest

from atlas.catalogue import Text
from atlas.errors import CatalogueError, MissingDataError
from atlas.build.sources import check_present, load_manifest

ENTRY = '''
[[source]]
id = "a"
title.tr = "Sınırlar"
title.en = "Boundaries"
path = "a/a.geojson"
url = "https://example.org/a"
licence = "CC0"
attribution.tr = "Sınırlar: örnek"
attribution.en = "Boundaries: example"
required = true
'''


def _manifest(tmp_path, text: str):
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return load_manifest(path)


def test_texts_in_two_languages_or_one_string_for_both(tmp_path):
    src = _manifest(tmp_path, ENTRY)["a"]
    assert src.title == Text("Sınırlar", "Boundaries") and src.licence == Text("CC0", "CC0")
    assert src.row() == {"title_tr": "Sınırlar", "title_en": "Boundaries", "licence_tr": "CC0", "licence_en": "CC0",
                         "attribution_tr": "Sınırlar: örnek", "attribution_en": "Boundaries: example"}


@pytest.mark.parametrize("change, message", [
    (('title.en = "Boundaries"\n', ""), r"#1: key 'title': missing key 'en'"),
    (('licence = "CC0"', "licence = 3"), r"#1: key 'licence': expected a string or a \{ tr = \.\.\., en = \.\.\. \} table"),
    (('required = true', 'required = "yes"'), r"#1: key 'required': expected bool"),
    (('url = "https://example.org/a"\n', ""), r"missing key 'url'"),
    (('required = true', 'required = true\nlicense = "x"'), r"unknown key 'license'"),
])
def test_a_wrong_entry_fails_naming_the_key(tmp_path, change, message):
    with pytest.raises(CatalogueError, match=message):
        _manifest(tmp_path, ENTRY.replace(*change))


def test_a_source_listed_twice_is_refused(tmp_path):
    with pytest.raises(CatalogueError, match="source id 'a' is listed twice"):
        _manifest(tmp_path, ENTRY + ENTRY)


def test_missing_required_files_are_named_with_where_to_put_them(tmp_path):
    manifest = _manifest(tmp_path, ENTRY)
    with pytest.raises(MissingDataError, match=r"a/a\.geojson  \(Boundaries; from https://example\.org/a\)"):
        check_present(manifest, tmp_path / "data")
    (tmp_path / "data" / "a").mkdir(parents=True)
    (tmp_path / "data" / "a" / "a.geojson").write_text("{}")
    assert check_present(manifest, tmp_path / "data") == []


def test_the_project_manifest_has_every_text_in_both_languages():
    for src in load_manifest().values():
        assert src.title.tr != src.title.en and src.attribution.tr != src.attribution.en, src.id
