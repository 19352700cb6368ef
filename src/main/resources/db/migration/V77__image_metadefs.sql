-- Glance metadata definitions (/v2/metadefs): namespaces of property, object and tag definitions,
-- and the resource types (OS::Nova::Flavor, ...) namespaces apply to. Owned by dev.kiln.image
-- (MetadefStore). Everything a namespace holds goes with it.
CREATE TABLE image_metadef_namespace (
  id           VARCHAR(36) PRIMARY KEY,
  namespace    VARCHAR(80) NOT NULL,
  display_name VARCHAR(80),
  description  VARCHAR(500),
  owner        VARCHAR(255),
  visibility   VARCHAR(16) NOT NULL,
  is_protected BOOLEAN NOT NULL,
  created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT image_metadef_namespace_name UNIQUE (namespace),
  CONSTRAINT image_metadef_namespace_visibility CHECK (visibility IN ('public', 'private'))
);

-- An object: a named group of property definitions; required and properties are JSON text.
CREATE TABLE image_metadef_object (
  namespace_id VARCHAR(36) NOT NULL REFERENCES image_metadef_namespace (id) ON DELETE CASCADE,
  name         VARCHAR(80) NOT NULL,
  description  TEXT,
  required     TEXT NOT NULL,
  properties   TEXT NOT NULL,
  created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (namespace_id, name)
);

-- A property definition: its JSON schema (title, type, enum, ...) as JSON text.
CREATE TABLE image_metadef_property (
  namespace_id VARCHAR(36) NOT NULL REFERENCES image_metadef_namespace (id) ON DELETE CASCADE,
  name         VARCHAR(255) NOT NULL,
  definition   TEXT NOT NULL,
  created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (namespace_id, name)
);

CREATE TABLE image_metadef_tag (
  namespace_id VARCHAR(36) NOT NULL REFERENCES image_metadef_namespace (id) ON DELETE CASCADE,
  name         VARCHAR(255) NOT NULL,
  created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (namespace_id, name)
);

-- Resource types: the seeded ones are protected; associating a namespace with an unknown name
-- creates an unprotected one, as Glance does.
CREATE TABLE image_metadef_resource_type (
  name         VARCHAR(80) PRIMARY KEY,
  is_protected BOOLEAN NOT NULL,
  created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at   TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE image_metadef_resource_type_association (
  namespace_id      VARCHAR(36) NOT NULL REFERENCES image_metadef_namespace (id) ON DELETE CASCADE,
  resource_type     VARCHAR(80) NOT NULL REFERENCES image_metadef_resource_type (name),
  prefix            VARCHAR(80),
  properties_target VARCHAR(80),
  created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at        TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (namespace_id, resource_type)
);

-- The resource types Glance's shipped definitions apply to (what DevStack's db_load_metadefs
-- leaves behind), so that a fresh cloud lists them as a DevStack one does.
INSERT INTO image_metadef_resource_type (name, is_protected, created_at, updated_at) VALUES
  ('OS::Glance::Image', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
  ('OS::Cinder::Volume', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
  ('OS::Nova::Flavor', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
  ('OS::Nova::Aggregate', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
  ('OS::Nova::Server', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
  ('OS::Trove::Instance', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP);
