-- Every indicator value with what a comparison of two databases looks at (the data workbench's diff):
-- its key (indicator, level, area, period), value, numerator, denominator, CI, status and notes.
-- No parameters.
SELECT indicator_id, level, area_code, period, period_sort, value, numerator, denominator,
       lower_ci, upper_ci, status, note_tr, note_en
FROM indicator_values
ORDER BY indicator_id, level, area_code, period;
