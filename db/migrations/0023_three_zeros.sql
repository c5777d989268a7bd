-- The 三零 board (零上访、零事故、零案件): petitions beyond the township as a tracked category, and
-- the enterprises and units registered as 三零 units.

-- 越级上访: a petition taken past the township (to the district, the city or higher). Filed as its
-- own category so the board counts it however the case is then handled; SLA as a petition.
INSERT INTO category (code, name, name_en, parent_code, priority, accept_minutes, arrive_minutes, resolve_minutes, working_hours, roles, start_level) VALUES
('petition.beyond_township', '越级上访', 'Petition beyond the township', 'petition', 2, 60, 480, 7200, true, '{grid_worker,legal_adviser}', 'village');

-- Clocks per priority for the new category, as 0011 gave every category (each step more urgent halves them).
INSERT INTO category_priority_sla (category_code, priority, accept_minutes, arrive_minutes, resolve_minutes)
SELECT s.category_code || '.beyond_township', s.priority, s.accept_minutes, s.arrive_minutes, s.resolve_minutes
FROM category_priority_sla s WHERE s.category_code = 'petition'
ON CONFLICT DO NOTHING;

-- 三零单位: enterprises, schools, hospitals … registered for the campaign. An incident counts for a
-- unit when it lies within 200 m of the unit's location (the board's rule, ThreeZeros/). village_code
-- is not a foreign key, as on incident: the region tree is seeded after the migrations, and the demo
-- units with it (ThreeZeros/SeedThreeZeroUnits.cs), in villages that exist by then.
-- What counts as "major" is configuration (ThreeZeros:Major), not a table: operators set it once
-- per deployment with the campaign's rules, nothing edits it at run time, and the alert job and the
-- board must read the same value without a round trip.
CREATE TABLE three_zero_unit (
    code          text PRIMARY KEY CHECK (code ~ '^[A-Za-z0-9_-]{1,40}$'),
    name          text NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('enterprise', 'unit', 'school', 'hospital', 'market', 'site')),
    village_code  text NOT NULL CHECK (village_code ~ '^[0-9]{12}$'),
    location      geometry(Point, 4326) NOT NULL,
    registered_at date NOT NULL
);
CREATE INDEX three_zero_unit_village ON three_zero_unit (village_code);
CREATE INDEX three_zero_unit_location ON three_zero_unit USING gist ((location::geography));

-- The board counts incidents of three kinds per village and period, and around units by distance.
CREATE INDEX incident_village_created ON incident (village_code, created_at);
CREATE INDEX incident_location_geography ON incident USING gist ((location::geography));
