"""One-sentence explanations of the summary measures, for the page, the CLI and the export (lazy
messages: ``EXPLANATIONS[id].get(lang)``).

Written for planners; the formulas are in ``atlas.equity.measures``.
"""

from __future__ import annotations

from ..i18n import lazy
from ..i18n.lazy import Message

EXPLANATIONS: dict[str, Message] = {
    "d": lazy.gettext("Difference between the most and least advantaged group (for unordered groups: highest "
                      "and lowest)."),
    "r": lazy.gettext("Ratio of the same two groups."),
    "sii": lazy.gettext("Estimated difference between the top and the bottom of the social gradient, using "
                        "every group and its population."),
    "rii": lazy.gettext("The same gradient expressed as a ratio."),
    "aci": lazy.gettext("How much the indicator is concentrated among advantaged (positive) or disadvantaged "
                        "(negative) groups, in the indicator's units."),
    "rci": lazy.gettext("The concentration index relative to the average (between −1 and 1)."),
    "bgv": lazy.gettext("Population-weighted variance of the group values around the city average (squared "
                        "units)."),
    "bgsd": lazy.gettext("Square root of BGV, in the indicator's units."),
    "cov": lazy.gettext("BGSD as a percentage of the city average."),
    "mdm_w": lazy.gettext("Average distance of the groups from the city average, weighted by population."),
    "mdm_u": lazy.gettext("The same distance without weights (each group counts once)."),
    "mdb": lazy.gettext("Average distance of the groups from the best group, weighted by population."),
    "mdbu": lazy.gettext("The same distance from the best group without weights (each group counts once)."),
    "mdrw": lazy.gettext("Average distance of the groups from the reference group, weighted by population."),
    "mdru": lazy.gettext("The same distance from the reference group without weights."),
    "idis": lazy.gettext("Unweighted mean distance from the average, as a percentage of the average."),
    "idisw": lazy.gettext("Population-weighted mean distance from the average, as a percentage of the average."),
    "theil": lazy.gettext("Theil index: relative inequality, 0 when the groups are equal; sensitive to "
                          "differences at the top."),
    "mld": lazy.gettext("Mean log deviation: relative inequality, more sensitive to groups below the average."),
    "par": lazy.gettext("How much the city average would change if every group had the reference group's value "
                        "(the most advantaged group, or the best one for unordered groups): the potential gain."),
    "paf": lazy.gettext("PAR as a percentage of the city average."),
}
