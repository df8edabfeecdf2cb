"""The map explorer's panels around the map: legend, source line, table and downloads."""

from __future__ import annotations

import streamlit as st

from atlas.mapping import format_number
from atlas.mapping.legend_html import legend_html
from atlas.views.map_view import MapView, table, to_csv, to_geojson
from atlas.i18n import gettext, ngettext


TABLE_ON_DEMAND_ABOVE = 100


def legend(mv: MapView) -> None:
    lang = mv.lang
    unit = mv.indicator.unit.get(lang)
    title = gettext("{title} ({unit})", lang, title=mv.title, unit=unit) if unit else mv.title
    notes = [note.get(lang) for note in mv.notes]
    if mv.hidden:
        notes.append(ngettext("{n} island, industrial or free zone is hidden (not a residential area).", "{n} islands, industrial or free zones are hidden (not residential areas).", mv.hidden, lang))
    st.html(legend_html(mv.legend, title, lang, benchmark=mv.benchmark, notes=notes))


def source_line(mv: MapView) -> None:
    ind = mv.indicator
    st.caption(gettext("Source: {source} ({period}) · Licence: {licence}", mv.lang, source=ind.source.get(mv.lang), period=mv.period, licence=ind.licence.get(mv.lang)))


def values_table(mv: MapView) -> None:
    lang, d = mv.lang, mv.indicator.decimals
    st.subheader(gettext("Table", lang))
    # A styled table of 1,300 mahalle costs ~0.15 s and ~0.4 MB on every rerun: at mahalle level it
    # is made and drawn only when asked for (the toggle is remembered for the session).
    n = len(mv.frame)
    if n > TABLE_ON_DEMAND_ABOVE and not st.toggle(ngettext("Show the table of {n} area", "Show the table of {n} areas", n, lang), key="map_show_table"):
        return
    df = table(mv)
    numeric = [df.columns[i] for i, c in enumerate(df.dtypes) if c.kind == "f"]
    fmt = {col: (lambda v, _d=d: format_number(v, lang, _d)) for col in numeric}
    rank_col = [c for c in df.columns if df[c].dtype.name == "Int64"]
    fmt.update({col: (lambda v: format_number(v, lang, 0)) for col in rank_col})
    st.caption(gettext("The values on the map; click a column heading to sort.", lang))
    st.dataframe(df.style.format(fmt, na_rep="—"), hide_index=True, height=360)


def downloads(mv: MapView) -> None:
    lang = mv.lang
    stem = f"izmir_{mv.indicator.id}_{mv.period}_{mv.level}".replace(" ", "_")
    left, right = st.columns(2)
    left.download_button(gettext("Download CSV", lang), lambda: to_csv(mv), file_name=f"{stem}.csv", mime="text/csv",
                         key="map_download_csv", on_click="ignore")
    right.download_button(gettext("Download GeoJSON", lang), lambda: to_geojson(mv), file_name=f"{stem}.geojson",
                          mime="application/geo+json", key="map_download_geojson", on_click="ignore")
