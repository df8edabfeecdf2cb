-- How many points of one layer fall in each district (districts without a point left out), with
-- the district's name, most points first. Parameters: $layer_id.
SELECT p.district_code, a.name AS district_name, count(*) AS n
FROM points AS p
JOIN areas AS a ON a.level = 'district' AND a.code = p.district_code
WHERE p.layer_id = $layer_id
GROUP BY p.district_code, a.name
ORDER BY n DESC, a.name;
