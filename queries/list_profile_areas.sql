-- Every district and mahalle with its kind and district name, for the Area profile's area picker.
-- No parameters.
-- One row per area: level, code, name, kind, district_code and district_name (the district itself
-- for a district, the parent district for a mahalle); districts first, then by district and name.
SELECT
    a.level,
    a.code,
    a.name,
    a.kind,
    CASE WHEN a.level = 'mahalle' THEN a.parent_code ELSE a.code END AS district_code,
    CASE WHEN a.level = 'mahalle' THEN d.name ELSE a.name END AS district_name
FROM areas AS a
LEFT JOIN areas AS d ON d.level = 'district' AND d.code = a.parent_code AND a.level = 'mahalle'
WHERE a.level IN ('district', 'mahalle')
ORDER BY CASE a.level WHEN 'district' THEN 0 ELSE 1 END, district_name, a.name, a.code;
