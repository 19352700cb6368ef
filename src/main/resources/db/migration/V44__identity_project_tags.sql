-- Keystone's project tags: short strings a project is labelled with and listed by. Owned by
-- dev.kiln.identity. No token carries them, so changing them leaves identity_revision alone.
CREATE TABLE identity_project_tag (
  project_id VARCHAR(64) NOT NULL REFERENCES identity_project (id) ON DELETE CASCADE,
  tag        VARCHAR(255) NOT NULL,
  PRIMARY KEY (project_id, tag)
);
