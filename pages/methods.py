"""Veri ve yöntem / Data & methods: definitions, sources with their terms, WHO Healthy Cities gaps."""

import streamlit as st

from app_support.chrome import data
from app_support.chrome.page import current_lang, ensure_app_navigation, show_data_error
from app_support.chrome.i18n import label, t
from atlas.errors import MissingDataError, QueryError

ensure_app_navigation()
lang = current_lang()

try:
    cards = data.indicator_cards(lang)
    who = data.who_coverage(lang)
    sources = data.sources(lang)
except (MissingDataError, QueryError) as exc:
    show_data_error(exc, lang)

st.header(t("methods_header", lang))
st.caption(t("methods_intro", lang))

st.subheader(t("methods_indicators", lang))
for card in cards:
    ind = card.indicator
    badge = f" · _{t('proxy_badge', lang)}_" if ind.proxy else ""
    with st.expander(f"**{ind.title.get(lang)}** — {card.theme_title}{badge}"):
        rule = ind.disclosure
        disclosure = (t("disclosure_rule", lang, count=rule.min_count, den=rule.min_denominator)
                      if rule.min_count or rule.min_denominator else t("disclosure_none", lang))
        rows = [
            ("field_definition", ind.definition.get(lang)),
            ("field_unit", ind.unit.get(lang)),
            ("field_polarity", label(f"polarity_{ind.polarity}", lang)),
            ("field_periods", ", ".join(card.periods)),
            ("field_levels", ", ".join(label(f"level_{lv}", lang) for lv in card.levels)),
            ("field_source", f"[{ind.source.get(lang)}]({ind.source_url})"),
            ("field_licence", ind.licence.get(lang)),
            ("field_method", ind.method.get(lang)),
            ("field_disclosure", disclosure),
        ]
        if ind.who_code:
            rows.append(("field_who", ind.who_code))
        if ind.caveat:
            rows.append(("field_caveat", ind.caveat.get(lang)))
        st.markdown("\n".join(f"- **{t(key, lang)}:** {value}" for key, value in rows))
        st.caption(f"`{ind.id}`")

st.subheader(t("methods_sources", lang))
st.info(t("methods_boundaries", lang))
st.dataframe(
    sources[["title", "attribution", "licence", "url", "file_path", "sha256", "loaded_at"]]
    .rename(columns=lambda c: label(f"col_{c}", lang) if c != "title" else t("field_source", lang)),
    hide_index=True,
    column_config={label("col_url", lang): st.column_config.LinkColumn()},
)

st.subheader(t("methods_who", lang))
st.caption(t("methods_who_summary", lang, n=int(who["has_data"].sum())))
st.dataframe(
    who.assign(
        grp=who["grp"].map(lambda g: label(f"who_group_{g}", lang)),
        has_data=who["has_data"].map(lambda h: t("yes" if h else "gap", lang)),
        indicator_titles=who["indicator_titles"].fillna(""),
    )[["code", "grp", "title", "has_data", "indicator_titles"]]
    .rename(columns=lambda c: label(f"col_{c}", lang) if c != "title" else t("methods_who", lang)),
    hide_index=True,
)
