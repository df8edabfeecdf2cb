"""Interface labels of data codes (levels, classifications, polarities, …), as message tables.

Each table maps a code the database or the URL uses to its message (``N_``: extracted into the
catalogues, translated when shown with ``atlas.i18n.label(TABLE, code, lang)``).
"""

from __future__ import annotations

from atlas.i18n import N_

LEVELS = {"district": N_("district"), "mahalle": N_("mahalle")}

SCHEMES = {
    "quantiles": N_("Quantiles (equal counts)"),
    "natural_breaks": N_("Natural breaks (Fisher-Jenks)"),
    "equal_interval": N_("Equal interval"),
    "std_mean": N_("Standard deviation"),
    "compare_izmir": N_("Compared with İzmir"),
    "hot_spots": N_("Hot and cold spots (LISA)"),
}

POLARITIES = {
    "higher_is_better": N_("Higher is better"),
    "lower_is_better": N_("Lower is better"),
    "no_judgement": N_("No judgement"),
}

ORIGINS = {"catalogue": N_("catalogue"), "import": N_("imported")}

WHO_GROUPS = {"A": N_("A Health"), "B": N_("B Health services"), "C": N_("C Environment"),
              "D": N_("D Socio-economic")}

# Column headings of the Indicators and Data & methods tables (keys: the queries' column names).
TABLE_COLUMNS = {
    "indicator_id": N_("ID"),
    "theme": N_("Theme"),
    "title": N_("Indicator"),
    "unit": N_("Unit"),
    "polarity": N_("Polarity"),
    "who_code": N_("WHO code"),
    "origin": N_("Origin"),
    "periods": N_("Periods"),
    "levels": N_("Levels"),
    "ok_values": N_("Values"),
    "code": N_("Code"),
    "grp": N_("Group"),
    "has_data": N_("İzmir data"),
    "indicator_titles": N_("Atlas indicators"),
    "attribution": N_("Attribution"),
    "licence": N_("Licence"),
    "url": N_("URL"),
    "file_path": N_("File"),
    "sha256": N_("SHA-256"),
    "loaded_at": N_("Loaded"),
}
