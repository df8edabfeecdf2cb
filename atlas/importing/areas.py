"""Finding the atlas area of each row: by area_code, or by names matched with ``atlas.names`` (a
mahalle only within its district, since mahalle names repeat across districts); rows that give the
same indicator, level, area and period twice are duplicates."""

from __future__ import annotations

from typing import Iterable, Sequence

import duckdb
import pandas as pd

from .. import queries
from ..names import Candidate, Match, NameMatcher
from .problems import Problems
from .rows import ParsedRow


class AreaResolver:
    """Finds the atlas area code of a row: by area_code, or by names (a mahalle within its district)."""

    def __init__(self, areas: Iterable[tuple[str, str, str, str | None]]):
        """``areas``: (level, code, name, parent_code) of every district and mahalle."""
        self.names: dict[tuple[str, str], str] = {}
        self.parent: dict[str, str | None] = {}
        districts, mahalle = [], {}
        for level, code, name, parent in areas:
            self.names[(level, code)] = name
            if level == "district":
                districts.append(Candidate(code, name))
            elif level == "mahalle":
                self.parent[code] = parent
                mahalle.setdefault(parent, []).append(Candidate(code, name))
        self.districts = NameMatcher(districts)
        self.mahalle = {d: NameMatcher(c) for d, c in mahalle.items()}
        self._cache: dict[tuple[str, str], Match] = {}

    @classmethod
    def from_db(cls, con: duckdb.DuckDBPyConnection) -> "AreaResolver":
        df = queries.run(con, "list_area_names")
        parents = [None if pd.isna(p) else str(p) for p in df["parent_code"]]
        return cls(zip(df["level"], df["code"], df["name"], parents))

    def _match(self, matcher: NameMatcher, scope: str, name: str) -> Match:
        key = (scope, name)
        if key not in self._cache:
            self._cache[key] = matcher.match(name)
        return self._cache[key]

    def resolve(self, r: ParsedRow) -> tuple[str | None, str | None]:
        """(area code, None) or (None, problem message)."""
        by_name, problem = (None, None)
        if r.district:
            by_name, problem = self._by_name(r)
        if r.area_code is None:
            return by_name, problem
        if (r.level, r.area_code) not in self.names:
            return None, f"area_code {r.area_code!r} is not a {r.level} of the atlas"
        if problem:
            return None, problem
        if by_name is not None and by_name != r.area_code:
            return None, (f"area_code {r.area_code} is {self.label(r.level, r.area_code)} but the names say "
                          f"{self.label(r.level, by_name)}")
        return r.area_code, None

    def _by_name(self, r: ParsedRow) -> tuple[str | None, str | None]:
        d = self._match(self.districts, "", r.district)
        if not d.matched:
            return None, _unmatched("district", r.district, d)
        if r.level == "district":
            return d.code, None
        matcher = self.mahalle.get(d.code, NameMatcher([]))
        m = self._match(matcher, d.code, r.mahalle or "")
        if not m.matched:
            return None, _unmatched(f"mahalle in {self.names[('district', d.code)]}", r.mahalle or "", m)
        return m.code, None

    def label(self, level: str, code: str) -> str:
        name = self.names[(level, code)]
        if level == "mahalle" and self.parent.get(code):
            return f"{name} ({self.names.get(('district', self.parent[code]), self.parent[code])})"
        return name


def _unmatched(what: str, name: str, m: Match) -> str:
    if m.method == "ambiguous":
        return f"{what} {name!r} is ambiguous: it fits {', '.join(m.suggestions)}; use area_code"
    hint = f"; closest: {', '.join(m.suggestions)}" if m.suggestions else ""
    return f"unknown {what} {name!r}{hint}"


def resolve_areas(resolver: AreaResolver, rows: Sequence[ParsedRow], problems: Problems) -> dict[int, str]:
    """Row number → area code; unknown areas and duplicates (same indicator, level, area and period)
    are problems."""
    codes: dict[int, str] = {}
    seen: dict[tuple[str, str, str, str], int] = {}
    for r in rows:
        code, problem = resolver.resolve(r)
        if problem:
            problems.add(r.row, problem)
            continue
        key = (r.indicator_id, r.level, code, r.period)
        if key in seen:
            problems.add(r.row, f"duplicate: {r.level} {resolver.label(r.level, code)} period {r.period} "
                                f"is already given in row {seen[key]}")
            continue
        seen[key] = r.row
        codes[r.row] = code
    return codes
