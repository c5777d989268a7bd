-- Sign-in accounts and the append-only audit trail.

CREATE TABLE app_user (
    username      text PRIMARY KEY,
    display_name  text NOT NULL,
    password_hash text NOT NULL,
    roles         text[] NOT NULL CHECK (roles <@ '{admin,dispatcher,supervisor,field,wall,auditor}'),
    region_code   text NOT NULL,  -- a region, or a grid for grid workers
    staff_id      bigint REFERENCES staff (id),
    failed_count  int NOT NULL DEFAULT 0,
    locked_until  timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX app_user_staff ON app_user (staff_id);

CREATE TABLE audit (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at       timestamptz NOT NULL DEFAULT now(),
    username text,
    action   text NOT NULL,
    target   text,
    outcome  int NOT NULL,
    address  text
);
CREATE INDEX audit_at ON audit (at DESC);

-- Append-only, whoever asks: the trigger stops the table's owner too, and the application's role
-- is granted nothing but INSERT and SELECT on it.
CREATE FUNCTION audit_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit rows cannot be changed or removed' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION audit_is_append_only();

-- The role the server works as (SET ROLE on every connection): data, but not the schema, and
-- never a change to the audit trail.
DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'dispatch_app') THEN
        CREATE ROLE dispatch_app NOLOGIN;
    END IF;
END $$;
GRANT USAGE ON SCHEMA public TO dispatch_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO dispatch_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO dispatch_app;
REVOKE UPDATE, DELETE, TRUNCATE ON audit FROM dispatch_app;
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schemaversions FROM dispatch_app;
-- Tables of later migrations are the application's too, and a non-superuser login may become it.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO dispatch_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO dispatch_app;
GRANT dispatch_app TO CURRENT_USER;
