-- The atlas data model (see docs/data-model.md). Created by `python -m atlas build`.

CREATE TABLE sources (
    source_id       TEXT PRIMARY KEY,   -- e.g. 'tuik_district_population'
    title_tr        TEXT NOT NULL,
    title_en        TEXT NOT NULL,
    url             TEXT NOT NULL,
    licence_tr      TEXT NOT NULL,
    licence_en      TEXT NOT NULL,
    attribution_tr  TEXT NOT NULL,      -- the line to print under a map or table, in Turkish
    attribution_en  TEXT NOT NULL,      -- and in English
    file_path       TEXT,               -- relative to the data directory (NULL for derived sources)
    sha256          TEXT,               -- of the file as loaded
    bytes           BIGINT,
    loaded_at       TIMESTAMP NOT NULL,
    notes           TEXT
);

CREATE TABLE areas (
    level             TEXT NOT NULL CHECK (level IN ('province', 'district', 'mahalle')),
    code              TEXT NOT NULL,    -- province '35'; district = TÜİK ilçe id; mahalle = TurkeyGeoJSON quarterId
    name              TEXT NOT NULL,    -- as spelled by the polygon source, suffix removed
    name_key          TEXT NOT NULL,    -- atlas.names.match_key(name)
    parent_code       TEXT,             -- district code of a mahalle; '35' for a district
    kind              TEXT NOT NULL CHECK (kind IN ('province', 'district', 'mahalle', 'island', 'industrial_zone', 'free_zone')),
    hdx_pcode         TEXT,             -- districts: HDX COD-AB pcode (TUR035001…)
    tuik_code         TEXT,             -- districts: TÜİK ilçe id; mahalle: TÜİK mahalle id when matched
    area_km2          DOUBLE NOT NULL,  -- from the full-resolution geometry, in UTM 35N (EPSG:32635)
    area_km2_official DOUBLE,           -- districts: HGM official area
    centroid_lon      DOUBLE NOT NULL,
    centroid_lat      DOUBLE NOT NULL,
    geom_wkb          BLOB NOT NULL,    -- repaired, EPSG:4326
    geom_display_wkb  BLOB NOT NULL,    -- coverage-simplified for display, EPSG:4326
    source_id         TEXT NOT NULL REFERENCES sources (source_id),
    PRIMARY KEY (level, code)
);

CREATE TABLE indicators (
    indicator_id  TEXT PRIMARY KEY,
    theme         TEXT NOT NULL,
    title_tr      TEXT NOT NULL,
    title_en      TEXT NOT NULL,
    unit_tr       TEXT NOT NULL,
    unit_en       TEXT NOT NULL,
    value_type    TEXT NOT NULL,
    polarity      TEXT NOT NULL CHECK (polarity IN ('higher_is_better', 'lower_is_better', 'no_judgement')),
    who_code      TEXT,
    origin        TEXT NOT NULL CHECK (origin IN ('catalogue', 'import')),
    metadata_json TEXT NOT NULL         -- the full catalogue entry (atlas.catalogue.Indicator)
);

CREATE TABLE indicator_values (
    indicator_id  TEXT NOT NULL REFERENCES indicators (indicator_id),
    level         TEXT NOT NULL,
    area_code     TEXT NOT NULL,
    period        TEXT NOT NULL,        -- '2023', or a span such as '2021-2025'
    period_sort   INTEGER NOT NULL,     -- the last year of the period, for ordering
    value         DOUBLE,               -- NULL unless status = 'ok'
    numerator     DOUBLE,
    denominator   DOUBLE,
    lower_ci      DOUBLE,
    upper_ci      DOUBLE,
    status        TEXT NOT NULL CHECK (status IN ('ok', 'suppressed', 'missing', 'not_applicable')),
    note_tr       TEXT,                 -- why a value is missing, suppressed or qualified, in Turkish
    note_en       TEXT,                 -- the same note in English
    coverage      DOUBLE,               -- share of the area covered by the source (grid indicators)
    source_id     TEXT NOT NULL REFERENCES sources (source_id),
    lower_998     DOUBLE,               -- the measure's own 99.8 % limits (e.g. Dobson's for a DSR), when
    upper_998     DOUBLE,               -- stored; NULL: benchmarking computes them (atlas/equity/benchmark.py)
    PRIMARY KEY (indicator_id, level, area_code, period),
    FOREIGN KEY (level, area_code) REFERENCES areas (level, code),
    CHECK (status = 'ok' OR value IS NULL),
    CHECK (status <> 'ok' OR value IS NOT NULL)
);

