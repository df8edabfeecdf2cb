"""The new-indicator form: what replaces the hand-written ``--entry`` TOML for a clerk.

* ``FIELDS`` — the form's fields in order: their key, label and help (catalogue messages), kind
  (``text``, ``long_text``, ``number``, ``whole``, ``choice``, ``choices``, ``url``, ``periods``), whether
  they are required and, for a choice, what may be chosen (``field_choices`` adds the themes and WHO
  Healthy Cities codes of a database, with their titles);
* ``entry_from_form(values, con)`` — the catalogue entry made from the form's values, checked by the
  catalogue's own rules (``atlas.catalogue.parse_indicator``, themes and WHO codes from ``con``) and the
  import's rule for periods; or the problems, one per field, in Turkish and English
  (``FieldProblem.get(lang)``). A field the catalogue refuses is named by the key its error names;
* ``entry_toml(indicator)`` — the entry as the TOML ``python -m atlas import --entry`` takes:
  ``parse_indicator(tomllib.loads(entry_toml(ind))["indicator"][0], …) == ind``.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
from dataclasses import dataclass
from typing import Any, Mapping

import duckdb

from .. import queries
from ..catalogue import (
    LEVELS,
    POLARITIES,
    VALUE_TYPES,
    Disclosure,
    Indicator,
    Text,
    http_url_problem,
    parse_indicator,
)
from ..errors import CatalogueError
from ..i18n import N_, lazy
from ..importing.problems import from_error, quoted
from ..importing.rows import parse_period

_ID = re.compile(r"^[a-z][a-z0-9_]{1,62}$")
MAX_TEXT = 2000  # characters of one text field (a definition or method is a paragraph)


@dataclass(frozen=True)
class FormField:
    """One field of the form. ``entry_key`` is where it goes in the catalogue entry (``title.tr``)."""

    key: str
    label: str  # a catalogue message (N_)
    kind: str
    entry_key: str
    required: bool = True
    choices: tuple[str, ...] = ()  # for choice / choices; themes and WHO codes come from the database
    help: str | None = None  # a catalogue message (N_)


FIELDS: tuple[FormField, ...] = (
    FormField("id", N_("Indicator id"), "text", "id",
              help=N_("Lower-case letters, digits and _, starting with a letter (e.g. child_immunisation); the "
                      "file's indicator_id column gives the same id.")),
    FormField("title_tr", N_("Title (Turkish)"), "text", "title.tr"),
    FormField("title_en", N_("Title (English)"), "text", "title.en"),
    FormField("definition_tr", N_("Definition (Turkish)"), "long_text", "definition.tr"),
    FormField("definition_en", N_("Definition (English)"), "long_text", "definition.en"),
    FormField("unit_tr", N_("Unit (Turkish)"), "text", "unit.tr", help=N_("e.g. %, per 1,000 people")),
    FormField("unit_en", N_("Unit (English)"), "text", "unit.en"),
    FormField("scale", N_("Scale"), "number", "scale",
              help=N_("What numerator ÷ denominator is multiplied by: 100 for a percentage, 1000 for a rate per "
                      "1,000, 1 for a count or a mean.")),
    FormField("value_type", N_("Kind of value"), "choice", "value_type", choices=VALUE_TYPES),
    FormField("decimals", N_("Decimals shown"), "whole", "decimals", help=N_("0 to 6.")),
    FormField("polarity", N_("Polarity"), "choice", "polarity", choices=POLARITIES),
    FormField("theme", N_("Theme"), "choice", "theme"),
    FormField("who_code", N_("WHO Healthy Cities indicator"), "choice", "who_code", required=False),
    FormField("source", N_("Source"), "text", "source", help=N_("Who published the data (e.g. İzmir İl Sağlık "
                                                                 "Müdürlüğü).")),
    FormField("source_url", N_("Source address (URL)"), "url", "source_url",
              help=N_("The page the data were published on: an http:// or https:// address.")),
    FormField("licence", N_("Licence"), "text", "licence", help=N_("e.g. CC BY 4.0, or the terms of use.")),
    FormField("periods", N_("Years (periods)"), "periods", "periods",
              help=N_("The years the file gives, separated by commas: 2023, 2024 or a span 2021-2025.")),
    FormField("levels", N_("Levels"), "choices", "levels", choices=LEVELS),
    FormField("method_tr", N_("Method (Turkish)"), "long_text", "method.tr"),
    FormField("method_en", N_("Method (English)"), "long_text", "method.en"),
    FormField("min_count", N_("Disclosure rule: smallest numerator shown"), "whole", "disclosure.min_count",
              required=False, help=N_("Values whose numerator is smaller are not shown (0: no rule).")),
    FormField("min_denominator", N_("Disclosure rule: smallest denominator shown"), "whole",
              "disclosure.min_denominator", required=False,
              help=N_("Values whose denominator is smaller are not shown (0: no rule).")),
)
FIELD_KEYS = tuple(f.key for f in FIELDS)
_BY_KEY = {f.key: f for f in FIELDS}
# The catalogue's key (as its errors name it) → the form's field.
_FIELD_OF_ENTRY_KEY = {f.entry_key.split(".")[0]: f.key for f in FIELDS if "." not in f.entry_key}
_FIELD_OF_ENTRY_KEY.update({"title": "title_tr", "definition": "definition_tr", "unit": "unit_tr",
                            "method": "method_tr", "min_count": "min_count", "min_denominator": "min_denominator",
                            "disclosure": "min_count"})


@dataclass(frozen=True)
class FieldProblem:
    """What is wrong with one field of the form (``field`` is a key of FIELDS, or "" for the form)."""

    field: str
    message: lazy.Message

    def get(self, lang: str) -> str:
        return self.message.get(lang)

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else str(self.message)


def field_choices(con: duckdb.DuckDBPyConnection, lang: str) -> dict[str, list[tuple[str, str]]]:
    """The choices of the ``theme`` and ``who_code`` fields in a database: (value, label in ``lang``)."""
    themes = queries.run(con, "list_theme_titles")
    who = queries.run(con, "list_who_coverage", {"lang": lang})
    title = "title_en" if lang == "en" else "title_tr"
    return {"theme": [(str(r.theme_id), str(getattr(r, title))) for r in themes.itertuples(index=False)],
            "who_code": [(str(r.code), f"{r.code} — {r.title}") for r in who.itertuples(index=False)]}


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, (list, tuple, set)) and not value) or (isinstance(value, float) and math.isnan(value))


def _number(value: Any) -> float:
    """A number as typed in a form (``12,5`` or ``12.5``); ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = str(value).strip().replace(" ", "")
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        number = float(text)
    if not math.isfinite(number):
        raise ValueError(value)
    return number


