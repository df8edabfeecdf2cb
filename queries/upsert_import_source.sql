-- Record the file an import read as a source; re-importing the same file refreshes its row.
-- Parameters: $source_id, $title, $url, $licence, $attribution, $file_path, $sha256, $bytes,
-- $loaded_at, $notes (the columns of `sources`).
INSERT INTO sources VALUES ($source_id, $title, $url, $licence, $attribution, $file_path, $sha256, $bytes,
                            $loaded_at, $notes)
ON CONFLICT (source_id) DO UPDATE SET
    title = excluded.title, url = excluded.url, licence = excluded.licence,
    attribution = excluded.attribution, file_path = excluded.file_path, sha256 = excluded.sha256,
    bytes = excluded.bytes, loaded_at = excluded.loaded_at, notes = excluded.notes;
