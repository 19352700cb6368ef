-- Identity: the catalog admins change (/v3/regions, /v3/services, /v3/endpoints, endpoint groups)
-- and /v3/policies. Owned by dev.kiln.identity. The services Kiln serves itself stay in code
-- (ServiceCatalog), because their URLs follow the address each request reached Kiln at; these
-- tables hold what admins add beside them.

CREATE TABLE identity_region (
  id               VARCHAR(255) PRIMARY KEY,
  description      TEXT NOT NULL DEFAULT '',
  parent_region_id VARCHAR(255) REFERENCES identity_region (id),
  extra            TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX identity_region_parent ON identity_region (parent_region_id);
-- The region of Kiln's own endpoints: a real row, so that admins' endpoints may use it too.
INSERT INTO identity_region (id, description) VALUES ('RegionOne', '');

CREATE TABLE identity_service (
  id          VARCHAR(64) PRIMARY KEY,
  type        VARCHAR(255) NOT NULL,
  name        VARCHAR(255),
  description TEXT,
  enabled     BOOLEAN NOT NULL,
  extra       TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE identity_endpoint (
  id         VARCHAR(64) PRIMARY KEY,
  service_id VARCHAR(64) NOT NULL REFERENCES identity_service (id) ON DELETE CASCADE,
  interface  VARCHAR(8) NOT NULL,
  region_id  VARCHAR(255) REFERENCES identity_region (id),
  url        TEXT NOT NULL,
  enabled    BOOLEAN NOT NULL,
  extra      TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX identity_endpoint_service ON identity_endpoint (service_id);
CREATE INDEX identity_endpoint_region ON identity_endpoint (region_id);

-- OS-EP-FILTER endpoint groups: a name and the filters that pick endpoints (null: no filter).
CREATE TABLE identity_endpoint_group (
  id                VARCHAR(64) PRIMARY KEY,
  name              VARCHAR(255) NOT NULL,
  description       TEXT NOT NULL DEFAULT '',
  filter_interface  VARCHAR(8),
  filter_service_id VARCHAR(255),
  filter_region_id  VARCHAR(255)
);

-- /v3/policies: opaque policy documents Keystone keeps for other services (blob of a MIME type).
CREATE TABLE identity_policy (
  id    VARCHAR(64) PRIMARY KEY,
  type  VARCHAR(255) NOT NULL,
  blob  TEXT NOT NULL,
  extra TEXT NOT NULL DEFAULT '{}'
);
