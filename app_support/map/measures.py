"""The map's measure and standard population choice for an indicator with family members (issue #19).

The chosen member's id is the view's ``indicator`` (and the URL's): the indicator list shows the
family's head, and these two widgets pick the member (``atlas.views.measures``).
"""

from __future__ import annotations

from typing import Callable, Mapping

import streamlit as st

from atlas.catalogue import Indicator
from atlas.i18n import gettext
from atlas.views import measures
from atlas.views.view_state import Availability, View

MEASURE_KEY = "map_w_measure"
STANDARD_KEY = "map_w_standard"
LAST_STANDARD_KEY = "map_last_standard"  # kept while the standard widget is not drawn (a crude rate)


def family_at_level(view: View, avail: Availability, indicators: Mapping[str, Indicator]) -> list[Indicator]:
    """The members of the view's family with values at the view's level."""
    ind = indicators[view.indicator]
    have = [i for i in avail.indicators if view.level in avail.levels(i)]
    return measures.members(indicators, measures.head_id(ind), have)


def head(view: View, indicators: Mapping[str, Indicator], avail: Availability) -> str:
    """The indicator list's entry for the view (the family's head, when it has values)."""
    ind = indicators.get(view.indicator)
    if ind is None or measures.head_id(ind) not in avail.indicators:
        return view.indicator
    return measures.head_id(ind)


def set_widgets(view: View, indicators: Mapping[str, Indicator]) -> None:
    ind = indicators.get(view.indicator)
    if ind is None:
        return
    st.session_state[MEASURE_KEY] = ind.measure
    if ind.standard:
        st.session_state[STANDARD_KEY] = ind.standard
        st.session_state[LAST_STANDARD_KEY] = ind.standard


def chosen_member(view: View, avail: Availability, indicators: Mapping[str, Indicator], field: str) -> str:
    """The member the measure or standard widget (``field``) now asks for."""
    family = family_at_level(view, avail, indicators)
    measure = st.session_state.get(MEASURE_KEY) or indicators[view.indicator].measure
    standard = st.session_state.get(STANDARD_KEY if field == "standard" else LAST_STANDARD_KEY)
    if standard not in measures.standard_options(family):
        standard = None
    return measures.member_id(family, measure, standard)


def controls(sb, view: View, avail: Availability, indicators: Mapping[str, Indicator], lang: str,
             on: Callable[[str], dict]) -> None:
    """The measure choice (when the family has more than one measure at this level) and, for an
    age-standardised rate with several standards, the standard population choice."""
    family = family_at_level(view, avail, indicators)
    if len(family) < 2:
        return
    ind = indicators[view.indicator]
    options = measures.measure_options(family)
    if len(options) > 1:
        sb.radio(gettext("Measure", lang), options, format_func=lambda m: measures.measure_label(m, lang),
                 help=gettext("Crude rates are events per population; age-standardised rates remove the "
                              "effect of different age structures; smoothed rates are not the observed rates.",
                              lang), **on("measure"))
    standards = measures.standard_options(family)
    if ind.measure == "dsr" and len(standards) > 1:
        sb.radio(gettext("Standard population", lang), standards,
                 format_func=lambda s: measures.standard_label(s, lang), **on("standard"))
