-- The sources behind one map view, whole rows, each with its role: 'data' for the sources of the
-- indicator's values at the level and period, 'boundaries' for the sources of the level's areas
-- and, at mahalle level, of the district outlines drawn over them.
-- Title, licence and attribution are in the language $lang ('tr' or 'en').
-- Parameters: $indicator_id, $period, $level ('district' or 'mahalle'), $lang.
-- One row per role × source, data first; boundaries of the level before the district outlines.
WITH used AS (
    SELECT DISTINCT 'data' AS role, source_id, 0 AS rank
    FROM indicator_values
    WHERE indicator_id = $indicator_id AND period = $period AND level = $level
    UNION
    SELECT DISTINCT 'boundaries' AS role, source_id, CASE WHEN level = $level THEN 1 ELSE 2 END AS rank
    FROM areas
    WHERE level = $level OR (level = 'district' AND $level = 'mahalle')
)
SELECT u.role, min(u.rank) AS rank, s.source_id,
       CASE WHEN $lang = 'tr' THEN s.title_tr ELSE s.title_en END AS title,
       s.url,
       CASE WHEN $lang = 'tr' THEN s.licence_tr ELSE s.licence_en END AS licence,
       CASE WHEN $lang = 'tr' THEN s.attribution_tr ELSE s.attribution_en END AS attribution,
       s.file_path, s.sha256, s.loaded_at
FROM used AS u
JOIN sources AS s USING (source_id)
GROUP BY ALL
ORDER BY min(u.rank), s.source_id;
