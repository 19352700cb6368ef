-- Block Storage volume type encryption (Cinder's /types/{id}/encryption): at most one row per
-- type, gone with its type. Owned by dev.kiln.volume.
CREATE TABLE volume_type_encryption (
  volume_type_id   VARCHAR(36) PRIMARY KEY REFERENCES volume_type (id) ON DELETE CASCADE,
  encryption_id    VARCHAR(36) NOT NULL,
  provider         VARCHAR(255) NOT NULL,
  cipher           VARCHAR(255),
  key_size         INTEGER,
  control_location VARCHAR(16) NOT NULL,
  created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at       TIMESTAMP WITH TIME ZONE
);
