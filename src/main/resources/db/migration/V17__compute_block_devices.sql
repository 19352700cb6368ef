-- Nova's block device mappings for volumes: the volumes a server boots from or has attached.
-- A row exists from the create (or the attach request) on; volume_id is null until the build
-- made the volume (an image, snapshot or blank source), attachment_id until Block Storage
-- reserved the volume for the server. Compute deletes the volume with the server when
-- delete_on_termination says so.
CREATE TABLE compute_server_volume (
  id                    VARCHAR(36) PRIMARY KEY,
  server_id             VARCHAR(36) NOT NULL REFERENCES compute_server (id) ON DELETE CASCADE,
  boot_index            INT,
  source_type           VARCHAR(16) NOT NULL,
  source_id             VARCHAR(36),
  volume_id             VARCHAR(36),
  volume_size           INT,
  volume_type           VARCHAR(255),
  device_name           VARCHAR(255) NOT NULL,
  delete_on_termination BOOLEAN NOT NULL,
  tag                   VARCHAR(60),
  attachment_id         VARCHAR(36),
  status                VARCHAR(16) NOT NULL,
  created_at            TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT compute_server_volume_device UNIQUE (server_id, device_name),
  -- A volume is mapped to a server once, however many requests race to attach it.
  CONSTRAINT compute_server_volume_once UNIQUE (server_id, volume_id)
);
CREATE INDEX compute_server_volume_server ON compute_server_volume (server_id);
CREATE INDEX compute_server_volume_volume ON compute_server_volume (volume_id);

-- The tag a user gave an interface when attaching it (os-interface, microversion 2.49).
ALTER TABLE compute_server_port ADD COLUMN tag VARCHAR(60);
