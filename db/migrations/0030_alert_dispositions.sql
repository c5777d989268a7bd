-- What became of an alert, so that the next one can be trusted (issue 15).
--
-- A person who closes an alert says whether it was a true alarm, a false one or unsure: over 90
-- days that is each detector's precision, shown to supervisors. An alert closed by the platform
-- itself (an 一评 project that passed its assessment) has no disposition.
ALTER TABLE alert ADD COLUMN disposition text CHECK (disposition IN ('true', 'false', 'unsure'));
CREATE INDEX alert_disposed ON alert (closed_at) INCLUDE (detector, disposition, region_code) WHERE disposition IS NOT NULL;

-- Where the signal is hottest: the service point of the grid with the most reports over the
-- window, or the mean position of the repeated reports at one place. A task made from the alert
-- is placed here, not at the first grid of its list.
ALTER TABLE alert ADD COLUMN spot geometry(Point, 4326);

-- A snoozed alert stays open and keeps its evidence current, but neither the wall's banner nor
-- its sound takes it until the snooze ends — or until its level rises, which ends it at once.
ALTER TABLE alert ADD COLUMN snoozed_until timestamptz;

-- A snooze over a region (an expected festival crowd, a known works site): alarms raised or
-- updated inside it while it lasts are recorded as usual, snoozed. A detector may be named; none
-- means every alarm detector. Notices are never snoozed: they fire by definition.
CREATE TABLE alert_snooze (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    region_code text NOT NULL,
    detector    text,
    until       timestamptz NOT NULL,
    reason      text NOT NULL,
    created_by  text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    ended_at    timestamptz,
    ended_by    text,
    CHECK (until > created_at)
);
CREATE INDEX alert_snooze_active ON alert_snooze (region_code) WHERE ended_at IS NULL;

-- The lane, once, for the generated column and for the snooze: notices are the rules that fire by
-- definition (migration 0027).
CREATE FUNCTION alert_lane(detector text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN detector IN ('three-zero-change', 'risk-unassessed') THEN 'notice' ELSE 'alarm' END
$$;
ALTER TABLE alert DROP COLUMN lane;
ALTER TABLE alert ADD COLUMN lane text NOT NULL GENERATED ALWAYS AS (alert_lane(detector)) STORED;


-- A task's end reaches its alert: whichever way the incident closes (its own steps, a case
-- conference, a department's report verified), the alert says so, pushed like any change, and
-- waits for the supervisor's disposition.
ALTER TABLE alert ADD COLUMN task_done_at timestamptz;
ALTER TABLE alert ADD COLUMN task_outcome text;

CREATE OR REPLACE FUNCTION live_alert(a alert) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', a.id, 'level', a.level, 'status', a.status, 'detector', a.detector, 'lane', a.lane, 'regionCode', a.region_code,
        'title', a.title, 'summary', a.summary, 'raisedAt', beijing(a.raised_at), 'updatedAt', beijing(a.updated_at),
        'snoozedUntil', beijing(a.snoozed_until), 'disposition', a.disposition, 'taskDoneAt', beijing(a.task_done_at))
$$;

CREATE FUNCTION alert_task_done() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH done AS (
        UPDATE alert SET task_done_at = now(), task_outcome = NEW.status, updated_at = now(), version = version + 1
        WHERE task_incident_id = NEW.id AND status = 'tasked' AND task_done_at IS NULL
        RETURNING *)
    INSERT INTO outbox (type, scope, data) SELECT 'alert.updated', region_code, live_alert(ROW(d.*)::alert) FROM done d;
    RETURN NULL;
END $$;
CREATE TRIGGER alert_task_done AFTER UPDATE OF status ON incident
    FOR EACH ROW WHEN (NEW.status IN ('closed', 'cancelled', 'rejected') AND OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION alert_task_done();
CREATE INDEX alert_task ON alert (task_incident_id) WHERE task_incident_id IS NOT NULL;
