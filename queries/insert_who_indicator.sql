-- Add one WHO Healthy Cities indicator. Parameters: $code, $grp, $title_tr, $title_en.
INSERT INTO who_hc_indicators VALUES ($code, $grp, $title_tr, $title_en);
