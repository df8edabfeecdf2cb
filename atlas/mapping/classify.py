"""Group area values into map classes.

``classify(values, scheme, k, ...)`` returns a frozen :class:`Classification`: the upper
bounds of the classes (``bins``, ending with the maximum; ``edges`` adds the minimum in front
for folium/branca), the class of every input value (``-1`` = not classified), a
``(lower, upper)`` range and a count per class, and ``notes`` (messages of the atlas's
catalogues, rendered in Turkish and English: :func:`as_note`) whenever the result differs from what
was asked (fewer classes, dropped classes, no data, no CI test).

Schemes (breaks from mapclassify 2.10 except natural_breaks; class *i* holds ``bins[i-1] < v <= bins[i]`` and
class 0 holds ``min <= v <= bins[0]``):

``quantiles``       mapclassify ``Quantiles``: about the same number of areas per class.
``natural_breaks``  Fisher–Jenks: the breaks that minimise the sum of squared deviations
                    within classes (exact, as mapclassify ``FisherJenks``). Computed here
                    with numpy because mapclassify's version without numba takes ~2 s for
                    1,360 mahalle; the tests check both give the same breaks.
``equal_interval``  mapclassify ``EqualInterval``: classes of equal width from min to max;
                    classes with no area in them are kept (that gap is the point of the scheme).
``std_mean``        mapclassify ``StdMean``: breaks at whole standard deviations (sample SD,
                    ddof = 1) from the mean. ``k`` chooses the multiples
                    (:data:`STD_MEAN_MULTIPLES`): an odd k has a middle class of mean ± 1 SD,
                    an even k also breaks at the mean; k = 5 is mapclassify's default
                    (−2, −1, +1, +2) and k = 6 GeoDa's standard-deviation map. Breaks outside
                    the data are dropped (so is the empty outer class) and a note says so:
                    with few extreme values std_mean gives fewer classes than k.
``compare_izmir``   compare each area with the İzmir value (``benchmark``); ``k`` is checked
                    but not used. See :func:`_compare` for the rules.

With fewer distinct values than ``k``, every scheme asks for that many classes instead;
breaks that repeat (ties) are merged; a note says so each time. All values equal (or one
valid value) gives a single class; no valid value gives ``k == 0`` and empty ``bins``.

Values that are ``None``/NaN/±inf, or whose ``statuses`` entry is not ``"ok"``, get class -1
and take no part in the breaks.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

import numpy as np

from ..catalogue import POLARITIES, Text
from ..i18n import lazy

SCHEMES = ("quantiles", "natural_breaks", "equal_interval", "std_mean", "compare_izmir")
K_MIN, K_MAX = 2, 9

#: Multiples of the standard deviation added to the mean, by requested number of classes.
STD_MEAN_MULTIPLES: dict[int, tuple[float, ...]] = {
    2: (0,),
    3: (-1, 1),
    4: (-1, 0, 1),
    5: (-2, -1, 1, 2),
    6: (-2, -1, 0, 1, 2),
    7: (-3, -2, -1, 1, 2, 3),
    8: (-3, -2, -1, 0, 1, 2, 3),
    9: (-4, -3, -2, -1, 1, 2, 3, 4),
}

#: compare_izmir categories, in legend order, by mode.
COMPARE_CATEGORIES: dict[str, tuple[str, ...]] = {
    "tested_polarity": ("better", "similar", "worse"),
    "tested_no_judgement": ("lower", "similar", "higher"),
    "value_only": ("lower_value", "equal_value", "higher_value"),
}


@dataclass(frozen=True)
class Classification:
    """The outcome of :func:`classify`. All sequences are tuples of plain Python numbers.

    ``k`` is the number of classes actually made (``k_requested`` what was asked); ``bins``
    are the classes' upper bounds (``bins[-1]`` is the maximum; empty for compare_izmir and
    when no value is valid); ``classes`` has one entry per input value (-1 = not
    classified); ``ranges`` and ``counts`` have one entry per class. For compare_izmir,
    ``categories`` names each class (see :data:`COMPARE_CATEGORIES`) and ``ranges`` are the
    smallest and largest value in each class (``(None, None)`` when empty). ``notes``
    (Turkish and English) say what a reader of the map should know: fewer classes than
    asked and why, the standard-deviation multiples used, an untested comparison.
    """

    scheme: str
    k_requested: int
    bins: tuple[float, ...]
    classes: tuple[int, ...]
    ranges: tuple[tuple[float | None, float | None], ...]
    counts: tuple[int, ...]
    polarity: str = "no_judgement"
    categories: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    benchmark: float | None = None
    benchmark_ci: tuple[float, float] | None = None
    notes: tuple[Text, ...] = ()

    @property
    def k(self) -> int:
        return len(self.counts)

    @property
    def breaks(self) -> tuple[float, ...]:
        """Alias of ``bins``."""
        return self.bins

    @property
    def edges(self) -> tuple[float, ...]:
        """``(minimum, *bins)``: the k+1 class edges folium/branca expect (empty if no bins)."""
        return (self.minimum, *self.bins) if self.bins else ()

    @property
    def n_valid(self) -> int:
        return sum(1 for c in self.classes if c >= 0)


def classify(values: Iterable[Any], scheme: str, k: int, *, lower: Sequence[Any] | None = None,
             upper: Sequence[Any] | None = None, benchmark: float | None = None,
             polarity: str = "no_judgement", benchmark_ci: tuple[float, float] | None = None,
             statuses: Sequence[str] | None = None) -> Classification:
    """Classify ``values`` (one per area) with ``scheme`` into ``k`` classes (2 to 9).

    ``lower``/``upper`` (95 % CI per area, same length as ``values``), ``benchmark`` (the İzmir
    value) and ``benchmark_ci`` are used by compare_izmir; ``benchmark`` and ``benchmark_ci``
    are kept on the result for every scheme (e.g. to mark İzmir on the legend).
    ``benchmark_ci`` is only recorded: as in Fingertips, an area is tested against the İzmir
    *value*, not its interval. ``statuses`` (optional, same length) excludes every value whose
    status is not ``"ok"``. Raises ValueError for an unknown scheme or polarity, a k outside
    2..9, or inputs of different lengths.
    """
    if scheme not in SCHEMES:
        raise ValueError(f"unknown classification scheme {scheme!r}; use one of {', '.join(SCHEMES)}")
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not K_MIN <= k <= K_MAX:
        raise ValueError(f"number of classes k must be a whole number from {K_MIN} to {K_MAX}, got {k!r}")
    k = int(k)
    if polarity not in POLARITIES:
        raise ValueError(f"polarity {polarity!r} is not allowed; use one of {', '.join(POLARITIES)}")
    y = _floats(values, "values")
    valid = np.isfinite(y)
    if statuses is not None:
        statuses = list(statuses)
        _same_length(statuses, y, "statuses")
        valid &= np.array([s == "ok" for s in statuses], dtype=bool)
    bench = _optional_float(benchmark, "benchmark")
    bench_ci = _benchmark_ci(benchmark_ci)
    common = dict(scheme=scheme, k_requested=k, polarity=polarity, benchmark=bench, benchmark_ci=bench_ci)
    if scheme == "compare_izmir":
        return _compare(y, valid, lower, upper, bench, polarity, common)
    return _breaks(y, valid, scheme, k, common)


# --- inputs ---------------------------------------------------------------------------------


def _to_float(v: Any, what: str) -> float:
    if v is None or type(v).__name__ in ("NAType", "NaTType"):
        return math.nan
    if isinstance(v, (str, bytes)):
        raise ValueError(f"{what} must be a number or None, got {v!r}")
    try:
        return float(v)
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be a number or None, got {v!r}") from None


def _floats(values: Iterable[Any], name: str) -> np.ndarray:
    if values is None:
        raise ValueError(f"{name} must be a sequence of numbers, got None")
    return np.array([_to_float(v, f"{name}[{i}]") for i, v in enumerate(values)], dtype=float)


def _same_length(seq: Sequence[Any], y: np.ndarray, name: str) -> None:
    if len(seq) != len(y):
        raise ValueError(f"{name} has {len(seq)} entries but values has {len(y)}")


def _optional_float(v: Any, name: str) -> float | None:
    f = _to_float(v, name)
    return f if math.isfinite(f) else None


def _benchmark_ci(ci: Any) -> tuple[float, float] | None:
    if ci is None:
        return None
    lo, hi = (_optional_float(v, "benchmark_ci") for v in ci)
    if lo is None or hi is None:
        return None
    if lo > hi:
        raise ValueError(f"benchmark_ci lower bound {lo} is above its upper bound {hi}")
    return lo, hi


def _fmt(x: float) -> str:
    return f"{x:g}"


def as_note(message: lazy.Message) -> Text:
    """A note for the reader of a map, as :class:`Text` (``Classification.notes``, like the notes read
    from the database): the message rendered in Turkish and in English now."""
    return Text(message.get("tr"), message.get("en"))


# --- schemes with breaks ---------------------------------------------------------------------


def import_mapclassify():
    with warnings.catch_warnings():  # "Numba not installed" on import
        warnings.simplefilter("ignore")
        import mapclassify
    return mapclassify


def _fisher_jenks(yv: np.ndarray, k: int) -> np.ndarray:
    """Exact Fisher–Jenks breaks (class maxima), by dynamic programming over sorted values.

    cost(i, j) is the sum of squared deviations of x[i:j]; D_m(j) = min_i D_{m-1}(i) + cost(i, j).
    O(k·n²) time and O(n²) memory, vectorised: ~0.1 s for 1,360 values and k = 9.
    """
    x = np.sort(yv)
    n = x.size
    c = x - x.mean()  # centring keeps the prefix-sum differences accurate
    s1 = np.concatenate(([0.0], np.cumsum(c)))
    s2 = np.concatenate(([0.0], np.cumsum(c * c)))
    size = np.arange(n + 1)[None, :] - np.arange(n + 1)[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        cost = (s2[None, :] - s2[:, None]) - (s1[None, :] - s1[:, None]) ** 2 / size
    cost[size <= 0] = np.inf
    best = cost[0].copy()  # best[j]: one class over x[:j]
    back = []
    cols = np.arange(n + 1)
    for _ in range(2, k + 1):
        total = best[:, None] + cost
        arg = np.argmin(total, axis=0)
        best = total[arg, cols]
        back.append(arg)
    ends, j = [n], n
    for arg in reversed(back):
        j = int(arg[j])
        ends.append(j)
    return x[np.array(sorted(ends)) - 1]


def _raw_bins(yv: np.ndarray, scheme: str, k: int) -> np.ndarray:
    if scheme == "natural_breaks":
        return _fisher_jenks(yv, k)
    mc = import_mapclassify()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ties: mapclassify warns and collapses; we note it ourselves
        if scheme == "quantiles":
            return np.asarray(mc.Quantiles(yv, k=k).bins, dtype=float)
        if scheme == "equal_interval":
            return np.asarray(mc.EqualInterval(yv, k=k).bins, dtype=float)
        return np.asarray(mc.StdMean(yv, multiples=list(STD_MEAN_MULTIPLES[k])).bins, dtype=float)


def _breaks(y: np.ndarray, valid: np.ndarray, scheme: str, k: int, common: dict) -> Classification:
    notes: list[Text] = []
    yv = y[valid]
    if yv.size == 0:
        notes.append(as_note(lazy.gettext("No valid values to classify.")))
        return Classification(bins=(), classes=(-1,) * len(y), ranges=(), counts=(), notes=tuple(notes),
                              **common)
    lo, hi = float(yv.min()), float(yv.max())
    distinct = int(np.unique(yv).size)
    if distinct == 1:
        notes.append(as_note(lazy.gettext("All values are the same ({value}): one class.", value=_fmt(lo))))
        bins = np.array([hi])
    else:
        k_eff = min(k, distinct)
        if k_eff < k:
            notes.append(as_note(lazy.ngettext("Only {n} distinct value: {k_eff} class instead of {k}.",
                                               "Only {n} distinct values: {k_eff} classes instead of {k}.",
                                               distinct, k_eff=k_eff, k=k)))
        raw = _raw_bins(yv, scheme, k_eff)
        # Keep breaks inside [min, max), drop repeats, and always end on the maximum.
        inner = np.unique(raw[(raw >= lo) & (raw < hi)])
        bins = np.append(inner, hi)
        if scheme == "std_mean":
            mult = ", ".join(f"{m:+g}" for m in STD_MEAN_MULTIPLES[k_eff])
            notes.append(as_note(lazy.gettext("Mean ± multiples of the standard deviation ({multiples}).",
                                              multiples=mult)))
        if len(bins) < k_eff:
            why = lazy.gettext("breaks beyond the data were dropped") if scheme == "std_mean" else \
                lazy.gettext("tied values gave the same break")
            notes.append(as_note(lazy.ngettext("{n} class instead of {k} ({why}).",
                                               "{n} classes instead of {k} ({why}).", len(bins), k=k_eff, why=why)))
    idx = np.searchsorted(bins, y, side="left")
    classes = tuple(int(c) if ok else -1 for c, ok in zip(idx, valid))
    counts = tuple(int(n) for n in np.bincount([c for c in classes if c >= 0], minlength=len(bins)))
    bins_t = tuple(float(b) for b in bins)
    ranges = tuple(((lo if i == 0 else bins_t[i - 1]), b) for i, b in enumerate(bins_t))
    return Classification(bins=bins_t, classes=classes, ranges=ranges, counts=counts, minimum=lo, maximum=hi,
                          notes=tuple(notes), **common)


# --- compare with İzmir ----------------------------------------------------------------------


def _compare(y: np.ndarray, valid: np.ndarray, lower: Sequence[Any] | None, upper: Sequence[Any] | None,
             bench: float | None, polarity: str, common: dict) -> Classification:
    """Compare every area with the İzmir value, Fingertips-style.

    *Tested* mode, used when **every** classified area has both CI bounds: an area whose CI
    lies wholly above the İzmir value is significantly higher, wholly below significantly
    lower, otherwise (the CI touches or contains it) *similar*. Through the polarity:
    better / similar / worse; with ``no_judgement``: lower / similar / higher.

    *Value-only* mode, used when **any** classified area lacks a CI (e.g. full counts from
    a register, which carry no CI): every area is put lower_value / equal_value /
    higher_value by its value alone, and no area is called similar, better or worse, because
    no test was made (Fingertips: "with no CI, compare by quintile only"). One rule for the
    whole map keeps tested and untested verdicts from being mixed in one legend.
    ``equal_value`` is listed only when some area has exactly the İzmir value.
    """
    if bench is None:
        raise ValueError("compare_izmir needs the İzmir value: pass benchmark= a finite number")
    lo = _floats(lower, "lower") if lower is not None else np.full(len(y), np.nan)
    hi = _floats(upper, "upper") if upper is not None else np.full(len(y), np.nan)
    _same_length(lo, y, "lower")
    _same_length(hi, y, "upper")
    bad = np.flatnonzero(valid & (lo > hi))
    if bad.size:
        i = int(bad[0])
        raise ValueError(f"confidence interval of value {i} has lower {lo[i]} above upper {hi[i]}")
    has_ci = np.isfinite(lo) & np.isfinite(hi)
    n_valid = int(valid.sum())
    notes: list[Text] = []
    per_area: list[str | None] = [None] * len(y)
    if n_valid == 0:
        notes.append(as_note(lazy.gettext("No valid values to compare.")))
        categories: tuple[str, ...] = ()
    elif bool(has_ci[valid].all()):
        if polarity == "no_judgement":
            categories = COMPARE_CATEGORIES["tested_no_judgement"]
            up, down = "higher", "lower"
        else:
            categories = COMPARE_CATEGORIES["tested_polarity"]
            up, down = ("better", "worse") if polarity == "higher_is_better" else ("worse", "better")
        for i in np.flatnonzero(valid):
            per_area[i] = up if lo[i] > bench else down if hi[i] < bench else "similar"
    else:
        missing = int((valid & ~has_ci).sum())
        for i in np.flatnonzero(valid):
            per_area[i] = ("higher_value" if y[i] > bench else "lower_value" if y[i] < bench else "equal_value")
        categories = tuple(c for c in COMPARE_CATEGORIES["value_only"]
                           if c != "equal_value" or "equal_value" in per_area)
        notes.append(as_note(lazy.ngettext(
            "{n} area has no confidence interval: no statistical test was made, values are only compared with "
            "İzmir (higher / lower).",
            "{n} areas have no confidence interval: no statistical test was made, values are only compared with "
            "İzmir (higher / lower).", missing)))
    classes = tuple(categories.index(c) if c is not None else -1 for c in per_area)
    counts, ranges = [], []
    for j in range(len(categories)):
        members = [float(y[i]) for i, c in enumerate(classes) if c == j]
        counts.append(len(members))
        ranges.append((min(members), max(members)) if members else (None, None))
    yv = y[valid]
    return Classification(bins=(), classes=classes, ranges=tuple(ranges), counts=tuple(counts),
                          categories=categories, notes=tuple(notes),
                          minimum=float(yv.min()) if yv.size else None,
                          maximum=float(yv.max()) if yv.size else None, **common)
