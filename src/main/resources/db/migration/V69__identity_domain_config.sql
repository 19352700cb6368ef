-- Identity: per-domain configuration (/v3/domains/{id}/config), Keystone's domain-specific
-- identity driver settings. Owned by dev.kiln.identity. Kept and served as given; Kiln's identity
-- backend is its own database whatever a domain's config says.
-- One row per option; value_json is the option's JSON text. Sensitive options (the LDAP password) are
-- stored and never shown, as in Keystone.
CREATE TABLE identity_domain_config (
  domain_id   VARCHAR(64) NOT NULL REFERENCES identity_domain (id) ON DELETE CASCADE,
  group_name  VARCHAR(255) NOT NULL,
  option_name VARCHAR(255) NOT NULL,
  value_json  TEXT NOT NULL,
  sensitive   BOOLEAN NOT NULL,
  PRIMARY KEY (domain_id, group_name, option_name)
);
