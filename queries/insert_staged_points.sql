-- Insert the rows of the DataFrame registered as 'staged_points' into points
-- (atlas.points.store.write_points). Columns are matched by name. No parameters.
INSERT INTO points BY NAME SELECT * FROM staged_points;
