-- The distinct indicator × level × period combinations that have values.
-- No parameters.
SELECT DISTINCT indicator_id, level, period FROM indicator_values ORDER BY ALL;
