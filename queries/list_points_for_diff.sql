-- Every point of every point layer with what a comparison of two databases looks at (the workbench's diff).
-- No parameters.
SELECT layer_id, point_id, name, kind, attributes, lon, lat
FROM points
ORDER BY layer_id, point_id;
