-- 考核 asks whether each stage was done in time: accepted by its accept deadline, resolved by its
-- resolve deadline (按期办结). The incident keeps only the deadline of the stage it is in now, so
-- each step records the deadline that was in force when it was taken — the one it met or missed.
-- Computed figures then need no counters that could drift: every KPI is a query over these rows.
-- Steps taken before this migration have none and are left out of every on-time figure (they are
-- counted as "not judged", never guessed: a working-hours deadline cannot be recomputed in SQL).
ALTER TABLE incident_event ADD COLUMN due_at timestamptz;

-- KPIs read a period's steps by kind (incidents by report time already have incident_created).
CREATE INDEX incident_event_action_at ON incident_event (action, at);
