"""The WHO HEAT summary measures of inequality, as plain functions on arrays.

Sources: WHO Health Equity Assessment Toolkit (HEAT / HEAT Plus) technical notes and WHO's R
packages that implement them (HEAT-Measures, healthequal); Schlotheuber A, Hosseinpoor AR (2022)
"Summary measures of health inequality: a review of existing measures and their application",
Int J Environ Res Public Health 19(6):3697; Ahn J et al. (2018) "Variance estimation and confidence
intervals for 11 commonly used health disparity measures", JCO Clin Cancer Inform 2:1–19;
../shared/REFERENCE.md §3. docs/equity.md lists every place where the atlas differs from HEAT.

Notation. Subgroups j = 1..n with value y_j, population N_j and share p_j = N_j / ΣN (every
population must be known for a weighted measure), standard error se_j (optional). For an *ordered*
stratifier the groups are given from the most disadvantaged (j = 1) to the most advantaged
(j = n) and X_j = Σ_{k<j} p_k + p_j/2 is the group's relative rank (midpoint of its cumulative
population share). μ is the setting average: Σ p_j y_j, or the value passed as ``mu`` (e.g. the
İzmir value, as HEAT uses the national average). y_best is the highest value when higher is
better and the lowest when lower is better (no best without a polarity). y_ref is the reference
group's value: a group chosen by the caller (``reference``), else the most advantaged group (the
last) of an ordered stratifier, else (PAR, PAF) the best group by polarity.

===========  ===============================================  ==========  =========================
id           formula                                          kind        needs
===========  ===============================================  ==========  =========================
d            ordered: y_n − y_1 (most advantaged − most       absolute    2+ groups
             disadvantaged); else y_max − y_min
r            ordered: y_n / y_1; else y_max / y_min           relative    2+ groups, values > 0
sii          fitted(1) − fitted(0) of a regression of y_j on  absolute    order, 3+, populations
             X_j weighted by p_j: logistic for a percentage
             (``scale`` given: y/scale = expit(a + b·X)),
             linear otherwise (y = a + b·X)
rii          fitted(1) / fitted(0) of the same model          relative    order, 3+, populations,
                                                                          values > 0, fits > 0
aci          Σ p_j (2X_j − 1) y_j                             absolute    order, 3+, populations
rci          ACI / μ                                          relative    order, 3+, populations
bgv          Σ p_j (y_j − μ)²                                 absolute    3+, populations
bgsd         √BGV                                             absolute    3+, populations
cov          BGSD / μ × 100                                   relative    3+, populations
mdm_w        Σ p_j |y_j − μ|                                  absolute    3+, populations
mdm_u        (1/n) Σ |y_j − μ|                                absolute    3+, μ
mdb          Σ p_j |y_j − y_best|                             absolute    3+, populations, polarity
mdbu         (1/n) Σ |y_j − y_best|                           absolute    3+, polarity
mdrw         Σ p_j |y_j − y_ref|                              absolute    3+, populations, reference
mdru         (1/n) Σ |y_j − y_ref|                            absolute    3+, reference
idis         MDM_u / μ × 100                                  relative    3+, μ
idisw        MDM_w / μ × 100                                  relative    3+, populations
theil        Σ p_j (y_j/μ) ln(y_j/μ)   (0·ln 0 = 0)           relative    3+, populations, y ≥ 0
mld          Σ p_j (−ln(y_j/μ))                               relative    3+, populations, y > 0
par          y_ref − μ; 0 when y_ref is worse than μ          absolute    3+, populations, polarity
paf          PAR / μ × 100 (0 likewise)                       relative    3+, populations, polarity
===========  ===============================================  ==========  =========================

Rules (each breach raises :class:`MeasureNotApplicable` naming the rule): ordered measures need
an ordered stratifier; complex measures (all but D and R) need more than 2 groups, D and R at
least 2; weighted measures (and μ, unless given) need every population; relative measures need
values ≥ 0 and μ > 0 (R, RII and MLD values > 0); MDB, MDBU, PAR and PAF need a polarity; MDRW
and MDRU need a reference group (given, or the most advantaged group of an ordered stratifier);
every group needs a value. Values and populations are checked as given (no group is dropped
silently).

SII and RII model (HEAT). HEAT fits a logistic regression when the indicator is a percentage and a
linear one otherwise. ``model="auto"`` (the default) does the same: logistic when ``scale`` (the
indicator's scale, 100 for a percentage; :func:`proportion_scale` reads it from the catalogue) is
given and every value lies in [0, scale], linear otherwise; ``model="linear"`` forces the linear
fit (Fingertips' SII, PHEindicatormethods ``phe_sii``). The result's ``model`` and note say which
was used, and why when the logistic model could not be (a value outside [0, scale], or no fit).

Polarity and sign. With an ordered stratifier D, SII and ACI are positive when the value rises
towards the advantaged end; read through the indicator's polarity that is a gap *against* the
disadvantaged for a favourable indicator (higher is better) and a gap *against the advantaged*
for an adverse one; the note of the result says which. Without order D ≥ 0 and R ≥ 1. PAR and
PAF are ≥ 0 for a favourable indicator and ≤ 0 for an adverse one (HEAT: 0 when the reference
group is worse than the average, as nothing is to be gained by reaching it).

Confidence intervals (level 95 % by default):

* analytic (``ci_method = "analytic"``) for D, R, SII, RII, ACI, RCI, BGV, BGSD, COV, Theil, MLD,
  PAR and PAF: the delta method on the subgroup standard errors, Var = Σ_j (∂M/∂y_j)² se_j²,
  CI = M ± z·SE (R and RII on the log scale: exp(ln M ± z·SE(ln M))). This is HEAT's formula for
  D, R, Theil (SE² = Σ p_j² se_j² (1 + ln r_j − Σ p r (1 + ln r))² / μ²) and MLD
  (SE² = Σ p_j² se_j² (1 − 1/r_j)² / μ²), with r_j = y_j/μ (a group at 0 taken as 10⁻⁶ in Theil's
  SE, as HEAT does); BGV uses HEAT's (Ahn 2018)
  SE² = 4 Σ p_j² se_j² (y_j − μ)² + 2 [(Σ p_j² se_j²)² − Σ p_j⁴ se_j⁴ + Σ p_j² (1 − p_j)² se_j⁴],
  BGSD = SE(BGV) / (2·BGSD) and COV the same through μ. SII and RII: the fitted coefficients are
  differentiated through the (logistic or linear) estimating equations, ∂θ/∂y = I(θ)⁻¹ X'W / scale;
  ACI and RCI are linear in y (∂ACI/∂y_j = p_j (2X_j − 1)); PAR and PAF: ∂/∂y = e_ref − ∂μ/∂y,
  with the reference group held fixed. An interval of a measure that cannot be negative is cut
  at 0; an interval of a clamped PAR/PAF is clamped the same way.
* simulation (``ci_method = "simulation"``) for the mean-difference measures (MDM, MDB, MDBU,
  MDRW, MDRU, IDIS, IDISW), as HEAT: each group's value is drawn from Normal(y_j, se_j²)
  ``n_draws`` times (default 10,000, numpy ``default_rng(seed)``, fixed seed) and the measure is
  computed on every draw. Because |·| inflates these measures on noisy values, the draws sit
  above the estimate; the interval is therefore the *basic* (reflected) bootstrap interval
  [2M − q(1 − α/2), 2M − q(α/2)], which removes that first-order bias (HEAT reports the plain
  percentiles q(α/2), q(1 − α/2)), cut at 0. Populations and a given μ are held fixed. Draws on
  which the measure is undefined are left out and counted in the note; with more than 10 % of them
  there is no CI.
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
MODELS = ("auto", "logistic", "linear")
THEIL_ZERO = 1e-6  # the value HEAT puts in place of 0 in the Theil index's standard error

#: Measure ids in the order HEAT lists them.
MEASURE_IDS = ("d", "r", "sii", "rii", "aci", "rci", "bgv", "bgsd", "cov", "mdm_w", "mdm_u", "mdb", "mdbu",
               "mdrw", "mdru", "idis", "idisw", "theil", "mld", "par", "paf")

#: Measures that compare the groups with a reference group (the caller may choose it).
REFERENCE_MEASURES = ("mdrw", "mdru", "par", "paf")


class MeasureNotApplicable(AtlasError):
    """A summary measure cannot be computed for these groups; ``rule`` names the rule broken.

    ``reason`` holds the explanation, a lazy message (``reason.get(lang)``); ``str(error)`` is its
    English text prefixed by the measure id. Rules: ``too_few_groups``, ``needs_order``,
    ``missing_population``, ``missing_value``, ``non_positive_value``, ``non_positive_mean``,
    ``non_positive_fit``, ``no_polarity``, ``no_reference``.
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
    needs_reference: bool = False


