/*
 * İzmir Health Equity Atlas: point layers (bus stops, rail stations, parks, …) over the choropleth,
 * inside streamlit-folium's map iframe (issue #17).
 *
 *   atlasPoints.render(map, spec)
 *
 * spec = {renderId, layers: [{id, data: url (or the data itself), color, radius,
 *                             labels: {kinds: {kind: words}, lines: "Lines: {lines}", unnamed: "(no name)",
 *                                      title}}]}
 * data (atlas.views.point_layers.map_payload) = {n, lon: [...], lat: [...], names: [...],
 *                                                kindList: [...], kinds: [index], lines: [...]}
 *
 * Each layer's data file is fetched once per iframe and its markers made once (L.circleMarker on one
 * shared L.canvas renderer in a pane above the areas); a new spec only adds or removes whole layers,
 * so turning a layer on or off never touches the choropleth. The markers are not interactive and
 * their pane lets the mouse through (a canvas over the whole map would otherwise take the hover and
 * tooltips of the areas below): the map's own mousemove finds the marker under the mouse in a grid
 * of the layer's points (0.01° cells) and opens one tooltip beside it. The tooltip is made of DOM
 * text nodes (textContent): names and lines from the data are never read as HTML.
 *
 * window.atlasState.points tells tests and the benchmark what is drawn:
 *   {renderId, painted (renderId once drawn), layers: {id: markers on the map}, error, ms (last render)}
 */
