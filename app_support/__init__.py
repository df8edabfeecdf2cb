"""Streamlit-side glue for the atlas pages, one folder per feature (see docs/architecture.md).

This package may import streamlit; the core package ``atlas`` never does.
"""
