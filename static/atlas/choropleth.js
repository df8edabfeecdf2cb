/*
 * İzmir Health Equity Atlas: the choropleth layer inside streamlit-folium's map iframe.
 *
 * The polygons of a level come from a GeoJSON file served by the app (atlas/views/map_geometry.py),
 * fetched once per iframe and kept. Leaflet paths are made once per level, in one feature group
 * that stays on the map; a new view only re-styles the paths whose style changed and adds or
 * removes the areas it shows or hides. (streamlit-folium replaces the layer it is given on every
 * rerun: that layer only carries the call to render, see app_support/map/choropleth.py.)
 *
 *   atlasChoropleth.render(group, map, view)
 *
 * view = {geometry: url (or the GeoJSON itself), geometryKey: name, outlines: url|GeoJSON|null,
 *         styles: {key: leafletPathOptions}, focus: code|null, focusBounds: [[s, w], [n, e]]|null,
 *         level, renderId: string, canvas: bool, fit: {key, bounds}|undefined,
 *         ...and the areas in one of two forms:}
 *
 *   compact (atlas.views.map_view.layer_payload), aligned with the features of the geometry file:
 *     n: number of features, keyList: [style keys], keys: one character per feature (its index in
 *     keyList, base 36; "." = not shown), cols: {v, ci, r, d, s, note, c}: "|"-joined, HTML-escaped
 *     texts per feature (value, CI range, rank, signed difference from İzmir, status key, note
 *     index, counts behind an 'ok' value; c may be absent), notes: [texts], text: {districtOf, ci,
 *     rank, rankSuffix, izmir|null,
 *     statusLabels: {status: label}, keyLabels: {key: label}|null (a line naming the class)}.
 *     The tooltip is put together here: the area's name (and district) from the geometry file,
 *     then the lines of the view.
 *   listed (atlas.equity.maps): codes: [...], keys: [...], tips: [HTML, one per code].
 *
 * ``fit`` (optional, the kiosk's story zoom): the map is fitted to ``fit.bounds`` whenever
 * ``fit.key`` differs from the last fitted key (so a story zooms once, and a visitor's panning is
 * left alone while the key stays); a new ``focus`` is applied after it. With ``fit.keepMoved`` (the
 * map page: the view opens on the areas that have values) the map is fitted only while the reader has
 * not moved it since the last fit — on opening, and on a switch of an untouched map — and never again
 * later, so a zoom of the reader's (or a chosen area's) is kept when the indicator changes.
 *
 * ``canvas`` (levels above app_support/map/choropleth.py's CANVAS_ABOVE areas): instead of one Leaflet path
 * per area, the level is one layer of our own (AreaCanvas below) drawing every area on one canvas.
 * The rings are projected once per geometry file (pixels at zoom 0, typed arrays) and indexed by a
 * grid of bounding boxes; a draw fills all areas of one style key as one path, then strokes their
 * outlines; hover (tooltip, outline) is found by point-in-polygon under the mouse. Clicks are the
 * map's own ``click`` (the canvas keeps no events of its own), as for the SVG paths. The hover and
 * focus outlines and the district outlines are a few SVG paths above the canvas.
 *
 * window.atlasState tells tests and the benchmark what is on screen:
 *   {renderId, painted (renderId once drawn), level, n (areas drawn), error, fitKey (the last fit.key),
 *    timings: {received, parsed (geometry file loaded; only when the level is built now), geometry (level
 *    ready), styled (drawn), painted} (ms, performance.now(), of the last render)}
 */
