"""Place names on the map explorer (issue #22): a folium layer whose script calls
``atlasLabels.render`` (``static/atlas/labels.js``) with the URLs of the level's label files.

The label files (``atlas.views.map_labels``: names and label points only) are made once per database
and level, written under ``static/geo/`` beside the geometry files and fetched once by the browser;
every rerun sends only their URLs (~200 bytes). District names show from ``DISTRICT_MIN_ZOOM``; on the
mahalle map, mahalle names replace them from ``MAHALLE_MIN_ZOOM`` (only those in view, and only
those that do not collide with a larger area's name).

The script of ``labels.js`` is loaded by the layer itself the first time (so ``base_map()`` stays as
it is and the other maps, which draw no names, do not load it).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import folium
import streamlit as st
from folium.elements import MacroElement
from folium.template import Template

from atlas.views import map_labels

from ..chrome.page import database_signature, get_connection
from .choropleth import GEO_DIR, GEO_URL, SCRIPT_URL

LABELS_SCRIPT_URL = SCRIPT_URL.rsplit("/", 1)[0] + "/labels.js"
DISTRICT_MIN_ZOOM = 8  # the whole province on a desktop screen is zoom ~8.25
MAHALLE_MIN_ZOOM = 13


@st.cache_resource(show_spinner=False, max_entries=4)
def _label_file(signature: str, level: str) -> map_labels.GeometryFile:
    cur = get_connection(signature).cursor()
    try:
        return map_labels.level_labels(cur, level)
    finally:
        cur.close()


@st.cache_resource(show_spinner=False, max_entries=4)
def _label_url(signature: str, level: str) -> str | dict:
    gf = _label_file(signature, level)
    try:
        map_labels.write_geometry_file(GEO_DIR, gf)
    except OSError:  # a read-only installation: the names go inline (bigger reruns, same map)
        return json.loads(gf.data)
    return f"{GEO_URL}/{gf.name}"


def label_spec(level: str, show_hidden: bool) -> dict[str, Any]:
    """What ``atlasLabels.render`` needs for the map of ``level``."""
    signature = database_signature()
    layers = [{"url": _label_url(signature, "district"), "cls": "district", "minZoom": DISTRICT_MIN_ZOOM,
               "maxZoom": 99 if level == "district" else MAHALLE_MIN_ZOOM - 0.01}]
    if level == "mahalle":
        layers.append({"url": _label_url(signature, "mahalle"), "cls": "mahalle", "minZoom": MAHALLE_MIN_ZOOM,
                       "maxZoom": 99})
    spec: dict[str, Any] = {"layers": layers, "showHidden": bool(show_hidden), "colour": map_labels.LABEL_COLOUR,
                            "halo": map_labels.HALO_COLOUR}
    spec["renderId"] = hashlib.sha1(json.dumps(spec, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:12]
    return spec


class _LabelsScript(MacroElement):
    # Sent on every rerun, so kept short: render now if labels.js is there, else load it once and
    # render the newest spec when it has loaded.
    _template = Template("""
        {% macro script(this, kwargs) %}
(function (map, spec) {var w = window, go = function () { w.atlasLabels.render(map, spec); };
if (w.atlasLabels) { go(); return; } w.atlasLabelsNext = go; if (w.atlasLabelsLoading) { return; }
w.atlasLabelsLoading = true; var s = document.createElement("script"); s.src = {{ this.script_url|tojson }};
s.onload = function () { w.atlasLabelsNext(); }; document.head.appendChild(s);
})({{ this._parent._parent.get_name() }}, {{ this.spec_json }});
        {% endmacro %}
    """)

    def __init__(self, spec: dict[str, Any]):
        super().__init__()
        self._name = "AtlasLabels"
        self.script_url = LABELS_SCRIPT_URL
        self.spec_json = json.dumps(spec, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def labels_layer(level: str, show_hidden: bool = False) -> folium.FeatureGroup:
    """A layer whose script draws the place names of ``level`` (see module doc)."""
    group = folium.FeatureGroup(name="atlas_labels", control=False)
    group.add_child(_LabelsScript(label_spec(level, show_hidden)))
    return group
