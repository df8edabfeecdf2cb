-- Every theme's Turkish and English title, to group and order indicators by theme.
-- No parameters.
SELECT theme_id, title_tr, title_en FROM themes ORDER BY theme_id;
