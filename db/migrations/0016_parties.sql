-- 当事人: the parties of a dispute, sealed like reporters' data, with keyed hashes of their ID
-- number and phone (never the values) so that cases are linked by party as well as by place.
CREATE TABLE incident_party (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    incident_id bigint NOT NULL REFERENCES incident (id),
    role       text NOT NULL CHECK (role IN ('applicant', 'respondent', 'other')),
    name       bytea NOT NULL,
    id_number  bytea,
    phone      bytea,
    link_keys  text[] NOT NULL DEFAULT '{}',
    created_by text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX incident_party_incident ON incident_party (incident_id);
CREATE INDEX incident_party_keys ON incident_party USING gin (link_keys);

-- The earlier case between the same parties this one was linked to.
ALTER TABLE incident ADD COLUMN linked_to bigint REFERENCES incident (id);
