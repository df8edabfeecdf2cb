"""Eşitlik / Equity: how unequal İzmir is for one indicator, where the worst-off areas are, whether
the gap is real and closing, and what the city would gain if every area reached the best."""

from dataclasses import replace

import streamlit as st

from app_support.equity import data as equity_data
from app_support.equity import panels as equity_panels
from app_support.equity import state as equity_state
from app_support.equity.funnel import funnel_section
from app_support.map import data as map_data
from app_support.chrome.page import current_lang, ensure_app_navigation, md_escape, show_data_error
from app_support.export.panel import export_panel
from app_support.chrome.labels import LEVELS
from atlas.i18n import gettext, label
from app_support.map.state import notice_text
from atlas.equity.report import EquityError
from atlas.errors import MissingDataError, QueryError

ensure_app_navigation()
lang = current_lang()

try:
    indicators = map_data.indicators()
    avail = map_data.availability()
except (MissingDataError, QueryError) as exc:
    show_data_error(exc, lang)
if not avail.indicators:
    st.info(gettext("The database holds no values to map.", lang))
    st.stop()

titles = {i: ind.title.get(lang) for i, ind in indicators.items()}
view, extras, notices = equity_state.current(  # a link may name a grouping of either level (SEGE: districts)
    avail, sorted({*equity_data.stratifiers("mahalle"), *equity_data.stratifiers("district")}), lang)
for notice in notices:
    st.warning(notice_text(notice, lang))
stratifiers = equity_data.stratifiers(view.level)
equity_state.sidebar(view, extras, avail, titles, stratifiers, lang,
                     ordinal=frozenset(i for i, ind in indicators.items() if ind.ordinal))
chosen = st.session_state[equity_state.W["stratifier"]]
stratifier = None if chosen == equity_state.BY_DISTRICT else chosen

try:
    report = equity_data.report(view.indicator, view.period, view.level, stratifier, extras["groups"],
                                extras.get("reference"))
except EquityError as exc:
    st.error("**" + gettext("The equity report could not be made", lang) + f"**\n\n{md_escape(exc.in_language(lang))}")
    st.stop()
equity_state.reference_control(report, extras, avail, lang)
equity_state.write_url(view, extras, report.stratifier, lang)

st.header(gettext("Equity", lang) + f": {md_escape(report.indicator.title.get(lang))}")
st.caption(f"{md_escape(view.period)} · {label(LEVELS, view.level, lang)} · {md_escape(report.indicator.source.get(lang))} · "
           f"{md_escape(report.indicator.licence.get(lang))}")
equity_panels.summary(report, lang)
equity_panels.measures_table(report, lang)
equity_panels.groups(report, lang)
equity_panels.ranking(report, lang)
funnel_section(view.indicator, view.period, view.level, lang)
equity_panels.maps(report, lang)
equity_panels.gap_over_time(report, lang)
export_view = replace(view, scheme="hot_spots" if view.level == "mahalle" else "quantiles", k=5)
export_panel(map_data.map_view(export_view.indicator, export_view.period, export_view.level, export_view.scheme,
                               export_view.k, lang), export_view, lang, page="equity")
