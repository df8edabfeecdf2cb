"""The XLSX template of an import file: what the Healthy Cities office fills in Excel.

``build_template(con, lang)`` makes a workbook whose FIRST sheet is the data sheet the importer reads
(``python -m atlas import`` and the workbench page read the first sheet; header in row 1): the columns
of ``atlas.importing.columns.COLUMNS``, headed by their Turkish names in a Turkish template
(``gösterge``, ``düzey``, … — the importer's accepted aliases) and their English names otherwise, with
drop-down lists (Excel data validation) of the indicator ids, the levels, the district and mahalle
names, the area codes and the periods of the database ``con``. The other sheets:

* help: every column in Turkish AND English (what it means, whether it is required, the other
  names accepted);
* example: rows of made-up values for real area names, every row's note saying KURGUSAL /
  FICTIONAL; they are for the fictional indicator of ``examples/import_template_entry.toml``;
* codes: the indicators (id, title, unit, periods) and the areas (level, district, mahalle, code) to
  look up;
* lists (hidden): the drop-down lists longer than Excel's 255 characters for an inline list.

Drop-downs warn but do not forbid (the importer also takes ``KARŞIYAKA`` for ``Karşıyaka`` and a new
period given with a new entry). No cell is ever a formula: a text that starts like one is stored as
text. ``python -m atlas template --out FILE.xlsx [--lang tr] [--kind age_bands]`` writes the same file.

``kind="age_bands"`` makes the template of count data by age band (``atlas.importing.age_rows``: sex, age
band, events and population instead of value, numerator, denominator and CI; drop-downs of the sexes and
the age bands; fictional counts for the family of ``examples/deaths_by_age_example_entry.toml``).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import duckdb
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .. import queries
from ..i18n import N_, check_lang, gettext, pgettext
from ..importing.age_rows import COUNT_COLUMNS, COUNT_HEADER_ALIASES
from ..importing.columns import COLUMNS, HEADER_ALIASES, TURKISH_NAMES, header_key
from ..names import fold

#: The fictional indicator of the example rows (its entry: examples/import_template_entry.toml).
EXAMPLE_INDICATOR = "example_full_immunisation"
EXAMPLE_PERIOD = "2024"
#: (numerator, denominator) of the example rows: made up. The last is below the example entry's
#: disclosure rule (min_count 5), so the example shows a suppressed value.
EXAMPLE_COUNTS = ((4512, 4801), (4190, 4500), (3877, 4210), (612, 650), (3, 18))
#: Count data by age band (docs/import.md, "Count data by age band"): the fictional family of
#: examples/deaths_by_age_example_entry.toml (districts, 2022 and 2023), and the bands of the examples.
EXAMPLE_COUNT_INDICATOR = "example_deaths"
EXAMPLE_COUNT_PERIODS = ("2022", "2023")
AGE_BANDS = ("0", "1-4", *(f"{a}-{a + 4}" for a in range(5, 85, 5)), "85+")
KINDS = ("values", "age_bands")  # a file of ready values, or of count data by age band
#: Data rows the drop-downs cover (the importer's limit is 10,000 rows).
VALIDATED_ROWS = 2000
INLINE_LIST_CHARS = 255  # Excel's limit for a list written in the validation itself

#: The column names of a Turkish template: each one of the importer's accepted aliases.
TURKISH_HEADER = TURKISH_NAMES
SEX_WORDS = {"tr": ("toplam", "kadın", "erkek"), "en": ("total", "female", "male")}
LEVEL_WORDS = {"tr": {"district": "ilçe", "mahalle": "mahalle"}}  # the importer reads either word

# The help of every column (docs/import.md, "Columns"), in the catalogue: shown in Turkish and English.
COLUMN_HELP = {
    "indicator_id": N_("The atlas indicator id, the same in every row (one indicator per file)."),
    "level": N_("district (ilçe) or mahalle."),
    "district": N_("The district name. A district row gives it (or area_code); a mahalle row gives it with "
                   "the mahalle name, since mahalle names repeat across districts."),
    "mahalle": N_("The mahalle name, on mahalle rows only."),
    "area_code": N_("The atlas code of the area, instead of the names: the TÜİK district id for a district, "
                    "the atlas mahalle code for a mahalle (see the codes sheet). If names are given too, "
                    "they must agree."),
    "period": N_("A year (2024) or a span of years (2021-2025), one of the indicator's periods."),
    "value": N_("The value in the indicator's unit (12.5 for 12.5 %). May be left empty for a proportion, "
                "rate or ratio that gives numerator and denominator."),
    "numerator": N_("The count behind the value (never negative)."),
    "denominator": N_("The population behind the value (above 0)."),
    "lower_ci": N_("Lower bound of the 95 % confidence interval; give both bounds or neither."),
    "upper_ci": N_("Upper bound of the 95 % confidence interval; give both bounds or neither."),
    "note": N_("Free text stored with the value, shown in both languages unless note_en is given."),
    "note_en": N_("The note in English, when note is Turkish."),
    "sex": N_("total (toplam), female (kadın) or male (erkek); without this column every row is the total."),
    "age_band": N_("The age band: 0, 1-4, 5-9 … 85+ (or 90+); the bands of an area and year start at 0, "
                   "have no gap and end with an open band."),
    "events": N_("The number of events (deaths, admissions …) in the band: a whole number, 0 or more."),
    "population": N_("The people the events are counted in: a whole number, 0 or more."),
}
COUNT_HELP = {  # where count data differ from ready values
    "indicator_id": N_("The id of the entry (may be left empty)."),
    "period": N_("One year (2023); pooled spans are made by the entry."),
    "note": N_("Free text (not stored: the values are computed)."),
    "note_en": N_("Free text (not stored: the values are computed)."),
}
REQUIRED = {"indicator_id": "yes", "level": "yes", "period": "yes", "district": "area", "mahalle": "area",
            "area_code": "area", "value": "value", "age_band": "yes", "events": "yes", "population": "yes"}
REQUIRED_WORDS = {"yes": N_("always"), "area": N_("names or area_code"), "value": N_("value, or numerator and "
                                                                                  "denominator"),
                  "": N_("optional")}
HELP_LINES = (
    N_("Fill the first sheet: one row per area and period, for one indicator. The header is row 1; "
       "leave it as it is."),
    N_("Nothing is imported while any problem remains: the check lists every problem with its row number."),
    N_("Give an area by area_code or by its names; names are matched the Turkish way "
       "(KARŞIYAKA, karsiyaka and Karşıyaka are the same)."),
    N_("Numbers: 12,5 or 12.5; no % sign. Leave out areas without data."),
    N_("The example sheet holds FICTIONAL values for a made-up indicator: never publish them."),
)
COUNT_HELP_LINES = (
    N_("Fill the first sheet: one row per area, year, sex and age band, with the events counted and the "
       "population; the atlas computes the rates. The header is row 1; leave it as it is."),
    *HELP_LINES[1:3],
    N_("Numbers: whole numbers; no % sign."),
    HELP_LINES[4],
)


def columns(kind: str = "values") -> tuple[str, ...]:
    """The columns of a file of ``kind``: ready values, or count data by age band."""
    if kind not in KINDS:
        raise ValueError(f"template kind {kind!r} is not known; use one of {', '.join(KINDS)}")
    return COLUMNS if kind == "values" else COUNT_COLUMNS


def _help(column: str, kind: str) -> str:
    return (COUNT_HELP.get(column) if kind == "age_bands" else None) or COLUMN_HELP[column]


@dataclass(frozen=True)
class TemplateLists:
    """What the drop-downs offer, read from the database."""

    indicators: tuple[tuple[str, str, str, str], ...]  # id, title, unit, periods (", "-joined)
    districts: tuple[tuple[str, str], ...]  # code, name
    mahalle: tuple[tuple[str, str, str], ...]  # code, district name, name
    periods: tuple[str, ...]


def read_lists(con: duckdb.DuckDBPyConnection, lang: str) -> TemplateLists:
    indicators = queries.run(con, "list_indicators", {"lang": lang})
    areas = queries.run(con, "list_area_names")
    districts = areas[areas["level"] == "district"]
    district_name = dict(zip(districts["code"], districts["name"]))
    mahalle = areas[areas["level"] == "mahalle"]
    rows = sorted(((str(r.code), district_name.get(r.parent_code, ""), str(r.name))
                   for r in mahalle.itertuples(index=False)), key=lambda t: (fold(t[1]), fold(t[2]), t[0]))
    periods = {p.strip() for text in indicators["periods"].dropna() for p in str(text).split(",") if p.strip()}
    periods.add(EXAMPLE_PERIOD)
    return TemplateLists(
        indicators=tuple((str(r.indicator_id), str(r.title), str(r.unit), str(r.periods or ""))
                         for r in indicators.sort_values("indicator_id").itertuples(index=False)),
        districts=tuple(sorted(((str(c), str(n)) for c, n in district_name.items()), key=lambda t: (fold(t[1]), t[0]))),
        mahalle=tuple(rows),
        periods=tuple(sorted(periods, key=lambda p: (p[-4:], p))),
    )


def header(lang: str, kind: str = "values") -> tuple[str, ...]:
    """The data sheet's header in ``lang``: Turkish aliases for Turkish, the column names otherwise."""
    check_lang(lang)
    return tuple(TURKISH_HEADER[c] if lang == "tr" else c for c in columns(kind))


