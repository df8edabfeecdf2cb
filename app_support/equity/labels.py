"""Words of the Equity page kept as message tables (codes → ``N_`` messages)."""

from __future__ import annotations

from atlas.i18n import N_

VERDICTS = {
    "better": N_("Better than İzmir"),
    "similar": N_("Similar to İzmir"),
    "worse": N_("Worse than İzmir"),
    "higher": N_("Higher than İzmir"),
    "lower": N_("Lower than İzmir"),
    "not_compared": N_("Not compared"),
    "no_value": N_("No value"),
}

CI_METHODS = {
    "analytic": N_("analytic"),
    "simulation": N_("simulation"),
    "none": N_("no CI"),
    "not applicable": N_("not applicable"),
}

MEASURE_KINDS = {"absolute": N_("absolute"), "relative": N_("relative")}

GROUP_COUNTS = {"5": N_("5 (quintiles)"), "10": N_("10 (deciles)")}

# Column headings of the groups table (keys: atlas.equity.groups frame columns).
GROUP_COLUMNS = {
    "code": N_("Code"),
    "label": N_("Group"),
    "value": N_("Value"),
    "population": N_("Population"),
    "n_areas": N_("Areas"),
}
