"""Classes, colours, number formats and legends for maps, tables and print export.

This subpackage is the single place that decides how values are grouped into classes
and which colour each class gets. Everything it returns is plain data (tuples, lists,
frozen dataclasses, dicts of Leaflet style options), so the folium map, the legend, the
table and the static export all draw the same thing. It never imports streamlit or folium.

* :mod:`.classify`   – ``classify()`` → :class:`Classification`
* :mod:`.palette`    – ``colours_for()``, ``class_style()``, ``STATUS_STYLES``
* :mod:`.formatting` – ``format_number()``, ``format_value()`` (``…s()`` for a column), ``format_range()``, ``format_int()``
* :mod:`.legend`     – ``legend_items()`` → list of :class:`LegendItem`
"""

from .classify import COMPARE_CATEGORIES, K_MAX, K_MIN, SCHEMES, Classification, classify
from .formatting import format_int, format_number, format_numbers, format_range, format_value, format_values
from .legend import (COMPARE_LABELS, STATUS_LABELS, LegendItem, benchmark_label, compare_label, legend_items,
                     status_label)
from .palette import (CLASS_STYLE, COMPARE_COLOURS, STATUS_PATTERNS, STATUS_STYLES, class_style,
                      colours_for, sequential)

__all__ = [
    "CLASS_STYLE", "COMPARE_CATEGORIES", "COMPARE_COLOURS", "COMPARE_LABELS", "K_MAX", "K_MIN", "SCHEMES",
    "STATUS_LABELS", "STATUS_PATTERNS", "STATUS_STYLES", "Classification", "LegendItem", "benchmark_label",
    "class_style", "classify", "colours_for", "compare_label", "format_int", "format_number", "format_numbers",
    "format_range", "format_value", "format_values", "legend_items", "sequential", "status_label",
]
