-- Every area's name, with the district of a mahalle, to name the areas a comparison of two databases lists.
-- No parameters.
-- One row per area: level, code, name, district (the parent district's name of a mahalle, else NULL).
SELECT a.level, a.code, a.name, d.name AS district
FROM areas AS a
LEFT JOIN areas AS d ON a.level = 'mahalle' AND d.level = 'district' AND d.code = a.parent_code
ORDER BY a.level, a.code;
