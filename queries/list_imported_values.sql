-- Every value of an imported indicator, whole rows, to carry them into a rebuild.
-- No parameters.
SELECT v.*
FROM indicator_values AS v
JOIN indicators AS i USING (indicator_id)
WHERE i.origin = 'import'
ORDER BY ALL;
