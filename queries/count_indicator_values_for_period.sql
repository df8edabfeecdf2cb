-- How many values one indicator already has for one period (all levels): what an import replaces.
-- Parameters: $indicator_id, $period.
SELECT count(*) AS n
FROM indicator_values
WHERE indicator_id = $indicator_id AND period = $period;
