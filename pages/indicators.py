"""Göstergeler / Indicators: the indicators in the database, as a table."""

import streamlit as st

from app_support.chrome.page import current_lang, ensure_app_navigation, format_timestamp, query, show_data_error
from app_support.chrome.labels import LEVELS, ORIGINS, POLARITIES, TABLE_COLUMNS
from atlas.i18n import gettext, label
from atlas.errors import MissingDataError, QueryError

ensure_app_navigation()
lang = current_lang()

try:
    indicators = query("list_indicators", lang=lang)
    build_info = query("get_build_info")
except (MissingDataError, QueryError) as exc:
    show_data_error(exc, lang)  # st.error naming the file and what to do; st.stop()

st.header(gettext("Indicators", lang))
st.caption(gettext("The indicators in the database, their units and the periods and levels with values.", lang))

if indicators.empty:
    st.info(gettext("The database holds no indicators.", lang))
else:
    # New frames (the cached one is shared): codes in words, column labels in the language.
    table = indicators.assign(
        polarity=indicators["polarity"].map(lambda p: label(POLARITIES, p, lang)),
        origin=indicators["origin"].map(lambda o: label(ORIGINS, o, lang)),
        levels=indicators["levels"].map(
            lambda ls: ", ".join(label(LEVELS, x, lang) for x in ls.split(", ")) if isinstance(ls, str) else ""),
        who_code=indicators["who_code"].fillna(""),
    ).rename(columns=lambda c: label(TABLE_COLUMNS, c, lang))
    st.dataframe(table, hide_index=True, height="content", placeholder="—")  # every indicator at once: no scrolling inside the table

built = build_info.loc[build_info["key"] == "built_at", "value"]
if not built.empty:
    st.caption(gettext("Database built: {when}", lang, when=format_timestamp(built.iloc[0])))
