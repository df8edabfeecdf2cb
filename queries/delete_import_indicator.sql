-- Remove an imported indicator's entry (origin 'import' only; delete its values first with
-- delete_indicator_values): an imported point layer's access indicator that the layer no longer
-- makes (a distance dropped from its access_m). Parameters: $indicator_id.
DELETE FROM indicators WHERE indicator_id = $indicator_id AND origin = 'import';
