-- The WHO Healthy Cities indicator codes (to validate an imported catalogue entry's who_code).
-- No parameters.
SELECT code FROM who_hc_indicators ORDER BY code;
