-- Every 'ok' value at one level (all indicators and periods) with the area's kind, for the Area
-- profile's distributions (range, quartiles), ranks and compare-with-İzmir verdicts.
-- Parameters: $level ('district' or 'mahalle').
-- One row per indicator × period × area with a value; areas without one are left out (they take
-- no part in a distribution, a rank or a comparison).
SELECT
    v.indicator_id,
    v.period,
    v.area_code,
    a.kind,
    v.value,
    v.lower_ci,
    v.upper_ci
FROM indicator_values AS v
JOIN areas AS a ON a.level = v.level AND a.code = v.area_code
WHERE v.level = $level AND v.status = 'ok'
ORDER BY v.indicator_id, v.period, v.area_code;