def _whole(value: Any) -> int:
    number = _number(value)
    if number != int(number):
        raise ValueError(value)
    return int(number)


def _periods(value: Any) -> list[str]:
    items = value if isinstance(value, (list, tuple)) else re.split(r"[,;\n]+", str(value))
    return [str(p).strip() for p in items if str(p).strip()]


def _check_field(f: FormField, value: Any, choices: Mapping[str, list[str]]) -> tuple[Any, lazy.Message | None]:
    """The field's value as the catalogue entry takes it, or the problem with it."""
    if _blank(value):
        if f.required:
            return None, lazy.gettext("required: fill in this field")
        return None, None
    if f.kind in ("text", "long_text", "url"):
        text = str(value).strip()
        if len(text) > MAX_TEXT:
            return None, lazy.gettext("too long: {n} characters; at most {limit}", n=f"{len(text):,}",
                                      limit=f"{MAX_TEXT:,}")
        if f.key == "id" and not _ID.match(text):
            return None, lazy.gettext("{value} is not an id: use lower-case letters, digits and _, starting with "
                                      "a letter (2 to 63 characters)", value=quoted(text))
        if f.kind == "url" and http_url_problem(text) is not None:
            return None, lazy.gettext("{value} is not a web address the atlas may link to: give an http:// or "
                                      "https:// address with a host, without spaces, quotes, <, > or \\",
                                      value=quoted(text))
        return text, None
    if f.kind == "number":
        try:
            number = _number(value)
        except ValueError:
            return None, lazy.gettext("{value} is not a number", value=quoted(str(value)))
        if number <= 0:
            return None, lazy.gettext("must be above 0")
        return number, None
    if f.kind == "whole":
        try:
            number = _whole(value)
        except ValueError:
            return None, lazy.gettext("{value} is not a whole number", value=quoted(str(value)))
        if number < 0 or (f.key == "decimals" and number > 6):
            return None, (lazy.gettext("must be 0 to 6") if f.key == "decimals" else lazy.gettext("must be 0 or more"))
        return number, None
    if f.kind == "choice":
        allowed = choices.get(f.key, list(f.choices))
        if str(value) not in allowed:
            return None, lazy.gettext("{value} is not one of the choices", value=quoted(str(value)))
        return str(value), None
    if f.kind == "choices":
        picked = [str(v) for v in (value if isinstance(value, (list, tuple, set)) else [value])]
        bad = [v for v in picked if v not in f.choices]
        if bad:
            return None, lazy.gettext("{value} is not one of the choices", value=quoted(bad[0]))
        return [lv for lv in f.choices if lv in picked], None
    if f.kind == "periods":
        out = []
        for period in _periods(value):
            try:
                normalised, _ = parse_period(period)
            except ValueError as exc:
                return None, from_error(exc)
            if normalised in out:
                return None, lazy.gettext("period {period} is given twice", period=normalised)
            out.append(normalised)
        return out, None
    raise AssertionError(f"unknown field kind {f.kind!r}")


