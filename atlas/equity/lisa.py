"""Local Moran's I (LISA) hot and cold spots with esda, and global Moran's I (REFERENCE.md §4).

Weights: queen contiguity (``libpysal.weights.Queen.from_dataframe``: polygons sharing an edge or
a corner are neighbours), built on the areas that have a value, row-standardised. Areas without
a value take no part (cluster ``no_value``).

Islands — areas with no neighbour among those areas (a real island, or a mahalle whose
neighbours all lack values) — are always listed in :attr:`LisaResult.islands`, and handled one of
two ways (``islands=``):

* ``"nearest"`` (default): each is linked to its nearest area (k = 1 nearest neighbour on
  centroids in a metric CRS, ``libpysal.weights.KNN`` + ``attach_islands``; the link is made in
  both directions) and tested like any other area; the link is in the ``linked_to`` column;
* ``"exclude"``: each is left out with cluster ``island``.

Statistics (Anselin 1995): with z the standardised values and w_ij the row-standardised
weights, I_i = (n−1) z_i Σ_j w_ij z_j / Σ_k z_k² (esda ``Moran_Local``). Pseudo p-values come from
conditional permutation (``permutations``, default 999, with a fixed ``seed``): the values of the
other areas are shuffled around area i; p = (min(#{I_i* ≥ I_i}, #{I_i* < I_i}) + 1) / (R + 1),
the folded one-sided value GeoDa reports. An area is significant when p ≤ ``alpha`` (0.05), or,
with ``fdr=True``, when p is below the Benjamini–Hochberg cut-off of esda's ``fdr`` (Benjamini &
Hochberg 1995). ``q`` is the BH-adjusted p-value, q_(i) = min_{j≥i} p_(j) · n / j, shown either
way. Significant areas are labelled by quadrant — HH (high value, high neighbours: hot spot),
LL (cold spot), HL and LH (spatial outliers) — and the rest ``ns``.

For a rate or proportion with numerator and denominator (``events=`` and ``base=``) the values
tested are Assunção & Reis's (1999) Empirical-Bayes standardised rates (esda
``Moran_Local_Rate``), which keep small denominators from producing spurious spots.

Global Moran's I = (n / S₀) Σ_i Σ_j w_ij z_i z_j / Σ z_i² on the same values and weights, with a
permutation pseudo p-value (same seed). The seeds are passed to esda; numpy's global random state
is put back as it was afterwards.
"""

from __future__ import annotations

import re
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

import duckdb
import geopandas as gpd
import numpy as np
import pandas as pd
from babel.numbers import get_decimal_symbol

from ..catalogue import Indicator
from ..frames.map_frame import map_frame
from ..i18n import lazy
from ..i18n.lazy import Message
from .texts import ExplainedError, in_each_language

SEED = 20261126
PERMUTATIONS = 999
ALPHA = 0.05
ISLAND_HANDLING = ("nearest", "exclude")
CLUSTERS = ("HH", "LL", "HL", "LH", "ns", "island", "no_value")
_QUADRANTS = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}  # esda's q codes (geoda_quads=False)
#: Warnings libpysal/esda give for what this module reports itself (islands, disconnected parts)
#: and esda's notice about its future default alternative hypothesis.
_KNOWN_WARNINGS = re.compile(r"not fully connected|disconnected component|island|alternative hypothesis", re.I)


class LisaNotPossible(ExplainedError):
    """Local Moran cannot be computed (too few areas, all values equal, no neighbours at all).

    ``str(exc)`` is English; ``exc.text`` is the reason as a lazy message (``exc.text.get(lang)``)."""


@dataclass(frozen=True)
class LisaResult:
    """Clusters of one indicator at one level.

    ``frame`` has one row per input area: ``area_code``, ``value`` (the value tested; the EB
    standardised rate for a rate), ``cluster`` (one of :data:`CLUSTERS`), ``Ii``, ``p_sim``, ``q``,
    ``significant``, ``n_neighbours``, ``linked_to`` (the area an island was linked to).
    """

    frame: pd.DataFrame
    method: str  # "moran_local" or "moran_local_rate"
    moran_i: float
    moran_expected: float
    moran_p: float
    permutations: int
    seed: int
    alpha: float
    fdr: bool
    cutoff: float  # the p-value cut-off used (alpha, or the FDR one)
    islands: tuple[str, ...]
    island_links: tuple[tuple[str, str], ...]
    island_handling: str
    n_components: int
    n_tested: int
    notes: tuple[Message, ...] = ()

    def counts(self) -> dict[str, int]:
        """Number of areas per cluster label (every label of :data:`CLUSTERS`, zeros included)."""
        vc = self.frame["cluster"].value_counts()
        return {c: int(vc.get(c, 0)) for c in CLUSTERS}


@contextmanager
def _own_random_state(seed: int) -> Iterator[None]:
    """Seed numpy's global generator (esda's permutations use it) and restore it afterwards."""
    state = np.random.get_state()
    np.random.seed(seed)
    try:
        yield
    finally:
        np.random.set_state(state)


