"""Age bands and standard populations for direct age standardisation.

Standard populations are data, in ``standard_populations.toml`` beside this module, each with its
source: the European Standard Population 2013 (Eurostat 2013; 19 bands 0-4 … 90+, the default, as
OHID Fingertips and PHEindicatormethods use it), the same with under-1 and 1-4 separate, and the
WHO World Standard Population (Ahmad et al. 2001, 21 bands to 100+). :func:`own_population_standard`
makes a standard from a population loaded into the atlas ("İzmir's own population").

Offices send age bands their own way: ``0``, ``1-4`` (or ``1–4``), 5-year bands, an open top band
such as ``85+`` or ``90+``. :func:`check_bands` checks that bands tile 0 … open top with no gap and
no overlap; :func:`align_to_standard` maps an office's bands onto a standard's by merging both to
their finest common bands (a 90+ standard band is folded into an office's 85+; an office's 0 and 1-4
are added up to a standard's 0-4) and says which bands it merged.

A band is written ``AgeBand(low, high)`` in whole years with ``high`` the first age *not* in the band
(``0-4`` is ``AgeBand(0, 5)``) and ``high = None`` for the open top band.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Iterable, Sequence

from ..catalogue import Text, _Entry, http_url_problem
from ..errors import AtlasError, CatalogueError
from ..i18n import lazy

STANDARDS_FILE = Path(__file__).with_name("standard_populations.toml")
DEFAULT_STANDARD = "esp2013"
OWN_STANDARD_ID = "own"


class AgeBandError(AtlasError, ValueError):
    """Age bands that do not tile 0 … an open top band (a gap, an overlap, an unreadable label, no
    open top band), or that cannot be mapped onto a standard population's bands. The message names
    the band(s) and says what is allowed; it reads in any language of the atlas (``in_language``)."""


@dataclass(frozen=True, order=True)
class AgeBand:
    """Ages ``low`` … ``high − 1`` in whole years; ``high`` None for the open top band (``85+``)."""

    low: int
    high: int | None = None

    def __post_init__(self) -> None:
        if self.low < 0 or (self.high is not None and self.high <= self.low):
            raise AgeBandError(lazy.gettext("The age band from {low} to {high} is empty or negative.",
                                            low=self.low, high=self.high))

    @property
    def label(self) -> str:
        """``0``, ``1-4``, ``85+``: the way the atlas writes the band (and reads it back)."""
        if self.high is None:
            return f"{self.low}+"
        if self.high == self.low + 1:
            return str(self.low)
        return f"{self.low}-{self.high - 1}"

    def __str__(self) -> str:
        return self.label


_BAND = re.compile(r"^(\d{1,3})\s*(?:(?:-|–|—|to)\s*(\d{1,3})|(\+|(?:ve|and|or)\s*(?:üzeri|üstü|over|older|more)))?$",
                   re.IGNORECASE)
_UNIT = re.compile(r"\s*\b(?:yaş|yas|years?|yrs)\b\s*", re.IGNORECASE)


def parse_band(label: str | int | AgeBand) -> AgeBand:
    """An :class:`AgeBand` from an office's label: ``"0"``, ``"1-4"``, ``"1–4"``, ``"5 - 9"``,
    ``"85+"``, ``"90 ve üzeri"``, ``"90 yaş ve üstü"``, ``"90 and over"``, ``"5-9 years"``; an integer
    is a one-year band."""
    if isinstance(label, AgeBand):
        return label
    if isinstance(label, int) and not isinstance(label, bool):
        return AgeBand(label, label + 1)
    text = str(label)
    m = _BAND.match(_UNIT.sub(" ", text).strip())
    if not m:
        raise AgeBandError(lazy.gettext("The age band '{label}' cannot be read; write it as 0, 1-4, 5-9 … "
                                        "or with an open top such as 85+.", label=text[:40]))
    low = int(m.group(1))
    if m.group(2) is not None:
        high = int(m.group(2))
        if high < low:
            raise AgeBandError(lazy.gettext("The age band '{label}' ends before it starts.", label=text[:40]))
        return AgeBand(low, high + 1)
    if m.group(3) is not None:
        return AgeBand(low, None)
    return AgeBand(low, low + 1)


def check_bands(labels: Iterable[str | int | AgeBand]) -> tuple[AgeBand, ...]:
    """The bands sorted youngest first, after checking that they tile 0 … an open top band.

    Raises :class:`AgeBandError` naming the first problem: a band listed twice, an overlap, a gap,
    a first band that does not start at 0, no open top band (or a band above it).
    """
    bands = [parse_band(x) for x in labels]
    if not bands:
        raise AgeBandError(lazy.gettext("No age bands were given."))
    seen: set[AgeBand] = set()
    for b in bands:
        if b in seen:
            raise AgeBandError(lazy.gettext("The age band {band} is listed twice.", band=b.label))
        seen.add(b)
    bands.sort(key=lambda b: (b.low, b.high if b.high is not None else 10**6))
    if bands[0].low != 0:
        raise AgeBandError(lazy.gettext("The age bands start at {low}; they must start at 0.", low=bands[0].low))
    for prev, cur in zip(bands, bands[1:]):
        if prev.high is None:
            raise AgeBandError(lazy.gettext("The age band {band} lies above the open top band {top}.",
                                            band=cur.label, top=prev.label))
        if cur.low < prev.high:
            raise AgeBandError(lazy.gettext("The age bands {first} and {second} overlap.",
                                            first=prev.label, second=cur.label))
        if cur.low > prev.high:
            missing = AgeBand(prev.high, cur.low)
            raise AgeBandError(lazy.gettext("Ages {missing} are missing between the age bands {first} and {second}.",
                                            missing=missing.label, first=prev.label, second=cur.label))
    if bands[-1].high is not None:
        raise AgeBandError(lazy.gettext("The last age band {band} is closed; the oldest band must be open, "
                                        "such as 85+ or 90+.", band=bands[-1].label))
    return tuple(bands)


@dataclass(frozen=True)
class StandardPopulation:
    """A standard population: bands (tiling 0 … open top) and their weights, with where it comes from."""

    id: str
    title: Text
    short: Text
    source: str
    url: str | None
    bands: tuple[AgeBand, ...]
    weights: tuple[float, ...]
    default: bool = False

    def __post_init__(self) -> None:
        if len(self.bands) != len(self.weights):
            raise AgeBandError(lazy.gettext("The standard population {id} needs one weight per age band (age bands: {bands}, "
                                            "weights: {weights}).",
                                            id=self.id, bands=len(self.bands), weights=len(self.weights)))
        if any(not w > 0 for w in self.weights):
            raise AgeBandError(lazy.gettext("Every weight of the standard population {id} must be above 0.", id=self.id))
        if tuple(check_bands(self.bands)) != tuple(self.bands):
            raise AgeBandError(lazy.gettext("The age bands of the standard population {id} must be listed youngest first.",
                                            id=self.id))

    @property
    def total(self) -> float:
        return float(sum(self.weights))


def _parse_standard(raw: dict, where: str) -> StandardPopulation:
    e = _Entry(raw, where)
    sid = e.get("id", str)
    if not re.fullmatch(r"[a-z][a-z0-9_]*", sid) or sid == OWN_STANDARD_ID:
        raise CatalogueError(f"{where}: key 'id': {sid!r} must be lower-case letters, digits and _ "
                             f"(and not {OWN_STANDARD_ID!r}, kept for a loaded population)")
    url = e.get("url", str, optional=True)
    if url is not None and (problem := http_url_problem(url)):
        raise CatalogueError(f"{where}: key 'url': {problem}")
    labels = e.str_list("bands")
    weights = e.get("weights", list)
    if not all(isinstance(w, (int, float)) and not isinstance(w, bool) for w in weights):
        raise CatalogueError(f"{where}: key 'weights': every weight must be a number")
    try:
        std = StandardPopulation(id=sid, title=e.text("title"), short=e.text("short"), source=e.get("source", str),
                                 url=url, bands=tuple(parse_band(x) for x in labels),
                                 weights=tuple(float(w) for w in weights), default=e.get("default", bool))
    except AgeBandError as exc:
        raise CatalogueError(f"{where}: {exc}") from None
    e.finish()
    return std


@cache
def load_standards(path: Path = STANDARDS_FILE) -> dict[str, StandardPopulation]:
    """The standard populations of ``standard_populations.toml`` by id (exactly one is the default)."""
    try:
        with path.open("rb") as fh:
            doc = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"{path}: not valid TOML: {exc}") from exc
    unknown = sorted(set(doc) - {"standard"})
    if unknown:
        raise CatalogueError(f"{path}: unknown top-level key '{unknown[0]}' (expected only [[standard]] tables)")
    out: dict[str, StandardPopulation] = {}
    for n, raw in enumerate(doc.get("standard", []), start=1):
        std = _parse_standard(raw, f"{path.name} [[standard]] #{n}")
        if std.id in out:
            raise CatalogueError(f"{path.name} [[standard]] #{n}: key 'id': {std.id!r} is listed twice")
        out[std.id] = std
    defaults = [s.id for s in out.values() if s.default]
    if len(defaults) != 1:
        raise CatalogueError(f"{path}: exactly one standard must have default = true (found: {', '.join(defaults) or 'none'})")
    return out


def standard_population(standard_id: str = DEFAULT_STANDARD) -> StandardPopulation:
    """One standard population by id; AgeBandError naming the ids there are for an unknown one."""
    standards = load_standards()
    if standard_id not in standards:
        raise AgeBandError(lazy.gettext("There is no standard population '{id}'; use one of {ids}.",
                                        id=str(standard_id)[:40], ids=", ".join(standards)))
    return standards[standard_id]


def own_population_standard(labels: Sequence[str | int | AgeBand], populations: Sequence[float], *,
                            title: Text | None = None, source: str, url: str | None = None,
                            standard_id: str = OWN_STANDARD_ID) -> StandardPopulation:
    """A standard population made from a loaded population by age ("İzmir's own population").

    ``source`` names where the population comes from (office, table, year), to be shown with every
    value standardised to it.
    """
    bands = check_bands(labels)
    if len(labels) != len(populations):
        raise ValueError(f"there are {len(labels)} age bands and {len(populations)} populations; "
                         f"give one population per age band")
    order = {parse_band(x): p for x, p in zip(labels, populations)}
    if title is None:
        title = Text(tr="İzmir'in kendi nüfusu", en="İzmir's own population")
    return StandardPopulation(id=standard_id, title=title, short=title, source=source, url=url, bands=bands,
                              weights=tuple(float(order[b]) for b in bands))


@dataclass(frozen=True)
class AlignedBands:
    """Counts, populations and standard weights on the common bands of an office and a standard."""

    bands: tuple[AgeBand, ...]
    counts: tuple[float, ...]
    populations: tuple[float, ...]
    weights: tuple[float, ...]
    merged: tuple[AgeBand, ...]  # common bands that merged more than one office or standard band


def _edges(bands: Sequence[AgeBand]) -> set[int]:
    return {b.low for b in bands}


def align_to_standard(labels: Sequence[str | int | AgeBand], counts: Sequence[float], populations: Sequence[float],
                      standard: StandardPopulation | str = DEFAULT_STANDARD) -> AlignedBands:
    """Map an office's age bands onto a standard population's bands.

    Both sets of bands are checked (:func:`check_bands`) and merged to their finest common bands:
    a common band starts wherever both an office band and a standard band start. Counts and
    populations of the office bands in a common band are added up, and so are the standard's weights.
    ``merged`` lists the common bands that joined several bands of either side (an office's 85+
    takes the standard's 85-89 and 90+ together).
    """
    std = standard_population(standard) if isinstance(standard, str) else standard
    if not (len(labels) == len(counts) == len(populations)):
        raise AgeBandError(lazy.gettext("Each age band needs one count and one population (age bands: {bands}, "
                                        "counts: {counts}, populations: {pops}).",
                                        bands=len(labels), counts=len(counts), pops=len(populations)))
    office = check_bands(labels)
    by_band = {parse_band(x): (float(c), float(p)) for x, c, p in zip(labels, counts, populations)}
    starts = sorted(_edges(office) & _edges(std.bands))
    common = tuple(AgeBand(lo, hi) for lo, hi in zip(starts, [*starts[1:], None]))

    def pick(bands: Sequence[AgeBand], target: AgeBand) -> list[AgeBand]:
        return [b for b in bands if b.low >= target.low and (target.high is None or b.low < target.high)]

    out_c, out_p, out_w, merged = [], [], [], []
    for band in common:
        mine = pick(office, band)
        theirs = pick(std.bands, band)
        out_c.append(sum(by_band[b][0] for b in mine))
        out_p.append(sum(by_band[b][1] for b in mine))
        out_w.append(sum(std.weights[std.bands.index(b)] for b in theirs))
        if len(mine) > 1 or len(theirs) > 1:
            merged.append(band)
    if len(common) == 1 and (len(office) > 1 or len(std.bands) > 1):
        raise AgeBandError(lazy.gettext("The age bands {bands} share no boundary with the bands of {standard}; "
                                        "they cannot be standardised to it.",
                                        bands=", ".join(b.label for b in office)[:40], standard=std.short))
    return AlignedBands(common, tuple(out_c), tuple(out_p), tuple(out_w), tuple(merged))
