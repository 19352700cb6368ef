-- Block Storage user messages (Cinder's /messages, 3.3): what went wrong with a user's resource
-- after the API call answered, such as a volume the scheduler could not place. Owned by
-- dev.kiln.volume.
CREATE TABLE volume_message (
  id            VARCHAR(36) PRIMARY KEY,
  project_id    VARCHAR(64) NOT NULL,
  request_id    VARCHAR(64) NOT NULL,
  resource_type VARCHAR(32) NOT NULL,
  resource_uuid VARCHAR(36),
  event_id      VARCHAR(64) NOT NULL,
  message_level VARCHAR(16) NOT NULL,
  user_message  VARCHAR(512) NOT NULL,
  created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  expires_at    TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX volume_message_project ON volume_message (project_id, created_at);
