-- The indicators that users imported (origin 'import'), whole rows, to carry them into a rebuild.
-- No parameters.
SELECT * FROM indicators WHERE origin = 'import' ORDER BY indicator_id;
