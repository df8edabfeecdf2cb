/*
 * İzmir Health Equity Atlas: the choropleth layer inside streamlit-folium's map iframe.
 *
 * The polygons of a level come from a GeoJSON file served by the app (atlas/geo_assets.py),
 * fetched once per iframe and kept; Leaflet paths are made once per level and re-styled for each
 * view. A view (sent by Python on every rerun, see app_support/choropleth.py) carries only, per
 * area code, a style key and a tooltip (HTML escaped by atlas/mapview.py), plus the styles.
 *
 *   atlasChoropleth.render(group, map, view)
 *
 * view = {geometry: url (or the GeoJSON itself), geometryKey: name, outlines: url|GeoJSON|null,
 *         codes: [...], keys: [...], tips: [...], styles: {key: leafletPathOptions},
 *         focus: code|null, focusBounds: [[s, w], [n, e]]|null, level, renderId: string, canvas: bool,
 *         fit: {key: string, bounds: [[s, w], [n, e]]}|undefined}
 *
 * ``fit`` (optional, the kiosk's story zoom): the map is fitted to ``fit.bounds`` whenever
 * ``fit.key`` differs from the last fitted key (so a story zooms once, and a visitor's panning is
 * left alone while the key stays); a new ``focus`` is applied after it.
 *
 * window.atlasState tells tests and the benchmark what is on screen:
 *   {renderId, painted (renderId once drawn), level, n (areas drawn), error, fitKey (the last fit.key)}
 */
