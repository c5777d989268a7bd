-- 考核 over a year without sorting it (docs/performance.md, "Assessment reads"). Response and
-- resolution times count a case's first arrival and first resolution; finding them took a sort of
-- the period's steps by case and a look back before the period for each. A step now knows whether
-- it repeats an action its case has had before (a second arrival after rework, say) — decided
-- once, on insert, from the rows before it — and a follow-up carries its case's grid as the steps
-- do (moved with the case when relocated). Repeats are few (≈ 1.6 % of a year's steps), so
-- marking them, not the firsts, keeps this migration quick on a large table.

ALTER TABLE incident_event ADD COLUMN repeated boolean NOT NULL DEFAULT false;
UPDATE incident_event e SET repeated = true
FROM (SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY incident_id, action ORDER BY id) AS nth FROM incident_event) n WHERE nth > 1) r
WHERE e.id = r.id;

ALTER TABLE follow_up ADD COLUMN grid_code text;
UPDATE follow_up f SET grid_code = i.grid_code FROM incident i WHERE i.id = f.incident_id;
ALTER TABLE follow_up ALTER COLUMN grid_code SET NOT NULL;

CREATE OR REPLACE FUNCTION incident_event_place() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- A bulk writer (generate-history) brings both; every other insert is filled here.
    IF NEW.grid_code IS NULL OR NEW.reported_at IS NULL THEN
        SELECT i.grid_code, i.created_at INTO NEW.grid_code, NEW.reported_at FROM incident i WHERE i.id = NEW.incident_id;
    END IF;
    -- Steps of a case are written under its row lock, in id order (a bulk load in id order too), so
    -- the rows before this one are all there.
    NEW.repeated := EXISTS (
        SELECT 1 FROM incident_event x WHERE x.incident_id = NEW.incident_id AND x.action = NEW.action AND x.id < NEW.id);
    RETURN NEW;
END $$;

CREATE FUNCTION follow_up_place() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.grid_code IS NULL THEN
        SELECT i.grid_code INTO NEW.grid_code FROM incident i WHERE i.id = NEW.incident_id;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER follow_up_place BEFORE INSERT ON follow_up FOR EACH ROW EXECUTE FUNCTION follow_up_place();

CREATE OR REPLACE FUNCTION incident_relocated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE incident_event SET grid_code = NEW.grid_code WHERE incident_id = NEW.id;
    UPDATE follow_up SET grid_code = NEW.grid_code WHERE incident_id = NEW.id;
    RETURN NULL;
END $$;

-- A period's first arrivals and resolutions, from the index alone; a period's answered follow-ups by grid.
CREATE INDEX incident_event_first ON incident_event (at) INCLUDE (action, incident_id, grid_code, reported_at)
    WHERE NOT repeated AND action IN ('arrive', 'resolve');
DROP INDEX follow_up_done_at;
CREATE INDEX follow_up_done_at ON follow_up (done_at) INCLUDE (incident_id, grid_code, result) WHERE status = 'done';
