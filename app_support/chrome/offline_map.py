"""Folium maps that load every script and stylesheet from our own Streamlit server (no CDN).

folium 0.20 names its front-end files (Leaflet, jQuery, Bootstrap, Leaflet.awesome-markers, Font
Awesome, ...) as CDN URLs in ``folium.Map.default_js`` / ``default_css``; streamlit-folium loads
exactly those URLs inside its component iframe, one after another, and the first that fails leaves
the map blank. Here the same files, pinned in ``package.json`` and copied into ``static/vendor/`` by
``scripts/vendor_assets.py`` (``scripts/setup.sh`` runs it), are served by Streamlit's static file
serving (``server.enableStaticServing``: ``static/`` beside the entry script is ``/app/static/``).

* ``make_map(**kwargs)`` returns a ``folium.Map`` with local assets and no tile layer
  (``tiles=None``; the attribution control stays on).
* ``use_local_assets(m)`` points an existing map at the local files (also Leaflet's default
  marker images).
* ``remote_assets(m)`` lists what streamlit-folium would still fetch from another host for ``m``
  (CDN links of plugins or other elements added to the map; branca colormaps, for which
  streamlit-folium itself adds two d3 CDN links). Use it to check a map before drawing it.

Per map, not global: folium's ``JSCSSMixin.render`` and streamlit-folium both read
``element.default_js`` / ``default_css`` through the instance, so instance attributes shadow the
class-level lists for that map only; ``folium.Map.default_js`` is left untouched.

Base URL: streamlit-folium puts the links into the document of its component iframe, served at
``<server>[/<baseUrlPath>]/component/streamlit_folium.st_folium/index.html``. A path relative to
the app (``app/static/...``) would resolve inside ``/component/streamlit_folium.st_folium/`` and
404. ``../../app/static/vendor`` climbs out of the two component path segments and so also works
under a ``server.baseUrlPath``; an absolute ``/app/static/vendor`` works only without one.
Neither works for a map saved as a standalone HTML file (that needs the files beside it).

This module imports folium, never Streamlit.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import folium
import folium.elements
from folium.elements import MacroElement
from folium.template import Template

ROOT = Path(__file__).resolve().parents[2]
VENDOR_DIR = ROOT / "static" / "vendor"
"""Where ``scripts/vendor_assets.py`` puts the files (``/app/static/vendor/`` on the server)."""

DEFAULT_BASE_URL = "../../app/static/vendor"
"""URL of ``static/vendor`` as seen from streamlit-folium's component iframe (see module doc)."""

# folium 0.20's asset names (folium.Map.default_js / default_css) -> file under static/vendor/.
# Versions are those of folium's CDN links; package.json pins the same ones.
LOCAL_JS: dict[str, str] = {
    "leaflet": "leaflet/leaflet.js",                                   # leaflet 1.9.3
    "jquery": "jquery/jquery.min.js",                                  # jquery 3.7.1
    "bootstrap": "bootstrap/js/bootstrap.bundle.min.js",               # bootstrap 5.2.2
    "awesome_markers": "leaflet.awesome-markers/leaflet.awesome-markers.js",  # 2.0.2
}
LOCAL_CSS: dict[str, str] = {
    "leaflet_css": "leaflet/leaflet.css",
    "bootstrap_css": "bootstrap/css/bootstrap.min.css",
    # Bootstrap 3 glyphicons only (folium.Icon's default prefix), cut from bootstrap 3.4.1
    "glyphicons_css": "bootstrap3-glyphicons/css/bootstrap-glyphicons.css",
    "awesome_markers_font_css": "fontawesome-free/css/all.min.css",  # @fortawesome 6.2.0
    "awesome_markers_css": "leaflet.awesome-markers/leaflet.awesome-markers.css",
    # folium's own .fa-rotate-N rules (folium/templates/leaflet.awesome.rotate.css), generated
    "awesome_rotate_css": "folium/leaflet.awesome.rotate.min.css",
}
LEAFLET_IMAGES = "leaflet/images"
"""Leaflet's default marker and layer-control images (referred to by leaflet.css too)."""


