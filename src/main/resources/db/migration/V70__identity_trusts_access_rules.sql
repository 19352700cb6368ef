-- Keystone's trusts (OS-TRUST): a trustor delegates some of its roles on one project to a
-- trustee, who gets tokens scoped by the trust. Owned by dev.kiln.identity.
-- A trust goes with its trustor, its trustee or its project, as Keystone deletes it then.
CREATE TABLE identity_trust (
  id                   VARCHAR(64) PRIMARY KEY,
  trustor_user_id      VARCHAR(64) NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
  trustee_user_id      VARCHAR(64) NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
  project_id           VARCHAR(64) REFERENCES identity_project (id) ON DELETE CASCADE,
  impersonation        BOOLEAN NOT NULL,
  expires_at           TIMESTAMP WITH TIME ZONE,
  -- NULL: unlimited; otherwise how many more tokens the trust may issue (never below 0).
  remaining_uses       INT,
  allow_redelegation   BOOLEAN NOT NULL DEFAULT FALSE,
  redelegation_count   INT NOT NULL DEFAULT 0,
  redelegated_trust_id VARCHAR(64) REFERENCES identity_trust (id) ON DELETE CASCADE,
  created_at           TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX identity_trust_trustor ON identity_trust (trustor_user_id);
CREATE INDEX identity_trust_trustee ON identity_trust (trustee_user_id);

CREATE TABLE identity_trust_role (
  trust_id VARCHAR(64) NOT NULL REFERENCES identity_trust (id) ON DELETE CASCADE,
  role_id  VARCHAR(64) NOT NULL REFERENCES identity_role (id) ON DELETE CASCADE,
  PRIMARY KEY (trust_id, role_id)
);

-- A trust-scoped token names its trust: deleting the trust revokes it.
ALTER TABLE identity_token ADD COLUMN trust_id VARCHAR(64);
CREATE INDEX identity_token_trust ON identity_token (trust_id);

-- Application credentials' access rules: what (service type, method, path) a credential's tokens
-- may call. A rule belongs to its user and outlives the credentials that name it, as in Keystone;
-- it can be deleted only when no credential names it (checked in the delete itself).
CREATE TABLE identity_access_rule (
  id       VARCHAR(64) PRIMARY KEY,
  user_id  VARCHAR(64) NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
  service  VARCHAR(64) NOT NULL,
  path     VARCHAR(512) NOT NULL,
  method   VARCHAR(16) NOT NULL,
  CONSTRAINT identity_access_rule_unique UNIQUE (user_id, service, path, method)
);

CREATE TABLE identity_app_credential_access_rule (
  app_credential_id VARCHAR(64) NOT NULL REFERENCES identity_app_credential (id) ON DELETE CASCADE,
  access_rule_id    VARCHAR(64) NOT NULL REFERENCES identity_access_rule (id) ON DELETE CASCADE,
  PRIMARY KEY (app_credential_id, access_rule_id)
);
CREATE INDEX identity_app_credential_access_rule_rule ON identity_app_credential_access_rule (access_rule_id);
