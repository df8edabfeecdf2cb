-- List the indicators in the database with their titles, units and coverage.
-- Parameters: $lang ('tr' or 'en') chooses the title and unit language.
-- One row per indicator: id, theme, title, unit, polarity, WHO code, origin,
-- the periods and levels that have values, and how many values are 'ok'.
SELECT
    i.indicator_id,
    i.theme,
    CASE WHEN $lang = 'en' THEN i.title_en ELSE i.title_tr END AS title,
    CASE WHEN $lang = 'en' THEN i.unit_en ELSE i.unit_tr END AS unit,
    i.polarity,
    i.who_code,
    i.origin,
    string_agg(DISTINCT v.period, ', ' ORDER BY v.period) AS periods,
    string_agg(DISTINCT v.level, ', ' ORDER BY v.level) AS levels,
    count(v.value) AS ok_values
FROM indicators AS i
LEFT JOIN indicator_values AS v USING (indicator_id)
GROUP BY ALL
ORDER BY i.theme, i.indicator_id;
