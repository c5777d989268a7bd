-- What the person who took an alert's last step said with it (the reason for closing, a
-- supervisor's instruction for the task), beside handled_by: the note travels with the step.
ALTER TABLE alert ADD COLUMN handled_note text;
