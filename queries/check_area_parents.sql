-- Check: every mahalle belongs to an existing district and every district to the province.
-- Returns one row per orphan area.
SELECT a.level || ' ' || a.code || ' (' || a.name || ') has parent ' || coalesce(a.parent_code, 'NULL')
       || ', which is not a ' || CASE WHEN a.level = 'mahalle' THEN 'district' ELSE 'province' END AS problem
FROM areas AS a
LEFT JOIN areas AS p
       ON p.code = a.parent_code
      AND p.level = CASE WHEN a.level = 'mahalle' THEN 'district' ELSE 'province' END
WHERE a.level IN ('district', 'mahalle') AND p.code IS NULL;
