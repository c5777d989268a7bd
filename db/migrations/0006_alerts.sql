-- Early-warning alerts (预警): what a detector found, explained, and what people did about it.

CREATE TABLE alert (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    detector        text NOT NULL,                 -- ears-c2, expectation-based-poisson-scan, silent-grid, repeat-place …
    region_code     text NOT NULL,                 -- the smallest region holding every grid of the signal
    grid_codes      text[] NOT NULL,
    level           text NOT NULL CHECK (level IN ('blue', 'yellow', 'orange', 'red')),
    status          text NOT NULL DEFAULT 'raised' CHECK (status IN ('raised', 'acknowledged', 'tasked', 'closed')),
    title           text NOT NULL,
    summary         text NOT NULL,                 -- the explanation a supervisor reads
    observed        double precision,
    expected        double precision,
    score           double precision,
    p_value         double precision,
    window_from     date NOT NULL,
    window_to       date NOT NULL,
    raised_at       timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    handled_by      text,
    task_incident_id bigint REFERENCES incident (id),
    closed_at       timestamptz,
    version         int NOT NULL DEFAULT 1
);
-- One open alert per developing signal: a detector's signal in a region is updated, not repeated.
CREATE UNIQUE INDEX alert_open_signal ON alert (detector, region_code) WHERE status <> 'closed';
CREATE INDEX alert_region ON alert (region_code, raised_at DESC);
CREATE INDEX alert_status ON alert (status, raised_at DESC);

-- What an alert event says (alert.raised / alert.updated), defined once.
CREATE FUNCTION live_alert(a alert) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', a.id, 'level', a.level, 'status', a.status, 'detector', a.detector, 'regionCode', a.region_code,
        'title', a.title, 'summary', a.summary, 'raisedAt', beijing(a.raised_at), 'updatedAt', beijing(a.updated_at))
$$;
