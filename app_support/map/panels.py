"""The map explorer's panels around the map: legend, source line, table and downloads."""

from __future__ import annotations

import html

import streamlit as st

from atlas.mapping import format_number
from atlas.mapping.legend_html import legend_html
from atlas.views.map_view import MapView, table, table_count_columns, to_csv, to_geojson
from atlas.i18n import gettext, ngettext

from ..chrome.page import md_escape


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
    lang = mv.lang  # catalogue and imported text is shown as text (md_escape), never as Markdown
    st.caption(gettext("Source: {source} ({period}) · Licence: {licence}", lang, source=md_escape(ind.source.get(lang)),
                       period=md_escape(mv.period), licence=md_escape(ind.licence.get(lang))))


def values_table(mv: MapView) -> None:
    lang, d = mv.lang, mv.indicator.decimals
    st.subheader(gettext("Table", lang))
    # A styled table of 1,300 mahalle costs ~0.15 s and ~0.4 MB on every rerun: at mahalle level it
    # is made and drawn only when asked for (the toggle is remembered for the session).
    n = len(mv.frame)
    if n > TABLE_ON_DEMAND_ABOVE and not st.toggle(ngettext("Show the table of {n} area", "Show the table of {n} areas", n, lang,
                                                                      n=format_number(n, lang, 0)), key="map_show_table"):
        return
    df = table(mv)
    numeric = [df.columns[i] for i, c in enumerate(df.dtypes) if c.kind == "f"]
    fmt = {col: (lambda v, _d=d: format_number(v, lang, _d)) for col in numeric}
    rank_col = [c for c in df.columns if df[c].dtype.name == "Int64"]
    fmt.update({col: (lambda v: format_number(v, lang, 0)) for col in rank_col})
    fmt.update({col: (lambda v: format_number(v, lang, 0)) for col in table_count_columns(mv) if col in df.columns})
    st.caption(gettext("The values on the map; click a column heading to sort.", lang))
    st.dataframe(df.style.format(fmt, na_rep="—"), hide_index=True, height=360, placeholder="—")


def downloads(mv: MapView) -> None:
    lang = mv.lang
    stem = f"izmir_{mv.indicator.id}_{mv.period}_{mv.level}".replace(" ", "_")
    left, right = st.columns(2)
    left.download_button(gettext("Download CSV", lang), lambda: to_csv(mv), file_name=f"{stem}.csv", mime="text/csv",
                         key="map_download_csv", on_click="ignore")
    right.download_button(gettext("Download GeoJSON", lang), lambda: to_geojson(mv), file_name=f"{stem}.geojson",
                          mime="application/geo+json", key="map_download_geojson", on_click="ignore")


def point_legend(layers: list[dict], shown: tuple, lang: str) -> None:
    """A legend row per point layer on the map: its marker, title and number of points.
    ``layers``: the specs drawn (``app_support.map.data.point_specs``); ``shown``: their ShownLayer."""
    if not layers:
        return
    counts = {layer.id: layer.n for layer in shown}
    rows = []
    for spec in layers:
        count = ngettext("{n} point", "{n} points", counts.get(spec["id"], 0), lang,
                         n=format_number(counts.get(spec["id"], 0), lang, 0))
        swatch = (f'<span style="display:inline-block;width:10px;height:10px;border-radius:50%;'
                  f'background:{html.escape(spec["color"])};border:1px solid #ffffff;'
                  f'box-shadow:0 0 0 1px #888888;margin-right:6px;vertical-align:middle"></span>')
        rows.append(f'<div class="atlas-point-legend" data-layer="{html.escape(spec["id"])}" style="margin:2px 0">'
                    f'{swatch}{html.escape(spec["labels"]["title"])} ({html.escape(count)})</div>')
    heading = html.escape(gettext("Point layers", lang))
    st.html(f'<div style="font-size:0.9rem"><b>{heading}</b>{"".join(rows)}</div>')


def point_credits(shown: tuple, layer_ids: tuple[str, ...], lang: str) -> None:
    """The attribution and licence of every point layer on the map, under the map."""
    for layer in shown:
        if layer.id in layer_ids:
            st.caption(md_escape(layer.credit(lang)))
