"""Turkish-aware place names: one normalisation for all matching.

Python's ``str.lower()`` is wrong for Turkish: ``"I".lower()`` gives ``"i"`` (should be
``"ı"``) and ``"İ".lower()`` gives ``"i̇"`` (an ``i`` plus a combining dot). The
functions here fix the dotted/dotless pair first and only then change case.

``match_key`` folds diacritics (ç→c, ğ→g, ı→i, ö→o, ş→s, ü→u, â→a …), drops the
"Mahallesi / Mah. / Mh." suffix and the "Bucağı" qualifier word, turns punctuation
into spaces and collapses white space. It is for matching only: names are shown as
the source spells them.

``NameMatcher`` matches names within one district (never by name alone, because
mahalle names repeat across districts), trying stricter methods first and accepting
a looser one only when exactly one candidate fits.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Sequence

_TR_UPPER_TO_LOWER = str.maketrans({"I": "ı", "İ": "i"})
_TR_LOWER_TO_UPPER = str.maketrans({"i": "İ", "ı": "I"})
_FOLD = str.maketrans(
    {"ç": "c", "ğ": "g", "ı": "i", "ö": "o", "ş": "s", "ü": "u", "â": "a", "î": "i", "û": "u"}
)
# Suffixes meaning "neighbourhood" (and the OSB/free-zone words are kept: they are names).
_SUFFIX = re.compile(r"\s+(mahallesi|mah|mh)$")
_QUALIFIER_WORDS = {"bucagi"}  # "Kaplan (Yukarıbey Bucağı)": the word adds nothing to match on
# A word written as an abbreviation: letters, a full stop, then (after any spaces) more of the name. The
# look-behind starts a try only at the first letter of a word: without it, every letter of a long word
# was a new start that scanned the rest of the word, and a 50,000-letter name took half a minute.
_ABBREVIATION = re.compile(r"(?<![a-z])([a-z]+)\.(?=\s*\w)")
# The neighbourhood suffix as written in a source ("Atatürk Mh."), matched only where the name ends
# (``display_name`` checks the white space before it, so no pattern scans a long run of spaces twice).
_DISPLAY_SUFFIX = re.compile(r"(?:Mahallesi|Mah\.?|Mh\.?)$", re.IGNORECASE)


def turkish_lower(text: str) -> str:
    """Lower-case with Turkish rules: I→ı, İ→i."""
    return text.translate(_TR_UPPER_TO_LOWER).lower()


def turkish_upper(text: str) -> str:
    """Upper-case with Turkish rules: i→İ, ı→I."""
    return text.translate(_TR_LOWER_TO_UPPER).upper()


def turkish_title(text: str) -> str:
    """Title-case each word with Turkish rules ("izmir ılıca" → "İzmir Ilıca")."""
    words = re.split(r"(\s+)", turkish_lower(text))
    return "".join(turkish_upper(w[:1]) + w[1:] if w.strip() else w for w in words)


def fold(text: str) -> str:
    """Turkish-aware case and diacritic folding, for comparisons only."""
    lowered = turkish_lower(unicodedata.normalize("NFC", text)).translate(_FOLD)
    if lowered.isascii():  # the usual case once the Turkish letters are folded: nothing to decompose
        return lowered
    return unicodedata.normalize("NFKD", lowered).translate(_DROP_COMBINING)


class _CombiningMarks(dict):
    """A ``str.translate`` table deleting combining marks, filled as characters are met (the
    look-ups after the first are plain dictionary hits)."""

    def __missing__(self, codepoint: int) -> int | None:
        value = None if unicodedata.combining(chr(codepoint)) else codepoint
        self[codepoint] = value
        return value


_DROP_COMBINING = _CombiningMarks()


def _tokens(text: str) -> tuple[list[str], set[int]]:
    """Folded tokens of a name, and the indexes of tokens written as abbreviations ("B.")."""
    folded = fold(text).strip()
    abbreviated_words = {m.group(1) for m in _ABBREVIATION.finditer(folded)}
    cleaned = re.sub(r"[^\w]+", " ", folded).strip()
    cleaned = _SUFFIX.sub("", " " + cleaned).strip() if cleaned else cleaned
    words = [w for w in cleaned.split() if w not in _QUALIFIER_WORDS] or cleaned.split()
    abbreviated = {i for i, w in enumerate(words) if w in abbreviated_words and not w.isdigit()}
    return words, abbreviated


def match_key(text: str) -> str:
    """The comparison key of a place name.

    >>> match_key("  KARŞIYAKA  Mah. ")
    'karsiyaka'
    >>> match_key("Hacılar (dereköy Bucağı)")
    'hacilar derekoy'
    """
    return " ".join(_tokens(text)[0])


def display_name(text: str) -> str:
    """A source name without its neighbourhood suffix, otherwise as spelled ("Atatürk Mh." → "Atatürk")."""
    name = text.strip()
    suffix = _DISPLAY_SUFFIX.search(name)
    if suffix is None or not name[:suffix.start()][-1:].isspace():
        return name
    return name[:suffix.start()].rstrip()


def _edit_distance_at_most_one(a: str, b: str) -> bool:
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = j = edits = 0
    while i < len(a) and j < len(b):
        if a[i] == b[j]:
            i += 1
            j += 1
            continue
        edits += 1
        if edits > 1:
            return False
        if len(a) == len(b):
            i += 1
        j += 1
    return edits + (len(b) - j) + (len(a) - i) <= 1


@dataclass(frozen=True)
class Candidate:
    """A name that can be matched: ``code`` identifies it, ``name`` is how the source spells it."""

    code: str
    name: str


@dataclass(frozen=True)
class Match:
    """The result of matching one name.

    ``code`` is None when nothing fits unambiguously; ``method`` says how it matched
    (exact, compact, token_set, abbreviation, one_letter) or why not (no_match,
    ambiguous); ``suggestions`` lists the closest candidate names, best first.
    """

    query: str
    code: str | None
    method: str
    suggestions: tuple[str, ...] = ()

    @property
    def matched(self) -> bool:
        return self.code is not None


class NameMatcher:
    """Match names against one group of candidates (e.g. the mahalle of one district).

    Methods, strictest first; a looser method is used only when exactly one candidate fits:

    * ``exact``: same ``match_key``;
    * ``compact``: same key with spaces removed ("Yenimahalle" = "Yeni Mahalle");
    * ``token_set``: same words in another order ("Hacılar (Dereköy Bucağı)" = "Dereköy Hacılar");
    * ``abbreviation``: words written "B." match a word starting with b ("B.hayrettin Paşa"
      = "Barbaros Hayrettin Paşa");
    * ``one_letter`` (only if ``allow_one_letter``): one letter added, dropped or changed in a
      name of six letters or more ("Sasalı Merkez" = "Sasallı Merkez").
    """

    def __init__(self, candidates: Iterable[Candidate], *, allow_one_letter: bool = False):
        self.candidates = list(candidates)
        self.allow_one_letter = allow_one_letter
        self._tokens = {c.code: _tokens(c.name)[0] for c in self.candidates}
        self._names = {c.code: c.name for c in self.candidates}

    def _unique(self, codes: Sequence[str]) -> str | None | bool:
        distinct = list(dict.fromkeys(codes))
        if len(distinct) == 1:
            return distinct[0]
        return False if distinct else None

    def suggestions(self, name: str, n: int = 3) -> tuple[str, ...]:
        key = match_key(name)
        by_key: dict[str, str] = {}
        for code, toks in self._tokens.items():
            by_key.setdefault(" ".join(toks), self._names[code])
        close = difflib.get_close_matches(key, list(by_key), n=n, cutoff=0.5)
        return tuple(by_key[k] for k in close)

    def match(self, name: str) -> Match:
        words, abbreviated = _tokens(name)
        key = " ".join(words)
        compact = key.replace(" ", "")
        tests = [
            ("exact", lambda t: " ".join(t) == key),
            ("compact", lambda t: "".join(t) == compact),
            ("token_set", lambda t: sorted(t) == sorted(words)),
        ]
        if abbreviated:
            tests.append(("abbreviation", lambda t: self._abbreviation_fits(words, abbreviated, t)))
        if self.allow_one_letter and len(compact) >= 6:
            tests.append(("one_letter", lambda t: _edit_distance_at_most_one("".join(t), compact)))
        for method, fits in tests:
            hits = [code for code, toks in self._tokens.items() if toks and fits(toks)]
            found = self._unique(hits)
            if found is False:
                names = tuple(sorted({self._names[c] for c in hits}))
                return Match(name, None, "ambiguous", names)
            if found:
                return Match(name, found, method)
        return Match(name, None, "no_match", self.suggestions(name))

    @staticmethod
    def _abbreviation_fits(words: list[str], abbreviated: set[int], cand: list[str]) -> bool:
        if len(cand) != len(words):
            return False
        return all(
            c == w or (i in abbreviated and c.startswith(w))
            for i, (w, c) in enumerate(zip(words, cand))
        )


def match_many(names: Sequence[str], candidates: Sequence[Candidate]) -> list[Match]:
    """Match many names against one group one-to-one.

    First pass: the strict methods. Second pass: ``one_letter`` spelling variants, only
    between names and candidates the first pass left over. A candidate claimed by two
    names is given to neither (method ``conflict``), so nothing is counted twice.
    """
    results = [NameMatcher(candidates).match(n) for n in names]
    taken = {r.code for r in results if r.matched}
    leftovers = [c for c in candidates if c.code not in taken]
    if leftovers:
        loose = NameMatcher(leftovers, allow_one_letter=True)
        results = [
            r if r.matched else _keep_suggestions(loose.match(r.query), r) for r in results
        ]
    claims: dict[str, int] = {}
    for r in results:
        if r.matched:
            claims[r.code] = claims.get(r.code, 0) + 1
    by_code = {c.code: c.name for c in candidates}
    return [
        Match(r.query, None, "conflict", (by_code[r.code],)) if r.matched and claims[r.code] > 1 else r
        for r in results
    ]


def _keep_suggestions(second: Match, first: Match) -> Match:
    if second.matched:
        return second
    return first
