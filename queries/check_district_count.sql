-- Check: there are exactly 30 districts, one province, and mahalle areas.
-- Returns one row describing the problem, or none.
SELECT 'areas: ' || count(*) FILTER (WHERE level = 'district') || ' districts (30 expected), '
       || count(*) FILTER (WHERE level = 'province') || ' province rows (1 expected), '
       || count(*) FILTER (WHERE level = 'mahalle') || ' mahalle' AS problem
FROM areas
HAVING count(*) FILTER (WHERE level = 'district') <> 30
    OR count(*) FILTER (WHERE level = 'province') <> 1
    OR count(*) FILTER (WHERE level = 'mahalle') = 0;
