"""The ``--entry`` of count data by age band (issue #19): an ``[[indicator]]`` table with
``input = "age_bands"`` and the keys that say which measures the import makes.

Besides the keys of any catalogue entry (``docs/catalogue.md``), such an entry may give:

``input``          ``"age_bands"`` (required: it is what makes the file count data; ``"values"`` is
                   the ordinary import of ready values);
``measures``       which members of the family to make, from :data:`MEMBERS` (default: all; the
                   head ``dsr`` is always made; ``eb_global`` / ``eb_spatial`` only for mahalle rows);
``pooled``         pooled spans to add, e.g. ``["2019-2023"]`` (each must also be in ``periods``);
``sex``            ``"total"`` (default: the file's total rows, or female + male added up),
                   ``"female"`` or ``"male"``;
``dsr_min_count``  the fewest events a DSR is computed from (default 10, as Fingertips).

``disclosure`` may be left out (default ``{ min_count = 5 }``, as Fingertips); ``value_type`` may be
left out and, if given, must be ``"rate"``; ``family``, ``measure`` and ``standard`` are set by the
import and may not be given. Every problem is a CatalogueError naming the file and the key.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import duckdb

from .. import queries
from ..catalogue import Indicator, parse_indicator
from ..errors import CatalogueError
from ..statistics.rates import DSR_MIN_COUNT
from .entry import _check_periods, read_entry_table
from .rows import parse_period

AGE_BANDS = "age_bands"
#: The ``standard`` of the DSR to İzmir's own population (the file's, added up over İzmir).
IZMIR_STANDARD = "izmir"
INPUTS = ("values", AGE_BANDS)
#: The members a count-data import can make: key → (measure, standard, id suffix). The head
#: (``dsr``, ESP 2013) has the entry's own id; every other member is ``<id>__<key>``.
MEMBERS: dict[str, tuple[str, str | None]] = {
    "dsr": ("dsr", "esp2013"),
    "dsr_who2001": ("dsr", "who2001"),
    "dsr_izmir": ("dsr", IZMIR_STANDARD),
    "crude": ("crude_rate", None),
    "smr": ("smr", None),
    "isr": ("isr", None),
    "eb_global": ("eb_global", None),
    "eb_spatial": ("eb_spatial", None),
}
MAHALLE_ONLY = ("eb_global", "eb_spatial")
SEXES = ("total", "female", "male")
DEFAULT_MIN_COUNT = 5  # Fingertips: counts under 5 are not published
_OWN_KEYS = ("input", "measures", "pooled", "sex", "dsr_min_count")
_SET_BY_IMPORT = ("family", "measure", "standard")
_LONGEST_SUFFIX = max(len("__" + k) for k in MEMBERS)


@dataclass(frozen=True)
class AgeBandSpec:
    """What a count-data entry asks for: the head indicator and the import's own keys."""

    indicator: Indicator
    measures: tuple[str, ...]
    pooled: tuple[str, ...]
    sex: str
    dsr_min_count: int

    def member_id(self, key: str) -> str:
        return self.indicator.id if key == "dsr" else f"{self.indicator.id}__{key}"


def entry_input(path: Path) -> str:
    """The ``input`` of an entry file: ``"age_bands"``, or ``"values"`` when it does not say (and when the
    entry cannot be read: the ordinary import reports why). CatalogueError for any other ``input``."""
    try:
        table = read_entry_table(Path(path), "indicator")
    except CatalogueError:
        return "values"
    if "input" not in table:
        return "values"
    value = table["input"]
    if value != AGE_BANDS:
        raise CatalogueError(f"{Path(path).name} [[indicator]]: key 'input': {str(value)[:40]!r} is not allowed; "
                             f"give input = \"{AGE_BANDS}\" for count data by age band, or leave the key out for "
                             "ready values (docs/import.md, 'Count data by age band')")
    return value


