-- The periods of one indicator at one level that have at least one 'ok' value, newest first, with
-- their sort year and number of values: to pick a default period or the population period
-- nearest another indicator's.
-- Parameters: $indicator_id, $level ('province', 'district' or 'mahalle').
SELECT period, max(period_sort) AS period_sort, count(value) AS ok_values
FROM indicator_values
WHERE indicator_id = $indicator_id AND level = $level AND status = 'ok'
GROUP BY period
HAVING count(value) > 0
ORDER BY period_sort DESC, period DESC;
