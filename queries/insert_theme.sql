-- Add one theme. Parameters: $theme_id, $title_tr, $title_en.
INSERT INTO themes VALUES ($theme_id, $title_tr, $title_en);
