-- Block Storage QoS specs (Cinder's /qos-specs): a named set of key/value specs with a consumer,
-- associated with volume types through the type's qos_specs_id, as Cinder keeps it. A type has at
-- most one; the foreign key keeps a QoS specs with types from going. Owned by dev.kiln.volume.
CREATE TABLE volume_qos_specs (
  id         VARCHAR(36) PRIMARY KEY,
  name       VARCHAR(255) NOT NULL,
  consumer   VARCHAR(16) NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at TIMESTAMP WITH TIME ZONE,
  CONSTRAINT volume_qos_specs_name UNIQUE (name)
);

CREATE TABLE volume_qos_spec (
  qos_specs_id VARCHAR(36) NOT NULL REFERENCES volume_qos_specs (id) ON DELETE CASCADE,
  spec_key     VARCHAR(255) NOT NULL,
  spec_value   VARCHAR(255),
  PRIMARY KEY (qos_specs_id, spec_key)
);

ALTER TABLE volume_type ADD COLUMN qos_specs_id VARCHAR(36) REFERENCES volume_qos_specs (id);
CREATE INDEX volume_type_qos_specs ON volume_type (qos_specs_id);
