"""Point layers: bus stops, rail stations, parks and playgrounds, sports pitches, … (issue #17).

A point layer is described in ``geodata/point_layers.toml`` (loaded by :mod:`.catalogue`) and its
points live in the ``points`` table, each with the district and mahalle it falls in and the
source it came from (docs/data-model.md, "Point layers"). ``python -m atlas build`` fills the
layers of the catalogue from the real files (:mod:`.read`, then :func:`.build.build_points`);
``python -m atlas import-points`` writes a city's own file through :func:`.store.write_points`.

Public functions (stable; other parts of the atlas call them):

* ``catalogue.load_point_layers(path=POINT_LAYERS_FILE, *, source_ids=None) -> tuple[PointLayer, ...]``
  — the catalogue; a missing or unknown key, or a source not in ``source_ids``, raises
  CatalogueError naming the key.
* ``catalogue.PointLayer`` (frozen): ``id, title, category, kinds, sources, licence, attribution,
  date, access_m, note, share_alike``; ``row()`` gives the ``point_layers`` columns.
* ``store.write_layer(con, layer, origin="catalogue") -> None`` — insert or refresh one
  ``point_layers`` row (its points are kept).
* ``store.write_points(con, layer_id, frame, source_id, *, tolerance_m=1000.0, areas=None)
  -> WriteReport`` — replace the points of one layer in one transaction. ``frame`` columns:
  ``point_id`` (str, unique), ``name`` (str or None), ``kind`` (str or None), ``attributes``
  (dict or None, stored as JSON text), ``lon``, ``lat`` (float, WGS84 degrees); optional ``where``
  (str, e.g. ``line 12``, used in the report's examples) and ``source_id`` (str, a row's own source
  when a layer combines files). Each point is given the district and mahalle it falls in; a point
  more than ``tolerance_m`` outside every district is not written, and the returned
  ``WriteReport`` (``written``, ``districts``, ``problems``: reason → ``Problem(count, examples)``
  for ``outside``, ``outside_kept``, ``no_mahalle``) says so. A bad frame, an unknown layer or
  source raises ``store.PointsError`` with nothing written.
* ``assign.locate_points(frame, areas, *, tolerance_m=1000.0) -> pandas.DataFrame`` — the same
  assignment without writing (``district_code``, ``mahalle_code``, ``outside_m``, ``placement``).
* ``assign.load_areas(con) -> AreaPolygons`` — the district and mahalle polygons of a database.
* ``store.ATTRIBUTE_KEYS``: the attribute keys the build writes — ``lines`` (bus stops: list of the
  line numbers serving the stop, ``[]`` when none is listed), ``line``, ``order`` (rail),
  ``osm_type``, ``osm_id`` (OSM).
* ``layers.build_points(con, layers, paths, absent, areas) -> PointsReport`` — the build's step.

Reading the table: ``points.district_code`` / ``mahalle_code`` are the codes of ``areas`` at that
level (each from its own polygons); ``points.placement`` is ``inside`` or ``nearest``;
``point_layers.access_m`` is a JSON list of metres.
"""
