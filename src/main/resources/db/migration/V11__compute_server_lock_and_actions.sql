-- Server locks (Nova's lock/unlock actions): who locked the server ('owner' or 'admin', as Nova's
-- locked_by) and why (locked_reason, microversion 2.73).

ALTER TABLE compute_server ADD COLUMN locked_by VARCHAR(16);
ALTER TABLE compute_server ADD COLUMN locked_reason VARCHAR(255);

-- Nova's instance actions (os-instance-actions): one row per request that acted on a server
-- (create, delete, stop, …), kept after the server is deleted, and the events of each.
CREATE TABLE compute_instance_action (
  server_id   VARCHAR(36) NOT NULL,
  request_id  VARCHAR(64) NOT NULL,
  action      VARCHAR(32) NOT NULL,
  project_id  VARCHAR(64) NOT NULL,
  user_id     VARCHAR(64) NOT NULL,
  start_time  TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (server_id, request_id)
);
CREATE INDEX compute_instance_action_start ON compute_instance_action (server_id, start_time);

CREATE TABLE compute_instance_action_event (
  server_id   VARCHAR(36) NOT NULL,
  request_id  VARCHAR(64) NOT NULL,
  event       VARCHAR(64) NOT NULL,
  host        VARCHAR(255),
  start_time  TIMESTAMP WITH TIME ZONE NOT NULL,
  finish_time TIMESTAMP WITH TIME ZONE,
  result      VARCHAR(16),
  traceback   VARCHAR(4096),
  PRIMARY KEY (server_id, request_id, event)
);
