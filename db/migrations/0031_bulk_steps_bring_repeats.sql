-- A bulk writer brings whether a step repeats its case's action, as it brings the step's place.
--
-- generate-history writes a year's steps in one COPY inside one transaction: the trigger's look-back
-- for an earlier step of the same action then ran on a plan cached while the table was empty (a
-- sequential scan — nothing can re-plan it before the transaction commits, no ANALYZE sees the
-- rows), so each of 4 M rows scanned the rows before it and a load that took 6 minutes did not end.
-- A writer that brings the place (grid_code and reported_at) knows the case's earlier steps too,
-- and brings `repeated`; every other insert is filled here, as before.
CREATE OR REPLACE FUNCTION incident_event_place() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.grid_code IS NULL OR NEW.reported_at IS NULL THEN
        SELECT i.grid_code, i.created_at INTO NEW.grid_code, NEW.reported_at FROM incident i WHERE i.id = NEW.incident_id;
        -- Steps of a case are written under its row lock, in id order, so the rows before this one are all there.
        NEW.repeated := EXISTS (
            SELECT 1 FROM incident_event x WHERE x.incident_id = NEW.incident_id AND x.action = NEW.action AND x.id < NEW.id);
    END IF;
    RETURN NEW;
END $$;
