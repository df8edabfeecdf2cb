-- Add an indicator brought by `python -m atlas import --entry` (origin 'import').
-- Parameters: the columns of `indicators` except origin; $metadata_json is Indicator.to_json().
INSERT INTO indicators VALUES ($indicator_id, $theme, $title_tr, $title_en, $unit_tr, $unit_en, $value_type,
                               $polarity, $who_code, 'import', $metadata_json);
