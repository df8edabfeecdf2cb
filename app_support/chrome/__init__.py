"""Shared page chrome: the page frame, cached resources, the language choice, offline folium maps."""
