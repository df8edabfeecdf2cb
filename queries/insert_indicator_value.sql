-- Add one value of an indicator for one area and period.
-- Parameters: $indicator_id, $level, $area_code, $period, $period_sort, $value, $numerator,
-- $denominator, $lower_ci, $upper_ci, $status, $note, $source_id (coverage is left empty).
INSERT INTO indicator_values (indicator_id, level, area_code, period, period_sort, value, numerator, denominator,
                              lower_ci, upper_ci, status, note, coverage, source_id)
VALUES ($indicator_id, $level, $area_code, $period, $period_sort, $value, $numerator, $denominator,
        $lower_ci, $upper_ci, $status, $note, NULL, $source_id);
