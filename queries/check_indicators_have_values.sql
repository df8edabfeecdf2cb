-- Check: every indicator in the database has at least one 'ok' value.
-- Returns one row per indicator without data.
SELECT 'indicator ' || i.indicator_id || ' has no ok values' AS problem
FROM indicators AS i
LEFT JOIN indicator_values AS v ON v.indicator_id = i.indicator_id AND v.status = 'ok'
GROUP BY i.indicator_id
HAVING count(v.value) = 0;