class UnknownFoliumAsset(RuntimeError):
    """folium names a front-end file this module has no local copy of (e.g. after an upgrade)."""


def vendored_files() -> list[str]:
    """Every file (relative to ``static/vendor``) that the local assets of a map refer to."""
    markers = [f"{LEAFLET_IMAGES}/{name}" for name in
               ("marker-icon.png", "marker-icon-2x.png", "marker-shadow.png")]
    return [*LOCAL_JS.values(), *LOCAL_CSS.values(), *markers]


def _localize(assets: list[tuple[str, str]], local: dict[str, str], base_url: str,
              kind: str) -> list[tuple[str, str]]:
    unknown = [name for name, _ in assets if name not in local]
    if unknown:
        raise UnknownFoliumAsset(
            f"folium {folium.__version__} loads {kind} {', '.join(unknown)} which has no local copy; "
            "add it to package.json, scripts/vendor_assets.py and app_support/chrome/offline_map.py")
    base = base_url.rstrip("/")
    return [(name, f"{base}/{local[name]}") for name, _ in assets]


class _IconImagePath(MacroElement):
    """Sets ``L.Icon.Default.imagePath`` (the default marker's images) before any marker is added.

    Leaflet guesses that path from leaflet.css; streamlit-folium runs the map script before the
    stylesheet has loaded, and Leaflet's fallback (the stylesheet's folder without ``images/``)
    asks for ``.../leafletmarker-icon.png``, a 404.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
            L.Icon.Default.imagePath = {{ this.image_path|tojson }};
        {% endmacro %}
    """)

    def __init__(self, image_path: str):
        super().__init__()
        self._name = "IconImagePath"
        self.image_path = image_path


ICON_PATH_CHILD = "offline_icon_image_path"


def use_local_assets(m: folium.Map, base_url: str = DEFAULT_BASE_URL) -> folium.Map:
    """Point ``m``'s scripts and stylesheets at ``static/vendor`` (served under ``base_url``).

    Sets instance attributes that shadow ``folium.Map.default_js`` / ``default_css`` for this map
    only, and Leaflet's default marker image path (first child of the map, so it runs before any
    marker). Idempotent. Raises ``UnknownFoliumAsset`` if folium names a file with no local copy.
    """
    cls = type(m)
    m.default_js = _localize(list(cls.default_js), LOCAL_JS, base_url, "script")
    m.default_css = _localize(list(cls.default_css), LOCAL_CSS, base_url, "stylesheet")
    m.add_child(_IconImagePath(f"{base_url.rstrip('/')}/{LEAFLET_IMAGES}/"), name=ICON_PATH_CHILD)
    m._children.move_to_end(ICON_PATH_CHILD, last=False)
    return m


def make_map(*, base_url: str = DEFAULT_BASE_URL, tiles: Any = None, **kwargs: Any) -> folium.Map:
    """A ``folium.Map(**kwargs)`` with local assets and, unless ``tiles`` is given, no tile layer."""
    return use_local_assets(folium.Map(tiles=tiles, **kwargs), base_url)


def _walk(element: Any) -> Iterator[Any]:
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def _is_remote(url: str) -> bool:
    return url.startswith(("http://", "https://", "//"))


def remote_assets(m: folium.Map) -> list[str]:
    """URLs on other hosts that streamlit-folium would load for ``m`` (empty when all local).

    Mirrors streamlit-folium 0.27's collection of links: ``default_js`` / ``default_css`` of every
    ``JSCSSMixin`` in the tree, plus two d3 CDN links it adds for any branca colormap.
    """
    import branca.colormap

    urls: list[str] = []
    for element in _walk(m):
        if isinstance(element, branca.colormap.ColorMap):
            urls.append(f"d3 (streamlit-folium adds CDN links for {type(element).__name__}; "
                        "draw the legend in Streamlit instead)")
        if isinstance(element, folium.elements.JSCSSMixin):
            for _, url in [*element.default_js, *element.default_css]:
                if _is_remote(url):
                    urls.append(url)
    return list(dict.fromkeys(urls))
