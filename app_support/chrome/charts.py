"""Charts on a page: every Altair chart goes through ``show_chart`` so that it has a text alternative.

Vega-Lite gives each mark group an ARIA role; a rule or a layer without a description of its own is
then an image without alternative text (axe "svg-img-alt", WCAG 1.1.1). The marks are hidden from
assistive technology (``config.mark.aria = false``, as Streamlit itself does for large charts) and the
chart as a whole is named by ``description``; the numbers are also in the table beside each chart.
"""

from __future__ import annotations

import altair as alt
import streamlit as st


def show_chart(chart: alt.TopLevelMixin, description: str) -> None:
    st.altair_chart(chart.configure_mark(aria=False), width="stretch", alt=description)
