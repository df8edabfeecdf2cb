"""Statistics shared by the build, the import and the views (Fingertips / PHEindicatormethods definitions).

``intervals``  confidence intervals: Wilson, Byar, exact Poisson, filling missing CIs in a frame;
``standards``  age bands (checked for gaps and overlaps) and standard populations (ESP 2013, WHO 2001,
               a loaded population), data in ``standard_populations.toml``;
``rates``      crude rates, directly standardised rates (Dobson), pooled periods, 95 % and 99.8 % limits;
``ratios``     indirectly standardised ratios (SMR/SIR) and rates;
``suppression`` small-number rules and secondary suppression;
``smoothing``  Empirical-Bayes smoothed rates (global, spatial);
``funnel``     funnel plot control limits and outlier flags.

docs/statistics.md gives each formula, its reference and the reference values the tests check.
"""
