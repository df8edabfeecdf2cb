-- The sources that values of imported indicators point to, whole rows, to carry them into a rebuild.
-- No parameters.
SELECT DISTINCT s.*
FROM sources AS s
JOIN indicator_values AS v USING (source_id)
JOIN indicators AS i USING (indicator_id)
WHERE i.origin = 'import'
ORDER BY s.source_id;
