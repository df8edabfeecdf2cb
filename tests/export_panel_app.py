"""Test-only Streamlit script (never an app page): the Export panel under a view built from the
database in ATLAS_DB, so tests/test_export_panel.py can drive it with AppTest before the panel is
wired into the pages. The view comes from the URL parameters, as on the map page.
"""

from __future__ import annotations

import streamlit as st

from app_support.map import data as map_data
from app_support.export.panel import export_panel
from atlas.views.view_state import View

params = st.query_params
view = View(params.get("indicator", "pop_density"), params.get("period", "2023"), params.get("level", "district"),
            params.get("scheme", "quantiles"), int(params.get("k", "5")), params.get("area") or None,
            params.get("lang", "tr"))
mv = map_data.map_view(view.indicator, view.period, view.level, view.scheme, view.k, view.lang)
st.subheader(mv.title)
export_panel(mv, view, view.lang)
