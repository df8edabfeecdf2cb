-- Insert the rows of the DataFrame registered as 'staged_name_matches' into name_matches (used by the build).
-- Columns are matched by name. No parameters.
INSERT INTO name_matches BY NAME SELECT * FROM staged_name_matches;
