-- Record one build fact (key/value), replacing an earlier value for the key.
-- Parameters: $key, $value.
INSERT OR REPLACE INTO build_info VALUES ($key, $value);
