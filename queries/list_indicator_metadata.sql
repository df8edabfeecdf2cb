-- Every indicator's full catalogue entry as JSON (atlas.catalogue.indicator_from_json reads it).
-- No parameters.
SELECT indicator_id, origin, metadata_json FROM indicators ORDER BY indicator_id;
