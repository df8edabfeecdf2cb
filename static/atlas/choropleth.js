/*
 * İzmir Health Equity Atlas: the choropleth layer inside streamlit-folium's map iframe.
 *
 * The polygons of a level come from a GeoJSON file served by the app (atlas/geo_assets.py),
 * fetched once per iframe and kept. Leaflet paths are made once per level, in one feature group
 * that stays on the map; a new view only re-styles the paths whose style changed and adds or
 * removes the areas it shows or hides. (streamlit-folium replaces the layer it is given on every
 * rerun: that layer only carries the call to render, see app_support/choropleth.py.)
 *
 *   atlasChoropleth.render(group, map, view)
 *
 * view = {geometry: url (or the GeoJSON itself), geometryKey: name, outlines: url|GeoJSON|null,
 *         styles: {key: leafletPathOptions}, focus: code|null, focusBounds: [[s, w], [n, e]]|null,
 *         level, renderId: string, canvas: bool, fit: {key, bounds}|undefined,
 *         ...and the areas in one of two forms:}
 *
 *   compact (atlas.mapview.layer_payload), aligned with the features of the geometry file:
 *     n: number of features, keyList: [style keys], keys: one character per feature (its index in
 *     keyList, base 36; "." = not shown), cols: {v, ci, r, d, s, note}: "|"-joined, HTML-escaped
 *     texts per feature (value, CI range, rank, signed difference from İzmir, status key, note
 *     index), notes: [texts], text: {districtOf, ci, rank, rankSuffix, izmir|null,
 *     statusLabels: {status: label}, keyLabels: {key: label}|null (a line naming the class)}.
 *     The tooltip is put together here: the area's name (and district) from the geometry file,
 *     then the lines of the view.
 *   listed (atlas.equity.maps): codes: [...], keys: [...], tips: [HTML, one per code].
 *
 * ``fit`` (optional, the kiosk's story zoom): the map is fitted to ``fit.bounds`` whenever
 * ``fit.key`` differs from the last fitted key (so a story zooms once, and a visitor's panning is
 * left alone while the key stays); a new ``focus`` is applied after it.
 *
 * window.atlasState tells tests and the benchmark what is on screen:
 *   {renderId, painted (renderId once drawn), level, n (areas drawn), error, fitKey (the last fit.key),
 *    timings: {received, geometry, styled} (ms, performance.now(), of the last render)}
 */
