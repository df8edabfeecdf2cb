-- The source spellings of mahalle names that the build matched to an atlas area (its join report,
-- name_matches), so that an import accepts what the build accepts (e.g. TÜİK's "Sasalı Merkez" for
-- the polygon "Sasallı Merkez").
-- No parameters.
-- One row per matched source name: level, district_code, source_name, area_code.
SELECT DISTINCT level, district_code, source_name, area_code
FROM name_matches
WHERE area_code IS NOT NULL
ORDER BY level, district_code, source_name, area_code;
