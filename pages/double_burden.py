"""Çifte yük / Double burden: two indicators at one level together — a 3×3 bivariate map with its
square legend, a scatter plot with the population-weighted correlation, and the areas in the worse
third of both (e.g. summer surface temperature × social vulnerability: "hot and vulnerable")."""

import streamlit as st

from app_support.bivariate import data as bivariate_data
from app_support.bivariate import panels as bivariate_panels
from app_support.bivariate import state as bivariate_state
from app_support.chrome.page import current_lang, ensure_app_navigation, md_escape, show_data_error
from app_support.map import data as map_data
from app_support.map.state import notice_text
from atlas.bivariate.view import BivariateError
from atlas.errors import MissingDataError, QueryError
from atlas.i18n import gettext

ensure_app_navigation()
lang = current_lang()

try:
    indicators = map_data.indicators()
    avail = map_data.availability()
except (MissingDataError, QueryError) as exc:
    show_data_error(exc, lang)
if len(avail.indicators) < 2:
    st.info(gettext("The database holds fewer than two indicators; a double burden needs two.", lang))
    st.stop()

state, notices = bivariate_state.current(avail)
for notice in notices:
    st.warning(notice_text(notice, lang))
bivariate_state.sidebar(state, avail, {i: ind.title.get(lang) for i, ind in indicators.items()}, lang)
try:
    view = bivariate_data.view(state.x, state.y, state.level)
except BivariateError as exc:
    st.error("**" + gettext("The double-burden view could not be made", lang) + f"**\n\n{md_escape(exc.text.get(lang))}")
    st.stop()
bivariate_state.write_url(state, lang)

bivariate_panels.header(view, lang)
bivariate_panels.bivariate_map(view, lang)
bivariate_panels.worse_on_both(view, lang)
bivariate_panels.scatter(view, lang)
bivariate_panels.sources(view, lang)
bivariate_panels.downloads(view, lang)