def example_rows(lists: TemplateLists, lang: str, kind: str = "values") -> list[dict[str, object]]:
    """Fictional rows (keyed by column) for the first districts and the first mahalle of the first
    district of the database; every note says KURGUSAL / FICTIONAL."""
    level = LEVEL_WORDS.get(lang, {})
    note_tr = gettext("FICTIONAL EXAMPLE — not real data", "tr")
    note_en = gettext("FICTIONAL EXAMPLE — not real data", "en")
    if columns(kind) == COUNT_COLUMNS:
        return _count_examples(lists, lang, note_tr, note_en)
    places = [("district", name, None) for _code, name in lists.districts[:3]]
    if lists.districts:
        first = lists.districts[0][1]
        places += [("mahalle", first, name) for _code, d, name in lists.mahalle if d == first][:2]
    out = []
    for (lvl, district, mahalle), (num, den) in zip(places, EXAMPLE_COUNTS):
        out.append({"indicator_id": EXAMPLE_INDICATOR, "level": level.get(lvl, lvl), "district": district,
                    "mahalle": mahalle, "period": EXAMPLE_PERIOD, "numerator": num, "denominator": den,
                    "note": note_tr, "note_en": note_en})
    return out


def _count_examples(lists: TemplateLists, lang: str, note_tr: str, note_en: str) -> list[dict[str, object]]:
    """Made-up counts of the two first districts, each year of the example entry, every band, total sex."""
    out = []
    level = LEVEL_WORDS.get(lang, {}).get("district", "district")
    for d, (_code, district) in enumerate(lists.districts[:2]):
        for y, period in enumerate(EXAMPLE_COUNT_PERIODS):
            for b, band in enumerate(AGE_BANDS):
                population = 4000 + 250 * d - 120 * y + (600 if b < 15 else -150 * (b - 14))
                events = (2 + b * b // 4 + d + y) if b else 3 + d
                out.append({"indicator_id": EXAMPLE_COUNT_INDICATOR, "level": level, "district": district,
                            "period": period, "sex": SEX_WORDS.get(lang, SEX_WORDS["en"])[0], "age_band": band,
                            "events": events, "population": population, "note": note_tr, "note_en": note_en})
    return out


def _put(ws: Worksheet, row: int, col: int, value: object, *, bold: bool = False) -> None:
    """A cell that is never a formula: a text starting with '=' is stored as text."""
    cell = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)


