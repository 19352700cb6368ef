-- A port's security groups must exist: a group deleted while a port is being created with it
-- makes one of the two fail, instead of leaving the port pointing at nothing.
ALTER TABLE network_port_security_group
  ADD CONSTRAINT network_port_security_group_group
  FOREIGN KEY (security_group_id) REFERENCES network_security_group (id);
