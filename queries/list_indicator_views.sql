-- Which periods each indicator has values for at each level (district / mahalle), newest first.
-- No parameters. One row per indicator × level × period with the count of 'ok' values, and
-- has_izmir: whether the period has an 'ok' İzmir (province) value to compare the areas with.
SELECT v.indicator_id, v.level, v.period, max(v.period_sort) AS period_sort, count(v.value) AS ok_values,
       bool_or(z.indicator_id IS NOT NULL) AS has_izmir
FROM indicator_values AS v
LEFT JOIN indicator_values AS z
    ON z.indicator_id = v.indicator_id AND z.period = v.period AND z.level = 'province' AND z.area_code = '35'
       AND z.status = 'ok'
WHERE v.level IN ('district', 'mahalle')
GROUP BY v.indicator_id, v.level, v.period
HAVING count(v.value) > 0
ORDER BY v.indicator_id, v.level, period_sort DESC, v.period;
