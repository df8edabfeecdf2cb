"""İzmir Health Equity Atlas: core logic (no Streamlit here).

The package builds the atlas database from the source data, loads the indicator
catalogue, runs the SQL files in ``queries/`` and validates user imports. The
Streamlit pages in ``pages/`` call into it and only render.
"""

__version__ = "0.1.0"
