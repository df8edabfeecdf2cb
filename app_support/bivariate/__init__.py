"""Streamlit glue of the double-burden page (pages/double_burden.py)."""
