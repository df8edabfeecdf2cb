-- Every district with its name and simplified display geometry (WKB), for the outlines drawn over
-- a mahalle map, district labels, zooming to a district and the province inset of an export.
-- No parameters. One row per district, ordered by code.
SELECT code AS area_code, name, geom_display_wkb
FROM areas
WHERE level = 'district'
ORDER BY code;
