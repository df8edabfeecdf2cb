-- Every area of a level with its value of one indicator for one period, without geometry, for the
-- equity statistics (quantile groups, district groups, summary measures).
-- Parameters: $indicator_id, $period, $level ('district' or 'mahalle').
-- Areas without a row for the period come back with status 'missing' (no silent gaps), as in
-- get_map_values. One row per area, ordered by code. lower_998 / upper_998: the stored 99.8 % limits
-- (NULL unless the measure has its own, e.g. a DSR's Dobson limits), for benchmarking.
SELECT
    a.code AS area_code,
    a.name,
    a.parent_code AS district_code,
    a.kind,
    v.value,
    v.lower_ci,
    v.upper_ci,
    v.lower_998,
    v.upper_998,
    v.numerator,
    v.denominator,
    coalesce(v.status, 'missing') AS status,
    CASE WHEN v.status IS NULL THEN 'bu alan ve dönem için değer yok' ELSE v.note_tr END AS note_tr,
    CASE WHEN v.status IS NULL THEN 'no value for this area and period' ELSE v.note_en END AS note_en
FROM areas AS a
LEFT JOIN indicator_values AS v
       ON v.level = a.level AND v.area_code = a.code
      AND v.indicator_id = $indicator_id AND v.period = $period
WHERE a.level = $level
ORDER BY a.code;
