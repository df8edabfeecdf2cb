-- Check: every source has a licence and an attribution in both languages, and every file source
-- a checksum. Returns one row per incomplete source.
SELECT 'source ' || source_id || ': ' ||
       CASE WHEN coalesce(licence_tr, '') = '' OR coalesce(licence_en, '') = '' THEN 'no licence'
            WHEN coalesce(attribution_tr, '') = '' OR coalesce(attribution_en, '') = '' THEN 'no attribution'
            ELSE 'file without sha256 checksum' END AS problem
FROM sources
WHERE coalesce(licence_tr, '') = '' OR coalesce(licence_en, '') = ''
   OR coalesce(attribution_tr, '') = '' OR coalesce(attribution_en, '') = ''
   OR (file_path IS NOT NULL AND sha256 IS NULL);
