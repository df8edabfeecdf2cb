-- Check: for each year, district populations add up to the province population.
-- Returns one row per year whose total differs.
SELECT 'pop_total ' || d.period || ': districts sum to ' || sum(d.value) || ', province is ' || any_value(p.value) AS problem
FROM indicator_values AS d
JOIN indicator_values AS p
  ON p.indicator_id = d.indicator_id AND p.period = d.period AND p.level = 'province'
WHERE d.indicator_id = 'pop_total' AND d.level = 'district'
GROUP BY d.period
HAVING abs(sum(d.value) - any_value(p.value)) > 0.5;
