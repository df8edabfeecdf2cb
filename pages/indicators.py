"""Göstergeler / Indicators: the indicators in the database, as a table."""

import streamlit as st

from app_support.chrome.page import current_lang, ensure_app_navigation, format_timestamp, query, show_data_error
from app_support.chrome.i18n import label, t
from atlas.errors import MissingDataError, QueryError

ensure_app_navigation()
lang = current_lang()

try:
    indicators = query("list_indicators", lang=lang)
    build_info = query("get_build_info")
except (MissingDataError, QueryError) as exc:
    show_data_error(exc, lang)  # st.error naming the file and what to do; st.stop()

st.header(t("indicators_header", lang))
st.caption(t("indicators_intro", lang))

if indicators.empty:
    st.info(t("no_indicators", lang))
else:
    # New frames (the cached one is shared): codes in words, column labels in the language.
    table = indicators.assign(
        polarity=indicators["polarity"].map(lambda p: label(f"polarity_{p}", lang)),
        origin=indicators["origin"].map(lambda o: label(f"origin_{o}", lang)),
        levels=indicators["levels"].map(
            lambda ls: ", ".join(label(f"level_{x}", lang) for x in ls.split(", ")) if isinstance(ls, str) else ""),
        who_code=indicators["who_code"].fillna(""),
    ).rename(columns=lambda c: label(f"col_{c}", lang))
    st.dataframe(table, hide_index=True)

built = build_info.loc[build_info["key"] == "built_at", "value"]
if not built.empty:
    st.caption(t("built_at", lang, when=format_timestamp(built.iloc[0])))
