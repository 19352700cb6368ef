-- A port's extra DHCP options (extra_dhcp_opt) as text, its DNS name (dns-integration); a
-- network's DNS domain and whether it is the default external network (is_default); floating IP
-- port forwardings (floating-ip-port-forwarding). Owned by dev.kiln.network.
ALTER TABLE network_port ADD COLUMN extra_dhcp_opts VARCHAR(16000) NOT NULL DEFAULT '';
ALTER TABLE network_port ADD COLUMN dns_name VARCHAR(255) NOT NULL DEFAULT '';
ALTER TABLE network_network ADD COLUMN dns_domain VARCHAR(255) NOT NULL DEFAULT '';
ALTER TABLE network_network ADD COLUMN is_default BOOLEAN NOT NULL DEFAULT FALSE;

-- A port forwarding: traffic to the floating IP's external_port (by protocol) goes to an address
-- and port of an internal port. The unique constraints are what keep one external port (and one
-- internal socket) to one forwarding when requests race.
CREATE TABLE network_port_forwarding (
  id                  VARCHAR(36) PRIMARY KEY,
  floatingip_id       VARCHAR(36) NOT NULL REFERENCES network_floatingip (id) ON DELETE CASCADE,
  internal_port_id    VARCHAR(36) NOT NULL REFERENCES network_port (id),
  internal_ip_address VARCHAR(64) NOT NULL,
  internal_port       INT NOT NULL,
  external_port       INT NOT NULL,
  protocol            VARCHAR(16) NOT NULL,
  description         VARCHAR(255) NOT NULL,
  CONSTRAINT network_port_forwarding_external UNIQUE (floatingip_id, protocol, external_port),
  CONSTRAINT network_port_forwarding_internal UNIQUE (internal_port_id, internal_ip_address, protocol, internal_port)
);
CREATE INDEX network_port_forwarding_fip ON network_port_forwarding (floatingip_id);
CREATE INDEX network_port_forwarding_port ON network_port_forwarding (internal_port_id);
