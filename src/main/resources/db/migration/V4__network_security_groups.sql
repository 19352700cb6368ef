-- Neutron security groups and their rules. Owned by dev.kiln.network (SecurityGroupStore); no
-- other service reads these tables.
CREATE TABLE network_security_group (
  id              VARCHAR(36) PRIMARY KEY,
  project_id      VARCHAR(64) NOT NULL,
  name            VARCHAR(255) NOT NULL,
  description     VARCHAR(255) NOT NULL,
  stateful        BOOLEAN NOT NULL,
  revision_number BIGINT NOT NULL,
  created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX network_security_group_project ON network_security_group (project_id);

-- Each project's 'default' group. The primary key is what makes two first uses at the same moment
-- (two list calls, two port creates) end with one default group: the loser's insert fails, its
-- transaction rolls back, and it reads the winner's group.
CREATE TABLE network_security_group_default (
  project_id        VARCHAR(64) PRIMARY KEY,
  security_group_id VARCHAR(36) NOT NULL UNIQUE
                      REFERENCES network_security_group (id) ON DELETE CASCADE
);

-- A rule. rule_key is the rule's defining columns in one normalized, never-null text (protocol as
-- its number, 0.0.0.0/0 and ::/0 as no prefix, '+' for absent values), so that the unique
-- constraint catches duplicates that NULLs would let through and equivalent spellings ('tcp' and
-- '6') alike, even when two requests add the same rule at the same moment.
CREATE TABLE network_security_group_rule (
  id                      VARCHAR(36) PRIMARY KEY,
  security_group_id       VARCHAR(36) NOT NULL
                            REFERENCES network_security_group (id) ON DELETE CASCADE,
  project_id              VARCHAR(64) NOT NULL,
  direction               VARCHAR(8) NOT NULL,
  ethertype               VARCHAR(8) NOT NULL,
  protocol                VARCHAR(16),
  port_range_min          INT,
  port_range_max          INT,
  remote_ip_prefix        VARCHAR(64),
  -- Deleting a group deletes the rules of other groups that name it as their remote, as in Neutron.
  remote_group_id         VARCHAR(36) REFERENCES network_security_group (id) ON DELETE CASCADE,
  remote_address_group_id VARCHAR(36),
  description             VARCHAR(255) NOT NULL,
  rule_key                VARCHAR(255) NOT NULL,
  revision_number         BIGINT NOT NULL,
  created_at              TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at              TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT network_security_group_rule_unique UNIQUE (security_group_id, rule_key),
  CONSTRAINT network_security_group_rule_direction CHECK (direction IN ('ingress', 'egress')),
  CONSTRAINT network_security_group_rule_ethertype CHECK (ethertype IN ('IPv4', 'IPv6'))
);
CREATE INDEX network_security_group_rule_remote ON network_security_group_rule (remote_group_id);
CREATE INDEX network_security_group_rule_project ON network_security_group_rule (project_id);