(function () {
  "use strict";

  var geometryCache = {};  // url -> Promise of a GeoJSON FeatureCollection
  var levelCache = {};     // geometryKey + renderer -> the paths of a level (see buildLevel)
  var outlineCache = {};   // outlines url + renderer -> L.GeoJSON
  var renderers = {};      // "svg" | "canvas" -> the one renderer of that kind (each renderer stays on the map)
  var active = {level: null, outlines: null};  // what is on the map now
  var lastFocus = null;
  var lastFitKey = null;
  var lastPointer = 0;     // when someone last pressed on the map (a story zoom never moves it after that)
  var renderCounter = 0;
  window.atlasState = {renderId: null, painted: null, n: 0, error: null, timings: {}};

  function esc(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#x27;");
  }

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
    // True when the pattern was made just now (the SVG exists once a first path was drawn).
    var svg = map.getPanes().overlayPane.querySelector("svg");
    if (!svg || svg.querySelector("#atlas-hatch")) { return false; }
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
    return true;
  }

  var FALLBACK_STYLE = {fillColor: "#ffffff", fillOpacity: 1, color: "#737373", weight: 1};

  function applyStyle(lv, i) {
    var layer = lv.layers[i];
    var key = lv.keys[i];
    layer.setStyle(lv.styles[key] || lv.styles.missing || FALLBACK_STYLE);
    if (layer._path) {
      layer._path.setAttribute("data-key", key || "");
      if (key === "suppressed") { layer._path.setAttribute("fill", "url(#atlas-hatch)"); }
    }
  }

  function emphasise(layer) {
    if (layer.atlasFocused) { layer.setStyle({weight: 3.5, color: "#000000"}); }
  }

  // --- the tooltip: one for the whole level, its text made when an area is hovered -------------

  function tooltipOf(lv, i) {
    var view = lv.view;
    if (!view) { return ""; }
    if (view.tips) { return view.tipsByIndex[i] || ""; }  // listed form: the whole text was sent
    var props = lv.props[i];
    var text = view.text;
    var head = "<b>" + esc(props.name || lv.codes[i]) + "</b>";
    if (props.district) { head += " · " + esc(props.district) + " " + esc(text.districtOf); }
    var lines = [head];
    var cols = view.columns;
    var v = cols.v[i], status = cols.s[i];
    if (v) {
      var value = "<b>" + v + "</b>";
      if (cols.ci[i]) { value += " (" + esc(text.ci) + " " + cols.ci[i] + ")"; }
      lines.push(value);
      if (cols.r[i]) { lines.push(esc(text.rank) + ": " + cols.r[i] + esc(text.rankSuffix)); }
      if (text.izmir !== null && cols.d[i]) { lines.push(esc(text.izmir) + cols.d[i]); }
    } else {
      lines.push("<i>" + esc(text.statusLabels[status] || text.statusLabels.missing || "") + "</i>");
    }
    if (cols.note[i] !== "") { lines.push("<small>" + view.notes[+cols.note[i]] + "</small>"); }
    var key = lv.keys[i];
    if (text.keyLabels && key && key !== "missing" && text.keyLabels[key]) { lines.push(esc(text.keyLabels[key])); }
    return lines.join("<br>");
  }

  // --- one level: its paths, made once ------------------------------------------------------------

  function buildLevel(collection, renderer) {
    var lv = {layers: [], codes: [], props: [], byCode: {}, keys: [], shown: [], styles: {}, view: null,
              focused: null, group: L.featureGroup()};
    L.geoJSON(collection, {
      renderer: renderer,
      onEachFeature: function (feature, layer) {
        var i = lv.layers.length;
        layer.atlasIndex = i;
        layer.atlasCode = String(feature.id);
        lv.layers.push(layer);
        lv.codes.push(layer.atlasCode);
        lv.props.push(feature.properties || {});
        lv.byCode[layer.atlasCode] = i;
        lv.keys.push(null);
        lv.shown.push(false);
      }
    });
    lv.group.bindTooltip(function (layer) { return tooltipOf(lv, layer.atlasIndex); },
                         {sticky: true, direction: "top", className: "atlas-tooltip"});
    lv.group.on("mouseover", function (e) {
      e.layer.setStyle({weight: 2.5, color: "#222222"});
      if (e.layer.bringToFront && !e.layer.atlasFocused) { e.layer.bringToFront(); }
    });
    lv.group.on("mouseout", function (e) {
      applyStyle(lv, e.layer.atlasIndex);
      emphasise(e.layer);
    });
    return lv;
  }

  function splitColumns(view, n) {
    var out = {};
    ["v", "ci", "r", "d", "s", "note"].forEach(function (name) {
      var text = view.cols[name];
      out[name] = text === undefined || n === 0 ? new Array(n).fill("") : text.split("|");
      if (out[name].length !== n) {
        throw new Error("map view column " + name + " has " + out[name].length + " entries for " + n + " areas");
      }
    });
    return out;
  }

  // The style key of every feature (null: not shown) from either form of the view.
  function keysOf(lv, view) {
    var n = lv.layers.length;
    var keys = new Array(n).fill(null);
    if (view.tips) {
      view.tipsByIndex = new Array(n).fill("");
      for (var j = 0; j < view.codes.length; j++) {
        var i = lv.byCode[view.codes[j]];
        if (i !== undefined) { keys[i] = view.keys[j]; view.tipsByIndex[i] = view.tips[j]; }
      }
      return keys;
    }
    if (view.n !== n || view.keys.length !== n) {
      throw new Error("the map view was made for " + view.n + " areas, the geometry file has " + n +
                      " (reload the page)");
    }
    view.columns = splitColumns(view, n);
    for (var k = 0; k < n; k++) {
      var c = view.keys.charAt(k);
      if (c !== ".") { keys[k] = view.keyList[parseInt(c, 36)]; }
    }
    return keys;
  }

  function rendererOf(canvas) {
    var kind = canvas ? "canvas" : "svg";
    if (!renderers[kind]) { renderers[kind] = canvas ? L.canvas({padding: 0.5}) : L.svg({padding: 0.5}); }
    return renderers[kind];
  }

  function showOutlines(map, url, renderer, key) {
    if (!url) {
      if (active.outlines) { map.removeLayer(active.outlines); active.outlines = null; }
      return Promise.resolve();
    }
    return loadJson(url).then(function (collection) {
      var layer = key ? outlineCache[key] : null;
      if (!layer) {
        layer = L.geoJSON(collection, {
          renderer: renderer,
          interactive: false,
          style: function () { return {fill: false, color: "#252525", weight: 1.6, opacity: 0.9}; }
        });
        if (key) { outlineCache[key] = layer; }
      }
      return layer;
    });
  }

  function focusOn(map, lv, code, bounds) {
    if (lv.focused !== null) {  // the area outlined before
      var before = lv.layers[lv.focused];
      before.atlasFocused = false;
      if (lv.shown[lv.focused]) { applyStyle(lv, lv.focused); }
      lv.focused = null;
    }
    var i = code ? lv.byCode[code] : undefined;
    if (i !== undefined && lv.shown[i]) {
      var layer = lv.layers[i];
      layer.atlasFocused = true;
      lv.focused = i;
      emphasise(layer);
      if (layer.bringToFront) { layer.bringToFront(); }
    }
    if (code && code !== lastFocus && bounds) {
      // the tooltip of whatever was under the finger would now sit over another area than the chosen one
      lv.group.closeTooltip();
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

  function draw(map, lv, view) {
    var keys = keysOf(lv, view);
    var stylesChanged = JSON.stringify(view.styles) !== JSON.stringify(lv.styles);
    lv.styles = view.styles;
    lv.view = view;
    var readded = active.level !== lv;
    if (readded) {  // another level (or none) was on the map: Leaflet makes new path elements
      if (active.level) { map.removeLayer(active.level.group); }
      active.level = lv;
      map.addLayer(lv.group);
    }
    var shown = 0;
    for (var i = 0; i < keys.length; i++) {
      var key = keys[i];
      if (key === null) {
        if (lv.shown[i]) { lv.group.removeLayer(lv.layers[i]); lv.shown[i] = false; }
        lv.keys[i] = null;
        continue;
      }
      shown++;
      var added = !lv.shown[i];
      if (added) { lv.group.addLayer(lv.layers[i]); lv.shown[i] = true; }
      if (added || readded || stylesChanged || lv.keys[i] !== key) {
        lv.keys[i] = key;
        applyStyle(lv, i);
        if ((added || readded) && lv.layers[i]._path) { lv.layers[i]._path.setAttribute("data-code", lv.codes[i]); }
      }
    }
    if (hatchPattern(map)) {  // suppressed areas styled before the pattern existed point at it now
      for (var s = 0; s < keys.length; s++) {
        if (keys[s] === "suppressed") { applyStyle(lv, s); }
      }
    }
    var tooltip = lv.group.getTooltip();
    if (tooltip && tooltip.isOpen()) { tooltip.update(); }
    return shown;
  }

  function render(group, map, view) {
    var id = ++renderCounter;
    var timings = {received: performance.now()};
    window.atlasState.renderId = view.renderId;
    window.atlasState.error = null;
    var renderer = rendererOf(view.canvas);
    var suffix = view.canvas ? "#canvas" : "#svg";
    var cacheKey = view.geometryKey + suffix;
    var geometry = loadJson(view.geometry).then(function (collection) {
      if (!levelCache[cacheKey]) { levelCache[cacheKey] = buildLevel(collection, renderer); }
      return levelCache[cacheKey];
    });
    var outlineKey = typeof view.outlines === "string" ? view.outlines + suffix : null;
    var outlines = showOutlines(map, view.outlines, renderer, outlineKey);
    Promise.all([geometry, outlines]).then(function (results) {
      if (id !== renderCounter) { return; }  // a newer view arrived meanwhile
      timings.geometry = performance.now();
      var lv = results[0];
      var shown = draw(map, lv, view);
      var outlineLayer = results[1];
      if (outlineLayer !== active.outlines) {
        if (active.outlines) { map.removeLayer(active.outlines); }
        active.outlines = outlineLayer || null;
        if (outlineLayer) { map.addLayer(outlineLayer); }
      }
      if (active.outlines) { active.outlines.bringToFront(); }
      if (view.fit && view.fit.bounds && view.fit.key !== lastFitKey) { fitStory(map, view.fit); }
      focusOn(map, lv, view.focus, view.focusBounds);
      lastFocus = view.focus;
      timings.styled = performance.now();
      window.atlasState.level = view.level;
      window.atlasState.fitKey = lastFitKey;
      window.atlasState.n = shown;
      window.atlasState.timings = timings;
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
