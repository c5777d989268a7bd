-- SLA clocks that push: deadlines per category and priority, a warning at 80 % of the stage's
-- time and a breach at 100 %, each signalled once per deadline.

-- A category's own columns are the clocks of its default priority; a row here gives the clocks of
-- another priority (a report marked more urgent than its category usually is must move faster).
CREATE TABLE category_priority_sla (
    category_code   text NOT NULL REFERENCES category (code),
    priority        smallint NOT NULL CHECK (priority BETWEEN 1 AND 4),
    accept_minutes  int NOT NULL CHECK (accept_minutes BETWEEN 1 AND 525600),
    arrive_minutes  int NOT NULL CHECK (arrive_minutes BETWEEN 1 AND 525600),
    resolve_minutes int NOT NULL CHECK (resolve_minutes BETWEEN 1 AND 525600),
    PRIMARY KEY (category_code, priority)
);

-- The default: each step more urgent than the category's own priority halves its clocks.
INSERT INTO category_priority_sla (category_code, priority, accept_minutes, arrive_minutes, resolve_minutes)
SELECT c.code, p, greatest(1, c.accept_minutes >> (c.priority - p)), greatest(1, c.arrive_minutes >> (c.priority - p)),
       greatest(1, c.resolve_minutes >> (c.priority - p))
FROM category c CROSS JOIN generate_series(1, 4) p
WHERE p < c.priority;

-- warn_at: when 80 % of the current stage's time (natural or working) has passed.
-- sla_next_at: the next moment a signal is due — warn_at, then due_at, then none.
ALTER TABLE incident ADD COLUMN warn_at timestamptz, ADD COLUMN sla_next_at timestamptz;
UPDATE incident SET warn_at = updated_at + (due_at - updated_at) * 0.8 WHERE due_at IS NOT NULL;
UPDATE incident SET sla_next_at = CASE WHEN warn_at > now() THEN warn_at WHEN due_at > now() THEN due_at END
WHERE status IN ('reported', 'accepted', 'dispatched', 'acknowledged', 'on_scene', 'escalated');
CREATE INDEX incident_sla_next ON incident (sla_next_at) WHERE sla_next_at IS NOT NULL;

-- What was signalled, once per incident, deadline and kind, whichever node's watch got there first.
CREATE TABLE sla_signal (
    incident_id bigint NOT NULL REFERENCES incident (id),
    due_at      timestamptz NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('warning', 'breach')),
    stage       text NOT NULL CHECK (stage IN ('accept', 'arrive', 'resolve')),
    at          timestamptz NOT NULL,
    PRIMARY KEY (incident_id, due_at, kind)
);

CREATE OR REPLACE FUNCTION live_incident(i incident, category_name text, action text, actor text) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', i.id, 'status', i.status, 'categoryCode', i.category_code, 'categoryName', category_name,
        'priority', i.priority, 'description', left(i.description, 120),
        'lon', ST_X(i.location), 'lat', ST_Y(i.location),
        'gridCode', i.grid_code, 'villageCode', i.village_code, 'townshipCode', i.township_code, 'districtCode', i.district_code,
        'level', i.level, 'version', i.version, 'createdAt', beijing(i.created_at), 'updatedAt', beijing(i.updated_at),
        'dueAt', beijing(i.due_at), 'warnAt', beijing(i.warn_at),
        'duplicateOf', (SELECT d.id FROM incident d WHERE d.id = i.duplicate_of AND d.grid_code = i.grid_code),
        'action', action, 'actor', actor)
$$;