def _table(ws: Worksheet, head: tuple[str, ...] | list[str], rows, *, start: int = 1, widths=None) -> None:
    for j, text in enumerate(head, start=1):
        _put(ws, start, j, text, bold=True)
    for i, values in enumerate(rows, start=start + 1):
        for j, value in enumerate(values, start=1):
            if value is not None and value != "":
                _put(ws, i, j, value)
    for j, width in enumerate(widths or (), start=1):
        ws.column_dimensions[get_column_letter(j)].width = width


class _Lists:
    """The hidden sheet of long drop-down lists, one column per list."""

    def __init__(self, ws: Worksheet):
        self.ws = ws
        self.column = 0

    def formula(self, values: list[str]) -> str | None:
        if not values:
            return None
        inline = ",".join(values)
        if len(inline) <= INLINE_LIST_CHARS and not any(ch in inline for ch in '"') and \
                all("," not in v for v in values):
            return f'"{inline}"'
        self.column += 1
        letter = get_column_letter(self.column)
        for i, value in enumerate(values, start=1):
            _put(self.ws, i, self.column, value)
        return f"{quote_sheetname(self.ws.title)}!${letter}$1:${letter}${len(values)}"


def _validation(formula: str, title: str, prompt: str, lang: str) -> DataValidation:
    dv = DataValidation(type="list", formula1=formula, allow_blank=True, showDropDown=False,
                        showErrorMessage=True, errorStyle="warning", showInputMessage=True)
    dv.promptTitle = title[:32]
    dv.prompt = prompt[:255]
    dv.errorTitle = gettext("Not in the list", lang)[:32]
    dv.error = gettext("This value is not in the atlas's list. Check the spelling; the check before "
                       "publishing will say what is wrong.", lang)[:255]
    return dv


