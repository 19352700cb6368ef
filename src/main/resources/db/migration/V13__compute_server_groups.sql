-- Nova's server groups (os-server-groups): a placement policy for their members. A server is
-- in at most one group; leaving the group is automatic when the server or the group goes.
CREATE TABLE compute_server_group (
  id                  VARCHAR(36) PRIMARY KEY,
  name                VARCHAR(255) NOT NULL,
  project_id          VARCHAR(64) NOT NULL,
  user_id             VARCHAR(64) NOT NULL,
  policy              VARCHAR(32) NOT NULL,
  -- the anti-affinity rule of microversion 2.64; null means Nova's default of one
  max_server_per_host INT,
  created_at          TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX compute_server_group_project ON compute_server_group (project_id, created_at);

CREATE TABLE compute_server_group_member (
  group_id   VARCHAR(36) NOT NULL REFERENCES compute_server_group (id) ON DELETE CASCADE,
  server_id  VARCHAR(36) NOT NULL REFERENCES compute_server (id) ON DELETE CASCADE,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (group_id, server_id),
  CONSTRAINT compute_server_group_member_once UNIQUE (server_id)
);

-- The servers one create request made (min_count/max_count) share a reservation id; the
-- launch index is each one's place among them. Older rows get a reservation of their own.
ALTER TABLE compute_server ADD COLUMN reservation_id VARCHAR(16);
UPDATE compute_server SET reservation_id = 'r-' || SUBSTRING(id, 1, 8);
ALTER TABLE compute_server ALTER COLUMN reservation_id SET NOT NULL;
ALTER TABLE compute_server ADD COLUMN launch_index INT NOT NULL DEFAULT 0;
CREATE INDEX compute_server_reservation ON compute_server (reservation_id);
