"""Finding the atlas area of each row: by area_code, or by names matched with ``atlas.names`` (a
mahalle only within its district, since mahalle names repeat across districts); rows that give the
same indicator, level, area and period twice are duplicates."""

from __future__ import annotations

from typing import Iterable, Sequence

import duckdb
import pandas as pd

from .. import queries
from ..names import Candidate, Match, NameMatcher, match_key
from ..i18n import lazy
from .problems import Problem, Problems, Suggested, quoted
from .rows import ParsedRow


SUGGESTED_NAMES = 200  # unknown names given "closest" suggestions; more are never listed (problems.MAX_LISTED)


class _Budget:
    """How many more unknown names get suggestions (difflib over the candidates is the costly part of
    matching a name: 10,000 unknown names would take seconds for messages nobody reads)."""

    def __init__(self, left: int):
        self.left = left


class _Matcher(NameMatcher):
    """A ``NameMatcher`` that suggests close names only while the resolver's budget lasts."""

    def __init__(self, candidates: Iterable[Candidate], budget: _Budget):
        super().__init__(candidates)
        self.budget = budget

    def suggestions(self, name: str, n: int = 3) -> tuple[str, ...]:
        if self.budget.left <= 0:
            return ()
        self.budget.left -= 1
        return super().suggestions(name, n)


class AreaResolver:
    """Finds the atlas area code of a row: by area_code, or by names (a mahalle within its district).

    A name is matched by ``NameMatcher``'s strict methods; when none fits, two more chances make the
    import accept what the build accepts: a name that spells out a word the atlas abbreviates
    ("Barbaros Hayrettin Paşa" for "B. Hayrettin Paşa"), and a source spelling the build itself
    matched to the area (``aliases``, from its join report ``name_matches``: TÜİK's "Sasalı Merkez"
    for "Sasallı Merkez"). Either is taken only when it points at exactly one area.
    """

    def __init__(self, areas: Iterable[tuple[str, str, str, str | None]],
                 aliases: Iterable[tuple[str, str, str, str]] = ()):
        """``areas``: (level, code, name, parent_code) of every district and mahalle; ``aliases``:
        (level, district_code, source_name, area_code) of the names the build matched."""
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
        budget = _Budget(SUGGESTED_NAMES)
        self.districts = _Matcher(districts, budget)
        self.mahalle = {d: _Matcher(c, budget) for d, c in mahalle.items()}
        # candidates whose atlas name abbreviates a word ("B. Hayrettin Paşa"), by scope ("" = districts)
        self._abbreviated = {scope: [c for c in cands if "." in c.name]
                             for scope, cands in [("", districts), *mahalle.items()]}
        self._aliases: dict[tuple[str, str], set[str]] = {}
        for level, district, source_name, code in aliases:
            if (level, code) in self.names and level == "mahalle" and self.parent.get(code) == district:
                self._aliases.setdefault((district, match_key(source_name)), set()).add(code)
        self._cache: dict[tuple[str, str], Match] = {}

    @classmethod
    def from_db(cls, con: duckdb.DuckDBPyConnection) -> "AreaResolver":
        df = queries.run(con, "list_area_names")
        parents = [None if pd.isna(p) else str(p) for p in df["parent_code"]]
        al = queries.run(con, "list_name_aliases")
        aliases = zip(al["level"], al["district_code"].astype(str), al["source_name"], al["area_code"].astype(str))
        return cls(zip(df["level"], df["code"], df["name"], parents), aliases)

    def _match(self, matcher: NameMatcher, scope: str, name: str) -> Match:
        key = (scope, name)
        if key not in self._cache:
            found = matcher.match(name)
            if found.method == "no_match":
                found = self._spelled_out(scope, name) or self._alias(scope, name) or found
            self._cache[key] = found
        return self._cache[key]

    def _spelled_out(self, scope: str, name: str) -> Match | None:
        """The one area whose abbreviated atlas name fits ``name`` written in full, if exactly one."""
        query = [Candidate("query", name)]
        hits = [c for c in self._abbreviated.get(scope, ()) if NameMatcher(query).match(c.name).matched]
        codes = {c.code for c in hits}
        if len(codes) == 1:
            return Match(name, hits[0].code, "abbreviation")
        if codes:
            return Match(name, None, "ambiguous", tuple(sorted({c.name for c in hits})))
        return None

    def _alias(self, scope: str, name: str) -> Match | None:
        """The area the build matched this spelling to, within the district ``scope``, if exactly one."""
        codes = self._aliases.get((scope, match_key(name)), set()) if scope else set()
        if len(codes) == 1:
            return Match(name, next(iter(codes)), "build_join")
        if codes:
            return Match(name, None, "ambiguous", tuple(sorted(self.names[("mahalle", c)] for c in codes)))
        return None

    def resolve(self, r: ParsedRow) -> tuple[str | None, str | None]:
        """(area code, None) or (None, problem message in English)."""
        code, problem = self.resolve_problem(r)
        return code, None if problem is None else str(problem)

    def resolve_problem(self, r: ParsedRow) -> tuple[str | None, Problem | None]:
        """(area code, None) or (None, the problem as a catalogue message, with the closest names)."""
        by_name, problem = (None, None)
        if r.district:
            by_name, problem = self._by_name(r)
        if r.area_code is None:
            return by_name, problem
        if (r.level, r.area_code) not in self.names:
            return None, lazy.gettext("area_code {code} is not a {level} of the atlas", code=quoted(r.area_code),
                                      level=r.level)
        if problem:
            return None, problem
        if by_name is not None and by_name != r.area_code:
            return None, lazy.gettext("area_code {code} is {area} but the names say {named}", code=r.area_code,
                                      area=self.label(r.level, r.area_code), named=self.label(r.level, by_name))
        return r.area_code, None

    def _by_name(self, r: ParsedRow) -> tuple[str | None, Problem | None]:
        d = self._match(self.districts, "", r.district)
        if not d.matched:
            return None, _unmatched(None, r.district, d)
        if r.level == "district":
            return d.code, None
        matcher = self.mahalle.get(d.code, NameMatcher([]))
        m = self._match(matcher, d.code, r.mahalle or "")
        if not m.matched:
            return None, _unmatched(self.names[("district", d.code)], r.mahalle or "", m)
        return m.code, None

    def label(self, level: str, code: str) -> str:
        name = self.names[(level, code)]
        if level == "mahalle" and self.parent.get(code):
            return f"{name} ({self.names.get(('district', self.parent[code]), self.parent[code])})"
        return name


