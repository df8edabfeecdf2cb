-- The point layers that hold points, for the map, the area profile and the export: titles, licence,
-- attribution, date, whether the licence is share-alike, origin, and the number of points.
-- No parameters. Ordered by layer id.
SELECT l.layer_id, l.title_tr, l.title_en, l.kinds, l.licence_tr, l.licence_en, l.attribution_tr,
       l.attribution_en, l.data_date, l.share_alike, l.origin, COUNT(p.point_id) AS n_points
FROM point_layers AS l
JOIN points AS p ON p.layer_id = l.layer_id
GROUP BY ALL
ORDER BY l.layer_id;
