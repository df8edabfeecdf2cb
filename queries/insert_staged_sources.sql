-- Insert the rows of the DataFrame registered as 'staged_sources' into sources (used by the build).
-- Columns are matched by name. No parameters.
INSERT INTO sources BY NAME SELECT * FROM staged_sources;