def build_template(con: duckdb.DuckDBPyConnection, lang: str, kind: str = "values") -> bytes:
    """The XLSX template for the database ``con`` with its sheet names and header in ``lang``; ``kind``
    "age_bands" makes the template of count data by age band."""
    check_lang(lang)
    cols = columns(kind)
    lists = read_lists(con, lang)
    wb = Workbook()
    data = wb.active
    data.title = pgettext("template sheet", "data", lang)
    help_ws = wb.create_sheet(pgettext("template sheet", "help", lang))
    example = wb.create_sheet(pgettext("template sheet", "example", lang))
    codes = wb.create_sheet(pgettext("template sheet", "codes", lang))
    hidden = wb.create_sheet("lists")
    hidden.sheet_state = "hidden"
    head = header(lang, kind)
    widths = [28, 10, 16, 22, 12, 10, *([10] * (len(cols) - 8)), 30, 30]
    _table(data, head, [], widths=widths)
    data.freeze_panes = "A2"
    fill = PatternFill("solid", fgColor="DDEBF7")
    for j in range(1, len(head) + 1):
        data.cell(row=1, column=j).fill = fill
    _add_validations(data, lists, _Lists(hidden), lang, kind)

    _write_help(help_ws, head, lang, kind)
    rows = example_rows(lists, lang, kind)
    _table(example, head, [[r.get(c) for c in cols] for r in rows], widths=widths[:-2] + [36, 36])
    _write_codes(codes, lists, lang)

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _add_validations(ws: Worksheet, lists: TemplateLists, hidden: _Lists, lang: str, kind: str) -> None:
    levels = LEVEL_WORDS.get(lang, {})
    cols = columns(kind)
    example = EXAMPLE_INDICATOR if kind == "values" else EXAMPLE_COUNT_INDICATOR
    choices = {
        "indicator_id": [i[0] for i in lists.indicators] + [example],
        "level": [levels.get(level, level) for level in ("district", "mahalle")],
        "district": [name for _code, name in lists.districts],
        "mahalle": sorted({name for _code, _d, name in lists.mahalle}, key=lambda n: (fold(n), n)),
        "area_code": [code for code, _name in lists.districts] + [code for code, _d, _n in lists.mahalle],
        "period": list(lists.periods) if kind == "values" else sorted({*lists.periods, *EXAMPLE_COUNT_PERIODS}),
        "sex": list(SEX_WORDS.get(lang, SEX_WORDS["en"])),
        "age_band": list(AGE_BANDS) + ["90+"],
    }
    titles = header(lang, kind)
    for column, values in choices.items():
        if column not in cols:
            continue
        formula = hidden.formula(list(dict.fromkeys(values)))
        if formula is None:
            continue
        j = cols.index(column) + 1
        dv = _validation(formula, titles[j - 1], gettext(_help(column, kind), lang), lang)
        letter = get_column_letter(j)
        dv.add(f"{letter}2:{letter}{VALIDATED_ROWS + 1}")
        ws.add_data_validation(dv)


def _write_help(ws: Worksheet, head: tuple[str, ...], lang: str, kind: str = "values") -> None:
    row = 1
    aliases = HEADER_ALIASES if kind == "values" else COUNT_HEADER_ALIASES
    for line in (HELP_LINES if kind == "values" else COUNT_HELP_LINES):
        _put(ws, row, 1, gettext(line, "tr"))
        _put(ws, row + 1, 1, gettext(line, "en"))
        row += 2
    row += 1
    titles = [gettext("Column", lang), gettext("Other names accepted", lang), gettext("Required", lang),
              gettext("Meaning (Turkish)", lang), gettext("Meaning (English)", lang)]
    body = []
    for column, shown in zip(columns(kind), head):
        others = [a for a in aliases[column] if header_key(a) != header_key(shown)]
        required = "" if kind == "age_bands" and column == "indicator_id" else REQUIRED.get(column, "")
        need = REQUIRED_WORDS[required]
        body.append([shown, ", ".join(others), gettext(need, lang), gettext(_help(column, kind), "tr"),
                     gettext(_help(column, kind), "en")])
    _table(ws, titles, body, start=row, widths=[16, 34, 22, 70, 70])
    for r in ws.iter_rows(min_row=row + 1):
        for cell in r:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _write_codes(ws: Worksheet, lists: TemplateLists, lang: str) -> None:
    _table(ws, [gettext("Indicator", lang), gettext("Title", lang), gettext("Unit", lang),
                gettext("Periods", lang)], lists.indicators, widths=[30, 50, 14, 24])
    start = len(lists.indicators) + 3
    levels = LEVEL_WORDS.get(lang, {})
    areas = [(levels.get("district", "district"), name, None, code) for code, name in lists.districts]
    areas += [(levels.get("mahalle", "mahalle"), d, name, code) for code, d, name in lists.mahalle]
    _table(ws, [header(lang)[COLUMNS.index(c)] for c in ("level", "district", "mahalle", "area_code")],
           areas, start=start)

