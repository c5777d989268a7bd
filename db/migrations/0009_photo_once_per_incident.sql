-- A photo is attached to an incident once. A phone on a weak network resends an upload whose
-- answer it never got; the same bytes on the same incident are the same photo, so the retry
-- finds the row the first attempt wrote instead of adding a second. Rows such retries already
-- doubled are folded into the first (the file on disk is shared: it is named by its hash).
DELETE FROM attachment a
USING attachment first
WHERE first.incident_id = a.incident_id AND first.sha256 = a.sha256 AND first.id < a.id;

CREATE UNIQUE INDEX attachment_once ON attachment (incident_id, sha256);
DROP INDEX attachment_incident; -- the unique index leads with incident_id and serves the same lookups
