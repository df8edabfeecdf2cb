"""Area profile glue: cached profile data."""
