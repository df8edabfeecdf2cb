-- Check: the WHO Healthy Cities list holds its 32 indicators and every who_code refers to it.
-- Returns one row per problem.
SELECT 'who_hc_indicators has ' || count(*) || ' rows (32 expected)' AS problem
FROM who_hc_indicators HAVING count(*) <> 32
UNION ALL
SELECT 'indicator ' || i.indicator_id || ' has unknown WHO code ' || i.who_code
FROM indicators AS i LEFT JOIN who_hc_indicators AS w ON w.code = i.who_code
WHERE i.who_code IS NOT NULL AND w.code IS NULL;
