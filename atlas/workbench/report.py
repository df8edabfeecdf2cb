"""An import's problems as a clerk reads them: a table in the page's language, and the same table as a
CSV to download.

``problems_table(rejected, lang)`` has one row per problem the importer found (every one, not only the
first 50 the command line lists), ordered by row: the row number as the spreadsheet shows it (empty for
the file as a whole), the column the problem is about when it is known, the problem in ``lang`` and the
closest names the atlas knows when the importer suggests any. ``problems_csv`` writes it as UTF-8 with
BOM through ``atlas.views.spreadsheet.csv_bytes``, so a value from the file that looks like a formula
stays text.
"""

from __future__ import annotations

import pandas as pd

from ..catalogue import Text
from ..errors import ImportRejected
from ..i18n import check_lang, gettext
from ..i18n.lazy import Message
from ..importing.columns import TURKISH_NAMES
from ..importing.problems import Suggested, render, suggestions
from ..views.spreadsheet import csv_bytes
from .template import TURKISH_HEADER

REPORT_COLUMNS = ("row", "column", "problem", "suggestion")

# The column of the file a problem is about, by the English message (a message with a {column}
# parameter names it itself).
_COLUMN_OF = {
    "indicator_id is empty": "indicator_id",
    "level is {level}; use district (ilçe) or mahalle": "level",
    "level {level} is not in the levels of {indicator} ({levels})": "level",
    "level is district but a mahalle is given ({mahalle}); use level mahalle or leave mahalle empty": "mahalle",
    "period is empty": "period",
    "period {period} is not a year (2023) or a span of years (2021-2025)": "period",
    "period {period} names the year {year}; a period lies within {first}–{last}": "period",
    "period {period} ends before it starts": "period",
    "period {period} is not in the periods of {indicator} ({periods}); to add a period, give --entry with the "
    "period added": "period",
    "numerator is negative ({number})": "numerator",
    "numerator {numerator} is larger than denominator {denominator}": "numerator",
    "denominator must be above 0, got {number}": "denominator",
    "value {value} is above {scale}, the most a proportion can be in {unit}": "value",
    "value {value} is outside the 95 % CI computed from numerator and denominator ({lower}–{upper}); check all "
    "three": "value",
    "no value: {indicator} is a {value_type}, so value cannot be computed from numerator and denominator": "value",
    "no value: give value (or numerator and denominator); leave out areas without data": "value",
    "give both lower_ci and upper_ci, or neither": "lower_ci",
    "the CI [{lower}, {upper}] is not around the value {value} (lower_ci ≤ value ≤ upper_ci)": "lower_ci",
    "unknown district {name}": "district",
    "unknown district {name}; closest: {names}": "district",
    "district {name} is ambiguous: it fits {names}; use area_code": "district",
    "unknown mahalle in {district} {name}": "mahalle",
    "unknown mahalle in {district} {name}; closest: {names}": "mahalle",
    "mahalle in {district} {name} is ambiguous: it fits {names}; use area_code": "mahalle",
    "mahalle {mahalle} has no district; a mahalle is matched within its district (names repeat across "
    "districts), so give the district too": "district",
    "area_code {code} is not a {level} of the atlas": "area_code",
    "area_code {code} is {area} but the names say {named}": "area_code",
    "unknown indicator {indicator}: did you mean {names}? To add a new indicator, give its catalogue entry with "
    "--entry ENTRY.toml (see examples/import_template_entry.toml)": "indicator_id",
    "unknown indicator {indicator}: To add a new indicator, give its catalogue entry with --entry ENTRY.toml "
    "(see examples/import_template_entry.toml)": "indicator_id",
    "the file holds several indicators ({ids}); import one indicator per file": "indicator_id",
}


def problem_column(message: object) -> str | None:
    """The file's column a problem is about (``numerator``, ``district``, …), or None when it is about
    the file or the row as a whole (or the importer does not say)."""
    inner = message.message if isinstance(message, Suggested) else message
    if not isinstance(inner, Message):
        return None
    column = dict(inner.params).get("column")
    name = column.en if isinstance(column, Text) else column  # columns.column_label: Turkish and English
    if isinstance(name, str) and name in TURKISH_NAMES:
        return name
    return _COLUMN_OF.get(inner.message)


def column_name(column: str | None, lang: str) -> str:
    """A column as the template of ``lang`` heads it (Turkish names in Turkish)."""
    if column is None:
        return ""
    return TURKISH_HEADER.get(column, column) if lang == "tr" else column


def problems_table(rejected: ImportRejected, lang: str) -> pd.DataFrame:
    """Every problem of ``rejected`` in ``lang``: row (None for the file as a whole), column, problem,
    suggestion; the headers in ``lang``."""
    check_lang(lang)
    items = sorted(getattr(rejected, "items", None) or [(0, p) for p in rejected.problems], key=lambda i: i[0])
    rows = [{
        "row": int(row) if row else None,
        "column": column_name(problem_column(message), lang),
        "problem": render(message, lang),
        "suggestion": ", ".join(suggestions(message)),
    } for row, message in items]
    df = pd.DataFrame(rows, columns=list(REPORT_COLUMNS)).astype({"row": "Int64"})
    return df.rename(columns=headers(lang))


def headers(lang: str) -> dict[str, str]:
    return {"row": gettext("Row", lang), "column": gettext("Column", lang), "problem": gettext("Problem", lang),
            "suggestion": gettext("Closest names", lang)}


def summary_line(rejected: ImportRejected, lang: str) -> str:
    """The rejection's first line in ``lang`` (file name, how many problems, nothing written)."""
    summary = getattr(rejected, "summary", None)
    if summary is None or isinstance(summary, str):
        return str(rejected).split("\n", 1)[0]
    return summary.get(lang)


def problems_csv(df: pd.DataFrame) -> bytes:
    """The table as a CSV a spreadsheet opens as data: UTF-8 with BOM, text cells formula-safe."""
    return csv_bytes(df)
