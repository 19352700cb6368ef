-- Block Storage generic volume groups (Cinder's /groups, 3.13) and group snapshots
-- (/group_snapshots, 3.14). A volume belongs to at most one group (volume_volume.group_id); a
-- snapshot taken as part of a group snapshot names it (volume_snapshot.group_snapshot_id).
-- Owned by dev.kiln.volume.
CREATE TABLE volume_group (
  id                VARCHAR(36) PRIMARY KEY,
  project_id        VARCHAR(64) NOT NULL,
  user_id           VARCHAR(64) NOT NULL,
  name              VARCHAR(255),
  description       VARCHAR(255),
  status            VARCHAR(32) NOT NULL,
  availability_zone VARCHAR(255) NOT NULL,
  group_type_id     VARCHAR(36) NOT NULL,
  group_snapshot_id VARCHAR(36),
  source_group_id   VARCHAR(36),
  created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at        TIMESTAMP WITH TIME ZONE
);

CREATE INDEX volume_group_project ON volume_group (project_id);

-- The volume types a group's volumes may have, in the order the group was created with.
CREATE TABLE volume_group_volume_type (
  group_id       VARCHAR(36) NOT NULL REFERENCES volume_group (id) ON DELETE CASCADE,
  type_order       INT NOT NULL,
  volume_type_id VARCHAR(36) NOT NULL,
  PRIMARY KEY (group_id, type_order)
);

CREATE TABLE volume_group_snapshot (
  id            VARCHAR(36) PRIMARY KEY,
  project_id    VARCHAR(64) NOT NULL,
  user_id       VARCHAR(64) NOT NULL,
  group_id      VARCHAR(36) NOT NULL,
  group_type_id VARCHAR(36) NOT NULL,
  name          VARCHAR(255),
  description   VARCHAR(255),
  status        VARCHAR(32) NOT NULL,
  created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at    TIMESTAMP WITH TIME ZONE
);

CREATE INDEX volume_group_snapshot_group ON volume_group_snapshot (group_id);

ALTER TABLE volume_volume ADD COLUMN group_id VARCHAR(36);
CREATE INDEX volume_volume_group ON volume_volume (group_id);

ALTER TABLE volume_snapshot ADD COLUMN group_snapshot_id VARCHAR(36);
CREATE INDEX volume_snapshot_group_snapshot ON volume_snapshot (group_snapshot_id);
