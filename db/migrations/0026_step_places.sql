-- 考核 at the scale of a year (≈ 500,000 incidents, 4 million steps): every timeline entry carries
-- its incident's grid and report time, so that a period's figures read the period's steps from
-- one index without joining each to its incident (docs/performance.md, "Assessment reads").
-- The database keeps the copy true: filled on insert from the incident, and moved with it when
-- a case is relocated (改址) — a step counts where its case is, as the KPIs always counted it.
ALTER TABLE incident_event ADD COLUMN grid_code text, ADD COLUMN reported_at timestamptz;
UPDATE incident_event e SET grid_code = i.grid_code, reported_at = i.created_at FROM incident i WHERE i.id = e.incident_id;
ALTER TABLE incident_event ALTER COLUMN grid_code SET NOT NULL, ALTER COLUMN reported_at SET NOT NULL;

CREATE FUNCTION incident_event_place() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- A bulk writer (generate-history) brings both; every other insert is filled here.
    IF NEW.grid_code IS NULL OR NEW.reported_at IS NULL THEN
        SELECT i.grid_code, i.created_at INTO NEW.grid_code, NEW.reported_at FROM incident i WHERE i.id = NEW.incident_id;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER incident_event_place BEFORE INSERT ON incident_event FOR EACH ROW EXECUTE FUNCTION incident_event_place();

CREATE FUNCTION incident_relocated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE incident_event SET grid_code = NEW.grid_code WHERE incident_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER incident_relocated AFTER UPDATE OF grid_code ON incident
    FOR EACH ROW WHEN (OLD.grid_code IS DISTINCT FROM NEW.grid_code) EXECUTE FUNCTION incident_relocated();

-- The period's steps of an area, read from the index alone; resolve deadlines falling in a period (按期办结);
-- and the period's reports of an area with their centre.
CREATE INDEX incident_event_kpi ON incident_event (action, at) INCLUDE (id, incident_id, grid_code, due_at, reported_at);
CREATE INDEX incident_created_place ON incident (created_at) INCLUDE (grid_code, centre_code);
-- A small area's steps of a period, by grid (the KPIs give their prefix as a range of codes too).
CREATE INDEX incident_event_grid_at ON incident_event (grid_code, at) INCLUDE (action, id, incident_id, due_at, reported_at);
DROP INDEX incident_event_action_at;
CREATE INDEX incident_event_resolve_due ON incident_event (due_at) INCLUDE (incident_id, grid_code, at) WHERE action = 'resolve';
