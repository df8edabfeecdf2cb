"""Streamlit-side glue for the atlas pages: page chrome, cached resources, UI strings.

This package may import streamlit; the core package ``atlas`` never does.
"""
