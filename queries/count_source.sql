-- How many sources have this id (0 or 1). Parameters: $source_id.
SELECT count(*) AS n FROM sources WHERE source_id = $source_id;
