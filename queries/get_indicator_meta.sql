-- One indicator's origin ('catalogue' or 'import') and stored catalogue entry, for the importer.
-- Parameters: $indicator_id.
-- No row when the indicator is not in the database.
SELECT indicator_id, origin, metadata_json
FROM indicators
WHERE indicator_id = $indicator_id;
