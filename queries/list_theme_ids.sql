-- The theme ids an indicator may use (to validate an imported catalogue entry).
-- No parameters.
SELECT theme_id FROM themes ORDER BY theme_id;
