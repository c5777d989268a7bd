-- Categories, field staff, incidents with their timeline and assignments.

-- 事件类别: what kind of problem, how urgent by default, the SLA clock and who must go.
CREATE TABLE category (
    code            text PRIMARY KEY,
    name            text NOT NULL,
    name_en         text NOT NULL,
    parent_code     text REFERENCES category (code),
    priority        smallint NOT NULL CHECK (priority BETWEEN 1 AND 4),  -- 1 紧急 … 4 一般
    accept_minutes  int NOT NULL CHECK (accept_minutes > 0),
    arrive_minutes  int NOT NULL CHECK (arrive_minutes > 0),
    resolve_minutes int NOT NULL CHECK (resolve_minutes > 0),
    working_hours   boolean NOT NULL DEFAULT false,
    roles           text[] NOT NULL CHECK (cardinality(roles) > 0)
);

INSERT INTO category (code, name, name_en, parent_code, priority, accept_minutes, arrive_minutes, resolve_minutes, working_hours, roles) VALUES
('dispute',            '矛盾纠纷',     'Dispute',                     NULL,      3, 30, 240, 4320, false, '{grid_worker,mediator}'),
('dispute.neighbour',  '邻里纠纷',     'Neighbour dispute',           'dispute', 3, 30, 240, 2880, false, '{grid_worker,mediator}'),
('dispute.family',     '婚姻家庭纠纷', 'Family or marriage dispute',  'dispute', 3, 30, 240, 2880, false, '{grid_worker,mediator}'),
('dispute.land',       '土地纠纷',     'Land dispute',                'dispute', 3, 60, 480, 7200, true,  '{grid_worker,mediator,legal_adviser}'),
('dispute.wages',      '劳资纠纷',     'Wage or labour dispute',      'dispute', 2, 30, 240, 4320, true,  '{grid_worker,mediator,legal_adviser}'),
('dispute.debt',       '债务纠纷',     'Debt dispute',                'dispute', 3, 60, 480, 7200, true,  '{grid_worker,legal_adviser}'),
('dispute.property',   '物业纠纷',     'Property-management dispute', 'dispute', 3, 60, 480, 4320, true,  '{grid_worker,mediator}'),
('dispute.demolition', '征地拆迁纠纷', 'Demolition dispute',          'dispute', 2, 30, 240, 7200, true,  '{grid_worker,mediator,legal_adviser}'),
('petition',           '信访',         'Petition',                    NULL,      2, 60, 480, 7200, true,  '{grid_worker,legal_adviser}'),
('safety',             '安全隐患',     'Safety hazard',               NULL,      2, 30, 120, 1440, false, '{grid_worker}'),
('order',              '治安',         'Public order',                NULL,      2, 10,  30,  480, false, '{police,grid_worker}'),
('criminal',           '刑事案件',     'Criminal case',               NULL,      1,  5,  15, 1440, false, '{police}'),
('accident',           '事故',         'Accident',                    NULL,      1,  5,  20,  240, false, '{police,grid_worker}'),
('service',            '民生诉求',     'Public-service request',      NULL,      4, 120, 1440, 7200, true, '{grid_worker}');

-- 网格员, 村警, 法律顾问, 矛调队伍: one grid worker per grid; police, legal adviser and mediation
-- team per village. Position is the last one reported, else the home service point.
CREATE TABLE staff (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code        text NOT NULL UNIQUE,
    name        text NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('grid_worker', 'police', 'legal_adviser', 'mediator')),
    grid_code   text NOT NULL REFERENCES grid (code),  -- home grid (a village's staff: its first grid)
    home        geometry(Point, 4326) NOT NULL,
    position    geography(Point, 4326) NOT NULL,
    position_at timestamptz,
    status      text NOT NULL DEFAULT 'available' CHECK (status IN ('available', 'busy', 'off_duty'))
);
CREATE INDEX staff_position ON staff USING gist (position);
CREATE INDEX staff_kind_status ON staff (kind, status);
CREATE INDEX staff_grid ON staff (grid_code);

CREATE TABLE incident (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    status            text NOT NULL CHECK (status IN ('reported', 'accepted', 'rejected', 'dispatched', 'acknowledged',
                                                      'on_scene', 'resolved', 'verified', 'closed', 'escalated', 'cancelled')),
    category_code     text NOT NULL REFERENCES category (code),
    priority          smallint NOT NULL CHECK (priority BETWEEN 1 AND 4),
    description       text NOT NULL,
    location          geometry(Point, 4326) NOT NULL,
    grid_code         text NOT NULL REFERENCES grid (code),
    village_code      text NOT NULL,
    township_code     text NOT NULL,
    district_code     text NOT NULL,
    level             text NOT NULL DEFAULT 'township' CHECK (level IN ('township', 'district', 'city')),
    source            text NOT NULL CHECK (source IN ('grid_worker', 'hotline', 'walk_in', 'police_transfer', 'online')),
    -- Personal data, AES-GCM encrypted by the server (PIPL): never stored or logged in clear.
    reporter_name     bytea,
    reporter_phone    bytea,
    duplicate_of      bigint REFERENCES incident (id),
    version           int NOT NULL DEFAULT 1,
    created_by        text NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    due_at            timestamptz NOT NULL
);
CREATE INDEX incident_created ON incident (created_at DESC);
CREATE INDEX incident_status ON incident (status);
CREATE INDEX incident_district ON incident (district_code, created_at DESC);
CREATE INDEX incident_township ON incident (township_code, created_at DESC);
CREATE INDEX incident_grid ON incident (grid_code, created_at DESC);
CREATE INDEX incident_category ON incident (category_code, created_at DESC);
CREATE INDEX incident_location ON incident USING gist (location);

-- The timeline: every step, append-only (who, when, where, why).
CREATE TABLE incident_event (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    incident_id bigint NOT NULL REFERENCES incident (id),
    at          timestamptz NOT NULL DEFAULT now(),
    actor       text NOT NULL,
    action      text NOT NULL,
    from_status text,
    to_status   text NOT NULL,
    note        text,
    location    geometry(Point, 4326)
);
CREATE INDEX incident_event_incident ON incident_event (incident_id, id);

CREATE TABLE assignment (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    incident_id  bigint NOT NULL REFERENCES incident (id),
    staff_id     bigint NOT NULL REFERENCES staff (id),
    role         text NOT NULL,
    status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'acknowledged', 'declined', 'replaced', 'released')),
    assigned_by  text NOT NULL,
    assigned_at  timestamptz NOT NULL DEFAULT now(),
    responded_at timestamptz
);
CREATE INDEX assignment_incident ON assignment (incident_id);
-- No double-booking: a person holds at most one live assignment, whatever races the writers run.
CREATE UNIQUE INDEX assignment_one_live_per_staff ON assignment (staff_id) WHERE status IN ('pending', 'acknowledged');

-- The same Idempotency-Key and body give the same incident.
CREATE TABLE idempotency_key (
    key          text NOT NULL,
    username     text NOT NULL,
    request_hash bytea NOT NULL,
    incident_id  bigint NOT NULL REFERENCES incident (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (username, key)
);

-- Photos live on disk, named by their hash; the row says whose and what.
CREATE TABLE attachment (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    incident_id  bigint NOT NULL REFERENCES incident (id),
    sha256       text NOT NULL,
    content_type text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png')),
    bytes        int NOT NULL,
    uploaded_by  text NOT NULL,
    uploaded_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX attachment_incident ON attachment (incident_id);
