-- Identity: user attributes Keystone keeps without knowing them, groups (members and role grants),
-- application credentials and the credentials store. Owned by dev.kiln.identity.

-- Keystone's user and group schemas take any further attribute and return it as given (Tempest
-- sends project_id on user create); kept as one JSON object.
ALTER TABLE identity_user ADD COLUMN extra TEXT NOT NULL DEFAULT '{}';

CREATE TABLE identity_group (
  id          VARCHAR(64) PRIMARY KEY,
  name        VARCHAR(255) NOT NULL,
  domain_id   VARCHAR(64) NOT NULL REFERENCES identity_domain (id),
  description TEXT NOT NULL DEFAULT '',
  extra       TEXT NOT NULL DEFAULT '{}',
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT identity_group_name_unique UNIQUE (domain_id, name)
);

CREATE TABLE identity_group_member (
  group_id VARCHAR(64) NOT NULL REFERENCES identity_group (id) ON DELETE CASCADE,
  user_id  VARCHAR(64) NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
  PRIMARY KEY (group_id, user_id)
);
CREATE INDEX identity_group_member_user ON identity_group_member (user_id);

-- A group's grants; its members hold them while they are members. target_type as for users.
CREATE TABLE identity_group_role_assignment (
  group_id    VARCHAR(64) NOT NULL REFERENCES identity_group (id) ON DELETE CASCADE,
  role_id     VARCHAR(64) NOT NULL REFERENCES identity_role (id) ON DELETE CASCADE,
  target_type VARCHAR(16) NOT NULL,
  target_id   VARCHAR(64) NOT NULL,
  PRIMARY KEY (group_id, role_id, target_type, target_id)
);
CREATE INDEX identity_group_role_assignment_target
  ON identity_group_role_assignment (target_type, target_id);

-- An application credential: a secret (kept as a hash) that authenticates as its user on one
-- project with a subset of the user's roles there, until it expires or is deleted.
CREATE TABLE identity_app_credential (
  id           VARCHAR(64) PRIMARY KEY,
  user_id      VARCHAR(64) NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
  project_id   VARCHAR(64) NOT NULL,
  name         VARCHAR(255) NOT NULL,
  description  TEXT,
  secret_hash  VARCHAR(255) NOT NULL,
  expires_at   TIMESTAMP WITH TIME ZONE,
  unrestricted BOOLEAN NOT NULL,
  created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT identity_app_credential_name_unique UNIQUE (user_id, name)
);

CREATE TABLE identity_app_credential_role (
  app_credential_id VARCHAR(64) NOT NULL REFERENCES identity_app_credential (id) ON DELETE CASCADE,
  role_id           VARCHAR(64) NOT NULL REFERENCES identity_role (id) ON DELETE CASCADE,
  PRIMARY KEY (app_credential_id, role_id)
);

-- A token issued with an application credential carries at most the credential's roles.
ALTER TABLE identity_token ADD COLUMN app_credential_id VARCHAR(64);

-- /v3/credentials: opaque blobs a user keeps with Keystone (EC2 keys, TOTP secrets, ...).
CREATE TABLE identity_credential (
  id         VARCHAR(64) PRIMARY KEY,
  user_id    VARCHAR(64) NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
  project_id VARCHAR(64),
  type       VARCHAR(255) NOT NULL,
  blob       TEXT NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX identity_credential_user ON identity_credential (user_id);
