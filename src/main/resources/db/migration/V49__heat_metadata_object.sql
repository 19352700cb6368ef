-- Where a POLL_TEMP_URL server's metadata lives in Object Storage (Heat keeps this in the server
-- resource's data: metadata_put_url, metadata_object_name). One row per server; every change to
-- the server's deployments rewrites the object. Owned by dev.kiln.orchestration.software.
CREATE TABLE heat_metadata_object (
  server_id    VARCHAR(255) PRIMARY KEY,
  project_id   VARCHAR(64) NOT NULL,
  container    VARCHAR(256) NOT NULL,
  object_name  VARCHAR(1024) NOT NULL,
  -- JSON object: the server's os-collect-config section, written next to its deployments.
  section      TEXT NOT NULL
);
