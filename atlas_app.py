"""İzmir Health Equity Atlas — Streamlit entry point.

Run with ``./scripts/start.sh`` (or ``streamlit run atlas_app.py``). The shared chrome
(title, language switch, source footer) is drawn here around whichever page is open;
the pages in ``pages/`` only read data through ``app_support.chrome`` and render it.

Streamlit (1.67) still treats a ``pages/`` folder beside the entry script as a v1 multipage app
until ``st.navigation`` runs once, so the very first session that opens ``/indicators`` would run
the page bare. Every page therefore starts with ``ensure_app_navigation()``, which sends such a
run back through this script (see ``app_support.chrome``).
"""

import streamlit as st

from app_support.chrome import page_chrome
from app_support.i18n import t

# No page icons: Streamlit fetches Material-icon favicons from fonts.gstatic.com (not offline).
with page_chrome() as lang:
    st.navigation(
        [
            st.Page("pages/map.py", title=t("nav_map", lang), default=True),  # served at /
            st.Page("pages/profile.py", title=t("nav_profile", lang), url_path="profile"),
            st.Page("pages/indicators.py", title=t("nav_indicators", lang), url_path="indicators"),
            st.Page("pages/methods.py", title=t("nav_methods", lang), url_path="methods"),
        ]
    ).run()
