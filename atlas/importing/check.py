"""Checking parsed rows against their indicator's catalogue entry: levels and periods, negative
values, proportions (numerator ≤ denominator, value ≤ scale), values computed from numerator and
denominator, the disclosure rule and Wilson 95 % confidence intervals."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from ..catalogue import Indicator, Text
from ..i18n import lazy
from ..statistics.intervals import wilson_interval
from ..values import note_text, suppression_note
from .columns import column_label
from .problems import Problems, g
from .rows import ParsedRow

COMPUTED_TYPES = ("proportion", "rate", "ratio")  # value = numerator / denominator × scale


@dataclass(frozen=True)
class CheckedValue:
    """A row checked against its indicator: what will be stored (area still to be resolved)."""

    parsed: ParsedRow
    value: float | None
    numerator: float | None
    denominator: float | None
    lower_ci: float | None
    upper_ci: float | None
    status: str
    note: Text | None


@dataclass
class _Tally:
    suppressed: int = 0
    wilson: int = 0
    computed: int = 0
    mismatch: list[str] = field(default_factory=list)
    unchecked_disclosure: int = 0


def check_rows(rows: Sequence[ParsedRow], ind: Indicator) -> tuple[list[CheckedValue], list[tuple[int, str]],
                                                                  list[str]]:
    """Check parsed rows against an indicator; return (values to store, problems, warnings)."""
    problems = Problems()
    tally = _Tally()
    out = []
    for r in rows:
        before = len(problems.items)
        _check_against_entry(r, ind, problems)
        checked = _derive(r, ind, problems, tally)
        if len(problems.items) == before:
            out.append(checked)
    if out and all(v.status == "suppressed" for v in out):
        problems.add(0, lazy.gettext("every value would be suppressed by the disclosure rule of {indicator} "
                                     "({rule}); the indicator would have nothing to show",
                                     indicator=ind.id, rule=_rule_message(ind)))
    return out, problems.items, _tally_warnings(tally, ind)


def _check_against_entry(r: ParsedRow, ind: Indicator, problems: Problems) -> None:
    if r.level not in ind.levels:
        problems.add(r.row, lazy.gettext("level {level} is not in the levels of {indicator} ({levels})",
                                         level=r.level, indicator=ind.id, levels=", ".join(ind.levels)))
    if r.period not in ind.periods:
        problems.add(r.row, lazy.gettext("period {period} is not in the periods of {indicator} ({periods}); "
                                         "to add a period, give --entry with the period added",
                                         period=r.period, indicator=ind.id, periods=", ".join(ind.periods)))
    if r.numerator is not None and r.numerator < 0:
        problems.add(r.row, lazy.gettext("numerator is negative ({number})", number=g(r.numerator)))
    if not ind.allow_negative:
        for col in ("value", "lower_ci", "upper_ci"):
            if (x := getattr(r, col)) is not None and x < 0:
                problems.add(r.row, lazy.gettext("{column} is negative ({number}) and {indicator} does not allow "
                                                 "negative values", column=column_label(col), number=g(x),
                                                 indicator=ind.id))
    if ind.value_type == "proportion":
        _check_proportion(r, ind, problems)


def _check_proportion(r: ParsedRow, ind: Indicator, problems: Problems) -> None:
    if r.numerator is not None and r.denominator is not None and r.numerator > r.denominator:
        problems.add(r.row, lazy.gettext("numerator {numerator} is larger than denominator {denominator}",
                                         numerator=g(r.numerator), denominator=g(r.denominator)))
    if r.value is not None and r.value > ind.scale:
        problems.add(r.row, lazy.gettext("value {value} is above {scale}, the most a proportion can be in {unit}",
                                         value=g(r.value), scale=g(ind.scale), unit=ind.unit))


def _derive(r: ParsedRow, ind: Indicator, problems: Problems, tally: _Tally) -> CheckedValue:
    """The value, CI and status to store for one row (disclosure rule and Wilson CI applied)."""
    value = _value(r, ind, problems, tally)
    if ind.disclosure.suppresses(r.numerator, r.denominator):
        tally.suppressed += 1
        rule = suppression_note(ind.disclosure.min_count, ind.disclosure.min_denominator)
        given = note_text(r.note, r.note_en)
        note = Text(f"{rule.tr}; {given.tr}", f"{rule.en}; {given.en}") if given else rule
        return CheckedValue(r, None, None, r.denominator, None, None, "suppressed", note)
    disclosure = ind.disclosure
    if (disclosure.min_count and r.numerator is None) or (disclosure.min_denominator and r.denominator is None):
        tally.unchecked_disclosure += 1
    lo, hi = r.lower_ci, r.upper_ci
    if ind.value_type == "proportion" and lo is None and _has_ratio(r) and r.numerator <= r.denominator:
        lo, hi = (b * ind.scale for b in wilson_interval(r.numerator, r.denominator))
        tally.wilson += 1
        if value is not None and not lo - 1e-9 <= value <= hi + 1e-9:
            problems.add(r.row, lazy.gettext("value {value} is outside the 95 % CI computed from numerator and "
                                             "denominator ({lower}–{upper}); check all three", value=g(value),
                                             lower=format(lo, f".{ind.decimals}f"),
                                             upper=format(hi, f".{ind.decimals}f")))
    return CheckedValue(r, value, r.numerator, r.denominator, lo, hi, "ok", note_text(r.note, r.note_en))


def _has_ratio(r: ParsedRow) -> bool:
    return r.numerator is not None and r.denominator is not None and r.denominator > 0


def _value(r: ParsedRow, ind: Indicator, problems: Problems, tally: _Tally) -> float | None:
    """The given value, or numerator ÷ denominator × scale for proportions, rates and ratios."""
    computable = ind.value_type in COMPUTED_TYPES and _has_ratio(r)
    exact = r.numerator / r.denominator * ind.scale if computable else None
    if r.value is None and exact is not None:
        tally.computed += 1
        return exact
    if r.value is None:
        problems.add(r.row, lazy.gettext("no value: {indicator} is a {value_type}, so value cannot be computed "
                                         "from numerator and denominator", indicator=ind.id,
                                         value_type=ind.value_type))
    elif exact is not None and abs(r.value - exact) > _tolerance(ind):
        tally.mismatch.append(f"row {r.row}: {r.value:g} vs {exact:.{ind.decimals + 1}f}")
    return r.value


def _tolerance(ind: Indicator) -> float:
    return 0.5 * 10 ** -ind.decimals + 1e-9


def _rule_message(ind: Indicator) -> lazy.Message | str:
    count, denominator = ind.disclosure.min_count, ind.disclosure.min_denominator
    if count and denominator:
        return lazy.gettext("numerator below {count} or denominator below {denominator}", count=count,
                            denominator=denominator)
    if count:
        return lazy.gettext("numerator below {count}", count=count)
    return lazy.gettext("denominator below {denominator}", denominator=denominator) if denominator else ""


def _rule_text(ind: Indicator) -> str:
    return str(_rule_message(ind))


def _tally_warnings(t: _Tally, ind: Indicator) -> list[str]:
    out = []
    if t.suppressed:
        out.append(f"{t.suppressed} value(s) stored as 'suppressed' without value, numerator or CI "
                   f"(disclosure rule: {_rule_text(ind)})")
    if t.computed:
        out.append(f"{t.computed} value(s) computed as numerator ÷ denominator × {ind.scale:g}")
    if t.wilson:
        out.append(f"{t.wilson} Wilson 95 % confidence interval(s) computed from numerator and denominator")
    if t.unchecked_disclosure:
        out.append(f"{t.unchecked_disclosure} value(s) lack the numerator or denominator, so the disclosure rule "
                   f"({_rule_text(ind)}) could not be applied to them")
    if t.mismatch:
        shown = "; ".join(t.mismatch[:5]) + (f"; … {len(t.mismatch) - 5} more" if len(t.mismatch) > 5 else "")
        out.append(f"{len(t.mismatch)} value(s) differ from numerator ÷ denominator × {ind.scale:g} "
                   f"({shown}); the given values are stored")
    return out
