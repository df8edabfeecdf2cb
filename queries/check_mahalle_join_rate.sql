-- Check: the TÜİK mahalle population joins to polygons for at least 99 % of the population.
-- Returns one row when the matched share is below 99 %.
SELECT 'mahalle population join covers ' || round(100 * sum(weight) FILTER (WHERE area_code IS NOT NULL) / sum(weight), 2)
       || ' % of the population (99 % required)' AS problem
FROM name_matches
WHERE level = 'mahalle'
HAVING count(*) > 0
   AND sum(weight) FILTER (WHERE area_code IS NOT NULL) / sum(weight) < 0.99;
