-- Replace the catalogue entry of an imported indicator (origin 'import' only; catalogue ones are never touched).
-- Parameters: the columns of `indicators` except origin; $metadata_json is Indicator.to_json().
UPDATE indicators
SET theme = $theme, title_tr = $title_tr, title_en = $title_en, unit_tr = $unit_tr, unit_en = $unit_en,
    value_type = $value_type, polarity = $polarity, who_code = $who_code, metadata_json = $metadata_json
WHERE indicator_id = $indicator_id AND origin = 'import';
