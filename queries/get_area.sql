-- One area by its code, for the Area profile: level, name, kind and, for a mahalle, its district.
-- Parameters: $code (the area code: '35', a district's TÜİK id or a mahalle's quarterId).
-- Zero rows when no area has that code; one row per level that uses the code (codes do not repeat
-- across levels in the built data, but the key of the areas table is level and code).
SELECT
    a.level,
    a.code,
    a.name,
    a.kind,
    CASE WHEN a.level = 'mahalle' THEN a.parent_code END AS district_code,
    d.name AS district_name
FROM areas AS a
LEFT JOIN areas AS d ON d.level = 'district' AND d.code = a.parent_code AND a.level = 'mahalle'
WHERE a.code = $code
ORDER BY a.level;
