-- Neutron L3 (routers, their extra routes, floating IPs) and resource tags. Owned by
-- dev.kiln.network; no other service reads these tables.

-- A router. Its ports (interfaces and gateway) are rows of network_port whose device_id is the
-- router's id; gw_network_id names the external network of its gateway, if it has one.
CREATE TABLE network_router (
  id              VARCHAR(36) PRIMARY KEY,
  project_id      VARCHAR(64) NOT NULL,
  name            VARCHAR(255) NOT NULL,
  description     VARCHAR(255) NOT NULL,
  admin_state_up  BOOLEAN NOT NULL,
  gw_network_id   VARCHAR(36) REFERENCES network_network (id),
  enable_snat     BOOLEAN NOT NULL,
  revision_number BIGINT NOT NULL,
  created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX network_router_project ON network_router (project_id);
CREATE INDEX network_router_gw_network ON network_router (gw_network_id);

-- A router's extra routes (the extraroute extension), in the order the user gave them.
CREATE TABLE network_router_route (
  router_id   VARCHAR(36) NOT NULL REFERENCES network_router (id) ON DELETE CASCADE,
  position    INT NOT NULL,
  destination VARCHAR(64) NOT NULL,
  nexthop     VARCHAR(64) NOT NULL,
  PRIMARY KEY (router_id, position)
);

-- A floating IP: an address of a port on an external network (floating_port_id, device_owner
-- network:floatingip), mapped to a fixed address of another port. The unique constraint is what
-- keeps one fixed address from getting two floating IPs on one external network, even when two
-- associations race; rows without an association (NULLs) never collide.
CREATE TABLE network_floatingip (
  id                  VARCHAR(36) PRIMARY KEY,
  project_id          VARCHAR(64) NOT NULL,
  floating_network_id VARCHAR(36) NOT NULL REFERENCES network_network (id),
  floating_port_id    VARCHAR(36) NOT NULL REFERENCES network_port (id),
  floating_ip_address VARCHAR(64) NOT NULL,
  fixed_port_id       VARCHAR(36) REFERENCES network_port (id),
  fixed_ip_address    VARCHAR(64),
  router_id           VARCHAR(36) REFERENCES network_router (id),
  status              VARCHAR(16) NOT NULL,
  description         VARCHAR(255) NOT NULL,
  revision_number     BIGINT NOT NULL,
  created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at          TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT network_floatingip_fixed_unique UNIQUE (floating_network_id, fixed_port_id, fixed_ip_address)
);
CREATE INDEX network_floatingip_project ON network_floatingip (project_id);
CREATE INDEX network_floatingip_fixed_port ON network_floatingip (fixed_port_id);
CREATE INDEX network_floatingip_router ON network_floatingip (router_id);

-- Tags of any taggable resource (standard-attr-tag). Resource ids are UUIDs, unique across kinds;
-- the kind is kept so that a list reads one kind's tags at once.
CREATE TABLE network_tag (
  resource_kind VARCHAR(32) NOT NULL,
  resource_id   VARCHAR(36) NOT NULL,
  tag           VARCHAR(255) NOT NULL,
  PRIMARY KEY (resource_id, tag)
);
CREATE INDEX network_tag_kind ON network_tag (resource_kind);

-- Allocation looks an address up by subnet and address; the port index serves port deletes.
CREATE INDEX network_port_device_owner ON network_port (device_owner);
