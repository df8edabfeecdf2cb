-- List every source the database was built from, with licence, attribution and checksum.
-- No parameters.
SELECT source_id, title, url, licence, attribution, file_path, sha256, bytes, loaded_at, notes
FROM sources
ORDER BY source_id;
