-- Ports and subnets are counted per project on every create (Neutron's quota check) and listed per
-- project; without these indexes both read every project's rows.
CREATE INDEX network_port_project ON network_port (project_id);
CREATE INDEX network_subnet_project ON network_subnet (project_id);
