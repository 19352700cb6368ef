-- An interface attach or detach, recorded before anything is done (its intent), and run by a
-- durable task: if the node running it dies, another runner (or the restarted node) takes the
-- task over and finishes or undoes it, so a server never stays interface_attaching. The row also
-- carries the outcome back to the request that waits for it. No foreign key to compute_server: an
-- operation a delete interrupted still tells its request what happened.
CREATE TABLE compute_interface_op (
  id               VARCHAR(36) PRIMARY KEY,
  server_id        VARCHAR(36) NOT NULL,
  kind             VARCHAR(16) NOT NULL,
  port_id          VARCHAR(36),
  owned_by_compute BOOLEAN NOT NULL,
  network_id       VARCHAR(36),
  fixed_ips        VARCHAR(2048),
  tag              VARCHAR(60),
  request_id       VARCHAR(64) NOT NULL,
  user_id          VARCHAR(64) NOT NULL,
  status           VARCHAR(16) NOT NULL,
  error_kind       VARCHAR(32),
  error_type       VARCHAR(64),
  error_message    VARCHAR(2048),
  created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at       TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX compute_interface_op_server ON compute_interface_op (server_id);
