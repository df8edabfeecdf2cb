-- Whether an indicator is in the indicators table: n = 1 or 0. Parameters: $indicator_id.
SELECT count(*) AS n FROM indicators WHERE indicator_id = $indicator_id;
