-- 一评四会: the escalation ladder with its causes, case conferences at every centre, and 交办 (a
-- case handed down from a conference to the centre below, with instructions and a deadline).

-- Every escalation, by hand or by the platform: from which centre to which, why. The platform
-- escalates a case once per cause and level (an overdue village case climbs once, not every scan).
CREATE TABLE escalation (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    incident_id bigint NOT NULL REFERENCES incident (id),
    cause       text NOT NULL CHECK (cause IN ('by_hand', 'overdue', 'mediation_failed', 'repeat_parties', 'red_alert')),
    from_centre text NOT NULL,
    to_centre   text NOT NULL,
    reason      text NOT NULL,
    by_user     text NOT NULL,
    at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX escalation_incident ON escalation (incident_id);
CREATE UNIQUE INDEX escalation_once_per_cause ON escalation (incident_id, cause, from_centre) WHERE cause <> 'by_hand';

-- 交办: what a superior centre handed down, to whom, by when; open until the lower centre reports
-- it done (the case then returns to the superior to verify and close).
CREATE TABLE hand_down (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    incident_id   bigint NOT NULL REFERENCES incident (id),
    from_centre   text NOT NULL,
    to_centre     text NOT NULL,
    instructions  text NOT NULL,
    deadline      timestamptz NOT NULL,
    conference_id bigint,
    created_by    text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'reported')),
    reported_by   text,
    reported_at   timestamptz,
    report        text
);
CREATE INDEX hand_down_to ON hand_down (to_centre, status);
CREATE UNIQUE INDEX hand_down_one_open ON hand_down (incident_id) WHERE status = 'open';

-- Case conferences: 说事评理会 (village), 综治联席会 (township), 评议会商会 (district), 分析研判会 (city).
CREATE TABLE conference (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    centre_code  text NOT NULL REFERENCES region (code),
    title        text NOT NULL,
    scheduled_at timestamptz NOT NULL,
    attendees    text[] NOT NULL DEFAULT '{}',
    minutes      text,
    status       text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'held')),
    created_by   text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    held_at      timestamptz,
    version      int NOT NULL DEFAULT 1
);
CREATE INDEX conference_centre ON conference (centre_code, scheduled_at DESC);

-- The agenda: each case once per conference, and what was decided on it.
CREATE TABLE conference_item (
    conference_id bigint NOT NULL REFERENCES conference (id),
    incident_id   bigint NOT NULL REFERENCES incident (id),
    added_by      text NOT NULL,
    added_at      timestamptz NOT NULL DEFAULT now(),
    decision      text CHECK (decision IN ('settle', 'hand_down', 'escalate', 'close')),
    note          text,
    decided_by    text,
    decided_at    timestamptz,
    PRIMARY KEY (conference_id, incident_id)
);
CREATE INDEX conference_item_incident ON conference_item (incident_id);
