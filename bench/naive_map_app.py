"""The naive map explorer: the baseline of the map benchmark (bench/bench_map.py), not part of the app.

What a first version of the map page would do with streamlit-folium: on every rerun read the
indicator's values and the RAW geometry (``areas.geom_wkb``, not the simplified display geometry)
from the atlas database (``ATLAS_DB``), build a ``folium.Choropleth`` (5 quantile classes,
YlOrRd, a tooltip with name and value) and hand the whole map to ``st_folium`` with its default
arguments, so every rerun re-sends all polygons and every map move sends its bounds back.
Only the database connection is cached.

Same areas as the real map (islands, industrial and free zones left out), same sidebar label
("Gösterge", Turkish indicator titles), same URL parameters ``indicator`` and ``level``
(district | mahalle), so the benchmark drives both apps the same way.

Offline: ``app_support.chrome.offline_map.use_local_assets`` points Leaflet & co. at ``static/vendor``,
and the Choropleth's branca colour scale (its legend) is removed from the map, because
streamlit-folium adds two d3 CDN links for any branca colormap and the first failing CDN link
leaves the map blank. So this variant has no legend; it is there to be timed.

Layout: Streamlit serves ``static/`` beside the entry script, so bench/bench_map.py copies this
script into a temporary folder next to a copy of ``static/vendor`` and runs it there with
``--server.enableStaticServing true``; ``ATLAS_BENCH_APP_ROOT`` names the checkout whose
``app_support`` it imports (default: the checkout this file is in).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_ROOT = Path(os.environ.get("ATLAS_BENCH_APP_ROOT") or Path(__file__).resolve().parents[1])
if str(APP_ROOT) not in sys.path:
    sys.path.insert(0, str(APP_ROOT))

import duckdb  # noqa: E402
import folium  # noqa: E402
import geopandas as gpd  # noqa: E402
import numpy as np  # noqa: E402
import shapely  # noqa: E402
import streamlit as st  # noqa: E402
from streamlit_folium import st_folium  # noqa: E402

from app_support.chrome.offline_map import use_local_assets  # noqa: E402

HIDDEN_KINDS = ("island", "industrial_zone", "free_zone")

st.set_page_config(page_title="Naive map (benchmark baseline)", layout="wide")


@st.cache_resource
def connection() -> duckdb.DuckDBPyConnection:
    return duckdb.connect(os.environ["ATLAS_DB"], read_only=True)


cur = connection().cursor()
level = st.query_params.get("level", "district")
if level not in ("district", "mahalle"):
    level = "district"
periods = cur.execute(
    "SELECT indicator_id, period FROM indicator_values WHERE level = ? AND status = 'ok' "
    "GROUP BY indicator_id, period ORDER BY indicator_id, max(period_sort) DESC, period", [level]).df()
titles = dict(cur.execute("SELECT indicator_id, title_tr FROM indicators").fetchall())
newest = periods.drop_duplicates("indicator_id").set_index("indicator_id")["period"].to_dict()
options = sorted(newest, key=lambda i: titles[i])
wanted = st.query_params.get("indicator")
indicator = st.sidebar.selectbox("Gösterge", options, index=options.index(wanted) if wanted in options else 0,
                                 format_func=titles.__getitem__)
period = newest[indicator]

df = cur.execute(
    "SELECT a.code, a.name, a.kind, v.value, a.geom_wkb FROM areas AS a "
    "LEFT JOIN indicator_values AS v ON v.level = a.level AND v.area_code = a.code "
    "AND v.indicator_id = ? AND v.period = ? "
    "WHERE a.level = ? AND a.kind NOT IN ('island', 'industrial_zone', 'free_zone') ORDER BY a.code",
    [indicator, period, level]).df()
gdf = gpd.GeoDataFrame(df.drop(columns="geom_wkb"), geometry=shapely.from_wkb(df["geom_wkb"].map(bytes)),
                       crs="EPSG:4326")

values = gdf["value"].dropna().to_numpy()
bins = list(np.unique(np.quantile(values, np.linspace(0, 1, 6)))) if len(values) else 6
m = use_local_assets(folium.Map(location=[38.45, 27.25], zoom_start=9, tiles=None))
choropleth = folium.Choropleth(geo_data=gdf, data=gdf, columns=["code", "value"], key_on="feature.properties.code",
                               bins=bins, fill_color="YlOrRd", nan_fill_color="#bdbdbd", fill_opacity=0.8,
                               line_color="#555555", line_weight=0.5)
if choropleth.color_scale is not None:  # the legend: streamlit-folium would add d3 from a CDN for it
    choropleth._children.pop(choropleth.color_scale.get_name(), None)
    choropleth.color_scale = None
folium.GeoJsonTooltip(fields=["name", "value"], aliases=["Bölge", "Değer"]).add_to(choropleth.geojson)
choropleth.add_to(m)

st.subheader(f"{titles[indicator]} · {period} · {level}")
st.caption(f"Naive baseline: folium.Choropleth on raw geometry, {len(gdf):,} areas, re-sent on every rerun.")
st_folium(m, key="naive_map", height=620, use_container_width=True)