def _table(clean: Mapping[str, Any]) -> dict[str, Any]:
    """The catalogue's ``[[indicator]]`` table from the checked values of the form."""
    table: dict[str, Any] = {}
    for f in FIELDS:
        value = clean.get(f.key)
        if value is None:
            continue
        if f.key in ("source", "licence"):
            table[f.key] = value  # one string, the same in both languages (a name, a licence)
            continue
        node = table
        *parents, leaf = f.entry_key.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    table.setdefault("disclosure", {})
    return table


def entry_from_form(values: Mapping[str, Any], con: duckdb.DuckDBPyConnection | None
                    ) -> tuple[Indicator | None, list[FieldProblem]]:
    """The catalogue entry the form describes, or the problems (each naming its field). ``con`` gives the
    themes, the WHO codes and the indicators already in the database (None: any theme and code)."""
    unknown = sorted(set(values) - set(FIELD_KEYS))
    if unknown:
        raise ValueError(f"unknown form field {unknown[0]!r}; the fields are {', '.join(FIELD_KEYS)}")
    choices: dict[str, list[str]] = {}
    if con is not None:
        choices["theme"] = list(queries.run(con, "list_theme_ids")["theme_id"])
        choices["who_code"] = list(queries.run(con, "list_who_codes")["code"])
    problems: list[FieldProblem] = []
    clean: dict[str, Any] = {}
    for f in FIELDS:
        value = values.get(f.key)
        if f.kind == "choice" and not f.choices and f.key not in choices and not _blank(value):
            clean[f.key] = str(value).strip()  # theme, WHO code without a database: any name
            continue
        checked, problem = _check_field(f, value, choices)
        if problem is not None:
            problems.append(FieldProblem(f.key, problem))
        elif checked is not None:
            clean[f.key] = checked
    if con is not None and "id" in clean:
        stored = queries.run(con, "get_indicator_meta", {"indicator_id": clean["id"]})
        if not stored.empty and str(stored.at[0, "origin"]) != "import":
            problems.append(FieldProblem("id", lazy.gettext(
                "{value} is an indicator of the atlas's catalogue, which an import cannot change; choose a new id",
                value=quoted(clean["id"]))))
    if problems:
        return None, problems
    try:
        ind = parse_indicator(_table(clean), "form", who_codes=choices.get("who_code"),
                              theme_ids=choices.get("theme"))
    except CatalogueError as exc:
        return None, [_catalogue_problem(exc)]
    return ind, []


def _catalogue_problem(exc: CatalogueError) -> FieldProblem:
    """A catalogue error on the field its innermost ``key '…'`` names (the message kept as it is)."""
    keys = re.findall(r"key '([a-z_]+)'", str(exc))
    field = next((_FIELD_OF_ENTRY_KEY[k] for k in reversed(keys) if k in _FIELD_OF_ENTRY_KEY), "")
    text = str(exc)
    detail = re.split(r"key '[a-z_]+': ", text)[-1] if keys else text.split(": ", 1)[-1]
    return FieldProblem(field, lazy.gettext("the catalogue refuses this value: {detail}", detail=detail))


# --- the entry as TOML ---------------------------------------------------------------------------------


def _toml_string(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's; DEL must be escaped too)."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007F")


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value!r} cannot be written in an entry")
        return repr(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {type(value).__name__} in an entry")


def _entry_value(key: str, value: Any) -> Any:
    if isinstance(value, Text):
        if key in ("source", "licence") and value.tr == value.en:
            return value.tr
        return {"tr": value.tr, "en": value.en}
    if isinstance(value, Disclosure):
        return {k: v for k, v in dataclasses.asdict(value).items() if v}
    return value


def entry_toml(indicator: Indicator) -> str:
    """The entry as the TOML file ``python -m atlas import --entry`` reads: one ``[[indicator]]`` table,
    every key the catalogue reads, the optional ones only when they differ from their default."""
    lines = ["# Catalogue entry made by the data workbench's new-indicator form.",
             "# Give it to `python -m atlas import FILE --entry THIS.toml` (docs/import.md).", "",
             "[[indicator]]"]
    for f in dataclasses.fields(Indicator):
        value = getattr(indicator, f.name)
        has_default = f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING
        if has_default and value == f.default:
            continue
        lines.append(f"{f.name} = {_toml_value(_entry_value(f.name, value))}")
    return "\n".join(lines) + "\n"
