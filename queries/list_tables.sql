-- The names of the tables in the main schema (to recognise an atlas database).
-- No parameters.
SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY table_name;
