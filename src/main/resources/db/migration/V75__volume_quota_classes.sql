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