CREATE TABLE who_hc_indicators (
    code      TEXT PRIMARY KEY,
    grp       TEXT NOT NULL,
    title_tr  TEXT NOT NULL,
    title_en  TEXT NOT NULL
);

CREATE TABLE themes (
    theme_id  TEXT PRIMARY KEY,
    title_tr  TEXT NOT NULL,
    title_en  TEXT NOT NULL
);

-- How each name of a population table was matched to a polygon (the join report).
CREATE TABLE name_matches (
    source_id      TEXT NOT NULL REFERENCES sources (source_id),
    level          TEXT NOT NULL,
    district_code  TEXT NOT NULL,
    source_name    TEXT NOT NULL,
    source_code    TEXT,                -- the id the source gives the name (e.g. TÜİK mahalle id)
    area_code      TEXT,                -- NULL when unmatched
    method         TEXT NOT NULL,       -- exact, compact, token_set, abbreviation, one_letter, no_match, ambiguous, conflict
    weight         DOUBLE,              -- population carried by the row
    suggestions    TEXT                 -- closest candidates, '; '-separated
);

CREATE TABLE build_info (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);

-- Point layers (geodata/point_layers.toml, or a layer a user imported): one row per layer.
CREATE TABLE point_layers (
    layer_id        TEXT PRIMARY KEY,   -- e.g. 'bus_stops'
    title_tr        TEXT NOT NULL,
    title_en        TEXT NOT NULL,
    category        TEXT NOT NULL,      -- transport, green_space, physical_activity, … (atlas.points.catalogue.CATEGORIES)
    kinds           TEXT NOT NULL,      -- JSON list of the kinds of point the layer holds, e.g. ["metro", "izban"]
    source_ids      TEXT NOT NULL,      -- JSON list of the source ids the layer is built from
    licence_tr      TEXT NOT NULL,
    licence_en      TEXT NOT NULL,
    attribution_tr  TEXT NOT NULL,      -- shown wherever the layer or an indicator derived from it appears
    attribution_en  TEXT NOT NULL,
    data_date       TEXT NOT NULL,      -- the state of the data: YYYY, YYYY-MM or YYYY-MM-DD
    access_m        TEXT NOT NULL,      -- JSON list of the access distances that matter, in metres, e.g. [400]
    share_alike     BOOLEAN NOT NULL,   -- the licence requires derived databases to stay under it (ODbL)
    note_tr         TEXT,
    note_en         TEXT,
    origin          TEXT NOT NULL CHECK (origin IN ('catalogue', 'import'))
);

-- The points of every layer, each with the district and mahalle it falls in.
CREATE TABLE points (
    layer_id       TEXT NOT NULL REFERENCES point_layers (layer_id),
    point_id       TEXT NOT NULL,       -- unique in the layer: ESHOT DURAK_ID, 'metro:1', 'izban:1', 'way/123' (OSM)
    name           TEXT,                -- as the source spells it; NULL when it has none (most OSM features)
    kind           TEXT,                -- one of the layer's kinds (bus_stop, metro, izban, park, …)
    attributes     TEXT,                -- JSON object, e.g. {"lines": ["32", "35"]} for a bus stop
    lon            DOUBLE NOT NULL,     -- WGS84 (EPSG:4326)
    lat            DOUBLE NOT NULL,
    geom_wkb       BLOB NOT NULL,       -- the point, EPSG:4326
    district_code  TEXT NOT NULL,       -- the district polygon it falls in (or the nearest within the build's tolerance)
    mahalle_code   TEXT,                -- the mahalle polygon it falls in (or the nearest within the tolerance); NULL if none
    placement      TEXT NOT NULL CHECK (placement IN ('inside', 'nearest')),  -- 'nearest': outside every district polygon
    source_id      TEXT NOT NULL REFERENCES sources (source_id),
    PRIMARY KEY (layer_id, point_id)
);
