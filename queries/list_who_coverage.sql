-- The 32 WHO Healthy Cities indicators, each with the atlas indicators that report on it.
-- Parameters: $lang ('tr' or 'en') for titles. indicator_ids / indicator_titles are NULL for a gap.
SELECT
    w.code,
    w.grp,
    CASE WHEN $lang = 'en' THEN w.title_en ELSE w.title_tr END AS title,
    string_agg(i.indicator_id, ', ' ORDER BY i.indicator_id) AS indicator_ids,
    string_agg(CASE WHEN $lang = 'en' THEN i.title_en ELSE i.title_tr END, '; ' ORDER BY i.indicator_id)
        AS indicator_titles
FROM who_hc_indicators AS w
LEFT JOIN indicators AS i ON i.who_code = w.code
GROUP BY w.code, w.grp, w.title_tr, w.title_en
ORDER BY w.grp, CAST(substr(w.code, 2) AS INTEGER);
