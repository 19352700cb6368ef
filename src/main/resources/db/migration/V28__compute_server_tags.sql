-- Nova's server tags (microversion 2.26): at most 50 per server, each up to 60 characters.
CREATE TABLE compute_server_tag (
  server_id VARCHAR(36) NOT NULL REFERENCES compute_server (id) ON DELETE CASCADE,
  tag       VARCHAR(60) NOT NULL,
  PRIMARY KEY (server_id, tag)
);
CREATE INDEX compute_server_tag_tag ON compute_server_tag (tag);
