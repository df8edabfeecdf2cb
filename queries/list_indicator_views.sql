-- Which periods each indicator has values for at each level (district / mahalle), newest first.
-- No parameters. One row per indicator × level × period with the count of 'ok' values.
SELECT indicator_id, level, period, max(period_sort) AS period_sort, count(value) AS ok_values
FROM indicator_values
WHERE level IN ('district', 'mahalle')
GROUP BY indicator_id, level, period
HAVING count(value) > 0
ORDER BY indicator_id, level, period_sort DESC, period;
