-- Neutron trunks (trunk) and RBAC policies on networks (rbac-policies). Owned by dev.kiln.network;
-- no other service reads these tables.

-- A trunk: a parent port and its subports. The unique parent and the subport's primary key are
-- what keep one port in one trunk only, even when two requests race for it.
CREATE TABLE network_trunk (
  id              VARCHAR(36) PRIMARY KEY,
  project_id      VARCHAR(64) NOT NULL,
  name            VARCHAR(255) NOT NULL,
  description     VARCHAR(255) NOT NULL,
  admin_state_up  BOOLEAN NOT NULL,
  port_id         VARCHAR(36) NOT NULL REFERENCES network_port (id),
  revision_number BIGINT NOT NULL,
  created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT network_trunk_parent_unique UNIQUE (port_id)
);
CREATE INDEX network_trunk_project ON network_trunk (project_id);

-- A subport: one VLAN of a trunk. A segmentation id is used once per trunk.
CREATE TABLE network_trunk_subport (
  port_id           VARCHAR(36) PRIMARY KEY REFERENCES network_port (id),
  trunk_id          VARCHAR(36) NOT NULL REFERENCES network_trunk (id) ON DELETE CASCADE,
  segmentation_type VARCHAR(32) NOT NULL,
  segmentation_id   INT NOT NULL,
  position          BIGINT NOT NULL,
  CONSTRAINT network_trunk_subport_segment UNIQUE (trunk_id, segmentation_type, segmentation_id)
);
CREATE INDEX network_trunk_subport_trunk ON network_trunk_subport (trunk_id);

-- An RBAC policy: a network shared with (access_as_shared) or usable as an external network by
-- (access_as_external) one project, or every project ('*'). The network's shared column mirrors
-- the '*' access_as_shared policy and router_external says whether any access_as_external policy
-- exists, so that the common answers need no join.
CREATE TABLE network_rbac_policy (
  id             VARCHAR(36) PRIMARY KEY,
  project_id     VARCHAR(64) NOT NULL,
  object_type    VARCHAR(32) NOT NULL,
  object_id      VARCHAR(36) NOT NULL REFERENCES network_network (id) ON DELETE CASCADE,
  action         VARCHAR(32) NOT NULL,
  target_project VARCHAR(255) NOT NULL,
  CONSTRAINT network_rbac_policy_unique UNIQUE (object_id, action, target_project)
);
CREATE INDEX network_rbac_policy_target ON network_rbac_policy (target_project);
CREATE INDEX network_rbac_policy_project ON network_rbac_policy (project_id);

-- Networks made shared or external before policies existed get the policies Neutron would have made.
INSERT INTO network_rbac_policy (id, project_id, object_type, object_id, action, target_project)
  SELECT CAST(gen_random_uuid() AS VARCHAR(36)), project_id, 'network', id, 'access_as_shared', '*'
  FROM network_network WHERE shared;
INSERT INTO network_rbac_policy (id, project_id, object_type, object_id, action, target_project)
  SELECT CAST(gen_random_uuid() AS VARCHAR(36)), project_id, 'network', id, 'access_as_external', '*'
  FROM network_network WHERE router_external;
