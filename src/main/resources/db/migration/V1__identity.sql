-- Identity (Keystone v3) tables. Owned by dev.kiln.identity; no other service reads them.
CREATE TABLE identity_domain (
  id          VARCHAR(64) PRIMARY KEY,
  name        VARCHAR(255) NOT NULL UNIQUE,
  description TEXT NOT NULL DEFAULT '',
  enabled     BOOLEAN NOT NULL,
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE identity_project (
  id          VARCHAR(64) PRIMARY KEY,
  name        VARCHAR(255) NOT NULL,
  domain_id   VARCHAR(64) NOT NULL REFERENCES identity_domain (id),
  parent_id   VARCHAR(64),
  description TEXT NOT NULL DEFAULT '',
  enabled     BOOLEAN NOT NULL,
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT identity_project_name_unique UNIQUE (domain_id, name)
);

CREATE TABLE identity_user (
  id                 VARCHAR(64) PRIMARY KEY,
  name               VARCHAR(255) NOT NULL,
  domain_id          VARCHAR(64) NOT NULL REFERENCES identity_domain (id),
  password_hash      VARCHAR(255),
  default_project_id VARCHAR(64),
  email              VARCHAR(255),
  description        TEXT NOT NULL DEFAULT '',
  enabled            BOOLEAN NOT NULL,
  created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT identity_user_name_unique UNIQUE (domain_id, name)
);

CREATE TABLE identity_role (
  id          VARCHAR(64) PRIMARY KEY,
  name        VARCHAR(255) NOT NULL UNIQUE,
  description TEXT NOT NULL DEFAULT '',
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- One row per (user, role, project or domain). target_type is 'project' or 'domain'.
CREATE TABLE identity_role_assignment (
  user_id     VARCHAR(64) NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
  role_id     VARCHAR(64) NOT NULL REFERENCES identity_role (id) ON DELETE CASCADE,
  target_type VARCHAR(16) NOT NULL,
  target_id   VARCHAR(64) NOT NULL,
  PRIMARY KEY (user_id, role_id, target_type, target_id)
);
CREATE INDEX identity_role_assignment_target ON identity_role_assignment (target_type, target_id);

-- Tokens are kept by the SHA-256 of their value: a copy of the table does not hand out tokens.
CREATE TABLE identity_token (
  token_hash  VARCHAR(64) PRIMARY KEY,
  user_id     VARCHAR(64) NOT NULL,
  scope_type  VARCHAR(16) NOT NULL,
  scope_id    VARCHAR(64),
  methods     VARCHAR(255) NOT NULL,
  audit_id    VARCHAR(64) NOT NULL,
  issued_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  expires_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  revoked     BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX identity_token_expiry ON identity_token (expires_at);
CREATE INDEX identity_token_user ON identity_token (user_id);
