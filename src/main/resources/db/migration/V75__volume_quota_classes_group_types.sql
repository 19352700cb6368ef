-- Block Storage quota classes (Cinder's os-quota-class-sets): limits per class name. The class
-- "default" holds the defaults every project without a limit of its own has; a resource without
-- a row keeps Cinder's built-in default. Changes of one class take turns on its lock row. Owned by
-- dev.kiln.volume.
CREATE TABLE volume_quota_class (
  class_name VARCHAR(255) NOT NULL,
  resource   VARCHAR(300) NOT NULL,
  hard_limit BIGINT NOT NULL,
  PRIMARY KEY (class_name, resource)
);

CREATE TABLE volume_quota_class_lock (
  class_name VARCHAR(255) PRIMARY KEY
);

-- Block Storage group types (Cinder's /group_types, 3.11) and their group specs. Owned by
-- dev.kiln.volume.
CREATE TABLE volume_group_type (
  id          VARCHAR(36) PRIMARY KEY,
  name        VARCHAR(255) NOT NULL,
  description VARCHAR(255),
  is_public   BOOLEAN NOT NULL,
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at  TIMESTAMP WITH TIME ZONE,
  CONSTRAINT volume_group_type_name UNIQUE (name)
);

CREATE TABLE volume_group_type_spec (
  group_type_id VARCHAR(36) NOT NULL REFERENCES volume_group_type (id) ON DELETE CASCADE,
  spec_key      VARCHAR(255) NOT NULL,
  spec_value    VARCHAR(255) NOT NULL,
  PRIMARY KEY (group_type_id, spec_key)
);