def load_age_band_entry(con: duckdb.DuckDBPyConnection | None, path: Path) -> AgeBandSpec:
    """The count-data entry at ``path``, validated; CatalogueError naming the key otherwise."""
    path = Path(path)
    raw = dict(read_entry_table(path, "indicator"))
    where = f"{path.name} [[indicator]]"
    own = {k: raw.pop(k) for k in _OWN_KEYS if k in raw}
    if own.get("input") != AGE_BANDS:
        raise CatalogueError(f"{where}: key 'input': count data by age band need input = \"{AGE_BANDS}\"")
    for key in _SET_BY_IMPORT:
        if key in raw:
            raise CatalogueError(f"{where}: key '{key}': set by the import of count data; leave it out "
                                 f"(the family's members are listed in docs/import.md)")
    raw.setdefault("disclosure", {"min_count": DEFAULT_MIN_COUNT})
    raw.setdefault("value_type", "rate")
    if raw["value_type"] != "rate":
        raise CatalogueError(f"{where}: key 'value_type': count data by age band make rates; give \"rate\" "
                             f"or leave it out (got {str(raw['value_type'])[:40]!r})")
    if con is None:
        ind = parse_indicator(raw, where)
    else:
        themes = list(queries.run(con, "list_theme_ids")["theme_id"])
        who = list(queries.run(con, "list_who_codes")["code"])
        ind = parse_indicator(raw, where, who_codes=who, theme_ids=themes)
    _check_periods(ind, path.name)
    where = f"{where} (indicator '{ind.id}')"
    if len(ind.id) + _LONGEST_SUFFIX > 63:
        raise CatalogueError(f"{where}: key 'id': at most {63 - _LONGEST_SUFFIX} characters for count data, "
                             f"since the members add up to {_LONGEST_SUFFIX} ('__eb_spatial')")
    measures = _measures(own.get("measures"), where)
    pooled = _pooled(own.get("pooled", []), ind, where)
    sex = own.get("sex", "total")
    if sex not in SEXES:
        raise CatalogueError(f"{where}: key 'sex': {str(sex)[:40]!r} is not allowed; use one of {', '.join(SEXES)}")
    dsr_min = own.get("dsr_min_count", DSR_MIN_COUNT)
    if isinstance(dsr_min, bool) or not isinstance(dsr_min, int) or dsr_min < 0:
        raise CatalogueError(f"{where}: key 'dsr_min_count': a whole number ≥ 0, got {dsr_min!r}")
    head = replace(ind, family=ind.id, measure="dsr", standard="esp2013")
    return AgeBandSpec(head, measures, pooled, sex, dsr_min)


def _measures(raw, where: str) -> tuple[str, ...]:
    if raw is None:
        return tuple(MEMBERS)
    if not isinstance(raw, list) or not all(isinstance(m, str) for m in raw):
        raise CatalogueError(f"{where}: key 'measures': a list of names from {', '.join(MEMBERS)}")
    for m in raw:
        if m not in MEMBERS:
            raise CatalogueError(f"{where}: key 'measures': {m[:40]!r} is not allowed; use names from "
                                 f"{', '.join(MEMBERS)}")
    if len(set(raw)) != len(raw):
        raise CatalogueError(f"{where}: key 'measures': a name is listed twice")
    return tuple(m for m in MEMBERS if m in raw or m == "dsr")


def _pooled(raw, ind: Indicator, where: str) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(p, str) for p in raw):
        raise CatalogueError(f"{where}: key 'pooled': a list of spans such as [\"2019-2023\"]")
    out = []
    for p in raw:
        try:
            norm, _ = parse_period(p)
        except ValueError as exc:
            raise CatalogueError(f"{where}: key 'pooled': {exc}") from None
        if "-" not in norm:
            raise CatalogueError(f"{where}: key 'pooled': {p[:40]!r} is one year; a pooled period spans several")
        if norm not in ind.periods:
            raise CatalogueError(f"{where}: key 'pooled': {norm!r} must also be listed in 'periods'")
        out.append(norm)
    return tuple(out)