@contextmanager
def _quiet_known_warnings() -> Iterator[None]:
    """Catch, locally, the warnings this module reports itself; re-issue any other warning."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    for w in caught:
        if not _KNOWN_WARNINGS.search(str(w.message)):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)


def bh_qvalues(p: np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values: q_(i) = min_{j≥i} p_(j) n / j, at most 1."""
    p = np.asarray(p, dtype=float)
    n = p.size
    if n == 0:
        return p.copy()
    order = np.argsort(p)
    scaled = p[order] * n / np.arange(1, n + 1)
    q = np.minimum.accumulate(scaled[::-1])[::-1]
    out = np.empty(n)
    out[order] = np.minimum(q, 1.0)
    return out


def _metric(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if gdf.crs is not None and gdf.crs.is_geographic:
        return gdf.to_crs(gdf.estimate_utm_crs())
    return gdf


def _queen(gdf: gpd.GeoDataFrame):
    from libpysal.weights import Queen

    with _quiet_known_warnings():
        return Queen.from_dataframe(gdf, use_index=False)


def local_moran(gdf: gpd.GeoDataFrame, *, value: str = "value", code: str = "area_code",
                events: str | None = None, base: str | None = None, permutations: int = PERMUTATIONS,
                seed: int = SEED, alpha: float = ALPHA, fdr: bool = False, islands: str = "nearest") -> LisaResult:
    """Local Moran clusters of ``gdf[value]`` (or of the EB rate ``events / base``) on queen contiguity.

    Rows whose value (or events/base) is missing, or whose ``status`` column (if any) is not
    'ok', are ``no_value``. See the module docstring for islands, p-values and FDR. Raises
    ValueError for a missing column or bad option, LisaNotPossible when fewer than 3 areas can be
    tested or all tested values are equal.
    """
    from esda.moran import Moran, Moran_Local, Moran_Local_Rate
    from esda import fdr as esda_fdr

    if islands not in ISLAND_HANDLING:
        raise ValueError(f"islands must be one of {', '.join(ISLAND_HANDLING)}, got {islands!r}")
    if (events is None) != (base is None):
        raise ValueError("give both events= and base= (rate-standardised Moran) or neither")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha!r}")
    if isinstance(permutations, bool) or not isinstance(permutations, int) or permutations < 99:
        raise ValueError(f"permutations must be a whole number of at least 99, got {permutations!r}")
    needed = [code, value] + ([events, base] if events else [])
    missing = [c for c in needed if c not in gdf.columns]
    if missing:
        raise ValueError(f"the frame has no column {missing[0]!r}; it has {', '.join(map(str, gdf.columns))}")

    df = gdf.reset_index(drop=True)
    codes = df[code].astype(str).to_numpy()
    valid = np.isfinite(pd.to_numeric(df[value], errors="coerce").to_numpy(dtype=float))
    if "status" in df.columns:
        valid &= (df["status"] == "ok").to_numpy()
    if events:
        e = pd.to_numeric(df[events], errors="coerce").to_numpy(dtype=float)
        b = pd.to_numeric(df[base], errors="coerce").to_numpy(dtype=float)
        valid &= np.isfinite(e) & np.isfinite(b) & (b > 0) & (e >= 0)
    idx = np.flatnonzero(valid)
    if idx.size < 3:
        raise LisaNotPossible(lazy.ngettext("local Moran needs at least 3 areas with a value; {n} has one",
                                            "local Moran needs at least 3 areas with a value; {n} have one", idx.size))
    sub = df.iloc[idx].reset_index(drop=True)
    w = _queen(sub)
    island_pos = sorted(int(i) for i in w.islands)
    island_codes = tuple(codes[idx[i]] for i in island_pos)
    links: list[tuple[str, str]] = []
    linked_to = np.full(len(df), None, dtype=object)
    cluster = np.full(len(df), "no_value", dtype=object)
    notes: list[Message] = []
    if island_pos and islands == "nearest":
        from libpysal.weights import KNN, attach_islands

        with _quiet_known_warnings():
            knn = KNN.from_dataframe(_metric(sub), k=1, use_index=False)
            w = attach_islands(w, knn)
        for i in island_pos:
            j = int(knn.neighbors[i][0])
            links.append((codes[idx[i]], codes[idx[j]]))
            linked_to[idx[i]] = codes[idx[j]]
        n = len(island_pos)
        notes.append(lazy.ngettext("{n} area without a neighbour was linked to its nearest area.",
                                   "{n} areas without a neighbour were linked to their nearest area.", n))
    elif island_pos:
        cluster[idx[island_pos]] = "island"
        keep = np.setdiff1d(np.arange(len(sub)), island_pos)
        if keep.size < 3:
            raise LisaNotPossible(lazy.ngettext("only {n} area has a neighbour; local Moran needs at least 3",
                                                "only {n} areas have a neighbour; local Moran needs at least 3",
                                                keep.size))
        idx = idx[keep]
        sub = sub.iloc[keep].reset_index(drop=True)
        w = _queen(sub)
        n = len(island_pos)
        notes.append(lazy.ngettext("{n} area without a neighbour was left out.",
                                   "{n} areas without a neighbour were left out.", n))
    if w.islands:  # excluding islands cannot make new ones (they had no neighbours), so this is a bug
        raise LisaNotPossible(lazy.gettext("areas without neighbours remain after handling islands: {islands}",
                                           islands=str(w.islands)))
    if w.n_components > 1:
        notes.append(lazy.ngettext("The neighbour network has {n} separate part.",
                                   "The neighbour network has {n} separate parts.", w.n_components))
    w.transform = "r"
    y = sub[value].to_numpy(dtype=float)
    if not events and np.ptp(y) == 0:
        v0 = f"{y[0]:g}"
        value = in_each_language(lambda lang: v0.replace(".", get_decimal_symbol(lang)))  # CLDR's separator
        raise LisaNotPossible(lazy.ngettext("the {n} tested value is {value}: there is no pattern to test",
                                            "all {n} tested values are equal ({value}): there is no pattern to test",
                                            y.size, value=value))
    with _own_random_state(seed), _quiet_known_warnings():
        if events:
            lm = Moran_Local_Rate(sub[events].to_numpy(dtype=float), sub[base].to_numpy(dtype=float), w,
                                  permutations=permutations, seed=seed)
        else:
            lm = Moran_Local(y, w, permutations=permutations, seed=seed)
        if np.ptp(lm.y) == 0:
            raise LisaNotPossible(lazy.gettext("all standardised rates are equal: there is no pattern to test"))
        gm = Moran(lm.y, w, permutations=permutations)
    p = np.asarray(lm.p_sim, dtype=float)
    cutoff = float(esda_fdr(p, alpha)) if fdr else alpha
    significant = p < cutoff if fdr else p <= cutoff
    quads = np.array([_QUADRANTS[int(q)] for q in lm.q], dtype=object)
    tested = np.where(significant, quads, "ns")
    cluster[idx] = tested
    frame = pd.DataFrame({"area_code": codes, "value": np.nan, "cluster": cluster, "Ii": np.nan, "p_sim": np.nan,
                          "q": np.nan, "significant": False, "n_neighbours": 0, "linked_to": linked_to})
    frame.loc[idx, "value"] = np.asarray(lm.y, dtype=float)
    frame.loc[idx, "Ii"] = np.asarray(lm.Is, dtype=float)
    frame.loc[idx, "p_sim"] = p
    frame.loc[idx, "q"] = bh_qvalues(p)
    frame.loc[idx, "significant"] = significant
    frame.loc[idx, "n_neighbours"] = np.array([w.cardinalities[i] for i in range(len(sub))], dtype=int)
    single = int((frame.loc[idx, "n_neighbours"] == 1).sum())
    if single:
        notes.append(lazy.ngettext("{n} area has a single neighbour: its local value rests on one area.",
                                   "{n} areas have a single neighbour: their local value rests on one area.",
                                   single))
    return LisaResult(
        frame=frame, method="moran_local_rate" if events else "moran_local", moran_i=float(gm.I),
        moran_expected=float(gm.EI), moran_p=float(gm.p_sim), permutations=permutations, seed=seed, alpha=alpha,
        fdr=fdr, cutoff=cutoff, islands=island_codes, island_links=tuple(links), island_handling=islands,
        n_components=int(w.n_components), n_tested=int(idx.size), notes=tuple(notes))


def rate_columns(frame: pd.DataFrame, indicator: Indicator) -> tuple[str, str] | None:
    """("numerator", "denominator") when the rate-standardised variant applies: a proportion or rate
    whose every 'ok' row has a numerator and a positive denominator; else None."""
    if indicator.value_type not in ("proportion", "rate"):
        return None
    ok = frame[(frame["status"] == "ok") & frame["value"].notna()] if "status" in frame.columns else frame
    if ok.empty or not (ok["numerator"].notna().all() and ok["denominator"].notna().all()
                        and (ok["denominator"] > 0).all()):
        return None
    return "numerator", "denominator"


def indicator_lisa(con: duckdb.DuckDBPyConnection, indicator: Indicator, period: str, level: str = "mahalle",
                   **options) -> LisaResult:
    """:func:`local_moran` of ``indicator`` for ``period`` over every area of ``level`` (islands,
    industrial and free zones included; those without a value are ``no_value``), rate-standardised
    when :func:`rate_columns` applies. ``options`` go to :func:`local_moran`."""
    gdf = map_frame(con, indicator, period, level, hide_kinds=())
    rate = rate_columns(gdf, indicator)
    if rate:
        options = {**options, "events": rate[0], "base": rate[1]}
    return local_moran(gdf, **options)
