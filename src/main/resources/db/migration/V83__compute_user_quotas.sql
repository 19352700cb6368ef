-- Compute: per-user quotas (Nova's os-quota-sets?user_id=...). Owned by dev.kiln.compute.
-- A user's limit applies within the project's: a resource without a row here has the project's
-- limit. Changes are made under the project's quota lock row (compute_quota_lock).
CREATE TABLE compute_user_quota (
  project_id VARCHAR(255) NOT NULL,
  user_id    VARCHAR(255) NOT NULL,
  resource   VARCHAR(64) NOT NULL,
  hard_limit INT NOT NULL,
  PRIMARY KEY (project_id, user_id, resource)
);
