-- Check: every source has a licence and an attribution, and every file source a checksum.
-- Returns one row per incomplete source.
SELECT 'source ' || source_id || ': ' ||
       CASE WHEN coalesce(licence, '') = '' THEN 'no licence'
            WHEN coalesce(attribution, '') = '' THEN 'no attribution'
            ELSE 'file without sha256 checksum' END AS problem
FROM sources
WHERE coalesce(licence, '') = '' OR coalesce(attribution, '') = ''
   OR (file_path IS NOT NULL AND sha256 IS NULL);
