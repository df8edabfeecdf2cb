-- Add one catalogue entry to the indicators table.
-- Parameters: the columns of `indicators`; $metadata_json is Indicator.to_json().
INSERT INTO indicators VALUES ($indicator_id, $theme, $title_tr, $title_en, $unit_tr, $unit_en, $value_type,
                               $polarity, $who_code, $origin, $metadata_json);
