"""The map explorer's folium objects: a base map that never changes and a layer per view.

streamlit-folium keys its component by the map's script: while the base map's script stays the
same, the browser keeps the same iframe and Leaflet map (zoom and position included), and only the
``feature_group_to_add`` layer is replaced on a rerun. So:

* ``base_map()`` — local assets (``offline_map``), no tiles unless a basemap URL is configured
  (``ATLAS_BASEMAP_URL``; the map works when it cannot be reached), İzmir's bounds, and our
  ``static/atlas/choropleth.js``. Identical on every rerun.
* ``payload_layer(payload, ...)`` — a FeatureGroup whose script calls ``atlasChoropleth.render`` with
  the view's style keys and tooltip parts (``atlas.views.map_view.layer_payload``) and the URLs of the geometry
  files, which the browser fetches once (``geometry_urls``).

* ``points_layer(spec)`` — a FeatureGroup whose script calls ``atlasPoints.render``
  (``static/atlas/points.js``) with the point layers to show over the areas; each layer's data is a
  file the browser fetches once (``points_data_url``). Turning a layer on or off changes only this
  group, never the choropleth's payload.

Geometry files are written under ``static/geo/`` (served at ``/app/static/geo/``) once per
database; if that folder cannot be written, the geometry is put inline into the layer instead
(bigger reruns, same map).
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any

import folium
from folium.elements import MacroElement
from folium.template import Template

from atlas.views import map_geometry as geo_assets

from ..chrome.offline_map import DEFAULT_BASE_URL, ROOT, make_map

GEO_DIR = ROOT / "static" / "geo"
GEO_URL = "../../app/static/geo"
SCRIPT_URL = DEFAULT_BASE_URL.rsplit("/", 1)[0] + "/atlas/choropleth.js"
POINTS_SCRIPT_URL = DEFAULT_BASE_URL.rsplit("/", 1)[0] + "/atlas/points.js"
# İzmir province, WGS84 (south-west, north-east), with a margin.
IZMIR_BOUNDS = [[37.80, 26.20], [39.40, 28.50]]
MAP_JS = ("leaflet",)  # folium's asset names kept for the choropleth map
MAP_CSS_FILES = ("leaflet_css",)
CANVAS_ABOVE = 5000  # draw on a canvas instead of SVG paths beyond this many areas
MAP_CSS = ("<style>.leaflet-container{background:#f3f3ef;}"
           ".atlas-tooltip{font-size:13px;line-height:1.35;width:max-content;max-width:320px;white-space:normal;}</style>")
BASEMAP_ENV = "ATLAS_BASEMAP_URL"
BASEMAP_ATTRIBUTION_ENV = "ATLAS_BASEMAP_ATTRIBUTION"


def base_map() -> folium.Map:
    """The map every view is drawn on (same script on every rerun, so the iframe is kept)."""
    m = make_map(location=[38.45, 27.25], zoom_start=9, min_zoom=7, max_zoom=17,
                 control_scale=False, prefer_canvas=False, zoom_snap=0.25)
    m.add_child(_MetricScale())  # folium's scale shows miles too; Türkiye measures in km
    # Leaflet and our layer only: folium's jQuery, Bootstrap and marker fonts are not used by this
    # map and would cost the iframe ~0.5 MB and several requests on every first paint.
    m.default_js = [*((n, u) for n, u in m.default_js if n in MAP_JS), ("atlas_choropleth", SCRIPT_URL),
                    ("atlas_points", POINTS_SCRIPT_URL)]
    m.default_css = [(n, u) for n, u in m.default_css if n in MAP_CSS_FILES]
    m.get_root().header.add_child(folium.Element(MAP_CSS), name="atlas_css")
    basemap = os.environ.get(BASEMAP_ENV, "").strip()
    if basemap:
        folium.TileLayer(basemap, attr=os.environ.get(BASEMAP_ATTRIBUTION_ENV, "") or basemap,
                         name="basemap", opacity=0.6).add_to(m)
    m.fit_bounds(IZMIR_BOUNDS)
    return m


class _MetricScale(MacroElement):
    _template = Template("""
        {% macro script(this, kwargs) %}
            L.control.scale({imperial: false}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)


class _ViewScript(MacroElement):
    _template = Template("""
        {% macro script(this, kwargs) %}
            window.atlasChoropleth.render({{ this._parent.get_name() }}, {{ this._parent._parent.get_name() }},
                                          {{ this.view_json }});
        {% endmacro %}
    """)

    def __init__(self, view: dict[str, Any]):
        super().__init__()
        self._name = "AtlasView"
        # Plain UTF-8 JSON (jinja's tojson escapes every non-ASCII letter and '<', doubling the size);
        # '</' is escaped so the text can never close a <script> element.
        self.view_json = json.dumps(view, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def payload_layer(payload: dict[str, Any], level: str, geometry: dict[str, Any], *,
                  focus: str | None = None) -> folium.FeatureGroup:
    """A layer from a payload: the map view's compact one (``atlas.views.map_view.layer_payload``) or one
    listing per-area style keys and whole tooltips (``codes``, ``keys``, ``tips``, ``styles``), e.g.
    the equity page's cluster and potential-gain maps."""
    n_areas = payload["n"] if "n" in payload else len(payload["codes"])
    view = {**geometry, **payload, "focus": focus, "level": level, "canvas": n_areas > CANVAS_ABOVE}
    view["renderId"] = hashlib.sha1(json.dumps(view, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:12]
    group = folium.FeatureGroup(name="atlas", control=False)
    group.add_child(_ViewScript(view))
    return group


class _PointsScript(MacroElement):
    _template = Template("""
        {% macro script(this, kwargs) %}
            window.atlasPoints.render({{ this._parent._parent.get_name() }}, {{ this.spec_json }});
        {% endmacro %}
    """)

    def __init__(self, spec: dict[str, Any]):
        super().__init__()
        self._name = "AtlasPoints"
        self.spec_json = json.dumps(spec, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def points_layer(layers: list[dict[str, Any]]) -> folium.FeatureGroup:
    """A layer whose script shows exactly ``layers`` (each ``{id, data, color, radius, labels}``, see
    ``static/atlas/points.js``) over the map; an empty list takes every point layer off."""
    spec = {"layers": layers}
    spec["renderId"] = hashlib.sha1(json.dumps(spec, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:12]
    group = folium.FeatureGroup(name="atlas_points", control=False)
    group.add_child(_PointsScript(spec))
    return group


def points_data_url(name: str, data: bytes) -> str | dict:
    """Where the browser finds a point layer's data file ``name``: a URL under ``/app/static/geo/``,
    or the data itself when that folder cannot be written."""
    try:
        geo_assets.write_geometry_file(GEO_DIR, geo_assets.GeometryFile("points", name, data, 0))
    except OSError:
        return json.loads(data)
    return f"{GEO_URL}/{name}"


def geometry_url(gf: geo_assets.GeometryFile) -> str | dict:
    """Where the browser finds ``gf``: a URL under ``/app/static/geo/``, or the GeoJSON itself when
    that folder cannot be written (a read-only installation)."""
    try:
        geo_assets.write_geometry_file(GEO_DIR, gf)
    except OSError:
        return json.loads(gf.data)
    return f"{GEO_URL}/{gf.name}"