@dataclass(frozen=True)
class Measure:
    """One summary measure computed for one set of groups.

    ``ordered``, ``complex`` and ``weighted`` describe the measure (HEAT's classes: needs an
    ordered stratifier, needs more than 2 groups, needs every population), as in
    :data:`MEASURES`; ``unit`` is a hint (``indicator`` = the indicator's own unit).
    ``lower``/``upper`` are None (and ``ci_method`` is ``"none"``) when there is no CI; ``se`` is
    the analytic standard error (of ln M for R and RII), None otherwise; ``note`` says why, how to
    read the sign and which model was fitted. ``reference`` holds the indices of the groups the
    measure compares (D, R: (high, low); MDB, MDBU: (best,); MDRW, MDRU, PAR, PAF: (reference,)),
    empty otherwise. ``model`` is ``"logistic"`` or ``"linear"`` for SII and RII, "" otherwise.
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
    model: str = ""
    se: float | None = None

    @property
    def has_ci(self) -> bool:
        return self.lower is not None and self.upper is not None


MEASURES: dict[str, MeasureInfo] = {m.id: m for m in (
    MeasureInfo("d", lazy.gettext("Difference (D)"), "absolute", False, False, False, "indicator", "analytic",
                0.0),
    MeasureInfo("r", lazy.gettext("Ratio (R)"), "relative", False, False, False, "ratio", "analytic", 1.0,
                positive="positive"),
    MeasureInfo("sii", lazy.gettext("Slope index of inequality (SII)"), "absolute", True,
                True, True, "indicator", "analytic", 0.0),
    MeasureInfo("rii", lazy.gettext("Relative index of inequality (RII)"), "relative",
                True, True, True, "ratio", "analytic", 1.0, positive="positive"),
    MeasureInfo("aci", lazy.gettext("Absolute concentration index (ACI)"), "absolute",
                True, True, True, "indicator", "analytic", 0.0),
    MeasureInfo("rci", lazy.gettext("Relative concentration index (RCI)"), "relative",
                True, True, True, "index", "analytic", 0.0, needs_mu=True, positive="nonnegative"),
    MeasureInfo("bgv", lazy.gettext("Between-group variance (BGV)"), "absolute", False, True,
                True, "indicator²", "analytic", 0.0, needs_mu=True),
    MeasureInfo("bgsd", lazy.gettext("Between-group standard deviation (BGSD)"),
                "absolute", False, True, True, "indicator", "analytic", 0.0, needs_mu=True),
    MeasureInfo("cov", lazy.gettext("Coefficient of variation (COV)"), "relative", False, True,
                True, "percent", "analytic", 0.0, needs_mu=True, positive="nonnegative"),
    MeasureInfo("mdm_w", lazy.gettext("Mean difference from mean, weighted (MDM)"), "absolute", False, True, True,
                "indicator", "simulation", 0.0, needs_mu=True),
    MeasureInfo("mdm_u", lazy.gettext("Mean difference from mean, unweighted (MDM)"), "absolute", False, True, False,
                "indicator", "simulation", 0.0, needs_mu=True),
    MeasureInfo("mdb", lazy.gettext("Mean difference from best (MDB)"), "absolute", False,
                True, True, "indicator", "simulation", 0.0, needs_polarity=True),
    MeasureInfo("mdbu", lazy.gettext("Mean difference from best, unweighted (MDBU)"), "absolute", False,
                True, False, "indicator", "simulation", 0.0, needs_polarity=True),
    MeasureInfo("mdrw", lazy.gettext("Mean difference from the reference group, weighted (MDRW)"), "absolute",
                False, True, True, "indicator", "simulation", 0.0, needs_reference=True),
    MeasureInfo("mdru", lazy.gettext("Mean difference from the reference group, unweighted (MDRU)"), "absolute",
                False, True, False, "indicator", "simulation", 0.0, needs_reference=True),
    MeasureInfo("idis", lazy.gettext("Index of disparity (IDIS)"), "relative", False, True,
                False, "percent", "simulation", 0.0, needs_mu=True, positive="nonnegative"),
    MeasureInfo("idisw", lazy.gettext("Index of disparity, weighted (IDISW)"), "relative", False, True,
                True, "percent", "simulation", 0.0, needs_mu=True, positive="nonnegative"),
    MeasureInfo("theil", lazy.gettext("Theil index (T)"), "relative", False, True, True, "index",
                "analytic", 0.0, needs_mu=True, positive="nonnegative"),
    MeasureInfo("mld", lazy.gettext("Mean log deviation (MLD)"), "relative", False, True,
                True, "index", "analytic", 0.0, needs_mu=True, positive="positive"),
    MeasureInfo("par", lazy.gettext("Population attributable risk (PAR)"), "absolute",
                False, True, True, "indicator", "analytic", 0.0, needs_mu=True, needs_polarity=True),
    MeasureInfo("paf", lazy.gettext("Population attributable fraction (PAF)"),
                "relative", False, True, True, "percent", "analytic", 0.0, needs_mu=True, needs_polarity=True,
                positive="nonnegative"),
)}

#: Measures that can never be negative: their intervals are cut at 0.
_NON_NEGATIVE = ("bgv", "bgsd", "cov", "mdm_w", "mdm_u", "mdb", "mdbu", "mdrw", "mdru", "idis", "idisw", "theil",
                 "mld")


def proportion_scale(indicator: Any) -> float | None:
    """The scale on which ``indicator`` is a proportion (100 for a percentage), or None.

    HEAT's rule for SII and RII: a logistic model for indicators measured as a percentage of people
    (or of area), a linear one for everything else. A catalogue indicator is a proportion when its
    unit is "%" in both languages, its scale is 100 and its value type is ``proportion`` or ``mean``
    (a mean of shares, e.g. tree cover); a percentage change is not (it can be negative).
    """
    unit = getattr(indicator, "unit", None)
    if unit is None or unit.tr.strip() != "%" or unit.en.strip() != "%":
        return None
    if getattr(indicator, "value_type", None) not in ("proportion", "mean"):
        return None
    scale = float(getattr(indicator, "scale", 0) or 0)
    return scale if scale == 100 else None


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
    reference: int | None = None  # the group chosen as reference by the caller


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
             mu: float | None, reference: int | None = None) -> _Groups:
    y = _array(values, "values")
    n = y.size
    if reference is not None:
        if isinstance(reference, bool) or not isinstance(reference, (int, np.integer)) or not 0 <= reference < n:
            raise ValueError(f"reference must be the index of a group, 0 to {n - 1}, got {reference!r}")
        reference = int(reference)
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
    return _Groups(y, shares, ses, bool(ordered), polarity, mu_v, mu_given, missing_pop, reference)


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
    if info.needs_reference and g.reference is None and not g.ordered:
        raise MeasureNotApplicable(
            lazy.gettext("{name} needs a reference group; choose one (these groups are not ordered, so there is "
                         "no most advantaged group to use).", name=name), measure_id=mid, rule="no_reference")
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


def _best_index(y: np.ndarray, polarity: str) -> int:
    return int(np.argmax(y)) if polarity == "higher_is_better" else int(np.argmin(y))


def _reference_index(mid: str, g: _Groups) -> int | None:
    """The reference group of MDRW, MDRU, PAR and PAF: the caller's choice, else the most advantaged
    group of an ordered stratifier (HEAT), else (PAR, PAF) the best group by polarity."""
    if g.reference is not None:
        return g.reference
    if g.ordered:
        return g.y.size - 1
    if mid in ("par", "paf") and g.polarity != "no_judgement":
        return _best_index(g.y, g.polarity)
    return None


# --- the regression of SII and RII -----------------------------------------------------------


@dataclass(frozen=True)
class _Fit:
    """A fitted SII/RII model: ``model`` "logistic" or "linear", coefficients (a, b), and the
    Jacobian ∂(a, b)/∂y (2 × n) for the delta method; ``why`` says why a logistic model requested
    by the scale was not used (None otherwise)."""

    model: str
    a: float
    b: float
    jac: np.ndarray
    scale: float
    why: Message | None = None


def _ranks(p: np.ndarray) -> np.ndarray:
    """X_j = Σ_{k<j} p_k + p_j / 2 (groups ordered from the most disadvantaged)."""
    return np.cumsum(p) - p / 2


def _fit_rows(Y: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weighted least squares of y on X with weights p: intercept a and slope b per row."""
    x = _ranks(p)
    xbar = p @ x
    dx = x - xbar
    ybar = Y @ p
    b = (Y - ybar[:, None]) @ (p * dx) / (p @ (dx * dx))
    return ybar - b * xbar, b


