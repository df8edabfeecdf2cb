-- The build facts recorded by `python -m atlas build` (time, sizes, join rate), as key/value rows.
-- No parameters.
SELECT key, value FROM build_info ORDER BY key;
