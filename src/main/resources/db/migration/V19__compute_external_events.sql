-- The external events Compute accepted for its servers (Nova's os-server-external-events): from
-- the API, or sent in-process by Networking (port plugged, unplugged, deleted) and Block Storage
-- (volume extended). No foreign key to compute_server: the events of a deleted server stay
-- readable, as the record of what happened to it.
CREATE TABLE compute_external_event (
  id          VARCHAR(36) PRIMARY KEY,
  server_id   VARCHAR(36) NOT NULL,
  name        VARCHAR(64) NOT NULL,
  tag         VARCHAR(255),
  status      VARCHAR(16) NOT NULL,
  source      VARCHAR(16) NOT NULL,
  received_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX compute_external_event_server ON compute_external_event (server_id, received_at);
