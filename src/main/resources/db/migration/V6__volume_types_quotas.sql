-- Block Storage (Cinder v3) volume types and quotas. Owned by dev.kiln.volume; no other service
-- reads them.
CREATE TABLE volume_type (
  id          VARCHAR(36) PRIMARY KEY,
  name        VARCHAR(255) NOT NULL,
  description VARCHAR(255),
  is_public   BOOLEAN NOT NULL,
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at  TIMESTAMP WITH TIME ZONE,
  CONSTRAINT volume_type_name UNIQUE (name)
);

CREATE TABLE volume_type_extra_spec (
  volume_type_id VARCHAR(36) NOT NULL REFERENCES volume_type (id) ON DELETE CASCADE,
  spec_key       VARCHAR(255) NOT NULL,
  spec_value     VARCHAR(255) NOT NULL,
  PRIMARY KEY (volume_type_id, spec_key)
);

-- Cinder's own default type, which every deployment has from its first start and which cannot be
-- deleted. A fixed id makes it exist exactly once, on every node, with no creation race.
INSERT INTO volume_type (id, name, description, is_public, created_at, updated_at)
VALUES ('4fe60bf1-31d7-4ef7-9cbf-45c7bc657976', '__DEFAULT__', 'Default Volume Type', TRUE,
        CURRENT_TIMESTAMP, NULL);

-- Hard limits a project was given (os-quota-sets PUT); a resource without a row has the default.
-- resource is Cinder's quota name: volumes, gigabytes, snapshots, per_volume_gigabytes, backups,
-- backup_gigabytes, groups, or a per-type name such as volumes_<type name>.
CREATE TABLE volume_quota (
  project_id VARCHAR(64) NOT NULL,
  resource   VARCHAR(300) NOT NULL,
  hard_limit BIGINT NOT NULL,
  PRIMARY KEY (project_id, resource)
);

-- What each project uses of the enforced quotas, changed only by conditional updates inside the
-- transaction that creates or deletes the volume or snapshot.
CREATE TABLE volume_quota_usage (
  project_id VARCHAR(64) PRIMARY KEY,
  volumes    BIGINT NOT NULL,
  gigabytes  BIGINT NOT NULL,
  snapshots  BIGINT NOT NULL,
  CONSTRAINT volume_quota_usage_not_negative
    CHECK (volumes >= 0 AND gigabytes >= 0 AND snapshots >= 0)
);
