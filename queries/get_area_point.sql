-- One area's polygon and centroid, for the representative point of the area profile's nearest
-- points. Parameters: $level, $code. No row when the area does not exist.
SELECT geom_wkb, centroid_lon, centroid_lat
FROM areas
WHERE level = $level AND code = $code;
