-- List the indicators in the database with their titles, units and coverage.
-- Parameters: $lang ('tr' or 'en') chooses the language of titles, units and theme names.
-- One row per indicator: id, theme title, title, unit, polarity, WHO code, origin, the periods
-- and levels (district / mahalle; the province comparator is left out) that have values, and
-- how many values are 'ok'.
SELECT
    i.indicator_id,
    CASE WHEN $lang = 'en' THEN t.title_en ELSE t.title_tr END AS theme,
    CASE WHEN $lang = 'en' THEN i.title_en ELSE i.title_tr END AS title,
    CASE WHEN $lang = 'en' THEN i.unit_en ELSE i.unit_tr END AS unit,
    i.polarity,
    i.who_code,
    i.origin,
    string_agg(DISTINCT v.period, ', ' ORDER BY v.period) AS periods,
    string_agg(DISTINCT v.level, ', ' ORDER BY v.level) FILTER (WHERE v.level <> 'province') AS levels,
    count(v.value) AS ok_values
FROM indicators AS i
LEFT JOIN themes AS t ON t.theme_id = i.theme
LEFT JOIN indicator_values AS v USING (indicator_id)
GROUP BY ALL
ORDER BY theme, title;
