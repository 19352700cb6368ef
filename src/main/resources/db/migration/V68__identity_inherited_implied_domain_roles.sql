-- Identity: OS-INHERIT grants, role inference rules and domain-specific roles.
-- Owned by dev.kiln.identity.

-- A grant inherited to projects: held on every project of the domain, or on every project below
-- the project, never on the domain or project itself. target_type as in identity_role_assignment.
CREATE TABLE identity_inherited_user_grant (
  user_id     VARCHAR(64) NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
  role_id     VARCHAR(64) NOT NULL REFERENCES identity_role (id) ON DELETE CASCADE,
  target_type VARCHAR(16) NOT NULL,
  target_id   VARCHAR(64) NOT NULL,
  PRIMARY KEY (user_id, role_id, target_type, target_id)
);
CREATE INDEX identity_inherited_user_grant_target ON identity_inherited_user_grant (target_type, target_id);

CREATE TABLE identity_inherited_group_grant (
  group_id    VARCHAR(64) NOT NULL REFERENCES identity_group (id) ON DELETE CASCADE,
  role_id     VARCHAR(64) NOT NULL REFERENCES identity_role (id) ON DELETE CASCADE,
  target_type VARCHAR(16) NOT NULL,
  target_id   VARCHAR(64) NOT NULL,
  PRIMARY KEY (group_id, role_id, target_type, target_id)
);
CREATE INDEX identity_inherited_group_grant_target ON identity_inherited_group_grant (target_type, target_id);

-- Role inference: whoever holds the prior role also holds the implied one (and what it implies).
CREATE TABLE identity_implied_role (
  prior_role_id   VARCHAR(64) NOT NULL REFERENCES identity_role (id) ON DELETE CASCADE,
  implied_role_id VARCHAR(64) NOT NULL REFERENCES identity_role (id) ON DELETE CASCADE,
  PRIMARY KEY (prior_role_id, implied_role_id)
);
CREATE INDEX identity_implied_role_implied ON identity_implied_role (implied_role_id);

-- Keystone's bootstrap rules, for clouds made before this table (new ones get them from
-- IdentityBootstrap): admin implies member, member implies reader.
INSERT INTO identity_implied_role (prior_role_id, implied_role_id)
SELECT p.id, i.id FROM identity_role p, identity_role i
WHERE (p.name = 'admin' AND i.name = 'member') OR (p.name = 'member' AND i.name = 'reader');

-- A domain-specific role belongs to one domain. Role names stay unique across all roles (the
-- older UNIQUE (name) cannot be renamed portably); Keystone makes them unique per domain.
ALTER TABLE identity_role ADD COLUMN domain_id VARCHAR(64) REFERENCES identity_domain (id);
CREATE INDEX identity_role_domain ON identity_role (domain_id);
