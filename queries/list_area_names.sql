-- Every district and mahalle with its name and parent district code, for matching imported names.
-- No parameters.
-- One row per area: level, code, name, parent_code (the district of a mahalle).
SELECT level, code, name, parent_code
FROM areas
WHERE level IN ('district', 'mahalle')
ORDER BY level, code;
