"""Words of the Area profile page kept as message tables (codes → ``N_`` messages)."""

from __future__ import annotations

from atlas.i18n import N_

AREA_KINDS = {
    "district": N_("district"),
    "mahalle": N_("mahalle"),
    "island": N_("island"),
    "industrial_zone": N_("organised industrial zone"),
    "free_zone": N_("free zone"),
}

# Column headings of the profile table (keys: atlas.views.profile.profile_table's columns).
TABLE_COLUMNS = {
    "theme": N_("Theme"),
    "indicator": N_("Indicator"),
    "period": N_("Period"),
    "value": N_("Value"),
    "ci": N_("95% CI"),
    "counts": N_("Numerator / denominator"),
    "izmir": N_("İzmir"),
    "district": N_("District value"),
    "rank": N_("Rank"),
    "rank_of": N_("of N areas"),
    "range": N_("Range of all areas"),
    "verdict": N_("Compared with İzmir"),
    "verdict_998": N_("At 99.8% confidence"),
    "note": N_("Note"),
}
