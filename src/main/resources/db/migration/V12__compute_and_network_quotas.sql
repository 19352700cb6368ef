-- Compute (Nova os-quota-sets, os-quota-class-sets) and Networking (Neutron quotas) limits.
-- compute_* tables are owned by dev.kiln.compute, network_* by dev.kiln.network.

-- Limits an admin set for a project; a resource without a row has the default class's limit.
CREATE TABLE compute_quota (
  project_id VARCHAR(255) NOT NULL,
  resource   VARCHAR(64) NOT NULL,
  hard_limit INT NOT NULL,
  PRIMARY KEY (project_id, resource)
);

-- Limits of quota classes. Only the class 'default' takes effect (as in Nova): it overrides the
-- built-in defaults for every project.
CREATE TABLE compute_quota_class (
  class_name VARCHAR(255) NOT NULL,
  resource   VARCHAR(64) NOT NULL,
  hard_limit INT NOT NULL,
  PRIMARY KEY (class_name, resource)
);

-- One row per quota owner ('project <id>' or 'user <id>'), locked (SELECT ... FOR UPDATE) by every
-- boot and limit change of the project, or keypair creation of the user, so that usage is counted
-- and checked by one of them at a time.
CREATE TABLE compute_quota_lock (
  owner VARCHAR(300) PRIMARY KEY
);

-- Neutron: limits an admin set for a project; a resource without a row has Neutron's default.
CREATE TABLE network_quota (
  project_id VARCHAR(255) NOT NULL,
  resource   VARCHAR(64) NOT NULL,
  hard_limit INT NOT NULL,
  PRIMARY KEY (project_id, resource)
);

-- One row per project, locked by creations that count against a Neutron quota and by limit
-- changes, so that each counts and checks usage with no other one in between.
CREATE TABLE network_quota_lock (
  project_id VARCHAR(255) PRIMARY KEY
);
