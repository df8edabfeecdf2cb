-- Check: a value is present exactly when the status is 'ok', and every non-ok row says why.
-- Returns one row per inconsistent value.
SELECT indicator_id || ' ' || level || ' ' || area_code || ' ' || period || ': status ' || status
       || CASE WHEN status = 'ok' AND value IS NULL THEN ' without a value'
               WHEN status <> 'ok' AND value IS NOT NULL THEN ' but a value is stored'
               ELSE ' without a note saying why in both languages' END AS problem
FROM indicator_values
WHERE (status = 'ok') <> (value IS NOT NULL)
   OR (status <> 'ok' AND (coalesce(note_tr, '') = '' OR coalesce(note_en, '') = ''));
