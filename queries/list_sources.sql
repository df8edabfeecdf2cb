-- List every source the database was built from, with licence, attribution and checksum; the
-- title, licence and attribution in the language $lang ('tr' or 'en').
-- Parameters: $lang.
SELECT source_id,
       CASE WHEN $lang = 'tr' THEN title_tr ELSE title_en END AS title,
       url,
       CASE WHEN $lang = 'tr' THEN licence_tr ELSE licence_en END AS licence,
       CASE WHEN $lang = 'tr' THEN attribution_tr ELSE attribution_en END AS attribution,
       file_path, sha256, bytes, loaded_at, notes
FROM sources
ORDER BY source_id;