def _expit(t):
    return 1.0 / (1.0 + np.exp(-t))


def _logistic(prop: np.ndarray, p: np.ndarray) -> tuple[float, float] | None:
    """Maximum-likelihood logistic regression of the proportions ``prop`` on the ranks X with
    weights p (the grouped form of the individual-level model: Σ p_j (prop_j − π_j)(1, X_j) = 0),
    by Newton–Raphson with step halving. None when it does not converge (e.g. values of 0 and 1 only)."""
    x = _ranks(p)
    design = np.column_stack([np.ones_like(x), x])
    mean = float(p @ prop)
    if not 0 < mean < 1:
        return None
    beta = np.array([math.log(mean / (1 - mean)), 0.0])

    def loglik(bt):
        eta = design @ bt
        return float(p @ (prop * eta - np.logaddexp(0.0, eta)))

    current = loglik(beta)
    for _ in range(200):
        pi = _expit(design @ beta)
        score = design.T @ (p * (prop - pi))
        info = (design * (p * pi * (1 - pi))[:, None]).T @ design
        try:
            step = np.linalg.solve(info, score)
        except np.linalg.LinAlgError:
            return None
        t = 1.0
        while t > 1e-6:
            trial = beta + t * step
            value = loglik(trial)
            if value >= current - 1e-15:
                break
            t /= 2
        beta, current = trial, value
        if np.max(np.abs(t * step)) < 1e-11:
            return float(beta[0]), float(beta[1])
    return None


