-- Record one point layer (a catalogue entry or an imported layer); writing it again refreshes its
-- row and keeps its points. Parameters: the columns of point_layers ($layer_id, $title_tr, $title_en,
-- $category, $kinds, $source_ids, $licence_tr, $licence_en, $attribution_tr, $attribution_en,
-- $data_date, $access_m, $share_alike, $note_tr, $note_en, $origin).
INSERT INTO point_layers VALUES ($layer_id, $title_tr, $title_en, $category, $kinds, $source_ids, $licence_tr,
                                 $licence_en, $attribution_tr, $attribution_en, $data_date, $access_m,
                                 $share_alike, $note_tr, $note_en, $origin)
ON CONFLICT (layer_id) DO UPDATE SET
    title_tr = excluded.title_tr, title_en = excluded.title_en, category = excluded.category,
    kinds = excluded.kinds, source_ids = excluded.source_ids,
    licence_tr = excluded.licence_tr, licence_en = excluded.licence_en,
    attribution_tr = excluded.attribution_tr, attribution_en = excluded.attribution_en,
    data_date = excluded.data_date, access_m = excluded.access_m, share_alike = excluded.share_alike,
    note_tr = excluded.note_tr, note_en = excluded.note_en, origin = excluded.origin;
