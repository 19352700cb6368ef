-- Neutron address scopes and subnet pools (address-scope, subnet_allocation, default-subnetpools).
-- Owned by dev.kiln.network; no other service reads these tables.
CREATE TABLE network_address_scope (
  id              VARCHAR(36) PRIMARY KEY,
  project_id      VARCHAR(64) NOT NULL,
  name            VARCHAR(255) NOT NULL,
  ip_version      INT NOT NULL,
  shared          BOOLEAN NOT NULL,
  revision_number BIGINT NOT NULL,
  created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at      TIMESTAMP WITH TIME ZONE NOT NULL
);

-- A subnet pool. Subnets allocated from it name it (network_subnet.subnetpool_id); allocation runs
-- under the pool's row lock, so two subnets never get overlapping prefixes from one pool.
CREATE TABLE network_subnetpool (
  id                VARCHAR(36) PRIMARY KEY,
  project_id        VARCHAR(64) NOT NULL,
  name              VARCHAR(255) NOT NULL,
  description       VARCHAR(255) NOT NULL,
  ip_version        INT NOT NULL,
  default_prefixlen INT NOT NULL,
  min_prefixlen     INT NOT NULL,
  max_prefixlen     INT NOT NULL,
  default_quota     INT,
  address_scope_id  VARCHAR(36) REFERENCES network_address_scope (id),
  shared            BOOLEAN NOT NULL,
  is_default        BOOLEAN NOT NULL,
  revision_number   BIGINT NOT NULL,
  created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at        TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX network_subnetpool_project ON network_subnetpool (project_id);

CREATE TABLE network_subnetpool_prefix (
  subnetpool_id VARCHAR(36) NOT NULL REFERENCES network_subnetpool (id) ON DELETE CASCADE,
  cidr          VARCHAR(64) NOT NULL,
  PRIMARY KEY (subnetpool_id, cidr)
);

ALTER TABLE network_subnet ADD COLUMN subnetpool_id VARCHAR(36) REFERENCES network_subnetpool (id);
CREATE INDEX network_subnet_subnetpool ON network_subnet (subnetpool_id);
