-- The points of one layer as places to show: id, name (NULL when the source has none), kind,
-- attributes (JSON text; a bus stop's {"lines": [...]}) and lon/lat (EPSG:4326).
-- Parameters: $layer_id. Used by the map's point layers, the area profile's nearest points and
-- the export. Ordered by point id.
SELECT point_id, name, kind, attributes, lon, lat
FROM points
WHERE layer_id = $layer_id
ORDER BY point_id;
