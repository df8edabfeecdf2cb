-- When the database was built (the build_info row 'built_at'), printed on exports.
-- No parameters. Zero or one row.
SELECT value AS built_at FROM build_info WHERE key = 'built_at';
