-- The ids of the point layers in the database, in order. No parameters.
SELECT layer_id FROM point_layers ORDER BY layer_id;