(function () {
  "use strict";

  var geometryCache = {};  // url -> Promise of a GeoJSON FeatureCollection
  var layerCache = {};     // url + renderer -> {byCode: {code: path layer}, order: [codes], group: the last one}
  var outlineCache = {};   // outlines url + renderer -> {layer: L.GeoJSON, group: the view's group it is in}
  var renderers = {};      // "svg" | "canvas" -> the one renderer of that kind (each renderer stays on the map)
  var current = {tips: {}, styles: {}, keys: {}};
  var lastFocus = null;
  var lastFitKey = null;
  var lastPointer = 0;     // when someone last pressed on the map (a story zoom never moves it after that)
  var renderCounter = 0;
  window.atlasState = {renderId: null, painted: null, n: 0, error: null};

  function loadJson(url) {
    if (typeof url !== "string") { return Promise.resolve(url); }  // inline GeoJSON
    if (!geometryCache[url]) {
      geometryCache[url] = fetch(url).then(function (response) {
        if (!response.ok) {
          throw new Error("could not load map geometry " + url + " (HTTP " + response.status + ")");
        }
        return response.json();
      });
      geometryCache[url].catch(function () { delete geometryCache[url]; });
    }
    return geometryCache[url];
  }

  function hatchPattern(map) {
    // Stripes for suppressed areas (SVG renderer only; the canvas renderer keeps the flat grey).
    var svg = map.getPanes().overlayPane.querySelector("svg");
    if (!svg || svg.querySelector("#atlas-hatch")) { return; }
    var ns = "http://www.w3.org/2000/svg";
    var defs = document.createElementNS(ns, "defs");
    var pattern = document.createElementNS(ns, "pattern");
    pattern.setAttribute("id", "atlas-hatch");
    pattern.setAttribute("patternUnits", "userSpaceOnUse");
    pattern.setAttribute("width", "6");
    pattern.setAttribute("height", "6");
    pattern.setAttribute("patternTransform", "rotate(45)");
    var bg = document.createElementNS(ns, "rect");
    bg.setAttribute("width", "6"); bg.setAttribute("height", "6"); bg.setAttribute("fill", "#969696");
    var line = document.createElementNS(ns, "line");
    line.setAttribute("x1", "0"); line.setAttribute("y1", "0");
    line.setAttribute("x2", "0"); line.setAttribute("y2", "6");
    line.setAttribute("stroke", "#525252"); line.setAttribute("stroke-width", "2.5");
    pattern.appendChild(bg); pattern.appendChild(line); defs.appendChild(pattern);
    svg.insertBefore(defs, svg.firstChild);
  }

  function styleOf(code) {
    var key = current.keys[code];
    return current.styles[key] || current.styles.missing || {fillColor: "#ffffff", fillOpacity: 1, color: "#737373", weight: 1};
  }

  function applyStyle(layer) {
    var style = styleOf(layer.atlasCode);
    layer.setStyle(style);
    if (layer._path) {
      layer._path.setAttribute("data-code", layer.atlasCode);
      layer._path.setAttribute("data-key", current.keys[layer.atlasCode] || "");
      if (current.keys[layer.atlasCode] === "suppressed") {
        layer._path.setAttribute("fill", "url(#atlas-hatch)");
      }
    }
  }

  function buildLayers(collection, renderer) {
    var byCode = {};
    var order = [];
    L.geoJSON(collection, {
      renderer: renderer,
      onEachFeature: function (feature, layer) {
        layer.atlasCode = String(feature.id);
        byCode[layer.atlasCode] = layer;
        order.push(layer.atlasCode);
        layer.bindTooltip(function (l) { return current.tips[l.atlasCode] || ""; },
                          {sticky: true, direction: "top", className: "atlas-tooltip"});
        layer.on("mouseover", function (e) {
          e.target.setStyle({weight: 2.5, color: "#222222"});
          if (e.target.bringToFront && !e.target.atlasFocused) { e.target.bringToFront(); }
        });
        layer.on("mouseout", function (e) {
          applyStyle(e.target);
          if (e.target.atlasFocused) { e.target.setStyle({weight: 3.5, color: "#000000"}); }
        });
      }
    });
    return {byCode: byCode, order: order};
  }

  function rendererOf(canvas) {
    var kind = canvas ? "canvas" : "svg";
    if (!renderers[kind]) { renderers[kind] = canvas ? L.canvas({padding: 0.5}) : L.svg({padding: 0.5}); }
    return renderers[kind];
  }

  function drawOutlines(group, map, url, renderer, key) {
    return loadJson(url).then(function (collection) {
      var cached = key ? outlineCache[key] : null;
      if (!cached) {
        cached = {group: null, layer: L.geoJSON(collection, {
          renderer: renderer,
          interactive: false,
          style: function () { return {fill: false, color: "#252525", weight: 1.6, opacity: 0.9}; }
        })};
        if (key) { outlineCache[key] = cached; }
      }
      if (cached.group && cached.group !== group) { cached.group.removeLayer(cached.layer); }
      cached.group = group;
      group.addLayer(cached.layer);
    });
  }

  function focusOn(map, layers, code, bounds) {
    Object.keys(layers.byCode).forEach(function (c) { layers.byCode[c].atlasFocused = false; });
    var layer = code ? layers.byCode[code] : null;
    if (layer && Object.prototype.hasOwnProperty.call(current.keys, code)) {
      layer.atlasFocused = true;
      layer.setStyle({weight: 3.5, color: "#000000"});
      if (layer.bringToFront) { layer.bringToFront(); }
    }
    if (code && code !== lastFocus && bounds) {
      map.fitBounds(bounds, {maxZoom: 14, padding: [40, 40]});
    }
  }

  function fitStory(map, fit) {
    lastFitKey = fit.key;
    var started = Date.now();
    if (!map.atlasPointerWatch) {
      map.atlasPointerWatch = true;
      map.getContainer().addEventListener("pointerdown", function () { lastPointer = Date.now(); }, true);
    }
    var go = function () {
      if (lastFitKey === fit.key && lastPointer < started) { map.fitBounds(fit.bounds, {padding: [24, 24]}); }
    };
    go();
    // a zoom animation already under way (the map's first view) swallows a fit: look again after it
    setTimeout(go, 700);
  }

  function render(group, map, view) {
    var id = ++renderCounter;
    window.atlasState.renderId = view.renderId;
    window.atlasState.error = null;
    var renderer = rendererOf(view.canvas);
    var cacheKey = view.geometryKey + (view.canvas ? "#canvas" : "#svg");
    current = {tips: {}, styles: view.styles, keys: {}};
    for (var i = 0; i < view.codes.length; i++) {
      current.keys[view.codes[i]] = view.keys[i];
      current.tips[view.codes[i]] = view.tips[i];
    }
    var geometry = loadJson(view.geometry).then(function (collection) {
      if (!layerCache[cacheKey]) { layerCache[cacheKey] = buildLayers(collection, renderer); }
      return layerCache[cacheKey];
    });
    var outlineKey = typeof view.outlines === "string" ? view.outlines + (view.canvas ? "#canvas" : "#svg") : null;
    var outlines = view.outlines ? drawOutlines(group, map, view.outlines, renderer, outlineKey) : Promise.resolve();
    Promise.all([geometry, outlines]).then(function (results) {
      if (id !== renderCounter) { return; }  // a newer view arrived meanwhile
      var layers = results[0];
      // Leaflet makes every group a layer is added to one of its event parents: take the cached
      // paths out of the previous view's group first, or every view ever drawn stays in memory.
      if (layers.group && layers.group !== group) {
        var previous = layers.group;
        layers.order.forEach(function (code) { previous.removeLayer(layers.byCode[code]); });
      }
      layers.group = group;
      var shown = 0;
      layers.order.forEach(function (code) {
        if (Object.prototype.hasOwnProperty.call(current.keys, code)) {
          var layer = layers.byCode[code];
          group.addLayer(layer);
          applyStyle(layer);
          shown++;
        }
      });
      hatchPattern(map);
      layers.order.forEach(function (code) {
        if (current.keys[code] === "suppressed") { applyStyle(layers.byCode[code]); }
      });
      group.eachLayer(function (l) { if (!l.atlasCode && l.bringToFront) { l.bringToFront(); } });
      if (view.fit && view.fit.bounds && view.fit.key !== lastFitKey) { fitStory(map, view.fit); }
      focusOn(map, layers, view.focus, view.focusBounds);
      lastFocus = view.focus;
      window.atlasState.level = view.level;
      window.atlasState.fitKey = lastFitKey;
      window.atlasState.n = shown;
      requestAnimationFrame(function () {
        requestAnimationFrame(function () { window.atlasState.painted = view.renderId; });
      });
    }).catch(function (err) {
      window.atlasState.error = String(err && err.message ? err.message : err);
      var box = document.createElement("div");
      box.className = "atlas-error";
      box.textContent = window.atlasState.error;
      box.setAttribute("role", "alert");
      box.style.cssText = "position:absolute;top:8px;left:50px;right:8px;z-index:1000;background:#fff3cd;" +
        "border:1px solid #d39e00;padding:6px 10px;font:14px sans-serif;";
      map.getContainer().appendChild(box);
    });
  }

  window.atlasChoropleth = {render: render};
})();
