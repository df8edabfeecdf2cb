-- The İzmir (province) value of an indicator for a period: the comparator for benchmarking.
-- Parameters: $indicator_id, $period. Zero or one row.
SELECT value, lower_ci, upper_ci, status, note_tr, note_en
FROM indicator_values
WHERE indicator_id = $indicator_id AND period = $period AND level = 'province' AND area_code = '35';
