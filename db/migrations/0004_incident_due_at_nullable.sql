-- A resolved, verified, closed, rejected or cancelled incident has no SLA clock running.
ALTER TABLE incident ALTER COLUMN due_at DROP NOT NULL;
