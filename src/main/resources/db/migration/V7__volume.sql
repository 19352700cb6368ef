-- Block Storage (Cinder v3) tables. Owned by dev.kiln.volume; no other service reads them.
CREATE TABLE volume_volume (
  id                VARCHAR(36) PRIMARY KEY,
  project_id        VARCHAR(64) NOT NULL,
  user_id           VARCHAR(64) NOT NULL,
  name              VARCHAR(255),
  description       VARCHAR(255),
  size              INT NOT NULL,
  status            VARCHAR(32) NOT NULL,
  attach_status     VARCHAR(32) NOT NULL,
  volume_type_id    VARCHAR(36) NOT NULL REFERENCES volume_type (id),
  availability_zone VARCHAR(255) NOT NULL,
  multiattach       BOOLEAN NOT NULL,
  bootable          BOOLEAN NOT NULL,
  source_volid      VARCHAR(36),
  snapshot_id       VARCHAR(36),
  created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at        TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX volume_volume_project ON volume_volume (project_id);

CREATE TABLE volume_metadata (
  volume_id VARCHAR(36) NOT NULL REFERENCES volume_volume (id) ON DELETE CASCADE,
  meta_key  VARCHAR(255) NOT NULL,
  meta_value VARCHAR(255) NOT NULL,
  PRIMARY KEY (volume_id, meta_key)
);

CREATE TABLE volume_snapshot (
  id          VARCHAR(36) PRIMARY KEY,
  project_id  VARCHAR(64) NOT NULL,
  user_id     VARCHAR(64) NOT NULL,
  volume_id   VARCHAR(36) NOT NULL REFERENCES volume_volume (id),
  name        VARCHAR(255),
  description VARCHAR(255),
  size        INT NOT NULL,
  status      VARCHAR(32) NOT NULL,
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX volume_snapshot_volume ON volume_snapshot (volume_id);

-- One row per attachment of a volume to an instance: the record both the attachments API and
-- the legacy attach actions move through its states.
CREATE TABLE volume_attachment (
  id              VARCHAR(36) PRIMARY KEY,
  volume_id       VARCHAR(36) NOT NULL REFERENCES volume_volume (id),
  project_id      VARCHAR(64) NOT NULL,
  instance_uuid   VARCHAR(36),
  attached_host   VARCHAR(255),
  mountpoint      VARCHAR(255),
  attach_status   VARCHAR(32) NOT NULL,
  attach_mode     VARCHAR(2) NOT NULL,
  connector       TEXT,
  connection_info TEXT,
  attach_time     TIMESTAMP WITH TIME ZONE,
  created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX volume_attachment_volume ON volume_attachment (volume_id);
CREATE INDEX volume_attachment_instance ON volume_attachment (instance_uuid);
