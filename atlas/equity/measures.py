"""The WHO HEAT summary measures of inequality, as plain functions on arrays.

Sources: WHO Health Equity Assessment Toolkit (HEAT / HEAT Plus) technical notes; Schlotheuber A,
Hosseinpoor AR (2022) "Summary measures of health inequality: a review of existing measures and
their application", Int J Environ Res Public Health 19(6):3697; ../shared/REFERENCE.md §3.

Notation. Subgroups j = 1..n with value y_j, population N_j and share p_j = N_j / ΣN (every
population must be known for a weighted measure), standard error se_j (optional). For an *ordered*
stratifier the groups are given from the most disadvantaged (j = 1) to the most advantaged
(j = n) and X_j = Σ_{k<j} p_k + p_j/2 is the group's relative rank (midpoint of its cumulative
population share). μ is the setting average: Σ p_j y_j, or the value passed as ``mu`` (e.g. the
İzmir value, as HEAT uses the national average). y_best is the highest value when higher is
better and the lowest when lower is better (no best without a polarity).

===========  ===============================================  ==========  =========================
id           formula                                          kind        needs
===========  ===============================================  ==========  =========================
d            ordered: y_n − y_1 (most advantaged − most       absolute    2+ groups
             disadvantaged); else y_max − y_min
r            ordered: y_n / y_1; else y_max / y_min           relative    2+ groups, values > 0
sii          b from weighted least squares y_j = a + b·X_j    absolute    order, 3+, populations
             (weights p_j): fitted(1) − fitted(0) = b
rii          fitted(1) / fitted(0) = (a + b) / a              relative    order, 3+, populations,
                                                                          values > 0, fits > 0
aci          Σ p_j (2X_j − 1) y_j                             absolute    order, 3+, populations
rci          ACI / μ                                          relative    order, 3+, populations
bgv          Σ p_j (y_j − μ)²                                 absolute    3+, populations
bgsd         √BGV                                             absolute    3+, populations
cov          BGSD / μ × 100                                   relative    3+, populations
mdm_w        Σ p_j |y_j − μ|                                  absolute    3+, populations
mdm_u        (1/n) Σ |y_j − μ|                                absolute    3+, μ
mdb          Σ p_j |y_j − y_best|                             absolute    3+, populations, polarity
idis         MDM_u / μ × 100                                  relative    3+, μ
theil        Σ p_j (y_j/μ) ln(y_j/μ)   (0·ln 0 = 0)           relative    3+, populations, y ≥ 0
mld          Σ p_j (−ln(y_j/μ))                               relative    3+, populations, y > 0
par          y_best − μ                                       absolute    3+, populations, polarity
paf          PAR / μ × 100                                    relative    3+, populations, polarity
===========  ===============================================  ==========  =========================

Rules (each breach raises :class:`MeasureNotApplicable` naming the rule): ordered measures need
an ordered stratifier; complex measures (all but D and R) need more than 2 groups, D and R at
least 2; weighted measures (and μ, unless given) need every population; relative measures need
values ≥ 0 and μ > 0 (R, RII and MLD values > 0); MDB, PAR and PAF need a polarity; every group
needs a value. Values and populations are checked as given (no group is dropped silently).

Polarity and sign. With an ordered stratifier D, SII and ACI are positive when the value rises
towards the advantaged end; read through the indicator's polarity that is a gap *against* the
disadvantaged for a favourable indicator (higher is better) and a gap *against the advantaged*
for an adverse one; the note of the result says which. Without order D ≥ 0 and R ≥ 1.

Confidence intervals (level 95 % by default):

* analytic, as in the HEAT technical notes, for D and R:
  SE(D) = √(se_a² + se_b²), CI = D ± z·SE;  SE(ln R) = √(se_a²/y_a² + se_b²/y_b²),
  CI = exp(ln R ± z·SE(ln R));
* every other measure: parametric simulation — each group's value is drawn from
  Normal(y_j, se_j²) ``n_draws`` times (default 10,000, numpy ``default_rng(seed)``, fixed seed),
  the measure is computed on every draw, and the interval is the α/2 and 1 − α/2 percentiles
  (the approach of Fingertips' SII, PHEindicatormethods ``phe_sii``). Populations and a given μ
  are held fixed. Draws on which the measure is undefined (e.g. a value ≤ 0 for MLD) are left
  out and counted in the note; with more than 10 % of them there is no CI.
* no CI (``ci_method = "none"``) when a needed standard error is unknown: the atlas never
  invents one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

from ..catalogue import POLARITIES
from ..errors import AtlasError
from ..i18n import lazy
from ..i18n.lazy import Message
from ..mapping.formatting import format_number
from ..statistics.intervals import z_for_level
from .texts import Words, in_each_language, joined

SEED = 20261126
N_DRAWS = 10_000
LEVEL = 0.95
MAX_INVALID_DRAWS = 0.10

#: Measure ids in the order HEAT lists them.
MEASURE_IDS = ("d", "r", "sii", "rii", "aci", "rci", "bgv", "bgsd", "cov", "mdm_w", "mdm_u", "mdb", "idis",
               "theil", "mld", "par", "paf")


class MeasureNotApplicable(AtlasError):
    """A summary measure cannot be computed for these groups; ``rule`` names the rule broken.

    ``reason`` holds the explanation, a lazy message (``reason.get(lang)``); ``str(error)`` is its
    English text prefixed by the measure id. Rules: ``too_few_groups``, ``needs_order``,
    ``missing_population``, ``missing_value``, ``non_positive_value``, ``non_positive_mean``,
    ``non_positive_fit``, ``no_polarity``.
    """

    def __init__(self, reason: Message, *, measure_id: str = "", rule: str = ""):
        self.reason = reason
        self.measure_id = measure_id
        self.rule = rule
        english = reason.get("en")
        super().__init__(f"{measure_id}: {english}" if measure_id else english)


@dataclass(frozen=True)
class MeasureInfo:
    """What a measure is and what it needs (the rules of the module docstring)."""

    id: str
    name: Message
    kind: str  # "absolute" or "relative"
    ordered: bool  # needs an ordered stratifier
    complex: bool  # needs more than 2 groups (all but D and R)
    weighted: bool  # needs every population
    unit: str  # hint: "indicator" (the indicator's unit), "indicator²", "ratio", "percent", "index"
    ci: str  # "analytic" or "simulation"
    null_value: float  # the value meaning no inequality
    needs_mu: bool = False  # uses the setting average μ
    needs_polarity: bool = False
    positive: str = ""  # "" (any sign), "nonnegative" or "positive": what the values must be


@dataclass(frozen=True)
class Measure:
    """One summary measure computed for one set of groups.

    ``ordered``, ``complex`` and ``weighted`` describe the measure (HEAT's classes: needs an
    ordered stratifier, needs more than 2 groups, needs every population), as in
    :data:`MEASURES`; ``unit`` is a hint (``indicator`` = the indicator's own unit).
    ``lower``/``upper`` are None (and ``ci_method`` is ``"none"``) when there is no CI; ``note``
    says why, or how to read the sign. ``reference`` holds the indices of the groups the measure
    compares (D, R: (high, low); MDB, PAR, PAF: (best,)), empty otherwise.
    """

    id: str
    name: Message
    value: float
    lower: float | None
    upper: float | None
    ci_method: str  # "analytic", "simulation" or "none"
    kind: str
    ordered: bool
    complex: bool
    weighted: bool
    unit: str
    n_groups: int
    note: Words | None = None
    reference: tuple[int, ...] = ()
    level: float = LEVEL
    null_value: float = 0.0

    @property
    def has_ci(self) -> bool:
        return self.lower is not None and self.upper is not None


MEASURES: dict[str, MeasureInfo] = {m.id: m for m in (
    MeasureInfo("d", lazy.gettext("Difference (D)"), "absolute", False, False, False, "indicator", "analytic",
                0.0),
    MeasureInfo("r", lazy.gettext("Ratio (R)"), "relative", False, False, False, "ratio", "analytic", 1.0,
                positive="positive"),
    MeasureInfo("sii", lazy.gettext("Slope index of inequality (SII)"), "absolute", True,
                True, True, "indicator", "simulation", 0.0),
    MeasureInfo("rii", lazy.gettext("Relative index of inequality (RII)"), "relative",
                True, True, True, "ratio", "simulation", 1.0, positive="positive"),
    MeasureInfo("aci", lazy.gettext("Absolute concentration index (ACI)"), "absolute",
                True, True, True, "indicator", "simulation", 0.0),
    MeasureInfo("rci", lazy.gettext("Relative concentration index (RCI)"), "relative",
                True, True, True, "index", "simulation", 0.0, needs_mu=True, positive="nonnegative"),
    MeasureInfo("bgv", lazy.gettext("Between-group variance (BGV)"), "absolute", False, True,
                True, "indicator²", "simulation", 0.0, needs_mu=True),
    MeasureInfo("bgsd", lazy.gettext("Between-group standard deviation (BGSD)"),
                "absolute", False, True, True, "indicator", "simulation", 0.0, needs_mu=True),
    MeasureInfo("cov", lazy.gettext("Coefficient of variation (COV)"), "relative", False, True,
                True, "percent", "simulation", 0.0, needs_mu=True, positive="nonnegative"),
    MeasureInfo("mdm_w", lazy.gettext("Mean difference from mean, weighted (MDM)"), "absolute", False, True, True,
                "indicator", "simulation", 0.0, needs_mu=True),
    MeasureInfo("mdm_u", lazy.gettext("Mean difference from mean, unweighted (MDM)"), "absolute", False, True, False,
                "indicator", "simulation", 0.0, needs_mu=True),
    MeasureInfo("mdb", lazy.gettext("Mean difference from best (MDB)"), "absolute", False,
                True, True, "indicator", "simulation", 0.0, needs_polarity=True),
    MeasureInfo("idis", lazy.gettext("Index of disparity (IDIS)"), "relative", False, True,
                False, "percent", "simulation", 0.0, needs_mu=True, positive="nonnegative"),
    MeasureInfo("theil", lazy.gettext("Theil index (T)"), "relative", False, True, True, "index",
                "simulation", 0.0, needs_mu=True, positive="nonnegative"),
    MeasureInfo("mld", lazy.gettext("Mean log deviation (MLD)"), "relative", False, True,
                True, "index", "simulation", 0.0, needs_mu=True, positive="positive"),
    MeasureInfo("par", lazy.gettext("Population attributable risk (PAR)"), "absolute",
                False, True, True, "indicator", "simulation", 0.0, needs_mu=True, needs_polarity=True),
    MeasureInfo("paf", lazy.gettext("Population attributable fraction (PAF)"),
                "relative", False, True, True, "percent", "simulation", 0.0, needs_mu=True, needs_polarity=True,
                positive="nonnegative"),
)}


# --- inputs ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Groups:
    """Validated inputs: y (n,), shares p (n,) or None, se (n,) with NaN for unknown, μ or None."""

    y: np.ndarray
    p: np.ndarray | None
    se: np.ndarray
    ordered: bool
    polarity: str
    mu: float | None  # the setting average when given, else Σ p y (None without populations)
    mu_given: bool
    missing_population: tuple[int, ...]


def _array(values: Any, name: str) -> np.ndarray:
    if values is None or isinstance(values, (str, bytes)):
        raise ValueError(f"{name} must be a sequence of numbers, got {values!r}")
    out = []
    for i, v in enumerate(values):
        if v is None or type(v).__name__ in ("NAType", "NaTType"):
            out.append(math.nan)
            continue
        if isinstance(v, (str, bytes, bool)):
            raise ValueError(f"{name}[{i}] must be a number or None, got {v!r}")
        try:
            out.append(float(v))
        except (TypeError, ValueError):
            raise ValueError(f"{name}[{i}] must be a number or None, got {v!r}") from None
    return np.array(out, dtype=float)


def _prepare(values: Any, populations: Any, se: Any, ordered: bool, polarity: str,
             mu: float | None) -> _Groups:
    y = _array(values, "values")
    n = y.size
    if polarity not in POLARITIES:
        raise ValueError(f"polarity {polarity!r} is not allowed; use one of {', '.join(POLARITIES)}")
    pops = _array(populations, "populations") if populations is not None else np.full(n, np.nan)
    ses = _array(se, "se") if se is not None else np.full(n, np.nan)
    for name, arr in (("populations", pops), ("se", ses)):
        if arr.size != n:
            raise ValueError(f"{name} has {arr.size} entries but values has {n}")
        bad = np.flatnonzero(arr < 0)
        if bad.size:
            raise ValueError(f"{name}[{int(bad[0])}] is {arr[bad[0]]:g}; it must be 0 or more")
        if np.isinf(arr).any():
            raise ValueError(f"{name} must be finite numbers or None, got {arr.tolist()}")
    missing_pop = tuple(int(i) for i in np.flatnonzero(~np.isfinite(pops)))
    shares = None
    if not missing_pop and n and pops.sum() > 0:
        shares = pops / pops.sum()
    mu_given = mu is not None
    if mu_given:
        mu_v = float(mu)
        if not math.isfinite(mu_v):
            raise ValueError(f"mu (the setting average) must be a finite number, got {mu!r}")
    else:
        mu_v = float(shares @ y) if shares is not None and np.isfinite(y).all() else None
    return _Groups(y, shares, ses, bool(ordered), polarity, mu_v, mu_given, missing_pop)


def _num(v: float, lang: str) -> str:
    """A value quoted in a reason, with the language's separators and up to 4 significant digits."""
    if not math.isfinite(v) or v == 0:
        return format_number(v, lang, 0)
    decimals = min(6, max(0, 3 - int(math.floor(math.log10(abs(v))))))
    return format_number(v, lang, decimals)


def _check_rules(info: MeasureInfo, g: _Groups) -> None:
    """Raise MeasureNotApplicable for the first rule these groups break (module docstring)."""
    n = g.y.size
    mid = info.id
    name = info.name
    need = 3 if info.complex else 2
    if n < need:
        raise MeasureNotApplicable(
            lazy.ngettext("{name} needs at least {need} groups; there is {n}.",
                          "{name} needs at least {need} groups; there are {n}.", n, name=name, need=need),
            measure_id=mid, rule="too_few_groups")
    if info.ordered and not g.ordered:
        raise MeasureNotApplicable(
            lazy.gettext("{name} needs an ordered stratifier (e.g. social-vulnerability quintiles); these groups "
                         "are not ordered.", name=name), measure_id=mid, rule="needs_order")
    bad = np.flatnonzero(~np.isfinite(g.y))
    if bad.size:
        raise MeasureNotApplicable(
            lazy.gettext("group {group} has no value; every group needs one.", group=int(bad[0]) + 1),
            measure_id=mid, rule="missing_value")
    needs_pop = info.weighted or (info.needs_mu and not g.mu_given)
    if needs_pop and g.missing_population:
        which = ", ".join(str(i + 1) for i in g.missing_population)
        if info.weighted:
            reason = lazy.gettext("{name} needs every group's population; population missing for group(s) "
                                  "{groups}.", name=name, groups=which)
        else:
            reason = lazy.gettext("{name} needs every group's population (or give a setting average μ); "
                                  "population missing for group(s) {groups}.", name=name, groups=which)
        raise MeasureNotApplicable(reason, measure_id=mid, rule="missing_population")
    if needs_pop and g.p is None:
        raise MeasureNotApplicable(lazy.gettext("{name}: the total population is zero.", name=name),
                                   measure_id=mid, rule="missing_population")
    if info.needs_polarity and g.polarity == "no_judgement":
        raise MeasureNotApplicable(
            lazy.gettext("{name} needs to know which group is best; this indicator has no polarity "
                         "(neither higher nor lower is better).", name=name), measure_id=mid, rule="no_polarity")
    if info.positive:
        used = g.y if info.id != "r" else g.y[list(_high_low(g))]
        strict = info.positive == "positive"
        bad = np.flatnonzero(used <= 0) if strict else np.flatnonzero(used < 0)
        if bad.size:
            v = float(used[bad[0]])
            value = in_each_language(lambda lang: _num(v, lang))
            if strict:
                reason = lazy.gettext("{name} is a relative measure and needs values above zero; a group has "
                                      "{value}.", name=name, value=value)
            else:
                reason = lazy.gettext("{name} is a relative measure and needs values zero or more; a group has "
                                      "{value}.", name=name, value=value)
            raise MeasureNotApplicable(reason, measure_id=mid, rule="non_positive_value")
    if info.kind == "relative" and info.needs_mu and not (g.mu is not None and g.mu > 0):
        mu = g.mu
        raise MeasureNotApplicable(
            lazy.gettext("{name} divides by the average μ = {mu}, which is not above zero.", name=name,
                         mu=in_each_language(lambda lang: _num(mu, lang)) if mu is not None else "—"),
            measure_id=mid, rule="non_positive_mean")


def _high_low(g: _Groups) -> tuple[int, int]:
    """(high, low) group indices of D and R: ordered → (last, first); else (last highest, first lowest)."""
    n = g.y.size
    if g.ordered:
        return n - 1, 0
    high = n - 1 - int(np.argmax(g.y[::-1]))
    low = int(np.argmin(g.y))
    if high == low:  # one group (rules stop this earlier)
        low = 0 if high else min(1, n - 1)
    return high, low


# --- the formulas, vectorised over draws (rows of Y) -------------------------------------------


def _mu_rows(Y: np.ndarray, g: _Groups) -> np.ndarray:
    if g.mu_given:
        return np.full(Y.shape[0], g.mu)
    return Y @ g.p


def _ranks(p: np.ndarray) -> np.ndarray:
    """X_j = Σ_{k<j} p_k + p_j / 2 (groups ordered from the most disadvantaged)."""
    return np.cumsum(p) - p / 2


def _fit(Y: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weighted least squares of y on X with weights p: intercept a and slope b per row."""
    x = _ranks(p)
    xbar = p @ x
    dx = x - xbar
    ybar = Y @ p
    b = (Y - ybar[:, None]) @ (p * dx) / (p @ (dx * dx))
    return ybar - b * xbar, b


def _best(Y: np.ndarray, polarity: str) -> np.ndarray:
    return Y.max(axis=1) if polarity == "higher_is_better" else Y.min(axis=1)


def _core(mid: str, Y: np.ndarray, g: _Groups) -> np.ndarray:
    """The measure ``mid`` on every row of Y (draws × groups); NaN where undefined."""
    with np.errstate(divide="ignore", invalid="ignore"):
        if mid == "d":
            hi, lo = _high_low(g)
            return Y[:, hi] - Y[:, lo]
        if mid == "r":
            hi, lo = _high_low(g)
            ok = (Y[:, hi] > 0) & (Y[:, lo] > 0)
            return np.where(ok, Y[:, hi] / Y[:, lo], np.nan)
        if mid in ("sii", "rii"):
            a, b = _fit(Y, g.p)
            if mid == "sii":
                return b
            ok = (a > 0) & (a + b > 0)
            return np.where(ok, (a + b) / a, np.nan)
        p = g.p
        mu = _mu_rows(Y, g)
        if mid == "aci":
            return Y @ (p * (2 * _ranks(p) - 1))
        if mid == "rci":
            aci = Y @ (p * (2 * _ranks(p) - 1))
            return np.where(mu > 0, aci / mu, np.nan)
        if mid in ("bgv", "bgsd", "cov"):
            bgv = ((Y - mu[:, None]) ** 2) @ p
            if mid == "bgv":
                return bgv
            if mid == "bgsd":
                return np.sqrt(bgv)
            return np.where(mu > 0, np.sqrt(bgv) / mu * 100, np.nan)
        if mid == "mdm_w":
            return np.abs(Y - mu[:, None]) @ p
        if mid in ("mdm_u", "idis"):
            mdm = np.abs(Y - mu[:, None]).mean(axis=1)
            return mdm if mid == "mdm_u" else np.where(mu > 0, mdm / mu * 100, np.nan)
        if mid == "mdb":
            return np.abs(Y - _best(Y, g.polarity)[:, None]) @ p
        if mid == "theil":
            r = Y / mu[:, None]
            term = np.where(Y > 0, r * np.log(np.where(Y > 0, r, 1.0)), 0.0)
            ok = (mu > 0) & (Y >= 0).all(axis=1)
            return np.where(ok, term @ p, np.nan)
        if mid == "mld":
            r = Y / mu[:, None]
            ok = (mu > 0) & (Y > 0).all(axis=1)
            return np.where(ok, -np.log(np.where(ok[:, None], r, 1.0)) @ p, np.nan)
        if mid in ("par", "paf"):
            par = _best(Y, g.polarity) - mu
            return par if mid == "par" else np.where(mu > 0, par / mu * 100, np.nan)
    raise ValueError(f"unknown measure {mid!r}; use one of {', '.join(MEASURE_IDS)}")


# --- notes -----------------------------------------------------------------------------------


def _sign_note(info: MeasureInfo, g: _Groups, value: float) -> Message | None:
    """How to read the sign of D/R/SII/RII/ACI/RCI with an ordered stratifier, through the polarity."""
    if not g.ordered or info.id not in ("d", "r", "sii", "rii", "aci", "rci") or not math.isfinite(value):
        return None
    centre = info.null_value
    if math.isclose(value, centre, abs_tol=1e-12):
        return lazy.gettext("No difference between the advantaged and disadvantaged ends.")
    higher_at_advantaged = value > centre
    if g.polarity == "no_judgement":
        if higher_at_advantaged:
            return lazy.gettext("The value is higher at the advantaged end.")
        return lazy.gettext("The value is higher at the disadvantaged end.")
    good = (g.polarity == "higher_is_better") == higher_at_advantaged
    if higher_at_advantaged:
        if good:
            return lazy.gettext("The value is higher at the advantaged end: the inequality is against the "
                                "disadvantaged.")
        return lazy.gettext("The value is higher at the advantaged end: the inequality is against the advantaged.")
    if good:
        return lazy.gettext("The value is higher at the disadvantaged end: the inequality is against the "
                            "disadvantaged.")
    return lazy.gettext("The value is higher at the disadvantaged end: the inequality is against the advantaged.")


_NO_SE = lazy.gettext("No confidence interval: some groups have no standard error.")


# --- confidence intervals --------------------------------------------------------------------


def _analytic(info: MeasureInfo, g: _Groups, value: float,
              z: float) -> tuple[float | None, float | None, Message | None]:
    hi, lo = _high_low(g)
    se_hi, se_lo = g.se[hi], g.se[lo]
    if not (math.isfinite(se_hi) and math.isfinite(se_lo)):
        return None, None, _NO_SE
    if info.id == "d":
        half = z * math.sqrt(se_hi ** 2 + se_lo ** 2)
        return value - half, value + half, None
    s = math.sqrt((se_hi / g.y[hi]) ** 2 + (se_lo / g.y[lo]) ** 2)
    return value * math.exp(-z * s), value * math.exp(z * s), None


def _simulated(info: MeasureInfo, g: _Groups, level: float, n_draws: int,
               seed: int) -> tuple[float | None, float | None, Message | None]:
    if not np.isfinite(g.se).all():
        return None, None, _NO_SE
    rng = np.random.default_rng(seed)
    draws = g.y + rng.standard_normal((n_draws, g.y.size)) * g.se
    sims = _core(info.id, draws, g)
    ok = np.isfinite(sims)
    invalid = 1 - ok.mean()
    note = None
    if invalid > MAX_INVALID_DRAWS:
        return None, None, lazy.gettext(
            "No confidence interval: the measure is undefined on {percent}% of the simulated draws (e.g. a value at "
            "or below zero).", percent=f"{invalid * 100:.0f}")
    if invalid > 0:
        note = lazy.gettext("The measure was undefined on {percent}% of the simulated draws, which were left out.",
                            percent=f"{invalid * 100:.1f}")
    alpha = 1 - level
    lo, hi = np.percentile(sims[ok], [100 * alpha / 2, 100 * (1 - alpha / 2)])
    return float(lo), float(hi), note


# --- the public functions --------------------------------------------------------------------
# One function per measure, each ``f(values, populations=None, se=None, **kw) -> Measure`` with the
# keyword arguments and errors of :func:`compute`.


def compute(measure_id: str, values: Sequence[Any], populations: Sequence[Any] | None = None,
            se: Sequence[Any] | None = None, *, ordered: bool = False, polarity: str = "no_judgement",
            mu: float | None = None, level: float = LEVEL, n_draws: int = N_DRAWS, seed: int = SEED) -> Measure:
    """Compute the summary measure ``measure_id`` (one of :data:`MEASURE_IDS`) for the groups.

    ``values`` are the group values (from the most disadvantaged to the most advantaged when
    ``ordered``); ``populations`` the group populations (None entries = unknown); ``se`` their
    standard errors (None = unknown: no CI); ``polarity`` the indicator's; ``mu`` an optional
    setting average (e.g. the İzmir value) used instead of Σ p_j y_j. Returns a :class:`Measure`.

    Raises :class:`MeasureNotApplicable` when a rule is broken (module docstring) and ValueError for
    malformed input (an unknown id or polarity, lengths that differ, a negative population or SE,
    a level outside (0, 1), fewer than 100 draws).
    """
    info = MEASURES.get(measure_id)
    if info is None:
        raise ValueError(f"unknown measure {measure_id!r}; use one of {', '.join(MEASURE_IDS)}")
    if isinstance(n_draws, bool) or not isinstance(n_draws, (int, np.integer)) or n_draws < 100:
        raise ValueError(f"n_draws must be a whole number of at least 100, got {n_draws!r}")
    z = z_for_level(level)
    g = _prepare(values, populations, se, ordered, polarity, mu)
    _check_rules(info, g)
    value = float(_core(info.id, g.y[None, :], g)[0])
    if not math.isfinite(value):
        # RII with a fitted value at or below zero at an end of the scale
        raise MeasureNotApplicable(
            lazy.gettext("{name} is undefined: the regression's fitted value at an end of the scale is zero or "
                         "below.", name=info.name), measure_id=info.id, rule="non_positive_fit")
    if info.ci == "analytic":
        lower, upper, ci_note = _analytic(info, g, value, z)
    else:
        lower, upper, ci_note = _simulated(info, g, level, int(n_draws), seed)
    reference: tuple[int, ...] = ()
    if info.id in ("d", "r"):
        reference = _high_low(g)
    elif info.id in ("mdb", "par", "paf"):
        reference = (int(np.argmax(g.y)) if g.polarity == "higher_is_better" else int(np.argmin(g.y)),)
    return Measure(
        id=info.id, name=info.name, value=value, lower=lower, upper=upper,
        ci_method="none" if lower is None else info.ci, kind=info.kind, ordered=info.ordered,
        complex=info.complex, weighted=info.weighted, unit=info.unit, n_groups=int(g.y.size),
        note=joined(_sign_note(info, g, value), ci_note), reference=reference, level=level,
        null_value=info.null_value)


def difference(values, populations=None, se=None, **kw) -> Measure:
    """D = y_n − y_1 with an ordered stratifier (most advantaged − most disadvantaged), else
    y_max − y_min. Analytic CI: D ± z·√(se_a² + se_b²) (HEAT)."""
    return compute("d", values, populations, se, **kw)


def ratio(values, populations=None, se=None, **kw) -> Measure:
    """R = y_n / y_1 (ordered) or y_max / y_min. Analytic CI: exp(ln R ± z·√(se_a²/y_a² + se_b²/y_b²)) (HEAT)."""
    return compute("r", values, populations, se, **kw)


def slope_index(values, populations=None, se=None, **kw) -> Measure:
    """SII = b of the weighted least-squares line y_j = a + b·X_j (weights p_j): fitted(1) − fitted(0)."""
    return compute("sii", values, populations, se, **kw)


def relative_index(values, populations=None, se=None, **kw) -> Measure:
    """RII = fitted(1) / fitted(0) = (a + b) / a of the same line as SII."""
    return compute("rii", values, populations, se, **kw)


def absolute_concentration_index(values, populations=None, se=None, **kw) -> Measure:
    """ACI = Σ p_j (2X_j − 1) y_j."""
    return compute("aci", values, populations, se, **kw)


def relative_concentration_index(values, populations=None, se=None, **kw) -> Measure:
    """RCI = ACI / μ (between −1 and 1 for values ≥ 0)."""
    return compute("rci", values, populations, se, **kw)


def between_group_variance(values, populations=None, se=None, **kw) -> Measure:
    """BGV = Σ p_j (y_j − μ)² (in the indicator's unit squared)."""
    return compute("bgv", values, populations, se, **kw)


def between_group_sd(values, populations=None, se=None, **kw) -> Measure:
    """BGSD = √BGV."""
    return compute("bgsd", values, populations, se, **kw)


def coefficient_of_variation(values, populations=None, se=None, **kw) -> Measure:
    """COV = BGSD / μ × 100."""
    return compute("cov", values, populations, se, **kw)


def mean_difference_from_mean(values, populations=None, se=None, **kw) -> Measure:
    """MDM (weighted) = Σ p_j |y_j − μ|."""
    return compute("mdm_w", values, populations, se, **kw)


def mean_difference_from_mean_unweighted(values, populations=None, se=None, **kw) -> Measure:
    """MDM (unweighted) = (1/n) Σ |y_j − μ|."""
    return compute("mdm_u", values, populations, se, **kw)


def mean_difference_from_best(values, populations=None, se=None, **kw) -> Measure:
    """MDB = Σ p_j |y_j − y_best| (y_best by polarity)."""
    return compute("mdb", values, populations, se, **kw)


def index_of_disparity(values, populations=None, se=None, **kw) -> Measure:
    """IDIS = MDM_u / μ × 100 = (1/n) Σ |y_j − μ| / μ × 100."""
    return compute("idis", values, populations, se, **kw)


def theil_index(values, populations=None, se=None, **kw) -> Measure:
    """T = Σ p_j (y_j/μ) ln(y_j/μ), with 0·ln 0 = 0."""
    return compute("theil", values, populations, se, **kw)


def mean_log_deviation(values, populations=None, se=None, **kw) -> Measure:
    """MLD = Σ p_j (−ln(y_j/μ))."""
    return compute("mld", values, populations, se, **kw)


def population_attributable_risk(values, populations=None, se=None, **kw) -> Measure:
    """PAR = y_best − μ: the change in the average if every group had the best group's value
    (≥ 0 when higher is better, ≤ 0 when lower is better, 0 when the average already is the best)."""
    return compute("par", values, populations, se, **kw)


def population_attributable_fraction(values, populations=None, se=None, **kw) -> Measure:
    """PAF = PAR / μ × 100."""
    return compute("paf", values, populations, se, **kw)


#: The public function of each measure id.
FUNCTIONS: dict[str, Callable[..., Measure]] = {
    "d": difference, "r": ratio, "sii": slope_index, "rii": relative_index, "aci": absolute_concentration_index,
    "rci": relative_concentration_index, "bgv": between_group_variance, "bgsd": between_group_sd,
    "cov": coefficient_of_variation, "mdm_w": mean_difference_from_mean,
    "mdm_u": mean_difference_from_mean_unweighted, "mdb": mean_difference_from_best, "idis": index_of_disparity,
    "theil": theil_index, "mld": mean_log_deviation, "par": population_attributable_risk,
    "paf": population_attributable_fraction,
}