def _unmatched(district: str | None, name: str, m: Match) -> Problem:
    """An unknown or ambiguous district (``district`` None) or mahalle of ``district``, with the closest
    names."""
    names = ", ".join(m.suggestions)
    if m.method == "ambiguous":
        if district is None:
            message = lazy.gettext("district {name} is ambiguous: it fits {names}; use area_code", name=quoted(name),
                                   names=names)
        else:
            message = lazy.gettext("mahalle in {district} {name} is ambiguous: it fits {names}; use area_code",
                                   district=district, name=quoted(name), names=names)
        return Suggested(message, tuple(m.suggestions))
    if not m.suggestions:
        if district is None:
            return lazy.gettext("unknown district {name}", name=quoted(name))
        return lazy.gettext("unknown mahalle in {district} {name}", district=district, name=quoted(name))
    if district is None:
        message = lazy.gettext("unknown district {name}; closest: {names}", name=quoted(name), names=names)
    else:
        message = lazy.gettext("unknown mahalle in {district} {name}; closest: {names}", district=district,
                               name=quoted(name), names=names)
    return Suggested(message, tuple(m.suggestions))


def resolve_areas(resolver: AreaResolver, rows: Sequence[ParsedRow], problems: Problems) -> dict[int, str]:
    """Row number → area code; unknown areas and duplicates (same indicator, level, area and period)
    are problems."""
    codes: dict[int, str] = {}
    seen: dict[tuple[str, str, str, str], int] = {}
    for r in rows:
        code, problem = resolver.resolve_problem(r)
        if problem:
            problems.add(r.row, problem)
            continue
        key = (r.indicator_id, r.level, code, r.period)
        if key in seen:
            problems.add(r.row, lazy.gettext("duplicate: {level} {area} period {period} is already given in row "
                                             "{row}", level=r.level, area=resolver.label(r.level, code),
                                             period=r.period, row=seen[key]))
            continue
        seen[key] = r.row
        codes[r.row] = code
    return codes
