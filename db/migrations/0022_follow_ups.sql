-- 满意度回访: after a case is closed the platform keeps a call to its reporter on a list; an operator
-- records how satisfied they were. Only a case with a reporter phone gets one: nobody to call otherwise.
-- One per closure, not per case — a case reopened and closed again is a new piece of work the reporter
-- is asked about again — so the row is keyed by the timeline entry (incident_event) that closed it.
CREATE TABLE follow_up (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    incident_id    bigint NOT NULL REFERENCES incident (id),
    closing_event  bigint NOT NULL UNIQUE REFERENCES incident_event (id),
    -- The Beijing date of the closure plus FollowUps:AfterDays, fixed when scheduled: changing the
    -- setting moves later calls, not the ones already promised.
    due_on         date NOT NULL,
    -- The centre that closed the case (incident.centre_code then): the rates are its rates even if
    -- the case later moves, and 不满意 reopens the case to whoever holds it now.
    centre_code    text NOT NULL,
    status         text NOT NULL DEFAULT 'due' CHECK (status IN ('due', 'done')),
    result         text CHECK (result IN ('satisfied', 'basic', 'unsatisfied', 'unreachable')),
    note           text,
    done_by        text,
    done_at        timestamptz,
    -- A done call has its result and who made it; a due one has neither.
    CHECK ((status = 'done') = (result IS NOT NULL AND done_by IS NOT NULL AND done_at IS NOT NULL))
);
CREATE INDEX follow_up_due ON follow_up (status, due_on);
CREATE INDEX follow_up_incident ON follow_up (incident_id);
CREATE INDEX follow_up_done_at ON follow_up (done_at) WHERE status = 'done';
