"""Bölge profili / Area profile: every indicator of one area against İzmir (Fingertips spine chart).

URL: ``/profile?area=<code>`` (a district's TÜİK id or a mahalle's quarterId). ``indicator``,
``period``, ``level``, ``scheme`` and ``k`` are only carried through to the "back to the map" link
(``level`` defaults to the area's). A code that names no area gives a warning and the area picker.

The spine chart is drawn with ``st.markdown(..., unsafe_allow_html=True)``: ``st.html`` sanitises with
DOMPurify's HTML-only profile in Streamlit 1.67 and drops the whole ``<svg>``. Every text in the SVG
is escaped by ``atlas.views.spine_chart``.
"""

import altair as alt
import streamlit as st

from app_support.profile import data as profile_data
from app_support.chrome.page import current_lang, ensure_app_navigation, md_echo, md_escape, show_data_error
from app_support.profile.labels import AREA_KINDS, TABLE_COLUMNS
from app_support.profile.points import nearest_section
from atlas.i18n import gettext, label
from atlas.errors import MissingDataError, QueryError
from atlas.views.measures import smoothed_rows, smoothed_table
from atlas.views.profile import AreaNotFound, profile_table, trend_frame
from atlas.views.spine_chart import spine_chart_svg

ensure_app_navigation()
lang = current_lang()

MAP_PARAMS = ("indicator", "period", "level", "scheme", "k")
# Vega-Lite axis labels: grouped digits (1,234.5); for Turkish the d3 separators are swapped (1.234,5).
_AXIS_NUMBER = {
    "en": "format(datum.value, ',')",
    "tr": "replace(replace(replace(format(datum.value, ','), regexp(',', 'g'), '_'), regexp('[.]', 'g'), ','), "
          "regexp('_', 'g'), '.')",
}

given = (st.query_params.get("area") or "").strip()
profile = None
try:
    choices = profile_data.area_choices()
    if given:
        try:
            profile = profile_data.area_profile(given, lang)
        except AreaNotFound:
            profile = None
except (MissingDataError, QueryError) as exc:
    show_data_error(exc, lang)

st.header(gettext("Area profile", lang) if profile is None else md_escape(profile.area.name))
if profile is not None:
    area = profile.area
    kind = label(AREA_KINDS, area.kind, lang)
    if area.level == "mahalle" and area.district_name:
        district = gettext("{district} district", lang, district=md_escape(area.district_name))
        st.markdown(f"**{district}** · {kind}")
    else:
        st.markdown(f"**{kind}**")
elif given:
    st.warning(gettext("There is no district or mahalle with the code \"{code}\". Choose an area below.", lang, code=md_echo(given)))
else:
    st.info(gettext("Choose a district or mahalle to see its profile (or click an area on the map).", lang))


def _choice_label(c) -> str:
    if c.level == "district":
        return gettext("{name} (district)", lang, name=c.name)
    return gettext("{name} — {district}", lang, name=c.name, district=c.district_name)


# --- area picker and the way back to the map ----------------------------------------------------
labels = {c.code: _choice_label(c) for c in choices}
codes = list(labels)
pick_col, link_col = st.columns([3, 1], vertical_alignment="bottom")
with pick_col:
    picked = st.selectbox(gettext("Choose an area", lang), codes,
                          index=codes.index(profile.area.code) if profile else None,
                          format_func=labels.__getitem__, placeholder=gettext("Type a district or mahalle name…", lang))
if picked is not None and (profile is None or picked != profile.area.code):
    st.query_params["area"] = picked
    st.rerun()
if profile is None:
    st.stop()
with link_col:
    back = {"level": area.level}  # the map opens at the area's level unless the link came with one
    back.update({key: st.query_params[key] for key in MAP_PARAMS if st.query_params.get(key)})
    st.page_link("pages/map.py", label=gettext("← Back to the map", lang),
                 query_params={**back, "area": area.code, "lang": lang})

