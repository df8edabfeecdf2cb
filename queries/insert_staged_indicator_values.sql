-- Insert the rows of the DataFrame registered as 'staged_indicator_values' into indicator_values (used by the build).
-- Columns are matched by name. No parameters.
INSERT INTO indicator_values BY NAME SELECT * FROM staged_indicator_values;
