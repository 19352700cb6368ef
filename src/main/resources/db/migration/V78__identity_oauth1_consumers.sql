-- Identity: OS-OAUTH1 consumers (/v3/OS-OAUTH1/consumers). Owned by dev.kiln.identity.
-- The secret is kept as issued, not hashed: OAuth 1.0a signs requests with it (HMAC-SHA1), so the
-- server must be able to read it back to check a signature.
CREATE TABLE identity_oauth_consumer (
  id          VARCHAR(64) PRIMARY KEY,
  description TEXT,
  secret      VARCHAR(64) NOT NULL,
  extra       TEXT NOT NULL DEFAULT '{}'
);
