-- 大走访、大排查: field staff log visits to households and places of their grid; coverage is the
-- distinct households visited in a period against the grid's registered household count.

-- The registered household count (登记户数) of a grid. The demo geography has no population, so each
-- grid starts with a plausible figure made from its code (150–600, the same on every machine and
-- PostgreSQL version — plain integer arithmetic, no hashtext); administrators edit the real one.
-- The grids are seeded after the migrations (COPY fires the trigger), so the default comes from a
-- trigger as well as from the UPDATE for a database whose grids already exist.
CREATE FUNCTION demo_households(code text) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
    SELECT 150 + (((right(code, 9)::bigint * 2654435761) % 4294967296) % 451)::int
$$;

ALTER TABLE grid
    ADD COLUMN households        integer CHECK (households BETWEEN 0 AND 100000),
    ADD COLUMN households_set_by text,
    ADD COLUMN households_set_at timestamptz;
UPDATE grid SET households = demo_households(code);

CREATE FUNCTION grid_households_default() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.households := coalesce(NEW.households, demo_households(NEW.code));
    RETURN NEW;
END
$$;
CREATE TRIGGER grid_households_default BEFORE INSERT ON grid FOR EACH ROW EXECUTE FUNCTION grid_households_default();
ALTER TABLE grid ALTER COLUMN households SET NOT NULL;

-- A visit (走访) as the phone logged it. The grid is where the position lies (the intake's locator);
-- place_key is a door number (3号楼2单元301) or a place's name — never a person's name. client_key is
-- the phone outbox's key: a resend of the same visit finds the first one instead of adding another.
CREATE TABLE visit (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    grid_code   text NOT NULL REFERENCES grid (code),
    staff_id    bigint NOT NULL REFERENCES staff (id),
    kind        text NOT NULL CHECK (kind IN ('household', 'place')),
    place_key   text NOT NULL CHECK (length(place_key) BETWEEN 1 AND 100),
    location    geometry(Point, 4326) NOT NULL,
    notes       text CHECK (length(notes) <= 2000),
    visited_at  timestamptz NOT NULL,
    client_key  text NOT NULL CHECK (length(client_key) BETWEEN 1 AND 128),
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (staff_id, client_key)
);
CREATE INDEX visit_grid_at ON visit (grid_code, visited_at);
CREATE INDEX visit_staff_at ON visit (staff_id, visited_at DESC);

-- Coverage counts a household once however its door number was typed: trimmed, without spaces, upper case.
CREATE FUNCTION household_key(place_key text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT upper(regexp_replace(place_key, '\s+', '', 'g'))
$$;

-- The problems a visit found (发现问题), in the order logged; each may become one incident (转为事件).
CREATE TABLE visit_problem (
    visit_id    bigint NOT NULL REFERENCES visit (id),
    ordinal     int NOT NULL CHECK (ordinal BETWEEN 0 AND 19),
    description text NOT NULL CHECK (length(description) BETWEEN 1 AND 1000),
    incident_id bigint UNIQUE REFERENCES incident (id),
    PRIMARY KEY (visit_id, ordinal)
);
