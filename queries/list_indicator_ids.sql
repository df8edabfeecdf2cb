-- The ids of every indicator in the database (to suggest close ids for an unknown one).
-- No parameters.
SELECT indicator_id FROM indicators ORDER BY indicator_id;
