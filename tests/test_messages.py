"""The message catalogues (gettext, managed with Babel): complete, consistent and in use.

Fails when a message the code uses lacks a translation in any language of atlas/locale/LINGUAS,
when a placeholder differs between the English message and a translation, when a catalogue keeps an
entry the code no longer uses, when the committed template is stale, or when a message is written
where the extractor cannot see it (inside an f-string, on Python 3.11)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from atlas import i18n
from atlas.i18n import catalogues as C
from atlas.i18n import lazy

ROOT = Path(__file__).resolve().parents[1]
KEYWORDS = {"gettext": ("msg",), "ngettext": ("msg", "plural"), "pgettext": ("ctx", "msg"),
            "npgettext": ("ctx", "msg", "plural"), "N_": ("msg",)}


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Catalog:
    return C.extract(tmp_path_factory.mktemp("pot") / "atlas.pot")


def test_every_language_translates_every_message_with_the_same_placeholders(template):
    problems = C.check(template, C.load_all())
    assert [str(p) for p in problems] == []
    assert sum(1 for m in template if m.id) > 300  # the atlas's words are here, not in Python dicts


def test_the_committed_template_matches_the_code(template):
    committed = C.read(C.TEMPLATE)
    assert {(m.id, m.context) for m in committed if m.id} == {(m.id, m.context) for m in template if m.id}


def _literal_calls(path: Path):
    """(name, msgid, context, line) of every gettext-family call with literal arguments."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
        spec = KEYWORDS.get(name)
        if spec is None or len(node.args) < len(spec):
            continue
        args = dict(zip(spec, node.args))
        if not all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args.values()):
            continue  # a message from a table (N_) or a variable
        yield name, args["msg"].value, args["ctx"].value if "ctx" in args else None, node.lineno


def test_the_extractor_sees_every_message_in_the_code(template):
    """A call the extractor does not see (e.g. inside an f-string) would never be translated."""
    extracted = {(m.id if isinstance(m.id, str) else m.id[0], m.context) for m in template if m.id}
    unseen = []
    for base in C.INPUTS:
        paths = [ROOT / base] if base.endswith(".py") else sorted((ROOT / base).rglob("*.py"))
        for path in paths:
            for name, msg, ctx, line in _literal_calls(path):
                if (msg, ctx) not in extracted:
                    unseen.append(f"{path.relative_to(ROOT)}:{line}: {name}({msg!r})")
    assert unseen == []


def _catalog(lang: str, entries) -> Catalog:
    cat = Catalog(locale=lang)
    for msgid, string, *ctx in entries:
        cat.add(msgid, string, context=ctx[0] if ctx else None)
    return cat


def test_the_check_names_each_kind_of_problem():
    template = _catalog("en", [("Map", ""), ("{n} area", ""), ("Selected: {name}", ""), ("Only {}", "")])
    template[("{n} area")].id = ("{n} area", "{n} areas")
    tr = _catalog("tr", [("Map", ""), ("Selected: {name}", "Seçili: {ad}"), ("Old words", "Eski"),
                         ("Only {}", "Yalnız {}")])
    tr.add(("{n} area", "{n} areas"), ("{n} bölge", "{count} bölge"))
    problems = {(p.lang, p.message, p.what.split(" (")[0].split(" ")[0]) for p in C.check(template, {"tr": tr})}
    assert ("tr", "Map", "has") in problems                    # no translation
    assert ("tr", "Selected: {name}", "placeholders") in problems  # {ad} instead of {name}
    assert ("tr", "Old words", "no") in problems               # no longer used by the code
    assert ("tr", "{n} area", "plural") in problems            # form 1 uses {count}
    assert ("code", "Only {}", "placeholders") in problems     # positional placeholder
    assert len(problems) == 5


def test_plural_forms_follow_the_language():
    one = "Show the table of {n} area"
    many = "Show the table of {n} areas"
    assert i18n.ngettext(one, many, 1, "en") == "Show the table of 1 area"
    assert i18n.ngettext(one, many, 2, "en") == "Show the table of 2 areas"
    assert i18n.ngettext(one, many, 1, "tr") == "1 bölgenin tablosunu göster"
    assert i18n.ngettext(one, many, 1083, "tr") == "1083 bölgenin tablosunu göster"


def test_named_placeholders_and_lazy_messages():
    assert i18n.gettext("Selected area: {name}", "tr", name="Bornova") == "Seçili bölge: Bornova"
    msg = lazy.gettext("Selected area: {name}", name="Bornova")
    assert (msg.get("tr"), msg.get("en"), str(msg)) == ("Seçili bölge: Bornova", "Selected area: Bornova",
                                                        "Selected area: Bornova")
    nested = lazy.gettext("Selected area: {name}", name=lazy.gettext("Map"))
    assert nested.get("tr") == "Seçili bölge: Harita"


def test_languages_come_from_linguas_and_unknown_ones_are_refused():
    listed = [w for line in (C.LOCALE_DIR / "LINGUAS").read_text().splitlines()
              for w in line.split("#", 1)[0].split()]
    assert list(i18n.LANGS) == listed and {"tr", "en"} <= set(listed)
    for lang in i18n.LANGS:
        assert i18n.po_path(lang).exists()
    with pytest.raises(ValueError, match="'xx' is not supported; use one of tr, en"):
        i18n.gettext("Map", "xx")
    assert (i18n.language_name("tr"), i18n.language_name("en")) == ("Türkçe", "English")


def test_errors_raised_with_a_message_read_in_the_page_language():
    from atlas.errors import ExportError

    exc = ExportError(lazy.gettext("Selected area: {name}", name="Bornova"))
    assert str(exc) == "Selected area: Bornova"  # the command line and the logs
    assert exc.in_language("tr") == "Seçili bölge: Bornova"
    assert ExportError("plain English").in_language("tr") == "plain English"


def test_lazy_messages_with_written_values_pickle():
    """Streamlit's cache_data pickles results; messages and their per-language values must survive it."""
    import pickle

    from atlas.i18n.lazy import Written

    value = Written.each(lambda lang: "1,5" if lang == "tr" else "1.5")
    msg = pickle.loads(pickle.dumps(lazy.gettext("Selected area: {name}", name=value)))
    assert (msg.get("tr"), msg.get("en")) == ("Seçili bölge: 1,5", "Selected area: 1.5")
