-- Image service (Glance v2) tables. Owned by dev.kiln.image (ImageStore); no other service reads
-- them. The image data itself lives in files under <data-dir>/images/<id>.
CREATE TABLE image_image (
  id               VARCHAR(36) PRIMARY KEY,
  name             VARCHAR(255),
  owner            VARCHAR(255),
  status           VARCHAR(32) NOT NULL,
  visibility       VARCHAR(16) NOT NULL,
  disk_format      VARCHAR(16),
  container_format VARCHAR(16),
  min_disk         INT NOT NULL,
  min_ram          INT NOT NULL,
  is_protected     BOOLEAN NOT NULL,
  os_hidden        BOOLEAN NOT NULL,
  data_size        BIGINT,
  virtual_size     BIGINT,
  checksum         VARCHAR(32),
  os_hash_algo     VARCHAR(64),
  os_hash_value    VARCHAR(128),
  revision         BIGINT NOT NULL,
  created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at       TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT image_image_status CHECK (status IN ('queued', 'saving', 'active', 'killed',
    'deleted', 'pending_delete', 'deactivated', 'uploading', 'importing')),
  CONSTRAINT image_image_visibility CHECK (visibility IN ('public', 'private', 'shared',
    'community'))
);
CREATE INDEX image_image_owner ON image_image (owner);

-- Custom ("extra") properties: any string-valued key beyond the base attributes.
CREATE TABLE image_property (
  image_id   VARCHAR(36) NOT NULL REFERENCES image_image (id) ON DELETE CASCADE,
  prop_name  VARCHAR(255) NOT NULL,
  prop_value TEXT NOT NULL,
  PRIMARY KEY (image_id, prop_name)
);

CREATE TABLE image_tag (
  image_id  VARCHAR(36) NOT NULL REFERENCES image_image (id) ON DELETE CASCADE,
  tag_value VARCHAR(255) NOT NULL,
  PRIMARY KEY (image_id, tag_value)
);

-- Images Kiln creates by itself on first start (the 'cirros' image). A row here means "already
-- seeded": its primary key makes two nodes starting at the same moment seed once, and an image the
-- operator deleted stays deleted across restarts.
CREATE TABLE image_seed (
  seed_name VARCHAR(64) PRIMARY KEY,
  image_id  VARCHAR(36) NOT NULL
);
