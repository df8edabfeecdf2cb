-- Every area of one level with its simplified display geometry (WKB), for the map's geometry file.
-- Parameters: $level ('district' or 'mahalle').
-- One row per area: code, name, district name (for a mahalle), kind, display WKB; ordered by code.
SELECT
    a.code AS area_code,
    a.name,
    d.name AS district_name,
    a.kind,
    a.geom_display_wkb
FROM areas AS a
LEFT JOIN areas AS d ON d.level = 'district' AND d.code = a.parent_code AND a.level = 'mahalle'
WHERE a.level = $level
ORDER BY a.code;
