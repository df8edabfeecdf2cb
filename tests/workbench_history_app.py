"""Test-only Streamlit script (never an app page): the version history panel
(app_support.workbench.history) for the database in ATLAS_DB, with the user the URL claims
(``?user=…``), so tests/test_workbench_history.py can show that the panel asks the editor gate
again before it restores anything."""

from __future__ import annotations

import streamlit as st

from app_support.workbench.history import show_history

params = st.query_params
show_history(params.get("lang", "tr"), params.get("user") or None)
