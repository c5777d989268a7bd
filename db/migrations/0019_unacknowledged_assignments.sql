-- A member who has not acknowledged within Supervision:AcknowledgeWithin is named to the
-- dispatcher once (ack_warned_at), and may then be replaced by dispatching the role again.
ALTER TABLE assignment ADD COLUMN ack_warned_at timestamptz;
CREATE INDEX assignment_pending ON assignment (assigned_at) WHERE status = 'pending' AND ack_warned_at IS NULL;
