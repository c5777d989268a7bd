-- 排班: who is on duty. A person is on duty inside a rostered shift, or — without a roster — unless
-- their phone says they are off; the phone's duty switch overrides the roster in both directions
-- (off until their next shift starts; on, outside a shift, for 12 hours of overtime).

CREATE TABLE duty_shift (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    staff_id   bigint NOT NULL REFERENCES staff (id),
    starts_at  timestamptz NOT NULL,
    ends_at    timestamptz NOT NULL,
    created_by text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at AND ends_at - starts_at <= interval '24 hours')
);
CREATE INDEX duty_shift_staff ON duty_shift (staff_id, ends_at);

ALTER TABLE staff ADD COLUMN duty_switch text CHECK (duty_switch IN ('on', 'off')),
                  ADD COLUMN duty_switched_at timestamptz,
                  ADD CHECK ((duty_switch IS NULL) = (duty_switched_at IS NULL));

-- Whether s is on duty at the moment given, and by what: 'switch', 'roster' or 'default'.
CREATE FUNCTION duty_of(s staff, at timestamptz) RETURNS TABLE (on_duty boolean, source text, shift_ends_at timestamptz)
LANGUAGE sql STABLE AS $$
    WITH shift AS (
        SELECT d.starts_at, d.ends_at FROM duty_shift d
        WHERE d.staff_id = s.id AND d.starts_at <= at AND d.ends_at > at ORDER BY d.ends_at DESC LIMIT 1),
    rostered AS (
        SELECT EXISTS (SELECT 1 FROM duty_shift d WHERE d.staff_id = s.id
                       AND d.ends_at > at - interval '7 days' AND d.starts_at < at + interval '7 days') AS yes)
    SELECT CASE
               WHEN s.duty_switch = 'off' THEN EXISTS (SELECT 1 FROM shift WHERE starts_at > s.duty_switched_at)
               WHEN s.duty_switch = 'on' AND s.duty_switched_at > at - interval '12 hours' THEN true
               WHEN (SELECT yes FROM rostered) THEN EXISTS (SELECT 1 FROM shift)
               ELSE true
           END,
           CASE
               WHEN s.duty_switch = 'off' AND NOT EXISTS (SELECT 1 FROM shift WHERE starts_at > s.duty_switched_at) THEN 'switch'
               WHEN s.duty_switch = 'on' AND s.duty_switched_at > at - interval '12 hours' THEN 'switch'
               WHEN (SELECT yes FROM rostered) THEN 'roster'
               ELSE 'default'
           END,
           (SELECT ends_at FROM shift)
$$;

-- The rule alone, for filters (recommendations never offer anyone off duty).
CREATE FUNCTION on_duty(s staff, at timestamptz) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT on_duty FROM duty_of(s, at)
$$;
