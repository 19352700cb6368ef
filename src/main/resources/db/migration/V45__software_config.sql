-- Software configs and deployments (Heat's /software_configs and /software_deployments). Owned by
-- dev.kiln.orchestration.software; no other code reads these tables.

-- A config is immutable once made: a deployment whose inputs change points at a new (derived)
-- config, so a server's metadata is always a list of configs as they were when deployed.
CREATE TABLE heat_software_config (
  id          VARCHAR(36) PRIMARY KEY,
  project_id  VARCHAR(64) NOT NULL,
  name        VARCHAR(255),
  grp         VARCHAR(255) NOT NULL,
  -- JSON object: config, inputs, outputs, options, as Heat keeps them together.
  body        TEXT NOT NULL,
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX heat_software_config_project ON heat_software_config (project_id, created_at);

CREATE TABLE heat_software_deployment (
  id                    VARCHAR(36) PRIMARY KEY,
  project_id            VARCHAR(64) NOT NULL,
  -- The stack user project of the stack that made it, whose users may read and signal it.
  stack_user_project_id VARCHAR(64),
  config_id             VARCHAR(36) NOT NULL REFERENCES heat_software_config (id),
  server_id             VARCHAR(255) NOT NULL,
  input_values          TEXT NOT NULL,
  output_values         TEXT NOT NULL,
  action                VARCHAR(255) NOT NULL,
  status                VARCHAR(32) NOT NULL,
  status_reason         TEXT NOT NULL,
  created_at            TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at            TIMESTAMP WITH TIME ZONE
);
CREATE INDEX heat_software_deployment_server ON heat_software_deployment (server_id);
CREATE INDEX heat_software_deployment_project ON heat_software_deployment (project_id, created_at);
