-- Check: every value traces to a source row, its indicator and its area.
-- Returns one row per value whose source, indicator or area is unknown.
SELECT v.indicator_id || ' ' || v.level || ' ' || v.area_code || ' ' || v.period || ': '
       || CASE WHEN s.source_id IS NULL THEN 'unknown source ' || coalesce(v.source_id, 'NULL')
               WHEN i.indicator_id IS NULL THEN 'indicator not in the catalogue table'
               ELSE 'unknown area' END AS problem
FROM indicator_values AS v
LEFT JOIN sources AS s USING (source_id)
LEFT JOIN indicators AS i USING (indicator_id)
LEFT JOIN areas AS a ON a.level = v.level AND a.code = v.area_code
WHERE s.source_id IS NULL OR i.indicator_id IS NULL OR a.code IS NULL;
