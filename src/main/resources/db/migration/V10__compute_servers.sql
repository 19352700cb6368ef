-- Compute (Nova v2.1): servers, the ports plugged into them and their metadata. Owned by
-- dev.kiln.compute; no other service reads these tables.

CREATE TABLE compute_server (
  id                VARCHAR(36) PRIMARY KEY,
  project_id        VARCHAR(64) NOT NULL,
  user_id           VARCHAR(64) NOT NULL,
  name              VARCHAR(255) NOT NULL,
  description       VARCHAR(255),
  status            VARCHAR(32) NOT NULL,
  task_state        VARCHAR(64),
  vm_state          VARCHAR(32) NOT NULL,
  power_state       INT NOT NULL,
  host              VARCHAR(255),
  availability_zone VARCHAR(255),
  flavor_id         VARCHAR(255) NOT NULL,
  flavor_name       VARCHAR(255) NOT NULL,
  flavor_vcpus      INT NOT NULL,
  flavor_ram_mb     INT NOT NULL,
  flavor_disk_gb    INT NOT NULL,
  flavor_ephemeral_gb INT NOT NULL,
  flavor_swap_mb    INT NOT NULL,
  flavor_extra_specs VARCHAR(65535) NOT NULL,
  image_id          VARCHAR(36),
  key_name          VARCHAR(255),
  user_data         VARCHAR(262144),
  created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at        TIMESTAMP WITH TIME ZONE NOT NULL,
  launched_at       TIMESTAMP WITH TIME ZONE,
  locked            BOOLEAN NOT NULL DEFAULT FALSE,
  fault_code        INT,
  fault_message     VARCHAR(4096),
  fault_details     VARCHAR(65535),
  fault_created     TIMESTAMP WITH TIME ZONE
);
CREATE INDEX compute_server_project ON compute_server (project_id, created_at);
CREATE INDEX compute_server_host ON compute_server (host);

-- The ports plugged into a server, in boot order. Compute deletes the ports it created
-- (owned_by_compute) with the server and only unplugs the user's.
CREATE TABLE compute_server_port (
  server_id        VARCHAR(36) NOT NULL REFERENCES compute_server (id) ON DELETE CASCADE,
  port_id          VARCHAR(36) NOT NULL,
  owned_by_compute BOOLEAN NOT NULL,
  position         INT NOT NULL,
  PRIMARY KEY (server_id, port_id)
);

CREATE TABLE compute_server_metadata (
  server_id VARCHAR(36) NOT NULL REFERENCES compute_server (id) ON DELETE CASCADE,
  meta_key  VARCHAR(255) NOT NULL,
  meta_value VARCHAR(255) NOT NULL,
  PRIMARY KEY (server_id, meta_key)
);
