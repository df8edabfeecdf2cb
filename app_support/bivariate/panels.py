"""The double-burden page's sections: the bivariate map with its square legend, the scatter plot with
the correlation, the areas worse on both, sources and downloads."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from atlas.bivariate.classes import N_CLASSES, cell_colour, cell_key, judged
from atlas.bivariate.view import (BivariateView, correlation_text, export_frame, layer, legend_html, scatter_frame,
                                  sources_text)
from atlas.export.bivariate import bivariate_permalink, render_bivariate
from atlas.i18n import gettext, label, ngettext
from atlas.mapping import format_int, format_value
from atlas.views.spreadsheet import csv_bytes

from ..chrome.charts import show_chart
from ..chrome.labels import LEVELS
from ..chrome.page import md_escape, name_maps
from ..map import data as map_data
from ..map.choropleth import base_map, payload_layer
from .export import export_panel


def header(view: BivariateView, lang: str) -> None:
    st.header(gettext("Double burden", lang) + ": " + md_escape(view.x.title.get(lang)) + " × "
              + md_escape(view.y.title.get(lang)))
    st.caption(gettext("{level} · {x_period} × {y_period} · population {population_period}", lang,
                       level=label(LEVELS, view.level, lang), x_period=md_escape(view.x_period),
                       y_period=md_escape(view.y_period), population_period=md_escape(view.population_period or "—")))
    if view.problem is not None:
        st.warning(md_escape(view.problem.get(lang)))


def bivariate_map(view: BivariateView, lang: str) -> None:
    left, right = st.columns([3, 1], gap="medium")
    fit = {"key": f"bivariate:{view.level}:{view.bounds}", "bounds": view.bounds} if view.bounds else None
    geometry = {**map_data.layer_geometry(view.level), "fit": fit}
    with left:
        st_folium(base_map(), key="bivariate_map", feature_group_to_add=payload_layer(layer(view, lang).payload(),
                                                                                       view.level, geometry),
                  returned_objects=[], use_container_width=True, height=560)
    with right:
        st.html(legend_html(view, lang))
        # the map's accessible name (last in the column: the script's element must not move the map)
        name_maps([gettext("Map: {title}, {period}, {level}", lang,
                           title=gettext("Double burden", lang) + ": " + view.x.title.get(lang) + " × "
                           + view.y.title.get(lang), period=f"{view.x_period} × {view.y_period}",
                           level=label(LEVELS, view.level, lang))])


def scatter(view: BivariateView, lang: str) -> None:
    st.subheader(gettext("Scatter plot", lang))
    st.markdown(md_escape(correlation_text(view, lang)))
    st.caption(gettext("Each point is an area, its size the population and its colour the map's class. The interval treats the areas as independent; neighbouring areas are alike, so it is too narrow.", lang))
    df = scatter_frame(view, lang)
    if df.empty:
        return
    x_t, y_t = view.x.title.get(lang), view.y.title.get(lang)
    keys = [cell_key(xc, yc) for yc in range(N_CLASSES) for xc in range(N_CLASSES)]
    colours = [cell_colour(xc, yc) for yc in range(N_CLASSES) for xc in range(N_CLASSES)]
    chart = alt.Chart(df).mark_circle(opacity=0.85, stroke="#555", strokeWidth=0.4).encode(
        x=alt.X("x:Q", title=x_t, scale=alt.Scale(zero=False)),
        y=alt.Y("y:Q", title=y_t, scale=alt.Scale(zero=False)),
        size=alt.Size("population:Q", title=gettext("Population", lang), legend=None),
        color=alt.Color("cell:N", scale=alt.Scale(domain=keys, range=colours), legend=None),
        tooltip=[alt.Tooltip("name:N", title=gettext("Area", lang)),
                 alt.Tooltip("district:N", title=gettext("District", lang)),
                 alt.Tooltip("x:Q", title=x_t, format=f".{view.x.decimals}f"),
                 alt.Tooltip("y:Q", title=y_t, format=f".{view.y.decimals}f"),
                 alt.Tooltip("population:Q", title=gettext("Population", lang), format=",.0f")],
    ).properties(height=420)
    show_chart(chart, gettext("Scatter plot", lang) + ": " + correlation_text(view, lang))


def worse_on_both(view: BivariateView, lang: str) -> None:
    both_judged = judged(view.x) and judged(view.y)
    st.subheader(gettext("Worse on both", lang) if both_judged else gettext("Top right cell", lang))
    if not both_judged:
        st.caption(gettext("An indicator without a better or worse end is cut into lower, middle and higher thirds; the top right cell is its higher third.", lang))
    hit = view.worse_on_both()
    if hit.empty:
        st.caption(gettext("No area is in the top right cell.", lang))
        return
    total = float(view.classed["population"].sum())
    people = float(hit["population"].sum())
    st.markdown(ngettext("{n} area with {people} residents ({share} of the population classed) is in the top right cell.",
                         "{n} areas with {people} residents ({share} of the population classed) are in the top right cell.",
                         len(hit), lang, n=format_int(len(hit), lang), people=format_int(people, lang),
                         share=format_value(people / total * 100 if total else 0, "%", lang, 1)))
    shown = pd.DataFrame({
        gettext("Area", lang): hit["name"].astype(str),
        gettext("District", lang): hit["district_name"].fillna("").astype(str),
        view.x.title.get(lang): [format_value(v, view.x.unit, lang, view.x.decimals) for v in hit["x"]],
        view.y.title.get(lang): [format_value(v, view.y.unit, lang, view.y.decimals) for v in hit["y"]],
        gettext("Population", lang): [format_int(p, lang) for p in hit["population"]],
    })
    if view.level == "district":
        shown = shown.drop(columns=gettext("District", lang))
    st.dataframe(shown, hide_index=True, placeholder="—")


def sources(view: BivariateView, lang: str) -> None:
    st.subheader(gettext("Sources", lang))
    for line in sources_text(view, lang):
        st.caption(md_escape(line))


def downloads(view: BivariateView, lang: str) -> None:
    """The classes as CSV, the map page (A4 landscape) as PDF or PNG (made when asked for), and the Export
    panel (:mod:`.export`) for any paper, orientation and format."""
    stem = f"double_burden_{view.x.id}_{view.y.id}_{view.level}"
    link = bivariate_permalink(view, lang)
    left, middle, right = st.columns(3)
    left.download_button(gettext("Download the classes (CSV)", lang), lambda: csv_bytes(export_frame(view, lang)),
                         file_name=f"{stem}.csv", mime="text/csv")
    middle.download_button(gettext("Download the map (PDF)", lang),
                           lambda: render_bivariate(view, lang, fmt="pdf", permalink=link),
                           file_name=f"{stem}.pdf", mime="application/pdf")
    right.download_button(gettext("Download the map (PNG, 200 dpi)", lang),
                          lambda: render_bivariate(view, lang, fmt="png", dpi=200, permalink=link),
                          file_name=f"{stem}.png", mime="image/png")
    export_panel(view, lang)  # the other papers, orientations and SVG, with a preview
