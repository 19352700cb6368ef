-- Identity: OS-OAUTH1 request and access tokens. Owned by dev.kiln.identity.
-- A consumer asks for a request token for a project; a user of that project authorizes it with
-- some of their roles, which gives a verifier; the consumer trades token and verifier for an
-- access token, with which it gets Keystone tokens acting as that user, with those roles.
-- The secrets are kept as issued: OAuth 1.0a signs requests with them (HMAC), so the server must
-- read them back to check a signature. Each token goes with its consumer, user and project.
CREATE TABLE identity_oauth_request_token (
  id                   VARCHAR(64) PRIMARY KEY,
  secret               VARCHAR(64) NOT NULL,
  consumer_id          VARCHAR(64) NOT NULL REFERENCES identity_oauth_consumer (id) ON DELETE CASCADE,
  requested_project_id VARCHAR(64) NOT NULL REFERENCES identity_project (id) ON DELETE CASCADE,
  -- Set together when a user authorizes the token; NULL until then.
  verifier             VARCHAR(16),
  authorizing_user_id  VARCHAR(64) REFERENCES identity_user (id) ON DELETE CASCADE,
  expires_at           TIMESTAMP WITH TIME ZONE,
  created_at           TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX identity_oauth_request_token_consumer ON identity_oauth_request_token (consumer_id);

CREATE TABLE identity_oauth_request_token_role (
  request_token_id VARCHAR(64) NOT NULL REFERENCES identity_oauth_request_token (id) ON DELETE CASCADE,
  role_id          VARCHAR(64) NOT NULL REFERENCES identity_role (id) ON DELETE CASCADE,
  PRIMARY KEY (request_token_id, role_id)
);

CREATE TABLE identity_oauth_access_token (
  id                  VARCHAR(64) PRIMARY KEY,
  secret              VARCHAR(64) NOT NULL,
  consumer_id         VARCHAR(64) NOT NULL REFERENCES identity_oauth_consumer (id) ON DELETE CASCADE,
  authorizing_user_id VARCHAR(64) NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
  project_id          VARCHAR(64) NOT NULL REFERENCES identity_project (id) ON DELETE CASCADE,
  expires_at          TIMESTAMP WITH TIME ZONE,
  created_at          TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX identity_oauth_access_token_user ON identity_oauth_access_token (authorizing_user_id);
CREATE INDEX identity_oauth_access_token_consumer ON identity_oauth_access_token (consumer_id);

CREATE TABLE identity_oauth_access_token_role (
  access_token_id VARCHAR(64) NOT NULL REFERENCES identity_oauth_access_token (id) ON DELETE CASCADE,
  role_id         VARCHAR(64) NOT NULL REFERENCES identity_role (id) ON DELETE CASCADE,
  PRIMARY KEY (access_token_id, role_id)
);

-- A token issued with the oauth1 method names its access token: deleting the access token (or its
-- consumer) revokes it.
ALTER TABLE identity_token ADD COLUMN access_token_id VARCHAR(64);
CREATE INDEX identity_token_access_token ON identity_token (access_token_id);