(function () {
  "use strict";

  var PANE = "atlasPoints";
  var dataCache = {};   // url -> Promise of the layer's data
  var groupCache = {};  // layer id + "#" + url -> L.FeatureGroup of the layer's markers
  var shown = {};       // layer id -> the group on the map
  var renderer = null;
  var counter = 0;
  var CELL = 0.01;      // degrees: the grid of a layer's points for finding the one under the mouse
  var hoverTip = null;

  function state() {
    if (!window.atlasState) { window.atlasState = {}; }
    if (!window.atlasState.points) {
      window.atlasState.points = {renderId: null, painted: null, layers: {}, error: null, ms: null};
    }
    return window.atlasState.points;
  }

  function load(data) {
    if (typeof data !== "string") { return Promise.resolve(data); }
    if (!dataCache[data]) {
      dataCache[data] = fetch(data).then(function (response) {
        if (!response.ok) { throw new Error("could not load point layer " + data + " (HTTP " + response.status + ")"); }
        return response.json();
      });
      dataCache[data].catch(function () { delete dataCache[data]; });
    }
    return dataCache[data];
  }

  function rendererOf(map) {
    if (!map.getPane(PANE)) {
      var pane = map.createPane(PANE);
      pane.style.zIndex = 450;  // above the areas (350/400), below tooltips (650)
      pane.style.pointerEvents = "none";  // the areas below keep their hover, tooltip and click
      watchHover(map);
    }
    if (!renderer) { renderer = L.canvas({pane: PANE, padding: 0.1, tolerance: 3}); }
    return renderer;
  }

  function tooltipNode(d, i, labels) {
    var box = document.createElement("div");
    var name = document.createElement("b");
    name.textContent = d.names[i] || labels.unnamed;
    box.appendChild(name);
    var kind = d.kindList[d.kinds[i]];
    if (kind) {
      box.appendChild(document.createElement("br"));
      box.appendChild(document.createTextNode((labels.kinds && labels.kinds[kind]) || kind));
    }
    if (d.lines && d.lines[i]) {
      box.appendChild(document.createElement("br"));
      box.appendChild(document.createTextNode(labels.lines.split("{lines}").join(d.lines[i])));
    }
    return box;
  }

  function buildGroup(map, layer, d) {
    var r = rendererOf(map);
    var style = {renderer: r, radius: layer.radius, color: "#ffffff", weight: 0.8, fillColor: layer.color,
                 fillOpacity: 0.95, opacity: 0.9, interactive: false};
    var markers = new Array(d.n), grid = {};
    for (var i = 0; i < d.n; i++) {
      markers[i] = L.circleMarker([d.lat[i], d.lon[i]], style);
      var key = Math.floor(d.lon[i] / CELL) + ":" + Math.floor(d.lat[i] / CELL);
      (grid[key] = grid[key] || []).push(i);
    }
    var group = L.featureGroup(markers);
    group.atlasCount = d.n;
    group.atlasHover = {data: d, grid: grid, layer: layer};
    return group;
  }

  // The marker under the mouse (within its radius + 3 px), nearest first over every shown layer.
  function pointAt(map, e) {
    var best = null, bestD = Infinity;
    Object.keys(shown).forEach(function (layerId) {
      var h = shown[layerId].atlasHover, d = h.data, tol = h.layer.radius + 3;
      var corner = map.containerPointToLatLng(e.containerPoint.add([tol, -tol]));
      var dLon = Math.abs(corner.lng - e.latlng.lng), dLat = Math.abs(corner.lat - e.latlng.lat);
      var x0 = Math.floor((e.latlng.lng - dLon) / CELL), x1 = Math.floor((e.latlng.lng + dLon) / CELL);
      var y0 = Math.floor((e.latlng.lat - dLat) / CELL), y1 = Math.floor((e.latlng.lat + dLat) / CELL);
      if ((x1 - x0 + 1) * (y1 - y0 + 1) > 400) { return; }  // zoomed far out: no tooltips
      for (var gx = x0; gx <= x1; gx++) {
        for (var gy = y0; gy <= y1; gy++) {
          var items = h.grid[gx + ":" + gy];
          if (!items) { continue; }
          for (var k = 0; k < items.length; k++) {
            var i = items[k];
            var dist = map.latLngToContainerPoint([d.lat[i], d.lon[i]]).distanceTo(e.containerPoint);
            if (dist <= tol && dist < bestD) { bestD = dist; best = {h: h, i: i}; }
          }
        }
      }
    });
    return best;
  }

  function hideTip(map) {
    if (hoverTip && map.hasLayer(hoverTip)) { map.removeLayer(hoverTip); }
  }

  function watchHover(map) {
    hoverTip = L.tooltip({direction: "right", offset: [8, 0], className: "atlas-tooltip atlas-point-tooltip"});
    map.on("mousemove", function (e) {
      var hit = Object.keys(shown).length ? pointAt(map, e) : null;
      if (!hit) { hideTip(map); return; }
      var d = hit.h.data;
      hoverTip.setLatLng([d.lat[hit.i], d.lon[hit.i]]);
      hoverTip.setContent(tooltipNode(d, hit.i, hit.h.layer.labels));
      if (!map.hasLayer(hoverTip)) { hoverTip.openOn(map); }
    });
    map.on("mouseout", function () { hideTip(map); });
  }

  function render(map, spec) {
    var id = ++counter;
    var st = state();
    var started = performance.now();
    st.renderId = spec.renderId;
    st.error = null;
    var wanted = {};
    spec.layers.forEach(function (layer) { wanted[layer.id] = layer; });
    Object.keys(shown).forEach(function (layerId) {  // layers turned off: off the map at once
      if (!wanted[layerId]) { map.removeLayer(shown[layerId]); delete shown[layerId]; delete st.layers[layerId]; }
    });
    if (!Object.keys(wanted).length) { hideTip(map); }
    Promise.all(spec.layers.map(function (layer) {
      var key = layer.id + "#" + (typeof layer.data === "string" ? layer.data : "inline");
      if (groupCache[key]) { return Promise.resolve([layer, groupCache[key]]); }
      return load(layer.data).then(function (d) {
        if (!groupCache[key]) { groupCache[key] = buildGroup(map, layer, d); }
        return [layer, groupCache[key]];
      });
    })).then(function (pairs) {
      if (id !== counter) { return; }  // a newer spec came meanwhile
      pairs.forEach(function (pair) {
        var layer = pair[0], group = pair[1];
        if (shown[layer.id] && shown[layer.id] !== group) { map.removeLayer(shown[layer.id]); }
        if (shown[layer.id] !== group) { map.addLayer(group); shown[layer.id] = group; }
        st.layers[layer.id] = group.atlasCount;
      });
      st.ms = performance.now() - started;
      requestAnimationFrame(function () {
        requestAnimationFrame(function () { if (id === counter) { st.painted = spec.renderId; } });
      });
    }).catch(function (err) {
      st.error = String(err && err.message ? err.message : err);
      var box = document.createElement("div");
      box.className = "atlas-error";
      box.textContent = st.error;
      box.setAttribute("role", "alert");
      box.style.cssText = "position:absolute;bottom:8px;left:50px;right:8px;z-index:1000;background:#fff3cd;" +
        "border:1px solid #d39e00;padding:6px 10px;font:14px sans-serif;";
      map.getContainer().appendChild(box);
    });
  }

  window.atlasPoints = {render: render};
})();
