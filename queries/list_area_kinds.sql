-- Every area with its level and kind, for the İzmir (province) value an import computes from its areas.
-- No parameters.
-- One row per area: level, code, kind (province, district, mahalle, island, industrial_zone, free_zone).
SELECT level, code, kind
FROM areas
ORDER BY level, code;
