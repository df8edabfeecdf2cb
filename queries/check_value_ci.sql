-- Check: confidence intervals come in pairs and contain the value; numerator ≤ denominator for proportions.
-- Returns one row per bad value.
SELECT v.indicator_id || ' ' || v.level || ' ' || v.area_code || ' ' || v.period || ': '
       || CASE WHEN (v.lower_ci IS NULL) <> (v.upper_ci IS NULL) THEN 'only one CI bound'
               WHEN v.numerator > v.denominator THEN 'numerator ' || v.numerator || ' > denominator ' || v.denominator
               ELSE 'CI [' || v.lower_ci || ', ' || v.upper_ci || '] does not contain ' || v.value END AS problem
FROM indicator_values AS v
JOIN indicators AS i USING (indicator_id)
WHERE (v.lower_ci IS NULL) <> (v.upper_ci IS NULL)
   OR (v.value IS NOT NULL AND v.lower_ci IS NOT NULL
       AND NOT (v.lower_ci <= v.value + 1e-9 AND v.value <= v.upper_ci + 1e-9))
   OR (i.value_type = 'proportion' AND v.numerator > v.denominator);
