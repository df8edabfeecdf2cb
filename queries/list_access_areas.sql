-- The mahalle and districts with their geometry and population, for the access indicators
-- (atlas.build.access): level, code, parent_code, kind, full-resolution geometry (WKB, EPSG:4326),
-- and the pop_total value of $period (population, its status and note; NULL when there is no row).
-- Parameters: $period (the population period, '2023').
SELECT a.level, a.code, a.parent_code, a.kind, a.geom_wkb,
       v.value AS population, v.status AS population_status, v.note_tr, v.note_en
FROM areas a
LEFT JOIN indicator_values v
       ON v.indicator_id = 'pop_total' AND v.level = a.level AND v.area_code = a.code AND v.period = $period
WHERE a.level IN ('district', 'mahalle')
ORDER BY a.level, a.code;
