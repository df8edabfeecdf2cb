-- Insert the rows of the DataFrame registered as 'staged_areas' into areas (used by the build).
-- Columns are matched by name. No parameters.
INSERT INTO areas BY NAME SELECT * FROM staged_areas;