st.caption(gettext("Every indicator of this area, for its latest period, against the İzmir value and the distribution over all areas of the same level (a Fingertips spine chart). The area's value uses the colours of the map's \"compared with İzmir\" view: better/worse or higher/lower when its confidence interval excludes the İzmir value, similar when it includes it; with no confidence interval only the values are compared and no test is made.", lang))
if area.hidden_on_map:
    st.info(gettext("This area is hidden on the map by default; its rank and comparison are computed over the map's areas plus this one, while the distribution covers the map's areas only.", lang))
if not profile.indicators:
    st.info(gettext("No indicator has values at this area's level.", lang))
    st.stop()

# --- spine chart and the same as a table --------------------------------------------------------
st.subheader(gettext("Spine chart", lang))
# One HTML block: a blank line (say, in an imported title) would end it and let Markdown read the rest.
svg = "\n".join(line for line in spine_chart_svg(profile.indicators, lang, area_name=area.name).splitlines() if line.strip())
st.markdown(svg, unsafe_allow_html=True)

st.subheader(gettext("Table", lang))
st.caption(gettext("Everything the chart shows; click a column header to sort. Rank 1 = best (highest for indicators with no judgement). The comparison with İzmir is at 95% confidence; the 'At 99.8% confidence' column repeats the same test at the stricter level.", lang))
table = profile_table(profile, lang)
st.dataframe(table.rename(columns=lambda c: label(TABLE_COLUMNS, c, lang)), hide_index=True, placeholder="—")

# --- smoothed rates beside the observed ones (issue #19) ----------------------------------------
smoothed = smoothed_rows(profile.indicators, lang)
if smoothed:
    st.subheader(gettext("Smoothed rates", lang))
    st.caption(gettext("Empirical-Bayes smoothed rates beside the observed crude rate: a small population's rate is drawn towards the rate of all areas (global) or of the area and its neighbours (spatial). Smoothed values are estimates, not the observed rates.", lang))
    st.dataframe(smoothed_table(smoothed, lang), hide_index=True, placeholder="—")

# --- trends -----------------------------------------------------------------------------------
st.subheader(gettext("Trend over periods", lang))
with_trend = [row for row in profile.indicators if row.has_trend]
if not with_trend:
    st.caption(gettext("None of this area's indicators has more than one period.", lang))
else:
    st.caption(gettext("Indicators with several periods: the area, İzmir and (for a mahalle) the district value.", lang))
for row in with_trend:
    frame = trend_frame(profile, row.indicator.id, lang)
    order = list(dict.fromkeys(frame.sort_values(["period_sort", "period"])["period"]))
    unit = row.indicator.unit.get(lang)
    y_axis = alt.Axis(title=unit, labelExpr=_AXIS_NUMBER[lang])
    chart = (
        alt.Chart(frame, title=row.indicator.title.get(lang))
        .mark_line(point=True)
        .encode(
            x=alt.X("period:O", sort=order, title=gettext("Period", lang), axis=alt.Axis(labelAngle=0)),
            y=alt.Y("value:Q", scale=alt.Scale(zero=False), axis=y_axis),
            color=alt.Color("series:N", title=gettext("Series", lang)),
            tooltip=[alt.Tooltip("series:N", title=gettext("Series", lang)),
                     alt.Tooltip("period:O", title=gettext("Period", lang)),
                     alt.Tooltip("value_text:N", title=gettext("Value", lang))],
        )
        .properties(height=260)
    )
    described = "; ".join(f"{r.series} {r.period}: {r.value_text}" for r in frame.itertuples(index=False))
    st.altair_chart(chart, width="stretch", alt=f"{row.indicator.title.get(lang)}: {described}")

# --- nearest points of each point layer (bus stops, rail stations, parks, …) -------------------
try:
    nearest = profile_data.nearest_points(area.level, area.code)
except (MissingDataError, QueryError) as exc:
    show_data_error(exc, lang)
nearest_section(nearest, lang)
