-- Block Storage volume transfers (Cinder's os-volume-transfer / volume-transfers): a volume offered
-- to whoever presents the auth key, one offer a volume. Only a salted hash of the key is kept. The
-- row goes when the transfer is accepted or deleted, or with its volume. Owned by dev.kiln.volume.
CREATE TABLE volume_transfer (
  id                VARCHAR(36) PRIMARY KEY,
  volume_id         VARCHAR(36) NOT NULL REFERENCES volume_volume (id) ON DELETE CASCADE,
  name              VARCHAR(255),
  salt              VARCHAR(64) NOT NULL,
  crypt_hash        VARCHAR(128) NOT NULL,
  no_snapshots      BOOLEAN NOT NULL,
  source_project_id VARCHAR(64) NOT NULL,
  created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT volume_transfer_volume UNIQUE (volume_id)
);
CREATE INDEX volume_transfer_project ON volume_transfer (source_project_id);
