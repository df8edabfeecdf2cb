-- Remove every value of one indicator (all levels and periods), before the access step writes a
-- layer's access indicators again (atlas.build.access.compute_layer_access). Parameters: $indicator_id.
DELETE FROM indicator_values WHERE indicator_id = $indicator_id;
