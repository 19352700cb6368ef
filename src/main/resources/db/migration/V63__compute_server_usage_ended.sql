-- Compute: what a deleted server used, for os-simple-tenant-usage. Kiln removes a server's row when
-- it is deleted (Nova keeps it, soft-deleted, with its terminated_at); this row, written in the same
-- transaction as that removal, keeps what a usage report over a past period needs. Only servers
-- that were launched have one. Owned by dev.kiln.compute.
CREATE TABLE compute_server_usage_ended (
  server_id     VARCHAR(36) PRIMARY KEY,
  project_id    VARCHAR(64) NOT NULL,
  name          VARCHAR(255) NOT NULL,
  flavor_name   VARCHAR(255) NOT NULL,
  vcpus         INT NOT NULL,
  memory_mb     INT NOT NULL,
  local_gb      INT NOT NULL,
  launched_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  terminated_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX compute_server_usage_ended_project ON compute_server_usage_ended (project_id, terminated_at);
CREATE INDEX compute_server_usage_ended_terminated ON compute_server_usage_ended (terminated_at);
