-- 调解: how a dispute was mediated (agreement or not, by whom), and the return visits after an
-- agreement (at 7 and 30 days by default) that check it holds; a visit that finds it alive reopens it.
CREATE TABLE mediation (
    incident_id bigint PRIMARY KEY REFERENCES incident (id),
    outcome     text NOT NULL CHECK (outcome IN ('agreement', 'failed')),
    mediated_by text NOT NULL CHECK (mediated_by IN ('people', 'administrative', 'judicial', 'industry')),
    note        text,
    recorded_by text NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE mediation_visit (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    incident_id bigint NOT NULL REFERENCES incident (id),
    after_days  int NOT NULL,
    due_on      date NOT NULL,
    staff_id    bigint REFERENCES staff (id),   -- who is to go: the case's mediator, else its grid worker
    status      text NOT NULL DEFAULT 'due' CHECK (status IN ('due', 'done')),
    finding     text CHECK (finding IN ('settled', 'alive')),
    note        text,
    done_by     text,
    done_at     timestamptz,
    UNIQUE (incident_id, after_days)
);
CREATE INDEX mediation_visit_due ON mediation_visit (status, due_on);
CREATE INDEX mediation_visit_staff ON mediation_visit (staff_id, status);
