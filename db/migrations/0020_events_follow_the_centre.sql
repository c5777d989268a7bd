-- An incident's events reach the centre that holds it and the departments working on it, not only
-- the area of its place: a case transferred (转办) to a neighbouring township, or handed to 人社,
-- must appear on their screens live, as it already does over REST (the rule of VisibleSql).
-- Scope stays the place; also_scopes lists the other regions (a centre code, or 'dept-<code>')
-- whose users — exactly those, as over REST — see the event; empty for nearly every event, where
-- the place's own centres hold the case.
ALTER TABLE outbox ADD COLUMN also_scopes text[] NOT NULL DEFAULT '{}';

-- Who else sees an incident's events: its responsible centre when that centre's area does not
-- contain the place (the city sees everything anyway), and every department ever handed a task
-- on it (they keep reading it).
CREATE FUNCTION live_also_scopes(i incident) RETURNS text[] LANGUAGE sql STABLE AS $$
    SELECT ARRAY(
        SELECT s FROM (
            SELECT i.centre_code AS s WHERE i.centre_code IS NOT NULL AND i.centre_code <> '410600' AND NOT starts_with(i.grid_code, i.centre_code)
            UNION
            SELECT 'dept-' || t.department_code FROM department_task t
            WHERE t.incident_id = i.id
        ) x ORDER BY s)
$$;
