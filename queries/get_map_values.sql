-- Every area of a level with its value for one indicator and period, for maps and tables.
-- Parameters: $indicator_id, $period, $level ('district' or 'mahalle').
-- Areas without a row for the period come back with status 'missing' (no silent gaps). The
-- district name is given for a mahalle. Geometry is the simplified display WKB.
SELECT
    a.code AS area_code,
    a.name,
    d.name AS district_name,
    a.parent_code AS district_code,
    a.kind,
    v.value,
    v.lower_ci,
    v.upper_ci,
    v.numerator,
    v.denominator,
    coalesce(v.status, 'missing') AS status,
    CASE WHEN v.status IS NULL THEN 'bu alan ve dönem için değer yok' ELSE v.note_tr END AS note_tr,
    CASE WHEN v.status IS NULL THEN 'no value for this area and period' ELSE v.note_en END AS note_en,
    v.coverage,
    a.centroid_lon,
    a.centroid_lat,
    a.geom_display_wkb
FROM areas AS a
LEFT JOIN indicator_values AS v
       ON v.level = a.level AND v.area_code = a.code
      AND v.indicator_id = $indicator_id AND v.period = $period
LEFT JOIN areas AS d ON d.level = 'district' AND d.code = a.parent_code AND a.level = 'mahalle'
WHERE a.level = $level
ORDER BY a.code;
