-- The region tree (city → district → township → village) and the grids beneath it.
-- Names and codes are the National Bureau of Statistics' (db/divisions.csv); polygons are
-- generated for the demo and imported from the city's GIS in production.
CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE region (
    code        text PRIMARY KEY,
    name        text NOT NULL,
    level       text NOT NULL CHECK (level IN ('city', 'district', 'township', 'village')),
    parent_code text REFERENCES region (code),
    geom        geometry(MultiPolygon, 4326),
    -- Tiles are cut in Web Mercator; storing the projection once saves a transform per tile.
    geom_3857   geometry(MultiPolygon, 3857) GENERATED ALWAYS AS (ST_Transform(geom, 3857)) STORED,
    label_point geometry(Point, 4326) GENERATED ALWAYS AS (ST_PointOnSurface(geom)) STORED,
    CHECK ((level = 'city') = (parent_code IS NULL))
);
CREATE INDEX region_parent ON region (parent_code);
CREATE INDEX region_geom ON region USING gist (geom);
CREATE INDEX region_geom_3857 ON region USING gist (geom_3857);

CREATE TABLE grid (
    code          text PRIMARY KEY CHECK (code ~ '^[0-9]{15}$'),
    name          text NOT NULL,
    village_code  text NOT NULL REFERENCES region (code),
    geom          geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom)),
    geom_3857     geometry(MultiPolygon, 3857) GENERATED ALWAYS AS (ST_Transform(geom, 3857)) STORED,
    service_point geometry(Point, 4326) NOT NULL,
    CHECK (left(code, 12) = village_code),
    CHECK (ST_Contains(geom, service_point))
);
CREATE INDEX grid_village ON grid (village_code);
CREATE INDEX grid_geom ON grid USING gist (geom);
CREATE INDEX grid_geom_3857 ON grid USING gist (geom_3857);
CREATE INDEX grid_service_point ON grid USING gist (service_point);

-- A grid with the codes of all its ancestors: what the API and tiles hand out.
CREATE VIEW grid_place AS
SELECT g.code, g.name, g.village_code, t.code AS township_code, d.code AS district_code,
       g.geom, g.geom_3857, g.service_point
FROM grid g
JOIN region v ON v.code = g.village_code
JOIN region t ON t.code = v.parent_code
JOIN region d ON d.code = t.parent_code;
