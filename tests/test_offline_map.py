"""app_support.chrome.offline_map: folium maps whose scripts and stylesheets are our own vendored files."""

from __future__ import annotations

import importlib.util
import json
import re
import tomllib
from pathlib import Path

import branca.colormap
import folium
import pytest

from app_support.chrome.offline_map import (DEFAULT_BASE_URL, LOCAL_CSS, LOCAL_JS, VENDOR_DIR, UnknownFoliumAsset, make_map, remote_assets, use_local_assets, vendored_files)

ROOT = Path(__file__).resolve().parents[1]
URL = re.compile(r"(?:https?:)?//[A-Za-z0-9.-]+\.[A-Za-z]{2,}[^\s\"'<>)]*")
LINK = re.compile(r'<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"')

SQUARES = {
    "type": "FeatureCollection",
    "features": [
        {"type": "Feature", "properties": {"name": n},
         "geometry": {"type": "Polygon",
                      "coordinates": [[[x, 38.4], [x + .05, 38.4], [x + .05, 38.45], [x, 38.4]]]}}
        for n, x in [("A", 27.0), ("B", 27.1), ("C", 27.2)]
    ],
}


def _map() -> folium.Map:
    m = make_map(location=[38.43, 27.15], zoom_start=11)
    folium.GeoJson(SQUARES, tooltip=folium.GeoJsonTooltip(fields=["name"])).add_to(m)
    folium.Marker([38.43, 27.15], icon=folium.Icon(icon="info-sign", angle=45)).add_to(m)
    folium.Marker([38.44, 27.16], icon=folium.Icon(icon="house", prefix="fa")).add_to(m)
    return m


def _load_vendor_script():
    spec = importlib.util.spec_from_file_location("vendor_assets", ROOT / "scripts" / "vendor_assets.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_rendered_map_names_no_other_host():
    html = _map().get_root().render()
    assert URL.findall(html) == []
    assert re.findall(r"https?://\S*", html) == []


def test_rendered_map_links_only_vendored_files_that_exist():
    assert VENDOR_DIR.is_dir(), "static/vendor is missing: run scripts/setup.sh"
    links = LINK.findall(_map().get_root().render())
    assert len(links) == len(folium.Map.default_js) + len(folium.Map.default_css)
    prefix = f"{DEFAULT_BASE_URL}/"
    assert all(link.startswith(prefix) for link in links), links
    missing = [link for link in links if not (VENDOR_DIR / link.removeprefix(prefix)).is_file()]
    assert not missing, "not in static/vendor (run scripts/setup.sh): " + ", ".join(missing)


def test_vendored_css_refers_only_to_files_that_exist():
    assert _load_vendor_script().problems(VENDOR_DIR) == []


def test_no_tile_layer_by_default_and_attribution_control_kept():
    m = make_map()
    assert not [c for c in m._children.values() if isinstance(c, folium.TileLayer)]
    assert "attributionControl" not in m.get_root().render()  # Leaflet's default: shown
    with_tiles = make_map(tiles=folium.TileLayer("127.0.0.1/tiles/{z}/{x}/{y}.png", attr="local"))
    assert [c for c in with_tiles._children.values() if isinstance(c, folium.TileLayer)]


def test_local_assets_are_per_map_and_idempotent():
    class_js, class_css = list(folium.Map.default_js), list(folium.Map.default_css)
    m = make_map()
    assert use_local_assets(m) is m
    assert use_local_assets(m).default_js == make_map().default_js
    assert folium.Map.default_js == class_js and folium.Map.default_css == class_css
    plain = folium.Map(tiles=None)
    assert plain.default_js is folium.Map.default_js  # other maps keep folium's defaults
    assert remote_assets(plain)  # ... which are CDN links
    assert remote_assets(make_map(base_url="/app/static/vendor")) == []
    assert make_map(base_url="/x/").default_js[0] == ("leaflet", "/x/leaflet/leaflet.js")


def test_default_marker_image_path_is_set_once_before_any_marker():
    m = _map()
    use_local_assets(m)
    script = m.get_root().render()
    assert script.count("L.Icon.Default.imagePath") == 1
    assert f'L.Icon.Default.imagePath = "{DEFAULT_BASE_URL}/leaflet/images/";' in script
    assert script.index("L.Icon.Default.imagePath") < script.index("L.marker(")
    assert (VENDOR_DIR / "leaflet" / "images" / "marker-icon.png").is_file()


def test_every_folium_asset_has_a_local_copy():
    assert [name for name, _ in folium.Map.default_js] == list(LOCAL_JS)
    assert [name for name, _ in folium.Map.default_css] == list(LOCAL_CSS)
    assert set(vendored_files()) >= {*LOCAL_JS.values(), *LOCAL_CSS.values()}


def test_unknown_folium_asset_is_an_error():
    class NewerMap(folium.Map):
        default_js = [*folium.Map.default_js, ("new_plugin", "https://example.org/new.js")]

    with pytest.raises(UnknownFoliumAsset, match="new_plugin"):
        use_local_assets(NewerMap(tiles=None))


def test_remote_assets_names_colormaps_and_plugins_with_cdn_links():
    m = _map()
    assert remote_assets(m) == []
    branca.colormap.LinearColormap(["#ffffff", "#000000"], vmin=0, vmax=1).add_to(m)
    folium.TopoJson({"type": "Topology", "objects": {}, "arcs": []}, "objects.x").add_to(m)
    found = remote_assets(m)
    assert any("LinearColormap" in u for u in found)
    assert any("topojson" in u for u in found)


# folium's CDN link -> (package-lock.json entry, version in the link)
FOLIUM_VERSIONS = {
    "leaflet": ("node_modules/leaflet", r"leaflet@([\d.]+)/"),
    "jquery": ("node_modules/jquery", r"jquery-([\d.]+)\.min\.js"),
    "bootstrap": ("node_modules/bootstrap", r"bootstrap@([\d.]+)/"),
    "awesome_markers": ("node_modules/drmonty-leaflet-awesome-markers", r"/([\d.]+)/leaflet"),
    "awesome_markers_font_css": ("node_modules/@fortawesome/fontawesome-free",
                                 r"fontawesome-free@([\d.]+)/"),
}


def test_pinned_packages_match_folium_versions():
    lock = json.loads((ROOT / "package-lock.json").read_text("utf-8"))["packages"]
    package = json.loads((ROOT / "package.json").read_text("utf-8"))
    assert package.get("private") is True
    assert all(re.fullmatch(r"(npm:[\w@/.-]+@)?\d+\.\d+\.\d+", v)
               for v in package["dependencies"].values()), "pin exact versions"
    links = dict(folium.Map.default_js + folium.Map.default_css)
    for name, (entry, pattern) in FOLIUM_VERSIONS.items():
        wanted = re.search(pattern, links[name]).group(1)
        assert lock[entry]["version"] == wanted, f"{entry}: folium links {wanted}"


def test_static_serving_is_on():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text("utf-8"))
    assert config["server"]["enableStaticServing"] is True
