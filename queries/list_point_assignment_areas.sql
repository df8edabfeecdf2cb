-- The district and mahalle polygons that points are assigned to (atlas.points.assign.load_areas):
-- level, code, parent_code and the full-resolution geometry (WKB, EPSG:4326). No parameters.
SELECT level, code, parent_code, geom_wkb
FROM areas
WHERE level IN ('district', 'mahalle')
ORDER BY level, code;
