-- Sign-in kept on the server: sessions that logout, a password change or an administrator can
-- end; a failure throttle shared by every node instead of a lock anyone could hold; accounts
-- that can be disabled; a second factor (TOTP, RFC 6238) with single-use recovery codes.

-- A session is named by a random id sealed inside its cookie or token; the server honours a
-- cookie or token only while its session is open here and was used within the session lifetime.
CREATE TABLE user_session (
    id            uuid PRIMARY KEY,
    username      text NOT NULL REFERENCES app_user (username),
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now(),
    ended_at      timestamptz,
    ended_reason  text CHECK (ended_reason IN ('logout', 'password', 'disabled', 'admin', 'second-factor')),
    address       text,
    user_agent    text,
    second_factor boolean NOT NULL DEFAULT false  -- signed in with a code, not the password alone
);
CREATE INDEX user_session_open ON user_session (username) WHERE ended_at IS NULL;
CREATE INDEX user_session_seen ON user_session (last_seen_at);

-- Every server forgets an ended session at once and closes its live connections: the end is
-- announced at commit on one channel (notifications of a rolled-back change are never sent).
CREATE FUNCTION user_session_ended() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('dispatch_session_ended', NEW.id::text);
    RETURN NULL;
END $$;
CREATE TRIGGER user_session_ended AFTER UPDATE OF ended_at ON user_session
    FOR EACH ROW WHEN (OLD.ended_at IS NULL AND NEW.ended_at IS NOT NULL) EXECUTE FUNCTION user_session_ended();

-- Failed sign-ins per key ('pair:<account>@<address>', 'address:<address>', 'account:<account>'):
-- a score that leaks away with time, and until when the key must wait (a back-off that doubles
-- with every failure past the free ones). No row means no recent failure.
CREATE TABLE sign_in_throttle (
    key           text PRIMARY KEY,
    score         double precision NOT NULL,
    updated_at    timestamptz NOT NULL,
    blocked_until timestamptz
);

ALTER TABLE app_user
    DROP COLUMN failed_count,
    DROP COLUMN locked_until,
    ADD COLUMN disabled_at         timestamptz,
    ADD COLUMN password_changed_at timestamptz,
    ADD COLUMN totp_secret         bytea,        -- AES-GCM sealed with the data key, like reporters' phones
    ADD COLUMN totp_enabled_at     timestamptz,  -- null while an enrolment awaits its first code
    ADD COLUMN totp_last_step      bigint;       -- the last 30-second step a code was accepted for: a code works once

-- Ten per enrolment, each usable once; random 80-bit codes, so a plain SHA-256 is enough.
CREATE TABLE recovery_code (
    username  text NOT NULL REFERENCES app_user (username),
    code_hash bytea NOT NULL,
    used_at   timestamptz,
    PRIMARY KEY (username, code_hash)
);

-- Field phones get what is theirs and what concerns their place; early-warning alerts are for
-- supervisors and dispatchers. An event now reaches field accounts only when its writer says so.
ALTER TABLE outbox ALTER COLUMN to_field SET DEFAULT false;
UPDATE outbox SET to_field = false WHERE type LIKE 'alert.%' AND to_field;

-- An SLA clock runs at most a year (the API says so too): int.MaxValue minutes of working time
-- would run past the year 9999 and fail every report of its category.
ALTER TABLE category ADD CONSTRAINT category_sla_at_most_a_year
    CHECK (accept_minutes BETWEEN 1 AND 525600 AND arrive_minutes BETWEEN 1 AND 525600 AND resolve_minutes BETWEEN 1 AND 525600);

-- An incident's event names its likely duplicate only when both lie in one grid, so that whoever
-- receives the event may also open the duplicate; the REST reads name it to those who may see it.
CREATE OR REPLACE FUNCTION live_incident(i incident, category_name text, action text, actor text) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', i.id, 'status', i.status, 'categoryCode', i.category_code, 'categoryName', category_name,
        'priority', i.priority, 'description', left(i.description, 120),
        'lon', ST_X(i.location), 'lat', ST_Y(i.location),
        'gridCode', i.grid_code, 'villageCode', i.village_code, 'townshipCode', i.township_code, 'districtCode', i.district_code,
        'level', i.level, 'version', i.version, 'createdAt', beijing(i.created_at), 'updatedAt', beijing(i.updated_at), 'dueAt', beijing(i.due_at),
        'duplicateOf', (SELECT d.id FROM incident d WHERE d.id = i.duplicate_of AND d.grid_code = i.grid_code),
        'action', action, 'actor', actor)
$$;
