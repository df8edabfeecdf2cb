-- Every area's full and display geometry (WKB), for the geometry check.
-- No parameters.
SELECT level, code, geom_wkb, geom_display_wkb FROM areas ORDER BY level, code;
