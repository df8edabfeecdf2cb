-- Every point layer with its origin ('catalogue': built from geodata/point_layers.toml; 'import': a
-- user's layer) and title, for the message that lists the layers an import may write into.
-- No parameters.
SELECT layer_id, origin, title_en FROM point_layers ORDER BY origin, layer_id;
