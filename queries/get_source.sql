-- One source's titles and address; no row when the source does not exist.
-- Parameters: $source_id. Used by python -m atlas import-points to describe a re-imported layer's
-- new file like its earlier one.
SELECT source_id, title_tr, title_en, url FROM sources WHERE source_id = $source_id;