def _fit(g: _Groups, model: str, scale: float | None) -> _Fit:
    """The SII/RII model for these groups (module docstring: logistic for a proportion, else linear)."""
    p = g.p
    x = _ranks(p)
    design = np.column_stack([np.ones_like(x), x])
    why = None
    if model != "linear" and scale is not None:
        if np.any(g.y < 0) or np.any(g.y > scale):
            why = lazy.gettext("Linear model: a group value lies outside 0–{scale}, so the logistic model of a "
                               "percentage cannot be fitted.", scale=f"{scale:g}")
        else:
            coef = _logistic(g.y / scale, p)
            if coef is None:
                why = lazy.gettext("Linear model: the logistic model did not converge for these values.")
            else:
                a, b = coef
                pi = _expit(design @ np.array([a, b]))
                info = (design * (p * pi * (1 - pi))[:, None]).T @ design
                jac = np.linalg.solve(info, (design * p[:, None]).T) / scale
                return _Fit("logistic", a, b, jac, scale)
    (a,), (b,) = _fit_rows(g.y[None, :], p)
    info = (design * p[:, None]).T @ design
    jac = np.linalg.solve(info, (design * p[:, None]).T)
    return _Fit("linear", float(a), float(b), jac, 1.0, why)


def _fit_value(mid: str, f: _Fit) -> float:
    if f.model == "logistic":
        lo, hi = _expit(f.a), _expit(f.a + f.b)
        return float(f.scale * (hi - lo)) if mid == "sii" else float(hi / lo)
    if mid == "sii":
        return f.b
    return (f.a + f.b) / f.a if f.a > 0 and f.a + f.b > 0 else math.nan


