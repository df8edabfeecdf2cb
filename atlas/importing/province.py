"""The İzmir (province) value of an imported indicator, computed at import time from the file's areas.

Every view compares areas with the İzmir value of the same period (``queries/get_izmir_value.sql``);
the build writes it for the catalogue's indicators, and an import writes it here, for each period of
the file, when it can be computed exactly from the rows of one level (districts first, then mahalle):

* the file gives a value for EVERY district (or every mahalle) of the atlas, none suppressed — a
  sum over part of İzmir is not İzmir's value, and a sum that included a suppressed area would let
  its hidden count be worked out from the others;
* a count: İzmir's value is the sum of the areas' values;
* any other value type: every row has a numerator and a positive denominator that agree with its
  value (value = numerator ÷ denominator × scale, within the rounding of the indicator's decimals);
  İzmir's value is Σ numerators ÷ Σ denominators × scale. This is the exact province value of a
  proportion, rate, ratio, density or percent change, and the population-weighted mean of a mean or
  score whose file gives the weights as denominators (the file says so by giving them). A
  proportion gets a Wilson 95 % CI, as its areas do.

Otherwise no İzmir value is written and the report says why; the app then does not offer "compared
with İzmir" for that period (``atlas.views.view_state.Availability``) and the export refuses it.
The disclosure rule applies to the İzmir value as to any area.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import duckdb

from .. import queries
from ..build.areas import PROVINCE_CODE
from ..catalogue import LEVELS, Indicator, Text
from ..i18n import lazy
from ..statistics.intervals import wilson_interval
from ..values import written_note
from .check import CheckedValue

def _note(ind: Indicator, level: str, n: int) -> Text:
    """How the İzmir value was computed, in both languages (stored as the row's note)."""
    if ind.value_type == "count":
        if level == "district":
            message = lazy.ngettext("computed at import: the sum of the {n} district",
                                    "computed at import: the sum of the {n} districts", n)
        else:
            message = lazy.ngettext("computed at import: the sum of the {n} mahalle",
                                    "computed at import: the sum of the {n} mahalle", n)
    elif level == "district":
        message = lazy.ngettext("computed at import from the {n} district: sum of numerators ÷ sum of denominators",
                                "computed at import from the {n} districts: sum of numerators ÷ sum of denominators",
                                n)
    else:
        message = lazy.ngettext("computed at import from the {n} mahalle: sum of numerators ÷ sum of denominators",
                                "computed at import from the {n} mahalle: sum of numerators ÷ sum of denominators",
                                n)
    return written_note(message)


@dataclass(frozen=True)
class ProvinceValue:
    """The İzmir value of one period, as an ``indicator_values`` row of level 'province'."""

    period: str
    period_sort: int
    value: float
    numerator: float | None
    denominator: float | None
    lower_ci: float | None
    upper_ci: float | None
    note: Text


@dataclass(frozen=True)
class AreaKinds:
    """The areas of the atlas a province value is computed from: codes of kind 'district' and
    'mahalle' by level, and whether the province area exists."""

    codes: dict[str, frozenset[str]]
    has_province: bool

    @classmethod
    def from_db(cls, con: duckdb.DuckDBPyConnection) -> "AreaKinds":
        df = queries.run(con, "list_area_kinds")
        codes = {lv: frozenset(df.loc[(df["level"] == lv) & (df["kind"] == lv), "code"]) for lv in LEVELS}
        has_province = bool(((df["level"] == "province") & (df["code"] == PROVINCE_CODE)).any())
        return cls(codes, has_province)


def province_values(ind: Indicator, values: Sequence[tuple[CheckedValue, str]], areas: AreaKinds
                    ) -> tuple[list[ProvinceValue], list[str]]:
    """The İzmir value of each period of ``values`` that can be computed (see the module), and one
    line per period for the report: how it was computed, or why there is none."""
    periods = sorted({(v.parsed.period_sort, v.parsed.period) for v, _ in values})
    by_key: dict[tuple[str, str], list[tuple[CheckedValue, str]]] = {}
    for v, code in values:  # one pass: a file may hold many periods of thousands of mahalle
        by_key.setdefault((v.parsed.period, v.parsed.level), []).append((v, code))
    out: list[ProvinceValue] = []
    lines: list[str] = []
    for sort, period in periods:
        if not areas.has_province:
            lines.append(f"period {period}: no İzmir value (the database has no province area)")
            continue
        reasons = []
        for level in LEVELS:
            rows = by_key.get((period, level), [])
            if not rows:
                continue
            got, why = _from_level(ind, level, rows, areas.codes[level])
            if got is None:
                reasons.append(why)
                continue
            value, num, den, lo, hi = got
            if ind.disclosure.suppresses(num, den):
                reasons.append(f"the {level} total would be suppressed by the disclosure rule")
                continue
            out.append(ProvinceValue(period, sort, value, num, den, lo, hi, _note(ind, level, len(rows))))
            lines.append(f"period {period}: İzmir value {value:.{ind.decimals}f} computed from the {len(rows)} "
                         f"{level} rows")
            break
        else:
            lines.append(f"period {period}: no İzmir value, so the areas cannot be compared with İzmir "
                         f"({'; '.join(reasons)})")
    return out, lines


def _from_level(ind: Indicator, level: str, rows: list[tuple[CheckedValue, str]], expected: frozenset[str]):
    """((value, numerator, denominator, lower_ci, upper_ci), None) from the rows of one level, or
    (None, why not)."""
    given = {code for _, code in rows}
    missing = len(expected - given)
    if missing:
        return None, f"{missing} of the {len(expected)} {level} areas of the atlas are not in the file"
    checked = [v for v, _ in rows]
    suppressed = sum(v.status != "ok" for v in checked)
    if suppressed:
        return None, f"{suppressed} {level} value(s) are suppressed"
    if ind.value_type == "count":
        return (float(sum(v.value for v in checked)), None, None, None, None), None
    tolerance = 0.5 * 10 ** -ind.decimals + 1e-9
    for v in checked:
        if v.numerator is None or v.denominator is None or v.denominator <= 0:
            return None, (f"row {v.parsed.row} has no numerator and denominator, so the {level} values cannot "
                          "be summed")
        if abs(v.value - v.numerator / v.denominator * ind.scale) > tolerance:
            return None, f"row {v.parsed.row}'s value differs from numerator ÷ denominator × {ind.scale:g}"
    num = float(sum(v.numerator for v in checked))
    den = float(sum(v.denominator for v in checked))
    lo = hi = None
    if ind.value_type == "proportion" and num <= den:
        lo, hi = (b * ind.scale for b in wilson_interval(num, den))
    return (num / den * ind.scale, num, den, lo, hi), None
