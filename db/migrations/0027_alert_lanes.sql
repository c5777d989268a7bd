-- Rules are not alarms. What fires by definition — a village losing its 三零 standing, a project
-- carried out without a passed 一评 — is a notice: it is listed, counted and handled like an alert,
-- but it is not a statistical alarm, does not flash the wall, and will not share the alarms'
-- false-alarm budget. The lane follows from the detector, so it is generated, never written.
ALTER TABLE alert ADD COLUMN lane text NOT NULL
    GENERATED ALWAYS AS (CASE WHEN detector IN ('three-zero-change', 'risk-unassessed') THEN 'notice' ELSE 'alarm' END) STORED;

CREATE OR REPLACE FUNCTION live_alert(a alert) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', a.id, 'level', a.level, 'status', a.status, 'detector', a.detector, 'lane', a.lane, 'regionCode', a.region_code,
        'title', a.title, 'summary', a.summary, 'raisedAt', beijing(a.raised_at), 'updatedAt', beijing(a.updated_at))
$$;