def _fit_gradient(mid: str, f: _Fit) -> np.ndarray:
    """∂SII/∂y, or ∂ln RII/∂y, through the fitted coefficients."""
    if f.model == "logistic":
        lo, hi = _expit(f.a), _expit(f.a + f.b)
        if mid == "sii":
            dtheta = f.scale * np.array([hi * (1 - hi) - lo * (1 - lo), hi * (1 - hi)])
        else:  # ln RII = ln π(1) − ln π(0)
            dtheta = np.array([lo - hi, 1 - hi])
    elif mid == "sii":
        dtheta = np.array([0.0, 1.0])
    else:  # ln RII = ln(a + b) − ln a
        dtheta = np.array([1 / (f.a + f.b) - 1 / f.a, 1 / (f.a + f.b)])
    return dtheta @ f.jac


# --- the formulas, vectorised over draws (rows of Y) -------------------------------------------


def _mu_rows(Y: np.ndarray, g: _Groups) -> np.ndarray:
    if g.mu_given:
        return np.full(Y.shape[0], g.mu)
    return Y @ g.p


def _best(Y: np.ndarray, polarity: str) -> np.ndarray:
    return Y.max(axis=1) if polarity == "higher_is_better" else Y.min(axis=1)


def _clamp_gain(par: np.ndarray, polarity: str) -> np.ndarray:
    """HEAT: no gain (0) when the reference group is worse than the average."""
    return np.maximum(par, 0.0) if polarity == "higher_is_better" else np.minimum(par, 0.0)


