"""Equity page glue: state, cached reports, panels and charts."""
