-- The kinds (JSON list) of one point layer; no row when the layer does not exist.
-- Parameters: $layer_id.
SELECT kinds FROM point_layers WHERE layer_id = $layer_id;
