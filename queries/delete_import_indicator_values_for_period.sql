-- Remove an imported indicator's values for one period (all levels), before an import replaces them.
-- Parameters: $indicator_id, $period. Values of catalogue indicators are never deleted here.
DELETE FROM indicator_values
WHERE indicator_id = $indicator_id
  AND period = $period
  AND indicator_id IN (SELECT indicator_id FROM indicators WHERE origin = 'import');