(function () {
  "use strict";

  var geometryCache = {};  // url -> Promise of a GeoJSON FeatureCollection
  var levelCache = {};     // geometryKey + "#svg" / "#canvas" -> a level (buildLevel / buildCanvasLevel)
  var outlineCache = {};   // outlines url + renderer -> L.GeoJSON
  var svgRenderer = null;  // the one SVG renderer (stays on the map): paths of small levels, outlines, highlights
  var active = {level: null, outlines: null};  // what is on the map now
  var lastFocus = null;
  var lastFitKey = null;
  var focusFits = 0;       // counts the focus zooms asked for (a deferred one is dropped when a newer came)
  var lastFitView = null;  // the view a keepMoved fit left (the map page): moved since → no more fits
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
      if (cols.c[i]) { lines.push(cols.c[i]); }  // events · population (never sent for a suppressed value)
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
    lv.n = lv.layers.length;
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
    ["v", "ci", "r", "d", "s", "note", "c"].forEach(function (name) {
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
    var n = lv.n;
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

  function svgOf() {
    if (!svgRenderer) { svgRenderer = L.svg({padding: 0.5}); }
    return svgRenderer;
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
    if (lv.canvas) {
      var f = code ? lv.byCode[code] : undefined;
      lv.focused = f !== undefined && lv.keys[f] !== null ? f : null;
      lv.group.setFocus(lv.focused);
    } else if (lv.focused !== null) {  // the area outlined before
      var before = lv.layers[lv.focused];
      before.atlasFocused = false;
      if (lv.shown[lv.focused]) { applyStyle(lv, lv.focused); }
      lv.focused = null;
    }
    var i = code && !lv.canvas ? lv.byCode[code] : undefined;
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
      var seq = ++focusFits;
      var fit = function () {
        if (seq === focusFits) { map.fitBounds(bounds, {maxZoom: 14, padding: [40, 40]}); }  // unless a newer focus came
      };
      // the end of a zoom animation under way (the map's first view) would undo the fit: fit after it
      if (map._animatingZoom) { map.once("zoomend", fit); } else { fit(); }
    }
  }

  function viewSignature(map) {
    var c = map.getCenter();
    return c.lat.toFixed(6) + "," + c.lng.toFixed(6) + "," + map.getZoom();
  }

  function fitUntouched(map, fit) {
    var here = viewSignature(map);
    var untouched = lastFitView === null || here === lastFitView;
    lastFitKey = fit.key;
    if (!untouched) { return; }
    var go = function () {
      if (lastFitKey !== fit.key || (lastFitView !== null && viewSignature(map) !== here)) { return; }
      map.fitBounds(fit.bounds, {padding: [24, 24], animate: false});
      lastFitView = viewSignature(map);
    };
    // the end of a zoom animation under way (the map's first view) would undo the fit: fit after it
    if (map._animatingZoom) { map.once("zoomend", go); } else { go(); }
  }

  function fitStory(map, fit) {
    if (fit.keepMoved) { fitUntouched(map, fit); return; }
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

  // Give the level its new view and make it the active one (the other level leaves the map; the
  // caller adds this one when it is ready to be drawn). Says whether the styles changed and whether
  // the level was not on the map.
  function adopt(map, lv, view) {
    var stylesChanged = JSON.stringify(view.styles) !== JSON.stringify(lv.styles);
    lv.styles = view.styles;
    lv.view = view;
    var readded = active.level !== lv;
    if (readded) {
      if (active.level) { map.removeLayer(active.level.group); }
      active.level = lv;
    }
    return {stylesChanged: stylesChanged, readded: readded};
  }

  function draw(map, lv, view) {
    var keys = keysOf(lv, view);
    var change = adopt(map, lv, view);
    var stylesChanged = change.stylesChanged, readded = change.readded;
    if (readded) { map.addLayer(lv.group); }  // Leaflet makes new path elements
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

  // --- levels above CANVAS_ABOVE (view.canvas): every area on one canvas ------------------------

  var HIDDEN = 65535;  // keyIdx of an area that is not shown
  var HOVER_OUTLINE = {fill: false, color: "#222222", weight: 2.5, opacity: 1};
  var FOCUS_OUTLINE = {fill: false, color: "#000000", weight: 3.5, opacity: 1};
  var STATUS_KEYS = {suppressed: true, missing: true, not_applicable: true};  // outlined after the classes
  var AREA_PANE = "atlasAreas";  // below the overlay pane, so SVG outlines and highlights stay on top

  // lon/lat -> pixels at zoom 0 of the map's CRS (inline spherical Mercator for Leaflet's default CRS)
  function projector(map) {
    var crs = map.options.crs;
    if (crs && crs.code === "EPSG:3857") {
      var d = Math.PI / 180, maxLat = 85.0511287798;
      return function (lon, lat, out) {
        var sin = Math.sin(Math.max(Math.min(maxLat, lat), -maxLat) * d);
        out[0] = 256 * (lon / 360 + 0.5);
        out[1] = 256 * (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI));
      };
    }
    return function (lon, lat, out) {
      var p = crs.latLngToPoint(L.latLng(lat, lon), 0);
      out[0] = p.x; out[1] = p.y;
    };
  }

  function polygonsOf(geometry) {
    if (!geometry) { return []; }
    if (geometry.type === "Polygon") { return [geometry.coordinates]; }
    if (geometry.type === "MultiPolygon") { return geometry.coordinates; }
    if (geometry.type === "GeometryCollection") {
      return geometry.geometries.reduce(function (all, g) { return all.concat(polygonsOf(g)); }, []);
    }
    return [];
  }

  // The rings of every feature, projected once: xs/ys per vertex, ringStart per ring (closing vertex
  // dropped), featRing per feature, box (x0, y0, x1, y1) per feature.
  function packGeometry(features, project) {
    var n = features.length, nv = 0, nr = 0, f, p, r, j;
    var parts = new Array(n);
    for (f = 0; f < n; f++) {
      parts[f] = polygonsOf(features[f].geometry);
      for (p = 0; p < parts[f].length; p++) {
        nr += parts[f][p].length;
        for (r = 0; r < parts[f][p].length; r++) { nv += parts[f][p][r].length; }
      }
    }
    var xs = new Float64Array(nv), ys = new Float64Array(nv);
    var ringStart = new Int32Array(nr + 1), featRing = new Int32Array(n + 1), box = new Float64Array(4 * n);
    var out = [0, 0], v = 0, ri = 0;
    var X0 = Infinity, Y0 = Infinity, X1 = -Infinity, Y1 = -Infinity;
    for (f = 0; f < n; f++) {
      featRing[f] = ri;
      var bx0 = Infinity, by0 = Infinity, bx1 = -Infinity, by1 = -Infinity;
      for (p = 0; p < parts[f].length; p++) {
        for (r = 0; r < parts[f][p].length; r++) {
          var ring = parts[f][p][r], len = ring.length;
          if (len > 1 && ring[0][0] === ring[len - 1][0] && ring[0][1] === ring[len - 1][1]) { len--; }
          ringStart[ri++] = v;
          // outer rings wound one way, holes the other (so the non-zero fill rule draws holes)
          var reverse = (signedArea(ring, len) > 0) !== (r === 0);
          for (j = 0; j < len; j++) {
            var c = ring[reverse ? len - 1 - j : j];
            project(c[0], c[1], out);
            var x = out[0], y = out[1];
            xs[v] = x; ys[v] = y; v++;
            if (x < bx0) { bx0 = x; } if (x > bx1) { bx1 = x; }
            if (y < by0) { by0 = y; } if (y > by1) { by1 = y; }
          }
        }
      }
      box[4 * f] = bx0; box[4 * f + 1] = by0; box[4 * f + 2] = bx1; box[4 * f + 3] = by1;
      if (bx0 < X0) { X0 = bx0; } if (bx1 > X1) { X1 = bx1; }
      if (by0 < Y0) { Y0 = by0; } if (by1 > Y1) { Y1 = by1; }
    }
    ringStart[ri] = v;
    featRing[n] = ri;
    return {n: n, xs: xs, ys: ys, ringStart: ringStart, featRing: featRing, box: box,
            x0: X0, y0: Y0, x1: X1, y1: Y1, cellStart: null, cellItems: null};
  }

  // The grid of the features' boxes (made when first needed: hovering, not drawing):
  // cellStart/cellItems list the features whose box meets each of side × side cells.
  function indexGeometry(geo) {
    var n = geo.n, box = geo.box, side = Math.max(1, Math.ceil(Math.sqrt(n))), f, j;
    geo.side = side;
    geo.cw = (geo.x1 - geo.x0) / side || 1;
    geo.ch = (geo.y1 - geo.y0) / side || 1;
    var cellStart = new Int32Array(side * side + 1);
    var ranges = new Int32Array(4 * n);
    for (f = 0; f < n; f++) {  // the cells each box meets (-1: an empty feature)
      if (!(box[4 * f] <= box[4 * f + 2])) { ranges[4 * f] = -1; continue; }
      ranges[4 * f] = cellOf(geo, box[4 * f], geo.x0, geo.cw);
      ranges[4 * f + 1] = cellOf(geo, box[4 * f + 1], geo.y0, geo.ch);
      ranges[4 * f + 2] = cellOf(geo, box[4 * f + 2], geo.x0, geo.cw);
      ranges[4 * f + 3] = cellOf(geo, box[4 * f + 3], geo.y0, geo.ch);
      for (var cy = ranges[4 * f + 1]; cy <= ranges[4 * f + 3]; cy++) {
        for (var cx = ranges[4 * f]; cx <= ranges[4 * f + 2]; cx++) { cellStart[cy * side + cx + 1]++; }
      }
    }
    for (j = 0; j < side * side; j++) { cellStart[j + 1] += cellStart[j]; }
    var next = cellStart.slice(0, side * side);
    var cellItems = new Int32Array(cellStart[side * side]);
    for (f = 0; f < n; f++) {
      if (ranges[4 * f] < 0) { continue; }
      for (var gy = ranges[4 * f + 1]; gy <= ranges[4 * f + 3]; gy++) {
        for (var gx = ranges[4 * f]; gx <= ranges[4 * f + 2]; gx++) { cellItems[next[gy * side + gx]++] = f; }
      }
    }
    geo.cellStart = cellStart;
    geo.cellItems = cellItems;
  }

  function signedArea(ring, len) {
    var sum = 0;
    for (var i = 0, j = len - 1; i < len; j = i++) { sum += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]); }
    return sum;
  }

  function cellOf(geo, value, origin, size) {
    return Math.max(0, Math.min(geo.side - 1, Math.floor((value - origin) / size)));
  }

  // Even-odd point-in-polygon over all rings of feature f (outer rings, holes, several polygons).
  function contains(geo, f, px, py) {
    var xs = geo.xs, ys = geo.ys, inside = false;
    for (var r = geo.featRing[f]; r < geo.featRing[f + 1]; r++) {
      var a = geo.ringStart[r], b = geo.ringStart[r + 1];
      for (var i = a, j = b - 1; i < b; j = i++) {
        var yi = ys[i], yj = ys[j];
        if ((yi > py) !== (yj > py) && px < (xs[j] - xs[i]) * (py - yi) / (yj - yi) + xs[i]) { inside = !inside; }
      }
    }
    return inside;
  }

  // The shown area under (px, py) (pixels at zoom 0), or -1.
  function areaAt(lv, px, py) {
    var geo = lv.geo;
    if (!geo.cellStart) { indexGeometry(geo); }
    if (!(px >= geo.x0 && px <= geo.x1 && py >= geo.y0 && py <= geo.y1)) { return -1; }
    var cell = cellOf(geo, py, geo.y0, geo.ch) * geo.side + cellOf(geo, px, geo.x0, geo.cw);
    var box = geo.box;
    for (var j = geo.cellStart[cell]; j < geo.cellStart[cell + 1]; j++) {
      var f = geo.cellItems[j];
      if (lv.keyIdx[f] === HIDDEN || px < box[4 * f] || px > box[4 * f + 2] || py < box[4 * f + 1] ||
          py > box[4 * f + 3]) { continue; }
      if (contains(geo, f, px, py)) { return f; }
    }
    return -1;
  }

  var hatchTile = null;
  function hatchTileCanvas() {
    // the SVG pattern's stripes (#525252 on #969696, 45°) as an 8 px tile that repeats seamlessly
    if (!hatchTile) {
      hatchTile = document.createElement("canvas");
      hatchTile.width = 8; hatchTile.height = 8;
      var g = hatchTile.getContext("2d");
      g.fillStyle = "#969696"; g.fillRect(0, 0, 8, 8);
      g.strokeStyle = "#525252"; g.lineWidth = 2.3; g.lineCap = "square";
      g.beginPath();
      g.moveTo(0, 8); g.lineTo(8, 0);
      g.moveTo(-1, 1); g.lineTo(1, -1);
      g.moveTo(7, 9); g.lineTo(9, 7);
      g.stroke();
    }
    return hatchTile;
  }

  function dashesOf(dashArray) {
    if (!dashArray) { return []; }
    return String(dashArray).split(/[ ,]+/).map(Number).filter(function (x) { return x >= 0; });
  }

  // One level of many areas: a Leaflet renderer (so Leaflet sizes, places and zoom-animates its
  // canvas) that draws the level itself instead of path layers.
  var AreaCanvas = L.Renderer.extend({
    // a tenth of a view drawn beyond each side (Leaflet's default): a canvas as large as the SVG
    // renderer's (padding 0.5, four times the view) costs ~0.1 s more to composite on every draw
    options: {padding: 0.1, pane: AREA_PANE},

    initialize: function (lv, options) {
      L.Renderer.prototype.initialize.call(this, options);
      this._lv = lv;
      this._hover = -1;
      this._hoverLayer = null;
      this._focus = null;
      this._focusLayer = null;
      this._tooltip = L.tooltip({sticky: true, direction: "top", className: "atlas-tooltip"});
    },

    getEvents: function () {
      var events = L.Renderer.prototype.getEvents.call(this);
      events.viewprereset = this._onViewPreReset;
      events.mousemove = this._onMouseMove;
      events.mouseout = this._onMouseOut;
      return events;
    },

    onAdd: function (map) {
      if (!map.getPane(AREA_PANE)) { map.createPane(AREA_PANE).style.zIndex = 350; }
      L.Renderer.prototype.onAdd.call(this);
      this._draw();
      if (this._focusLayer) { map.addLayer(this._focusLayer); }
    },

    onRemove: function (map) {
      this._onMouseOut();
      if (this._focusLayer) { map.removeLayer(this._focusLayer); }
      L.Renderer.prototype.onRemove.call(this);
    },

    _initContainer: function () {
      this._container = document.createElement("canvas");
      this._ctx = this._container.getContext("2d");
    },

    _destroyContainer: function () {
      L.DomUtil.remove(this._container);
      delete this._ctx;
      delete this._container;
      this._hatch = null;
    },

    _onViewPreReset: function () { this._postponeDraw = true; },  // viewprereset + moveend + viewreset: one draw

    _reset: function () {
      L.Renderer.prototype._reset.call(this);
      if (this._postponeDraw) { this._postponeDraw = false; this._draw(); }
    },

    _update: function () {
      if (this._map._animatingZoom && this._bounds) { return; }
      L.Renderer.prototype._update.call(this);
      var b = this._bounds, size = b.getSize(), m = L.Browser.retina ? 2 : 1, canvas = this._container;
      this._origin = this._map.getPixelOrigin();
      L.DomUtil.setPosition(canvas, b.min);
      canvas.width = m * size.x;  // also clears it
      canvas.height = m * size.y;
      canvas.style.width = size.x + "px";
      canvas.style.height = size.y + "px";
      this.fire("update");
    },

    _updatePaths: function () {
      if (!this._postponeDraw) { this._draw(); }
    },

    redraw: function () {
      if (this._map && this._ctx) { this._draw(); }
      return this;
    },

    _draw: function () {
      var lv = this._lv, geo = lv.geo, ctx = this._ctx, map = this._map;
      if (!ctx || !map || !this._bounds) { return; }
      var b = this._bounds, size = b.getSize(), m = L.Browser.retina ? 2 : 1;
      ctx.setTransform(m, 0, 0, m, 0, 0);
      ctx.clearRect(0, 0, size.x, size.y);
      // canvas px = zoom-0 px * s - (pixel origin + canvas corner)
      var s = map.getZoomScale(this._zoom, 0);
      var ox = this._origin.x + b.min.x, oy = this._origin.y + b.min.y;
      var vx0 = ox / s, vy0 = oy / s, vx1 = (ox + size.x) / s, vy1 = (oy + size.y) / s;
      // One SVG path text per style key, in whole pixels like Leaflet's own paths (one Path2D parse
      // instead of a call per vertex, which costs ~7 µs each in Chromium); a vertex on the same pixel
      // as the one before is skipped.
      var xs = geo.xs, ys = geo.ys, ringStart = geo.ringStart, featRing = geo.featRing, box = geo.box;
      var keyIdx = lv.keyIdx, texts = [];
      for (var f = 0; f < geo.n; f++) {
        var k = keyIdx[f];
        if (k === HIDDEN || box[4 * f] > vx1 || box[4 * f + 2] < vx0 || box[4 * f + 1] > vy1 ||
            box[4 * f + 3] < vy0) { continue; }
        var text = texts[k] || "";
        for (var r = featRing[f]; r < featRing[f + 1]; r++) {
          var a = ringStart[r], e = ringStart[r + 1];
          if (e - a < 3) { continue; }
          var lx = Math.round(xs[a] * s - ox), ly = Math.round(ys[a] * s - oy);
          text += "M" + lx + " " + ly;
          for (var i = a + 1; i < e; i++) {
            var x = Math.round(xs[i] * s - ox), y = Math.round(ys[i] * s - oy);
            if (x !== lx || y !== ly) { text += "L" + x + " " + y; lx = x; ly = y; }
          }
          text += "Z";
        }
        texts[k] = text;
      }
      var paths = texts.map(function (t) { return t ? new Path2D(t) : null; });
      var order = [], later = [];
      for (k = 0; k < paths.length; k++) {
        if (paths[k]) { (STATUS_KEYS[lv.styleList[k]] ? later : order).push(k); }
      }
      order = order.concat(later);
      var styles = order.map(function (key) { return lv.styles[lv.styleList[key]] || lv.styles.missing || FALLBACK_STYLE; });
      for (var q = 0; q < order.length; q++) {  // fills first, so no fill covers a neighbour's outline
        var st = styles[q];
        if (st.fill === false) { continue; }
        ctx.globalAlpha = st.fillOpacity === undefined ? 0.2 : st.fillOpacity;
        if (lv.styleList[order[q]] === "suppressed") {
          this._hatch = this._hatch || ctx.createPattern(hatchTileCanvas(), "repeat");
          ctx.fillStyle = this._hatch;
        } else {
          ctx.fillStyle = st.fillColor || st.color || "#3388ff";
        }
        ctx.fill(paths[order[q]]);  // non-zero: packGeometry winds outer rings one way, holes the other
      }
      ctx.lineCap = "round";
      ctx.lineJoin = "round";
      for (q = 0; q < order.length; q++) {
        st = styles[q];
        var weight = st.weight === undefined ? 3 : st.weight;
        if (st.stroke === false || !(weight > 0)) { continue; }
        ctx.globalAlpha = st.opacity === undefined ? 1 : st.opacity;
        ctx.strokeStyle = st.color || "#3388ff";
        ctx.lineWidth = weight;
        ctx.setLineDash(dashesOf(st.dashArray));
        ctx.stroke(paths[order[q]]);
      }
      ctx.setLineDash([]);
      ctx.globalAlpha = 1;
    },

    // --- hover: tooltip and outline of the area under the mouse ---

    _onMouseMove: function (e) {
      var point = [0, 0];
      this._lv.project(e.latlng.lng, e.latlng.lat, point);
      var i = areaAt(this._lv, point[0], point[1]);
      this._tooltip.setLatLng(e.latlng);
      if (i !== this._hover) { this._setHover(i); }
      var buttons = e.originalEvent && e.originalEvent.buttons;
      this._map.getContainer().style.cursor = i >= 0 && !buttons ? "pointer" : "";
    },

    _onMouseOut: function () {
      this._setHover(-1);
      if (this._map) { this._map.getContainer().style.cursor = ""; }
    },

    _setHover: function (i) {
      var map = this._map;
      if (this._hoverLayer) { map.removeLayer(this._hoverLayer); this._hoverLayer = null; }
      this._hover = i;
      if (i < 0) {
        if (this._tooltip.isOpen()) { this._tooltip.close(); }
        return;
      }
      this._hoverLayer = outlineOf(this._lv, i, HOVER_OUTLINE);
      map.addLayer(this._hoverLayer);
      this._tooltip.setContent(tooltipOf(this._lv, i));
      if (!this._tooltip.isOpen()) { this._tooltip.openOn(map); }
    },

    closeTooltip: function () {
      if (this._map) { this._setHover(-1); }
      return this;
    },

    // after a new view: the hovered area's tooltip shows the new view (or closes if it is hidden now)
    refreshHover: function () {
      if (this._hover < 0 || !this._map) { return; }
      if (this._lv.keyIdx[this._hover] === HIDDEN) { this._setHover(-1); return; }
      this._tooltip.setContent(tooltipOf(this._lv, this._hover));
    },

    setFocus: function (i) {
      if (i === this._focus) { return; }
      if (this._focusLayer && this._map) { this._map.removeLayer(this._focusLayer); }
      this._focus = i;
      this._focusLayer = i === null ? null : outlineOf(this._lv, i, FOCUS_OUTLINE);
      if (this._focusLayer && this._map) { this._map.addLayer(this._focusLayer); }
    }
  });

  function outlineOf(lv, i, style) {
    return L.geoJSON(lv.features[i], {renderer: svgOf(), interactive: false, style: function () { return style; }});
  }

  function buildCanvasLevel(collection, map) {
    var features = collection.features, n = features.length;
    var lv = {canvas: true, n: n, features: features, codes: new Array(n), props: new Array(n), byCode: {},
              keys: new Array(n).fill(null), keyIdx: new Uint16Array(n).fill(HIDDEN), styleList: [], styles: {},
              view: null, focused: null, project: projector(map)};
    for (var f = 0; f < n; f++) {
      var code = String(features[f].id);
      lv.codes[f] = code;
      lv.props[f] = features[f].properties || {};
      lv.byCode[code] = f;
    }
    lv.geo = packGeometry(features, lv.project);
    lv.group = new AreaCanvas(lv);
    return lv;
  }

  function drawCanvas(map, lv, view) {
    var keys = keysOf(lv, view);
    var change = adopt(map, lv, view);
    var changed = change.stylesChanged;
    var slot = {}, list = [], shown = 0;
    for (var i = 0; i < lv.n; i++) {
      var key = keys[i], k = HIDDEN;
      if (key !== null) {
        k = slot[key];
        if (k === undefined) { k = slot[key] = list.length; list.push(key); }
        shown++;
      }
      if (lv.keys[i] !== key) { changed = true; lv.keys[i] = key; }
      lv.keyIdx[i] = k;
    }
    lv.styleList = list;
    if (change.readded) {  // drawn as it is added
      map.addLayer(lv.group);
    } else if (changed) {
      lv.group.redraw();
    }
    lv.group.refreshHover();
    return shown;
  }

  function render(group, map, view) {
    var id = ++renderCounter;
    var timings = {received: performance.now()};
    window.atlasState.renderId = view.renderId;
    window.atlasState.error = null;
    var renderer = svgOf();
    var cacheKey = view.geometryKey + (view.canvas ? "#canvas" : "#svg");
    var geometry = loadJson(view.geometry).then(function (collection) {
      if (!levelCache[cacheKey]) {
        timings.parsed = performance.now();
        levelCache[cacheKey] = view.canvas ? buildCanvasLevel(collection, map) : buildLevel(collection, renderer);
      }
      return levelCache[cacheKey];
    });
    var outlineKey = typeof view.outlines === "string" ? view.outlines + "#svg" : null;
    var outlines = showOutlines(map, view.outlines, renderer, outlineKey);
    Promise.all([geometry, outlines]).then(function (results) {
      if (id !== renderCounter) { return; }  // a newer view arrived meanwhile
      timings.geometry = performance.now();
      var lv = results[0];
      var shown = lv.canvas ? drawCanvas(map, lv, view) : draw(map, lv, view);
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
        requestAnimationFrame(function () {
          timings.painted = performance.now();
          window.atlasState.painted = view.renderId;
        });
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
