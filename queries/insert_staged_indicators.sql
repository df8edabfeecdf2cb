-- Insert the rows of the DataFrame registered as 'staged_indicators' into indicators (used by the build).
-- Columns are matched by name. No parameters.
INSERT INTO indicators BY NAME SELECT * FROM staged_indicators;
