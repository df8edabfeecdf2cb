-- The points of one layer for the access indicators (atlas.build.access): id, kind, attributes
-- (JSON; a bus stop's {"lines": [...]}), lon/lat (EPSG:4326), district and mahalle codes, source.
-- Parameters: $layer_id.
SELECT point_id, kind, attributes, lon, lat, district_code, mahalle_code, source_id
FROM points
WHERE layer_id = $layer_id
ORDER BY point_id;
