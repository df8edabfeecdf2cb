"""Numbers for people, in every language of the atlas, with CLDR's symbols (through Babel).

* Separators and the place of the percent sign come from CLDR for each language in
  ``atlas/locale/LINGUAS`` (Babel's locale data), so a new language needs no change here:
  Turkish ``1.234,5`` and ``%12,5`` (percent sign in front, as TDK writes it); English
  ``1,234.5`` and ``12.5%``. ``tests/test_formatting_cldr.py`` checks the output against
  ``babel.numbers.format_decimal`` / ``format_percent``.
* Other units follow the number after a space (``21,3 °C``, ``1.234 kişi``); ``°`` alone
  attaches (``45°``).
* Rounding is the atlas's own, and the one place it differs from Babel's default (half to even):
  half away from zero on the number as written in decimal (``repr``), so ``2.675 → 2.68``,
  ``0.125 → 0.13`` and ``-0.05 → -0.1`` at one decimal, as a reader rounding by hand, Excel's
  ROUND and the published tables the atlas is compared with do (Python's ``round`` gives 2.67,
  because 2.675 is stored as 2.67499…; half to even gives 0.12). Only exact ties differ. A result
  that rounds to zero is printed without a minus sign.
* Negative numbers use the ASCII hyphen-minus (CLDR's minus for Turkish and English), so copied
  numbers paste into spreadsheets.
* ``None``, NaN and non-numbers-as-missing print as an em dash ``—``; ±inf as ``∞``/``-∞``.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, localcontext
from functools import cache
from typing import Any, Iterable

from babel import Locale, numbers as cldr

from ..i18n import LANGS

MISSING = "—"
EN_DASH = "–"
# Digits are written with English separators (1,234.5), then translated per language (CLDR).
_SEPARATORS = {lang: str.maketrans({",": cldr.get_group_symbol(lang), ".": cldr.get_decimal_symbol(lang)})
               for lang in LANGS}
MAX_DECIMALS = 10
_QUANTUM = tuple(Decimal(1).scaleb(-d) for d in range(MAX_DECIMALS + 1))
# Below 10**(15 - d) a float is within 1e-15 relative of its repr, far less than half the last
# of d decimals: the float formatter and the decimal repr round alike except on exact ties.
_FAST_LIMIT = tuple(10.0 ** (15 - d) for d in range(MAX_DECIMALS + 1))


def _check(lang: str, decimals: int) -> None:
    if lang not in _SEPARATORS:
        raise ValueError(f"language {lang!r} is not supported; use one of {', '.join(_SEPARATORS)}")
    if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= MAX_DECIMALS:
        raise ValueError(f"decimals must be a whole number from 0 to {MAX_DECIMALS}, got {decimals!r}")


def _as_float(x: Any) -> float | None:
    if x is None or isinstance(x, (str, bytes)):
        return None
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def format_number(x: Any, lang: str, decimals: int) -> str:
    """``x`` with ``decimals`` decimals and the separators of ``lang`` (``"tr"`` or ``"en"``)."""
    _check(lang, decimals)
    return _format_checked(x, lang, decimals)


def format_numbers(xs: Iterable[Any], lang: str, decimals: int) -> list[str]:
    """:func:`format_number` of every value of ``xs`` (a column of a view: checked once)."""
    _check(lang, decimals)
    return [_format_checked(x, lang, decimals) for x in xs]


def _format_checked(x: Any, lang: str, decimals: int) -> str:
    f = _as_float(x)
    if f is None:
        return MISSING
    if math.isinf(f):
        return "∞" if f > 0 else "-∞"
    text = _fast_digits(f, decimals)
    if text is None:
        text = _decimal_digits(f, decimals)
    if text.startswith("-") and not text.strip("-0.,"):
        text = text[1:]  # rounds to zero: no minus sign
    return text.translate(_SEPARATORS[lang])


def _fast_digits(f: float, decimals: int) -> str | None:
    """``f`` rounded by the float formatter (English separators), when that is sure to agree with
    rounding half up on ``repr(f)``: unless ``repr`` ends exactly on a half (``2.675`` at two
    decimals) the half-way point is farther from ``f`` than ``repr`` is, so both round the same
    way. None otherwise (ties, exponent notation, and magnitudes whose float error could reach
    the last decimal)."""
    if not -_FAST_LIMIT[decimals] < f < _FAST_LIMIT[decimals]:
        return None
    r = repr(f)
    if "e" in r:
        return None
    frac = r.partition(".")[2]
    if len(frac) == decimals + 1 and frac[-1] == "5":
        return None
    return format(f, f",.{decimals}f")


def _decimal_digits(f: float, decimals: int) -> str:
    """``f`` rounded half away from zero on its decimal ``repr`` (English separators)."""
    d = Decimal(repr(f))
    if d.adjusted() + decimals + 5 <= 28:  # the default context's precision is enough (the usual case)
        q = d.quantize(_QUANTUM[decimals], rounding=ROUND_HALF_UP)
    else:
        with localcontext() as ctx:
            ctx.prec = d.adjusted() + decimals + 5
            q = d.quantize(_QUANTUM[decimals], rounding=ROUND_HALF_UP)
    return format(q, ",f")


def format_int(x: Any, lang: str) -> str:
    """``x`` rounded to a whole number (half away from zero), digits grouped."""
    return format_number(x, lang, 0)


def _unit(unit: Any, lang: str) -> str:
    if unit is None:
        return ""
    if hasattr(unit, "get") and not isinstance(unit, str):
        unit = unit.get(lang)  # a catalogue Text
    return str(unit).strip()


@cache
def _percent_style(lang: str) -> tuple[bool, str]:
    """(sign in front?, the space between) from the language's CLDR percent pattern
    (``%#,##0`` Turkish, ``#,##0%`` English, ``#,##0\u00a0%`` German)."""
    pattern = Locale.parse(lang).percent_formats[None].pattern.split(";")[0]
    front = pattern.index("%") < pattern.index("0")
    between = pattern[pattern.index("%") + 1:pattern.index("#")] if front else pattern[pattern.rindex("0") + 1:
                                                                                      pattern.index("%")]
    return front, between


def _attach(num: str, unit: str, lang: str) -> str:
    if not unit:
        return num
    if unit == "%":
        front, between = _percent_style(lang)
        if not front:
            return num + between + "%"
        return ("-%" + between + num[1:]) if num.startswith("-") else "%" + between + num
    if unit == "°":
        return num + unit
    return f"{num} {unit}"


def format_value(x: Any, unit_text: Any, lang: str, decimals: int) -> str:
    """``x`` with its unit: ``%12,5`` / ``12.5%``; ``21,3 °C``; ``1.234 kişi``; ``—`` when missing.

    ``unit_text`` is a string in the right language, a catalogue ``Text`` (TR/EN) or None.
    """
    num = format_number(x, lang, decimals)
    if num == MISSING:
        return MISSING
    return _attach(num, _unit(unit_text, lang), lang)


def format_values(xs: Iterable[Any], unit_text: Any, lang: str, decimals: int) -> list[str]:
    """:func:`format_value` of every value of ``xs``, all with the same unit."""
    unit = _unit(unit_text, lang)
    return [n if n == MISSING else _attach(n, unit, lang) for n in format_numbers(xs, lang, decimals)]


def format_range(lo: Any, hi: Any, lang: str, decimals: int, unit_text: Any = None) -> str:
    """A class range with an en dash: ``1,0–2,5``; ``%1,0–2,5`` / ``1.0–2.5%``; ``1,0–2,5 °C``.

    The dash is spaced when a bound is negative (``-2,0 – -1,0``). Equal bounds give one
    number; a missing bound gives ``≤ hi`` or ``≥ lo``; both missing give ``—``.
    """
    unit = _unit(unit_text, lang)
    a, b = format_number(lo, lang, decimals), format_number(hi, lang, decimals)
    if a == MISSING and b == MISSING:
        return MISSING
    if a == MISSING:
        return "≤ " + _attach(b, unit, lang)
    if b == MISSING:
        return "≥ " + _attach(a, unit, lang)
    if a == b:
        return _attach(a, unit, lang)
    if a.startswith("-") or b.startswith("-"):
        return f"{_attach(a, unit, lang)} {EN_DASH} {_attach(b, unit, lang)}"
    return _attach(f"{a}{EN_DASH}{b}", unit, lang)
