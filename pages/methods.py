"""Veri ve yöntem / Data & methods: definitions, sources with their terms, WHO Healthy Cities gaps."""

import streamlit as st

from app_support.chrome import data
from app_support.chrome.page import current_lang, ensure_app_navigation, link_url, md_escape, md_link, show_data_error
from app_support.chrome.labels import LEVELS, POLARITIES, TABLE_COLUMNS, WHO_GROUPS
from atlas.i18n import N_, gettext, label, ngettext
from atlas.errors import MissingDataError, QueryError
from atlas.views.methods import measure_rows

ensure_app_navigation()
lang = current_lang()

try:
    cards = data.indicator_cards(lang)
    who = data.who_coverage(lang)
    sources = data.sources(lang)
except (MissingDataError, QueryError) as exc:
    show_data_error(exc, lang)

st.header(gettext("Data & methods", lang))
st.caption(gettext("Each indicator's definition, unit, polarity, source, licence and method; the sources the data comes from; which WHO Healthy Cities indicators have data for İzmir.", lang))

st.subheader(gettext("Indicators", lang))
for card in cards:
    ind = card.indicator
    badge = " · _" + gettext("proxy", lang) + "_" if ind.proxy else ""
    # catalogue and imported text is shown as text (md_escape); the source links only to an http(s) URL
    with st.expander(f"**{md_escape(ind.title.get(lang))}** — {md_escape(card.theme_title)}{badge}"):
        rule = ind.disclosure
        disclosure = (ngettext("fewer than {n} event or a denominator under {den} are suppressed", "fewer than {n} events or a denominator under {den} are suppressed", rule.min_count, lang, den=rule.min_denominator)
                      if rule.min_count or rule.min_denominator else gettext("none", lang))
        rows = [
            (N_("Definition"), md_escape(ind.definition.get(lang))),
            (N_("Unit"), md_escape(ind.unit.get(lang))),
            (N_("Polarity"), label(POLARITIES, ind.polarity, lang)),
            (N_("Periods"), md_escape(", ".join(card.periods))),
            (N_("Levels"), ", ".join(label(LEVELS, lv, lang) for lv in card.levels)),
            (N_("Source"), md_link(ind.source.get(lang), ind.source_url)),
            (N_("Licence"), md_escape(ind.licence.get(lang))),
            (N_("Method"), md_escape(ind.method.get(lang))),
            (N_("Small-number rule"), disclosure),
        ]
        # a family member (issue #19): what its value is, and the standard population with its source
        source_word = gettext("Source", lang)
        rows += [(field, md_escape(text) + (" (" + md_link(source_word, url) + ")" if url else ""))
                 for field, text, url in measure_rows(ind, lang)]
        if ind.who_code:
            rows.append((N_("WHO Healthy Cities code"), md_escape(ind.who_code)))
        if ind.caveat:
            rows.append((N_("Caveat"), md_escape(ind.caveat.get(lang))))
        st.markdown("\n".join(f"- **{gettext(field, lang)}:** {value}" for field, value in rows))
        st.caption(f"`{ind.id}`")  # an id is [a-z0-9_] (atlas.catalogue)

st.subheader(gettext("Sources and licences", lang))
st.info(gettext("District boundaries are the property of the General Command of Mapping (HGM), shared through OCHA/HDX COD-AB for humanitarian, non-commercial use only; this is not an open licence. Neighbourhood boundaries come from TurkeyGeoJSON (MIT) and are unofficial.", lang))
st.dataframe(
    sources.assign(url=sources["url"].map(lambda u: u if link_url(u) else None))  # a link only to an http(s) URL
    [["title", "attribution", "licence", "url", "file_path", "sha256", "loaded_at"]]
    .rename(columns=lambda c: label(TABLE_COLUMNS, c, lang) if c != "title" else gettext("Source", lang)),
    hide_index=True,
    column_config={gettext("URL", lang): st.column_config.LinkColumn()}, placeholder="—")

st.subheader(gettext("WHO Healthy Cities indicators", lang))
st.caption(ngettext("{n} of the 32 indicators has data for İzmir; the others are gaps.", "{n} of the 32 indicators have data for İzmir; the others are gaps.", int(who["has_data"].sum()), lang))
st.dataframe(
    who.assign(
        grp=who["grp"].map(lambda g: label(WHO_GROUPS, g, lang)),
        has_data=who["has_data"].map(lambda h: (gettext("yes", lang) if h else gettext("gap", lang))),
        indicator_titles=who["indicator_titles"].fillna(""),
    )[["code", "grp", "title", "has_data", "indicator_titles"]]
    .rename(columns=lambda c: label(TABLE_COLUMNS, c, lang) if c != "title" else gettext("WHO Healthy Cities indicators", lang)),
    hide_index=True, placeholder="—")
