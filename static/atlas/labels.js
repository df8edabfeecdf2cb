/*
 * İzmir Health Equity Atlas: place names on the map, inside streamlit-folium's map iframe (issue #22).
 *
 *   atlasLabels.render(map, spec)
 *
 * spec = {renderId, colour, halo, showHidden: bool,
 *         layers: [{url (or the file itself), cls: "district"|"mahalle", minZoom, maxZoom}]}
 * label file (atlas/views/map_labels.py) = {level, names: [...], points: [lon, lat, ...], hidden: [index]}
 *   (largest areas first; hidden: islands, industrial and free zones, named only with showHidden).
 *
 * Each file is fetched once per iframe. After every move or zoom, the names of the layers whose zoom
 * range holds the map's zoom are placed in file order: a name is kept when its box (text width from
 * canvas measureText in the label font, no layout) lies inside the map and overlaps no box placed
 * before or any of the map's controls (zoom buttons, scale, attribution); at most MAX_SHOWN names.
 * Names are L.marker with an L.divIcon (text escaped) in a pane above the areas and points that
 * lets the mouse through (hover, tooltips and clicks reach the areas); the
 * markers of names that stay are kept. Text is dark with a white halo (text-shadow), legible on any
 * class colour. No fonts or tiles are loaded: the label font is the system's sans-serif.
 *
 * window.atlasState.labels tells tests what is drawn: {renderId, shown: number, names: [...] (shown), zoom,
 *   classes: [the cls of each name shown], error}
 */
