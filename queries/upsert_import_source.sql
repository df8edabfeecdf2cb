-- Record the file an import read as a source; re-importing the same file refreshes its row.
-- Parameters: $source_id, $title_tr, $title_en, $url, $licence_tr, $licence_en, $attribution_tr,
-- $attribution_en, $file_path, $sha256, $bytes, $loaded_at, $notes (the columns of `sources`).
INSERT INTO sources VALUES ($source_id, $title_tr, $title_en, $url, $licence_tr, $licence_en, $attribution_tr,
                            $attribution_en, $file_path, $sha256, $bytes, $loaded_at, $notes)
ON CONFLICT (source_id) DO UPDATE SET
    title_tr = excluded.title_tr, title_en = excluded.title_en, url = excluded.url,
    licence_tr = excluded.licence_tr, licence_en = excluded.licence_en,
    attribution_tr = excluded.attribution_tr, attribution_en = excluded.attribution_en,
    file_path = excluded.file_path, sha256 = excluded.sha256, bytes = excluded.bytes,
    loaded_at = excluded.loaded_at, notes = excluded.notes;
