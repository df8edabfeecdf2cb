-- Every value of one area, with the İzmir value and (for a mahalle) its district's value beside it.
-- Parameters: $level ('district' or 'mahalle'), $code (the area code).
-- One row per indicator × period that has values at the level; a period with no row for this area
-- comes back with status 'missing' (no silent gaps, as get_map_values). Zero rows when the area
-- does not exist at the level. The izmir_* columns are the province ('35') row of the same
-- indicator and period, district_* the row of the mahalle's parent district (NULL for a district).
WITH area AS (
    SELECT level, code, parent_code FROM areas WHERE level = $level AND code = $code
),
periods AS (
    SELECT DISTINCT indicator_id, period, period_sort FROM indicator_values WHERE level = $level
)
SELECT
    p.indicator_id,
    p.period,
    p.period_sort,
    v.value,
    v.lower_ci,
    v.upper_ci,
    v.numerator,
    v.denominator,
    coalesce(v.status, 'missing') AS status,
    CASE WHEN v.status IS NULL THEN 'bu alan ve dönem için değer yok' ELSE v.note_tr END AS note_tr,
    CASE WHEN v.status IS NULL THEN 'no value for this area and period' ELSE v.note_en END AS note_en,
    v.coverage,
    z.value AS izmir_value,
    z.lower_ci AS izmir_lower_ci,
    z.upper_ci AS izmir_upper_ci,
    z.status AS izmir_status,
    z.note_tr AS izmir_note_tr,
    z.note_en AS izmir_note_en,
    d.value AS district_value,
    d.lower_ci AS district_lower_ci,
    d.upper_ci AS district_upper_ci,
    d.status AS district_status,
    d.note_tr AS district_note_tr,
    d.note_en AS district_note_en
FROM periods AS p
CROSS JOIN area AS a
LEFT JOIN indicator_values AS v
       ON v.indicator_id = p.indicator_id AND v.period = p.period
      AND v.level = a.level AND v.area_code = a.code
LEFT JOIN indicator_values AS z
       ON z.indicator_id = p.indicator_id AND z.period = p.period
      AND z.level = 'province' AND z.area_code = '35'
LEFT JOIN indicator_values AS d
       ON d.indicator_id = p.indicator_id AND d.period = p.period
      AND d.level = 'district' AND d.area_code = a.parent_code AND a.level = 'mahalle'
ORDER BY p.indicator_id, p.period_sort, p.period;
