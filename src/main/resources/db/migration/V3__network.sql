-- Networking (Neutron v2.0) tables. Owned by dev.kiln.network; no other service reads them.
CREATE TABLE network_network (
  id                    VARCHAR(36) PRIMARY KEY,
  project_id            VARCHAR(64) NOT NULL,
  name                  VARCHAR(255) NOT NULL,
  description           VARCHAR(255) NOT NULL,
  admin_state_up        BOOLEAN NOT NULL,
  shared                BOOLEAN NOT NULL,
  router_external       BOOLEAN NOT NULL,
  mtu                   INT NOT NULL,
  port_security_enabled BOOLEAN NOT NULL,
  revision_number       BIGINT NOT NULL,
  created_at            TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at            TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX network_network_project ON network_network (project_id);

CREATE TABLE network_subnet (
  id                VARCHAR(36) PRIMARY KEY,
  project_id        VARCHAR(64) NOT NULL,
  network_id        VARCHAR(36) NOT NULL REFERENCES network_network (id),
  name              VARCHAR(255) NOT NULL,
  description       VARCHAR(255) NOT NULL,
  ip_version        INT NOT NULL,
  cidr              VARCHAR(64) NOT NULL,
  gateway_ip        VARCHAR(64),
  enable_dhcp       BOOLEAN NOT NULL,
  ipv6_ra_mode      VARCHAR(16),
  ipv6_address_mode VARCHAR(16),
  revision_number   BIGINT NOT NULL,
  created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at        TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX network_subnet_network ON network_subnet (network_id);

-- Lists that belong to a subnet, kept in the order the user gave them.
CREATE TABLE network_subnet_pool (
  subnet_id VARCHAR(36) NOT NULL REFERENCES network_subnet (id) ON DELETE CASCADE,
  position  INT NOT NULL,
  first_ip  VARCHAR(64) NOT NULL,
  last_ip   VARCHAR(64) NOT NULL,
  PRIMARY KEY (subnet_id, position)
);
CREATE TABLE network_subnet_dns (
  subnet_id VARCHAR(36) NOT NULL REFERENCES network_subnet (id) ON DELETE CASCADE,
  position  INT NOT NULL,
  address   VARCHAR(64) NOT NULL,
  PRIMARY KEY (subnet_id, position)
);
CREATE TABLE network_subnet_route (
  subnet_id   VARCHAR(36) NOT NULL REFERENCES network_subnet (id) ON DELETE CASCADE,
  position    INT NOT NULL,
  destination VARCHAR(64) NOT NULL,
  nexthop     VARCHAR(64) NOT NULL,
  PRIMARY KEY (subnet_id, position)
);

CREATE TABLE network_port (
  id                    VARCHAR(36) PRIMARY KEY,
  project_id            VARCHAR(64) NOT NULL,
  network_id            VARCHAR(36) NOT NULL REFERENCES network_network (id),
  name                  VARCHAR(255) NOT NULL,
  description           VARCHAR(255) NOT NULL,
  mac_address           VARCHAR(17) NOT NULL,
  admin_state_up        BOOLEAN NOT NULL,
  status                VARCHAR(16) NOT NULL,
  device_id             VARCHAR(255) NOT NULL,
  device_owner          VARCHAR(255) NOT NULL,
  port_security_enabled BOOLEAN NOT NULL,
  vnic_type             VARCHAR(32) NOT NULL,
  binding_profile       TEXT NOT NULL,
  revision_number       BIGINT NOT NULL,
  created_at            TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at            TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT network_port_mac_unique UNIQUE (network_id, mac_address)
);
CREATE INDEX network_port_network ON network_port (network_id);
CREATE INDEX network_port_device ON network_port (device_id);

-- An address in use. The primary key is what makes two ports never get the same address.
CREATE TABLE network_ip_allocation (
  subnet_id  VARCHAR(36) NOT NULL REFERENCES network_subnet (id),
  ip_address VARCHAR(64) NOT NULL,
  port_id    VARCHAR(36) NOT NULL REFERENCES network_port (id) ON DELETE CASCADE,
  position   INT NOT NULL,
  PRIMARY KEY (subnet_id, ip_address)
);
CREATE INDEX network_ip_allocation_port ON network_ip_allocation (port_id);

CREATE TABLE network_port_security_group (
  port_id           VARCHAR(36) NOT NULL REFERENCES network_port (id) ON DELETE CASCADE,
  security_group_id VARCHAR(36) NOT NULL,
  PRIMARY KEY (port_id, security_group_id)
);
CREATE INDEX network_port_security_group_group ON network_port_security_group (security_group_id);

-- Port bindings: at most one ACTIVE per port (kept so by the service under the port's row lock),
-- any number of INACTIVE ones, one per host.
CREATE TABLE network_port_binding (
  port_id     VARCHAR(36) NOT NULL REFERENCES network_port (id) ON DELETE CASCADE,
  host        VARCHAR(255) NOT NULL,
  status      VARCHAR(16) NOT NULL,
  vif_type    VARCHAR(64) NOT NULL,
  vnic_type   VARCHAR(32) NOT NULL,
  profile     TEXT NOT NULL,
  vif_details TEXT NOT NULL,
  PRIMARY KEY (port_id, host)
);
