-- Block Storage: what Cinder keeps per snapshot (its metadata and the driver's progress), which
-- projects may use a private volume type, and the admin metadata of a volume (readonly, shown to
-- users in the volume's metadata as Cinder shows it). Owned by dev.kiln.volume.
ALTER TABLE volume_snapshot ADD COLUMN progress VARCHAR(255);

CREATE TABLE volume_snapshot_metadata (
  snapshot_id VARCHAR(36) NOT NULL REFERENCES volume_snapshot (id) ON DELETE CASCADE,
  meta_key    VARCHAR(255) NOT NULL,
  meta_value  VARCHAR(255) NOT NULL,
  PRIMARY KEY (snapshot_id, meta_key)
);

CREATE TABLE volume_type_project (
  volume_type_id VARCHAR(36) NOT NULL REFERENCES volume_type (id) ON DELETE CASCADE,
  project_id     VARCHAR(64) NOT NULL,
  PRIMARY KEY (volume_type_id, project_id)
);

CREATE TABLE volume_admin_metadata (
  volume_id  VARCHAR(36) NOT NULL REFERENCES volume_volume (id) ON DELETE CASCADE,
  meta_key   VARCHAR(255) NOT NULL,
  meta_value VARCHAR(255) NOT NULL,
  PRIMARY KEY (volume_id, meta_key)
);
