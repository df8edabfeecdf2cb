-- Remove every point of one layer (write_points replaces a layer's points this way, in its transaction).
-- Parameters: $layer_id.
DELETE FROM points WHERE layer_id = $layer_id;
