"""The header row of an import file: which column is which (English or Turkish names), and
which required columns are missing."""

from __future__ import annotations

from typing import Sequence

from ..i18n import lazy
from .columns import ALIAS_TO_COLUMN, COLUMNS, header_key
from .problems import Problems, quoted
from .read import Cell, cell_text


def map_header(header: Sequence[str], problems: Problems, data_rows: Sequence[tuple[int, tuple[Cell, ...]]],
               header_row: int = 1) -> dict[str, int]:
    """Column name → index. Unknown or repeated names and missing required columns are problems."""
    found: dict[str, int] = {}
    for i, name in enumerate(header):
        key = header_key(name or "")
        if not key:
            if any(i < len(cells) and cell_text(cells[i]) for _, cells in data_rows):
                problems.add(header_row, lazy.gettext("column {number} has values but no header name", number=i + 1))
            continue
        column = ALIAS_TO_COLUMN.get(key)
        if column is None:
            problems.add(header_row, lazy.gettext("unknown column {name}; the columns are: {columns} "
                                                  "(see docs/import.md for the Turkish names)",
                                                  name=quoted(name), columns=", ".join(COLUMNS)))
        elif column in found:
            problems.add(header_row, lazy.gettext("column {name} repeats {first} ({column})", name=quoted(name),
                                                  first=quoted(header[found[column]]), column=column))
        else:
            found[column] = i
    return found


def missing_columns(found: dict[str, int]) -> list[lazy.Message]:
    """The required columns a header lacks, as messages."""
    out = [lazy.gettext("missing column {column}", column=repr(c))
           for c in ("indicator_id", "level", "period") if c not in found]
    if "value" not in found and not {"numerator", "denominator"} <= set(found):
        out.append(lazy.gettext("missing column 'value' (or both 'numerator' and 'denominator')"))
    if not {"area_code", "district"} & set(found):
        out.append(lazy.gettext("missing the area: give column 'area_code', or 'district' (and 'mahalle' for "
                                "mahalle rows)"))
    return out
