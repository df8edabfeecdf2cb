"""Equity statistics: confidence intervals, benchmarking, summary measures of inequality,
ordered stratifiers, recent trends and local spatial clusters. Plain functions and frozen
dataclasses; no Streamlit. Formulas are in each module's docstring; this page lists them and
their sources (../shared/REFERENCE.md §2–4).

Modules
-------
:mod:`~atlas.statistics.intervals`
    Wilson score interval for proportions; Byar's interval for counts, rates and ratios of
    counts, exact Poisson (gamma quantiles) under 10 events; :func:`fill_missing_cis` adds them
    where a numerator and denominator exist and no CI was supplied.
:mod:`~atlas.equity.benchmark`
    Each area against the İzmir value at 95 % and 99.8 %: better / similar / worse (or higher /
    similar / lower with no polarity), not compared without a CI or for counts.
:mod:`~atlas.equity.measures`
    The 21 WHO HEAT summary measures (D, R, SII, RII, ACI, RCI, BGV, BGSD, COV, MDM weighted and
    unweighted, MDB, MDBU, MDRW, MDRU, IDIS, IDISW, Theil, MLD, PAR, PAF) with analytic
    (delta-method) or simulated CIs, HEAT's logistic/linear SII and RII, a chosen reference group,
    and the rules that make a measure not applicable.
:mod:`~atlas.equity.groups`, :mod:`~atlas.equity.stratify`, :mod:`~atlas.equity.summary`
    The groups (population-weighted quintiles/deciles of a socio-economic indicator, or
    districts) and all measures for them at once, the inapplicable ones kept with their reason.
:mod:`~atlas.equity.trend`
    Fingertips' recent-trend test (last 5 points, inverse-variance weighted regression,
    χ² > 9.5495 and a slope whose sign survives leaving out any one point).
:mod:`~atlas.equity.lisa`
    Local Moran (LISA) hot and cold spots with esda on queen contiguity, Empirical-Bayes
    rate-standardised for rates, permutation p-values with a fixed seed, optional FDR; islands
    reported and linked to their nearest area (or excluded on request). Imports esda and
    libpysal (about 2 s), so it is not imported by this package's ``__init__``.

Formulas in brief
-----------------
* Wilson: (p + z²/2n ± z√(p(1−p)/n + z²/4n²)) / (1 + z²/n).
* Byar: O(1 − 1/9O − z/3√O)³ and (O+1)(1 − 1/9(O+1) + z/3√(O+1))³; exact Poisson:
  Gamma⁻¹(α/2; O), Gamma⁻¹(1−α/2; O+1).
* Benchmark: higher when LCI > İzmir, lower when UCI < İzmir, otherwise similar; read through
  polarity.
* HEAT (p_j population shares, μ = Σ p_j y_j, X_j = Σ_{k<j} p_k + p_j/2 from the most
  disadvantaged): D = y_adv − y_disadv (ordered) or y_max − y_min; R the same as a ratio;
  SII = fitted(1) − fitted(0) of the p-weighted regression of y on X (logistic for a percentage,
  linear otherwise), RII = fitted(1)/fitted(0);
  ACI = Σ p_j(2X_j − 1)y_j, RCI = ACI/μ; BGV = Σ p_j(y_j − μ)², BGSD = √BGV, COV = 100·BGSD/μ;
  MDM = Σ p_j|y_j − μ| or (1/n)Σ|y_j − μ|; MDB, MDBU, MDRW, MDRU the same from y_best or y_ref;
  IDIS = 100·MDM_u/μ, IDISW = 100·MDM_w/μ; T = Σ p_j (y_j/μ) ln(y_j/μ); MLD = −Σ p_j ln(y_j/μ);
  PAR = y_ref − μ (0 when the reference is worse than μ); PAF = 100·PAR/μ.
  CIs: SE(D) = √(se_a² + se_b²); SE(ln R) = √(se_a²/y_a² + se_b²/y_b²); SII, RII, ACI, RCI, BGV,
  BGSD, COV, Theil, MLD, PAR, PAF by the delta method on the subgroup SEs (HEAT's formulas for BGV,
  Theil, MLD); the mean-difference measures by parametric simulation (y_j ~ Normal(y_j, se_j²),
  fixed seed, basic bootstrap interval).
* Recent trend: w_i = 1/SE_i², SE_i = (UCI − LCI)/3.92, b = Σw(t−t̄)(y−ȳ)/Σw(t−t̄)²,
  χ² = b²·Σw(t−t̄)².
* Local Moran: I_i = (n−1) z_i Σ_j w_ij z_j / Σ z_k²; global I = (n/S₀) ΣΣ w_ij z_i z_j / Σ z².

References
----------
* World Health Organization. Health Equity Assessment Toolkit (HEAT and HEAT Plus): technical
  notes. Geneva: WHO. R packages HEAT-Measures and healthequal (WHOequity on GitHub).
* Ahn J, Harper S, Yu M, Feuer EJ, Liu B, Luta G. Variance estimation and confidence intervals for
  11 commonly used health disparity measures. JCO Clin Cancer Inform. 2018;2:1–19.
* Schlotheuber A, Hosseinpoor AR. Summary measures of health inequality: a review of existing
  measures and their application. Int J Environ Res Public Health. 2022;19(6):3697.
* Office for Health Improvement and Disparities. Fingertips public health profiles: technical
  guidance (confidence intervals, benchmarking, recent trends); R package PHEindicatormethods
  (``phe_proportion``, ``phe_rate``, ``phe_sii``).
* Wilson EB. Probable inference, the law of succession, and statistical inference. J Am Stat
  Assoc. 1927;22:209–212.
* Breslow NE, Day NE. Statistical methods in cancer research, vol. II. IARC; 1987 (Byar's
  approximation). Garwood F. Fiducial limits for the Poisson distribution. Biometrika.
  1936;28:437–442.
* Anselin L. Local indicators of spatial association — LISA. Geographical Analysis.
  1995;27(2):93–115.
* Assunção RM, Reis EA. A new proposal to adjust Moran's I for population density. Statistics
  in Medicine. 1999;18:2147–2162.
* Benjamini Y, Hochberg Y. Controlling the false discovery rate: a practical and powerful
  approach to multiple testing. J R Stat Soc B. 1995;57(1):289–300.
* Rey SJ, Anselin L. PySAL: a Python library of spatial analytical methods (esda, libpysal,
  inequality).
"""


def export_summary(con, mv) -> str | None:
    """The plain-language equity summary of a map view's indicator, period and level, in the
    view's language (the whole-atlas PDF prints it on each page; ``atlas.export.atlas_pdf``).
    None when no report can be made for the view (e.g. a period without values)."""
    from .report import EquityError, equity_report

    try:
        report = equity_report(con, mv.indicator, mv.period, mv.level)
    except EquityError:
        return None
    return report.summary.get(mv.lang)
