-- Cinder's volume_image_metadata: what a volume made from an image remembers of that image
-- (image_id, image_name, checksum, formats, min_disk, min_ram, size and the image's custom
-- properties), as strings, as Cinder's volume_glance_metadata holds them. Owned by dev.kiln.volume.
CREATE TABLE volume_image_metadata (
  volume_id  VARCHAR(36) NOT NULL REFERENCES volume_volume (id) ON DELETE CASCADE,
  meta_key   VARCHAR(255) NOT NULL,
  meta_value TEXT NOT NULL,
  PRIMARY KEY (volume_id, meta_key)
);
