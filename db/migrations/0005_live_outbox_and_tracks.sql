-- Live events through a transactional outbox, and field staff's tracks.

-- Every state change writes its event here in its own transaction: a change that rolls back
-- leaves no event, a committed one always has its row. The relay (one server at a time, by
-- advisory lock) gives committed rows their seq in the order it publishes them: gap-free and
-- increasing, whatever the order in which concurrent writers committed.
CREATE TABLE outbox (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    seq       bigint UNIQUE,                          -- NULL until the relay takes the row
    type      text NOT NULL,                          -- incident.created, staff.location, …
    at        timestamptz NOT NULL DEFAULT now(),
    -- Who may see it: users whose region contains scope (a grid or region code; codes nest by
    -- prefix, the city sees all), the staff listed, and field users only when to_field.
    scope     text NOT NULL,
    staff_ids bigint[] NOT NULL DEFAULT '{}',
    to_field  boolean NOT NULL DEFAULT true,
    data      jsonb NOT NULL
);
CREATE INDEX outbox_unsequenced ON outbox (id) WHERE seq IS NULL;
CREATE INDEX outbox_at ON outbox (at);

-- The last seq the relay handed to the servers; a new relay re-publishes what came after it
-- (servers drop a seq they already have).
CREATE TABLE relay_cursor (
    singleton     boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    published_seq bigint NOT NULL
);
INSERT INTO relay_cursor VALUES (true, 0);

-- Wake the relay at commit (notifications are delivered only if the transaction commits).
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('dispatch_outbox', '');
    RETURN NULL;
END $$;
CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();

-- Times in events read as the centres read them: ISO 8601 in Beijing time, whatever the session's zone.
CREATE FUNCTION beijing(t timestamptz) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT to_char(t AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS.US"+08:00"')
$$;

-- What an incident event says: no personal data (screens read the reporter over REST, masked
-- per role). The one place this shape is defined, for intake and transitions alike.
CREATE FUNCTION live_incident(i incident, category_name text, action text, actor text) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', i.id, 'status', i.status, 'categoryCode', i.category_code, 'categoryName', category_name,
        'priority', i.priority, 'description', left(i.description, 120),
        'lon', ST_X(i.location), 'lat', ST_Y(i.location),
        'gridCode', i.grid_code, 'villageCode', i.village_code, 'townshipCode', i.township_code, 'districtCode', i.district_code,
        'level', i.level, 'version', i.version, 'createdAt', beijing(i.created_at), 'updatedAt', beijing(i.updated_at), 'dueAt', beijing(i.due_at),
        'duplicateOf', i.duplicate_of, 'action', action, 'actor', actor)
$$;

-- A field phone's fixes, encrypted by the server (AES-GCM: lon, lat, accuracy); kept for
-- Staff:TrackRetentionDays and purged by a scheduled job. The latest position stays in
-- staff.position, in clear, because recommendations search it by distance.
CREATE TABLE staff_track (
    staff_id bigint NOT NULL REFERENCES staff (id),
    at       timestamptz NOT NULL DEFAULT now(),
    fix      bytea NOT NULL
);
CREATE INDEX staff_track_staff ON staff_track (staff_id, at);
CREATE INDEX staff_track_at ON staff_track (at);

-- When this person's position was last pushed to dispatchers (pushes are throttled).
ALTER TABLE staff ADD COLUMN location_pushed_at timestamptz;
