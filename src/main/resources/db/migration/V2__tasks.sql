-- Durable tasks. Owned by dev.kiln.tasks (TaskStore); no other code reads this table.
-- A task is QUEUED until a runner claims it (RUNNING, with claimed_by and a lease), then ends
-- SUCCEEDED or FAILED; a failed attempt goes back to QUEUED with a later run_after. A RUNNING
-- row whose lease_until has passed belongs to a node that died, and any runner may reclaim it.
CREATE TABLE task (
  id           VARCHAR(64) PRIMARY KEY,
  kind         VARCHAR(128) NOT NULL,
  payload      TEXT NOT NULL,
  status       VARCHAR(16) NOT NULL,
  attempts     INTEGER NOT NULL,
  max_attempts INTEGER NOT NULL,
  run_after    TIMESTAMP WITH TIME ZONE NOT NULL,
  claimed_by   VARCHAR(255),
  lease_until  TIMESTAMP WITH TIME ZONE,
  last_error   TEXT,
  result       TEXT,
  created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT task_status_valid CHECK (status IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED'))
);
-- What the claim query scans: due QUEUED rows by run_after, expired RUNNING rows by lease.
CREATE INDEX task_queued_due ON task (status, run_after);
CREATE INDEX task_running_lease ON task (status, lease_until);