(function () {
  "use strict";

  var PANE = "atlasLabels";
  var MAX_SHOWN = 250;
  var GAP = 3;            // px kept free around each name
  var FONTS = {district: "600 13px system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif",
               mahalle: "500 11.5px system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"};
  var HEIGHT = {district: 17, mahalle: 15};
  var fileCache = {};     // url -> Promise of a label file
  var markers = {};       // key -> L.marker on the map
  var current = null;     // {map, spec, files}
  var measurer = null;
  var widthCache = {};
  var counter = 0;

  function esc(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#x27;");
  }

  function state() {
    if (!window.atlasState) { window.atlasState = {}; }
    if (!window.atlasState.labels) { window.atlasState.labels = {renderId: null, shown: 0, names: [], error: null}; }
    return window.atlasState.labels;
  }

  function load(url) {
    if (typeof url !== "string") { return Promise.resolve(url); }
    if (!fileCache[url]) {
      fileCache[url] = fetch(url).then(function (response) {
        if (!response.ok) { throw new Error("could not load map labels " + url + " (HTTP " + response.status + ")"); }
        return response.json();
      });
      fileCache[url].catch(function () { delete fileCache[url]; });
    }
    return fileCache[url];
  }

  function textWidth(text, cls) {
    var key = cls + "|" + text;
    if (widthCache[key] === undefined) {
      if (!measurer) { measurer = document.createElement("canvas").getContext("2d"); }
      measurer.font = FONTS[cls];
      widthCache[key] = Math.ceil(measurer.measureText(text).width) + 4;  // + the halo
    }
    return widthCache[key];
  }

  function addStyle(spec) {
    if (document.getElementById("atlas-label-style")) { return; }
    var halo = spec.halo;
    var style = document.createElement("style");
    style.id = "atlas-label-style";
    style.textContent =
      ".atlas-label{color:" + spec.colour + ";white-space:nowrap;text-align:center;pointer-events:none;" +
      "text-shadow:0 0 2px " + halo + ",0 0 2px " + halo + ",0 0 3px " + halo + ",1px 1px 1px " + halo +
      ",-1px -1px 1px " + halo + ",1px -1px 1px " + halo + ",-1px 1px 1px " + halo + ";}" +
      ".atlas-label-district{font:" + FONTS.district + ";line-height:" + HEIGHT.district + "px;letter-spacing:.02em;}" +
      ".atlas-label-mahalle{font:" + FONTS.mahalle + ";line-height:" + HEIGHT.mahalle + "px;}";
    document.head.appendChild(style);
  }

  function overlaps(box, boxes) {
    for (var i = 0; i < boxes.length; i++) {
      var b = boxes[i];
      if (box[0] < b[2] && box[2] > b[0] && box[1] < b[3] && box[3] > b[1]) { return true; }
    }
    return false;
  }

  // The map's own controls (zoom buttons, scale, attribution): no name is written under them.
  function controlBoxes(map) {
    var origin = map.getContainer().getBoundingClientRect();
    var out = [];
    map.getContainer().querySelectorAll(".leaflet-control").forEach(function (el) {
      var r = el.getBoundingClientRect();
      if (r.width > 0 && r.height > 0) {
        out.push([r.left - origin.left, r.top - origin.top, r.right - origin.left, r.bottom - origin.top]);
      }
    });
    return out;
  }

  function update() {
    if (!current) { return; }
    var map = current.map, spec = current.spec, files = current.files;
    var zoom = map.getZoom(), size = map.getSize();
    var boxes = controlBoxes(map), wanted = {}, names = [], classes = [];
    var reserved = boxes.length;
    for (var l = 0; l < spec.layers.length && boxes.length - reserved < MAX_SHOWN; l++) {
      var layer = spec.layers[l], file = files[l];
      if (!file || zoom < layer.minZoom || zoom > layer.maxZoom) { continue; }
      var skip = {};
      if (!spec.showHidden) { (file.hidden || []).forEach(function (i) { skip[i] = true; }); }
      var h = HEIGHT[layer.cls], pts = file.points;
      for (var i = 0; i < file.names.length && boxes.length - reserved < MAX_SHOWN; i++) {
        if (skip[i]) { continue; }
        var latlng = L.latLng(pts[2 * i + 1], pts[2 * i]);
        var p = map.latLngToContainerPoint(latlng);
        if (p.x < 0 || p.y < 0 || p.x > size.x || p.y > size.y) { continue; }  // out of view: not measured
        var w = textWidth(file.names[i], layer.cls);
        var box = [p.x - w / 2 - GAP, p.y - h / 2 - GAP, p.x + w / 2 + GAP, p.y + h / 2 + GAP];
        if (box[0] < 0 || box[1] < 0 || box[2] > size.x || box[3] > size.y || overlaps(box, boxes)) { continue; }
        boxes.push(box);
        var key = l + ":" + i + ":" + layer.cls;
        wanted[key] = true;
        names.push(file.names[i]);
        classes.push(layer.cls);
        if (!markers[key]) {
          markers[key] = L.marker(latlng, {
            pane: PANE, interactive: false, keyboard: false,
            icon: L.divIcon({className: "atlas-label atlas-label-" + layer.cls, html: esc(file.names[i]),
                             iconSize: [w, h]})
          }).addTo(map);
        }
      }
    }
    Object.keys(markers).forEach(function (key) {
      if (!wanted[key]) { map.removeLayer(markers[key]); delete markers[key]; }
    });
    var st = state();
    st.shown = names.length;
    st.names = names;
    st.zoom = zoom;
    st.classes = classes;
  }

  function clear(map) {
    Object.keys(markers).forEach(function (key) { map.removeLayer(markers[key]); });
    markers = {};
  }

  function render(map, spec) {
    var st = state();
    if (current && current.map === map && current.spec.renderId === spec.renderId) { return; }
    var id = ++counter;
    st.renderId = spec.renderId;
    st.error = null;
    if (!map.getPane(PANE)) {
      var pane = map.createPane(PANE);
      pane.style.zIndex = 460;  // above the areas (350/400) and the points (450), below tooltips (650)
      pane.style.pointerEvents = "none";
      pane.setAttribute("aria-hidden", "true");  // the names are in the table and the area search
    }
    addStyle(spec);
    if (!map.atlasLabelsWatch) {
      map.atlasLabelsWatch = true;
      map.on("moveend zoomend resize", update);
    }
    Promise.all(spec.layers.map(function (layer) { return load(layer.url); })).then(function (files) {
      if (id !== counter) { return; }
      if (current && current.map === map) { clear(map); }
      current = {map: map, spec: spec, files: files};
      update();
    }).catch(function (err) {
      st.error = String(err && err.message ? err.message : err);
    });
  }

  window.atlasLabels = {render: render, update: update};
})();
