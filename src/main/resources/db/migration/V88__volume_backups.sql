-- Cinder volume backups. A backup outlives its volume (Cinder keeps backups of deleted volumes),
-- so volume_id and snapshot_id are plain columns, not foreign keys. The volume's metadata, its
-- image metadata and whether it was bootable are copied in at backup time: a restore gives them
-- to the volume it writes, as Cinder's backup drivers store and restore them with the data.
CREATE TABLE volume_backup (
  id                     VARCHAR(36) PRIMARY KEY,
  project_id             VARCHAR(64) NOT NULL,
  user_id                VARCHAR(64),
  volume_id              VARCHAR(36) NOT NULL,
  snapshot_id            VARCHAR(36),
  name                   VARCHAR(255),
  description            VARCHAR(255),
  container              VARCHAR(255),
  availability_zone      VARCHAR(255),
  size                   INT NOT NULL,
  object_count           INT NOT NULL,
  status                 VARCHAR(32) NOT NULL,
  fail_reason            VARCHAR(255),
  -- the full backup an incremental one builds on; a parent with dependents cannot be deleted
  parent_id              VARCHAR(36),
  num_dependent_backups  INT NOT NULL DEFAULT 0,
  -- the status the source volume goes back to when the backup finishes (available or in-use)
  previous_volume_status VARCHAR(32),
  -- the volume a restore in progress writes to
  restore_volume_id      VARCHAR(36),
  volume_bootable        BOOLEAN NOT NULL DEFAULT FALSE,
  -- the source volume's metadata and image metadata, as a JSON object of two objects
  volume_state           TEXT NOT NULL DEFAULT '{}',
  data_timestamp         TIMESTAMP WITH TIME ZONE NOT NULL,
  created_at             TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at             TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT volume_backup_dependents_not_negative CHECK (num_dependent_backups >= 0)
);
CREATE INDEX volume_backup_project ON volume_backup (project_id);
CREATE INDEX volume_backup_volume ON volume_backup (volume_id);

CREATE TABLE volume_backup_metadata (
  backup_id  VARCHAR(36) NOT NULL REFERENCES volume_backup (id) ON DELETE CASCADE,
  meta_key   VARCHAR(255) NOT NULL,
  meta_value VARCHAR(255) NOT NULL,
  PRIMARY KEY (backup_id, meta_key)
);

-- Backups count against the backups and backup_gigabytes quotas, in the project's usage row
-- like volumes, gigabytes and snapshots.
ALTER TABLE volume_quota_usage ADD COLUMN backups BIGINT NOT NULL DEFAULT 0;
ALTER TABLE volume_quota_usage ADD COLUMN backup_gigabytes BIGINT NOT NULL DEFAULT 0;
ALTER TABLE volume_quota_usage ADD CONSTRAINT volume_quota_usage_backups_not_negative
  CHECK (backups >= 0 AND backup_gigabytes >= 0);
