-- 督办: a supervisor orders an incident handled by a date; the responsible centre acknowledges; the
-- order is done when the incident is closed (or ends otherwise), late when that came after the date.
CREATE TABLE supervision_order (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    incident_id     bigint NOT NULL REFERENCES incident (id),
    ordered_by      text NOT NULL,
    ordered_at      timestamptz NOT NULL DEFAULT now(),
    centre_code     text NOT NULL,          -- the responsible centre when ordered
    due_by          timestamptz NOT NULL,
    note            text NOT NULL,
    status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'done')),
    acknowledged_by text,
    acknowledged_at timestamptz,
    done_at         timestamptz
);
CREATE INDEX supervision_order_incident ON supervision_order (incident_id);
CREATE INDEX supervision_order_open ON supervision_order (status, due_by) WHERE status <> 'done';

-- Live rows say whether a case is under an open 督办, so every screen that shows it can mark it.
CREATE OR REPLACE FUNCTION live_incident(i incident, category_name text, action text, actor text) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', i.id, 'status', i.status, 'categoryCode', i.category_code, 'categoryName', category_name,
        'priority', i.priority, 'description', left(i.description, 120),
        'lon', ST_X(i.location), 'lat', ST_Y(i.location),
        'gridCode', i.grid_code, 'villageCode', i.village_code, 'townshipCode', i.township_code, 'districtCode', i.district_code,
        'level', i.level, 'centreCode', i.centre_code, 'version', i.version,
        'createdAt', beijing(i.created_at), 'updatedAt', beijing(i.updated_at),
        'dueAt', beijing(i.due_at), 'warnAt', beijing(i.warn_at),
        'supervised', EXISTS (SELECT 1 FROM supervision_order o WHERE o.incident_id = i.id AND o.status <> 'done'),
        'duplicateOf', (SELECT d.id FROM incident d WHERE d.id = i.duplicate_of AND d.grid_code = i.grid_code),
        'action', action, 'actor', actor)
$$;
