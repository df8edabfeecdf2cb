-- One point layer's row (every column of point_layers); no row when the layer does not exist.
-- Parameters: $layer_id. Used by python -m atlas import-points (the layer it imports into) and by
-- atlas.build.access (the sources of a layer's values).
SELECT layer_id, title_tr, title_en, category, kinds, source_ids, licence_tr, licence_en, attribution_tr,
       attribution_en, data_date, access_m, share_alike, note_tr, note_en, origin
FROM point_layers
WHERE layer_id = $layer_id;