def _core(mid: str, Y: np.ndarray, g: _Groups) -> np.ndarray:
    """The measure ``mid`` on every row of Y (draws × groups); NaN where undefined. SII and RII
    are the linear fit here (the logistic one is fitted once, in :func:`compute`)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        if mid == "d":
            hi, lo = _high_low(g)
            return Y[:, hi] - Y[:, lo]
        if mid == "r":
            hi, lo = _high_low(g)
            ok = (Y[:, hi] > 0) & (Y[:, lo] > 0)
            return np.where(ok, Y[:, hi] / Y[:, lo], np.nan)
        if mid in ("sii", "rii"):
            a, b = _fit_rows(Y, g.p)
            if mid == "sii":
                return b
            ok = (a > 0) & (a + b > 0)
            return np.where(ok, (a + b) / a, np.nan)
        if mid == "mdbu":
            return np.abs(Y - _best(Y, g.polarity)[:, None]).mean(axis=1)
        if mid in ("mdrw", "mdru"):
            ref = _reference_index(mid, g)
            dev = np.abs(Y - Y[:, [ref]])
            return dev @ g.p if mid == "mdrw" else dev.mean(axis=1)
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
        if mid in ("mdm_w", "idisw"):
            mdm = np.abs(Y - mu[:, None]) @ p
            return mdm if mid == "mdm_w" else np.where(mu > 0, mdm / mu * 100, np.nan)
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
            par = _clamp_gain(Y[:, _reference_index(mid, g)] - mu, g.polarity)
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


def _model_note(fit: _Fit, model: str, scale: float | None) -> Message:
    if fit.model == "logistic":
        return lazy.gettext("Logistic regression (the indicator is a percentage), as in WHO HEAT.")
    if fit.why is not None:
        return fit.why
    if model == "linear" and scale is not None:
        return lazy.gettext("Linear regression (Fingertips' method), chosen instead of WHO HEAT's logistic model "
                            "for a percentage.")
    return lazy.gettext("Linear regression weighted by population (the indicator is not a percentage), as in "
                        "WHO HEAT.")


_NO_SE = lazy.gettext("No confidence interval: some groups have no standard error.")
_NO_GAIN = lazy.gettext("The reference group is worse than the average, so nothing is gained by reaching it: "
                        "0, as in WHO HEAT.")


# --- confidence intervals --------------------------------------------------------------------


def _gradient(mid: str, g: _Groups, value: float, fit: _Fit | None) -> tuple[np.ndarray, bool, float]:
    """(∂M/∂y, on the log scale?, second-order variance term) of an analytic measure at the observed y."""
    y, n = g.y, g.y.size
    p = g.p
    m = np.zeros(n) if g.mu_given or p is None else p  # ∂μ/∂y
    mu = g.mu
    extra = 0.0
    if mid in ("d", "r"):
        hi, lo = _high_low(g)
        grad = np.zeros(n)
        if mid == "d":
            grad[hi], grad[lo] = 1.0, -1.0
            return grad, False, 0.0
        grad[hi], grad[lo] = 1 / y[hi], -1 / y[lo]
        return grad, True, 0.0
    if mid in ("sii", "rii"):
        return _fit_gradient(mid, fit), mid == "rii", 0.0
    if mid in ("aci", "rci"):
        c = p * (2 * _ranks(p) - 1)
        if mid == "aci":
            return c, False, 0.0
        return c / mu - (c @ y) * m / mu ** 2, False, 0.0
    if mid in ("bgv", "bgsd", "cov"):
        dev = y - mu
        grad = 2 * p * dev - 2 * (p @ dev) * m
        s = np.where(np.isfinite(g.se), g.se, 0.0)
        if g.mu_given:
            extra = 2 * np.sum(p ** 2 * s ** 4)
        else:  # HEAT (Ahn et al. 2018)
            extra = 2 * (np.sum(p ** 2 * s ** 2) ** 2 - np.sum(p ** 4 * s ** 4) + np.sum(p ** 2 * (1 - p) ** 2 * s ** 4))
        if mid == "bgv":
            return grad, False, float(extra)
        bgv = float(p @ dev ** 2)
        if bgv <= 0:
            return np.full(n, np.nan), False, math.nan
        bgsd = math.sqrt(bgv)
        grad, extra = grad / (2 * bgsd), extra / (4 * bgv)
        if mid == "bgsd":
            return grad, False, float(extra)
        return 100 * (grad / mu - bgsd * m / mu ** 2), False, float(extra * (100 / mu) ** 2)
    if mid == "theil":
        r = np.where(y > 0, y, THEIL_ZERO) / mu  # HEAT: a group at 0 is taken as 10⁻⁶ (ln 0 is undefined)
        return p * (1 + np.log(r)) / mu - m * (p @ (r * (1 + np.log(r)))) / mu, False, 0.0
    if mid == "mld":
        return -p / y + m / mu, False, 0.0
    if mid in ("par", "paf"):
        ref = _reference_index(mid, g)
        grad = -m.copy()
        grad[ref] += 1.0
        if mid == "par":
            return grad, False, 0.0
        return 100 * grad / mu - 100 * (y[ref] - mu) * m / mu ** 2, False, 0.0
    raise ValueError(f"{mid} has no analytic standard error")


def _analytic(info: MeasureInfo, g: _Groups, value: float, z: float,
              fit: _Fit | None) -> tuple[float | None, float | None, float | None, Message | None]:
    """(lower, upper, SE, note): the delta-method interval of the module docstring."""
    grad, log, extra = _gradient(info.id, g, value, fit)
    needed = (grad != 0) | ~np.isfinite(grad)  # the groups whose SE enters the variance
    if info.id in ("bgv", "bgsd", "cov") and not g.mu_given:
        needed = np.ones(g.y.size, dtype=bool)  # HEAT's second-order term uses every SE
    if not np.isfinite(g.se[needed]).all():
        return None, None, None, _NO_SE
    s = np.where(needed, g.se, 0.0)
    var = float(np.sum(np.where(needed, grad, 0.0) ** 2 * s ** 2)) + extra
    if not math.isfinite(var) or var < 0:
        return None, None, None, lazy.gettext("No confidence interval: the standard error is not defined for these "
                                              "values (e.g. a group at zero, or no spread at all).")
    se = math.sqrt(var)
    if log:
        lower, upper = value * math.exp(-z * se), value * math.exp(z * se)
    elif info.id in ("par", "paf"):
        ref = _reference_index(info.id, g)
        raw = g.y[ref] - g.mu
        raw = raw if info.id == "par" else raw / g.mu * 100
        lower, upper = (float(v) for v in _clamp_gain(np.array([raw - z * se, raw + z * se]), g.polarity))
    else:
        lower, upper = value - z * se, value + z * se
    if info.id in _NON_NEGATIVE:
        lower, upper = max(lower, 0.0), max(upper, 0.0)
    return lower, upper, se, None


def _simulated(info: MeasureInfo, g: _Groups, value: float, level: float, n_draws: int,
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
    q_lo, q_hi = np.percentile(sims[ok], [100 * alpha / 2, 100 * (1 - alpha / 2)])
    # the basic (reflected) bootstrap interval: the draws of these measures sit above the estimate
    lower, upper = 2 * value - float(q_hi), 2 * value - float(q_lo)
    if info.id in _NON_NEGATIVE:
        lower, upper = max(lower, 0.0), max(upper, 0.0)
    return lower, upper, note


# --- the public functions --------------------------------------------------------------------
# One function per measure, each ``f(values, populations=None, se=None, **kw) -> Measure`` with the
# keyword arguments and errors of :func:`compute`.


def compute(measure_id: str, values: Sequence[Any], populations: Sequence[Any] | None = None,
            se: Sequence[Any] | None = None, *, ordered: bool = False, polarity: str = "no_judgement",
            mu: float | None = None, level: float = LEVEL, n_draws: int = N_DRAWS, seed: int = SEED,
            model: str = "auto", scale: float | None = None, reference: int | None = None) -> Measure:
    """Compute the summary measure ``measure_id`` (one of :data:`MEASURE_IDS`) for the groups.

    ``values`` are the group values (from the most disadvantaged to the most advantaged when
    ``ordered``); ``populations`` the group populations (None entries = unknown); ``se`` their
    standard errors (None = unknown: no CI); ``polarity`` the indicator's; ``mu`` an optional
    setting average (e.g. the İzmir value) used instead of Σ p_j y_j. ``scale`` is the scale on
    which the indicator is a proportion (100 for a percentage; :func:`proportion_scale`), which
    makes SII and RII logistic under ``model="auto"``; ``model="linear"`` forces the linear fit.
    ``reference`` is the index of a reference group for MDRW, MDRU, PAR and PAF. Returns a
    :class:`Measure`.

    Raises :class:`MeasureNotApplicable` when a rule is broken (module docstring) and ValueError for
    malformed input (an unknown id, polarity or model, lengths that differ, a negative population
    or SE, a level outside (0, 1), fewer than 100 draws, a scale that is not positive, a reference
    that is not a group's index).
    """
    info = MEASURES.get(measure_id)
    if info is None:
        raise ValueError(f"unknown measure {measure_id!r}; use one of {', '.join(MEASURE_IDS)}")
    if isinstance(n_draws, bool) or not isinstance(n_draws, (int, np.integer)) or n_draws < 100:
        raise ValueError(f"n_draws must be a whole number of at least 100, got {n_draws!r}")
    if model not in MODELS:
        raise ValueError(f"model {model!r} is not allowed; use one of {', '.join(MODELS)}")
    if scale is not None and not (isinstance(scale, (int, float)) and math.isfinite(scale) and scale > 0):
        raise ValueError(f"scale must be a positive number or None, got {scale!r}")
    z = z_for_level(level)
    g = _prepare(values, populations, se, ordered, polarity, mu, reference)
    _check_rules(info, g)
    fit = _fit(g, model, scale) if info.id in ("sii", "rii") else None
    value = _fit_value(info.id, fit) if fit is not None else float(_core(info.id, g.y[None, :], g)[0])
    if not math.isfinite(value):
        # RII with a fitted value at or below zero at an end of the scale
        raise MeasureNotApplicable(
            lazy.gettext("{name} is undefined: the regression's fitted value at an end of the scale is zero or "
                         "below.", name=info.name), measure_id=info.id, rule="non_positive_fit")
    se_value = None
    if info.ci == "analytic":
        lower, upper, se_value, ci_note = _analytic(info, g, value, z, fit)
    else:
        lower, upper, ci_note = _simulated(info, g, value, level, int(n_draws), seed)
    reference_groups: tuple[int, ...] = ()
    gain_note = None
    if info.id in ("d", "r"):
        reference_groups = _high_low(g)
    elif info.id in ("mdb", "mdbu"):
        reference_groups = (_best_index(g.y, g.polarity),)
    elif info.id in REFERENCE_MEASURES:
        ref = _reference_index(info.id, g)
        reference_groups = (ref,)
        if info.id in ("par", "paf") and value == 0 and g.y[ref] != g.mu:
            gain_note = _NO_GAIN
    return Measure(
        id=info.id, name=info.name, value=value, lower=lower, upper=upper,
        ci_method="none" if lower is None else info.ci, kind=info.kind, ordered=info.ordered,
        complex=info.complex, weighted=info.weighted, unit=info.unit, n_groups=int(g.y.size),
        note=joined(_model_note(fit, model, scale) if fit is not None else None, _sign_note(info, g, value),
                    gain_note, ci_note),
        reference=reference_groups, level=level, null_value=info.null_value,
        model=fit.model if fit is not None else "", se=se_value)


def difference(values, populations=None, se=None, **kw) -> Measure:
    """D = y_n − y_1 with an ordered stratifier (most advantaged − most disadvantaged), else
    y_max − y_min. Analytic CI: D ± z·√(se_a² + se_b²) (HEAT)."""
    return compute("d", values, populations, se, **kw)


def ratio(values, populations=None, se=None, **kw) -> Measure:
    """R = y_n / y_1 (ordered) or y_max / y_min. Analytic CI: exp(ln R ± z·√(se_a²/y_a² + se_b²/y_b²)) (HEAT)."""
    return compute("r", values, populations, se, **kw)


def slope_index(values, populations=None, se=None, **kw) -> Measure:
    """SII = fitted(1) − fitted(0) of the p-weighted regression of y on the rank X: logistic for a
    proportion (``scale`` given), linear otherwise (HEAT)."""
    return compute("sii", values, populations, se, **kw)


def relative_index(values, populations=None, se=None, **kw) -> Measure:
    """RII = fitted(1) / fitted(0) of the same model as SII."""
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


def mean_difference_from_best_unweighted(values, populations=None, se=None, **kw) -> Measure:
    """MDBU = (1/n) Σ |y_j − y_best| (y_best by polarity)."""
    return compute("mdbu", values, populations, se, **kw)


def mean_difference_from_reference(values, populations=None, se=None, **kw) -> Measure:
    """MDRW = Σ p_j |y_j − y_ref| (``reference``, or the most advantaged group when ordered)."""
    return compute("mdrw", values, populations, se, **kw)


def mean_difference_from_reference_unweighted(values, populations=None, se=None, **kw) -> Measure:
    """MDRU = (1/n) Σ |y_j − y_ref|."""
    return compute("mdru", values, populations, se, **kw)


def index_of_disparity(values, populations=None, se=None, **kw) -> Measure:
    """IDIS = MDM_u / μ × 100 = (1/n) Σ |y_j − μ| / μ × 100."""
    return compute("idis", values, populations, se, **kw)


def index_of_disparity_weighted(values, populations=None, se=None, **kw) -> Measure:
    """IDISW = MDM_w / μ × 100 = Σ p_j |y_j − μ| / μ × 100."""
    return compute("idisw", values, populations, se, **kw)


def theil_index(values, populations=None, se=None, **kw) -> Measure:
    """T = Σ p_j (y_j/μ) ln(y_j/μ), with 0·ln 0 = 0."""
    return compute("theil", values, populations, se, **kw)


def mean_log_deviation(values, populations=None, se=None, **kw) -> Measure:
    """MLD = Σ p_j (−ln(y_j/μ))."""
    return compute("mld", values, populations, se, **kw)


def population_attributable_risk(values, populations=None, se=None, **kw) -> Measure:
    """PAR = y_ref − μ: the change in the average if every group had the reference group's value
    (ordered: the most advantaged group; unordered: the best by polarity; or the ``reference``
    given); 0 when the reference is worse than the average (HEAT), so ≥ 0 when higher is better
    and ≤ 0 when lower is better."""
    return compute("par", values, populations, se, **kw)


def population_attributable_fraction(values, populations=None, se=None, **kw) -> Measure:
    """PAF = PAR / μ × 100 (0 likewise)."""
    return compute("paf", values, populations, se, **kw)


#: The public function of each measure id.
FUNCTIONS: dict[str, Callable[..., Measure]] = {
    "d": difference, "r": ratio, "sii": slope_index, "rii": relative_index, "aci": absolute_concentration_index,
    "rci": relative_concentration_index, "bgv": between_group_variance, "bgsd": between_group_sd,
    "cov": coefficient_of_variation, "mdm_w": mean_difference_from_mean,
    "mdm_u": mean_difference_from_mean_unweighted, "mdb": mean_difference_from_best,
    "mdbu": mean_difference_from_best_unweighted, "mdrw": mean_difference_from_reference,
    "mdru": mean_difference_from_reference_unweighted, "idis": index_of_disparity,
    "idisw": index_of_disparity_weighted, "theil": theil_index, "mld": mean_log_deviation,
    "par": population_attributable_risk, "paf": population_attributable_fraction,
}


def group_codes(codes: Sequence[str], n: int) -> list[str]:
    """The codes that name the groups (a reference is chosen by code): the given ones, else 1..n."""
    return [str(c) for c in codes] if codes else [str(i + 1) for i in range(n)]
