-- Baseline: the schema that V1 to V19 build, in one script. Flyway runs it instead of V1..V19 on
-- an empty database (a new data directory or PostgreSQL database), which saves a migration's
-- bookkeeping 18 times over at start; a database that already ran V1..V19 never runs it. It is
-- the V-files' statements, in order, unchanged: BaselineMigrationTest checks that both paths give
-- the same schema. Never edit it; a later squash adds a new B<n> file next to it.

-- ==== V1__identity.sql
-- Identity (Keystone v3) tables. Owned by dev.kiln.identity; no other service reads them.
CREATE TABLE identity_domain (
  id          VARCHAR(64) PRIMARY KEY,
  name        VARCHAR(255) NOT NULL UNIQUE,
  description TEXT NOT NULL DEFAULT '',
  enabled     BOOLEAN NOT NULL,
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE identity_project (
  id          VARCHAR(64) PRIMARY KEY,
  name        VARCHAR(255) NOT NULL,
  domain_id   VARCHAR(64) NOT NULL REFERENCES identity_domain (id),
  parent_id   VARCHAR(64),
  description TEXT NOT NULL DEFAULT '',
  enabled     BOOLEAN NOT NULL,
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT identity_project_name_unique UNIQUE (domain_id, name)
);

CREATE TABLE identity_user (
  id                 VARCHAR(64) PRIMARY KEY,
  name               VARCHAR(255) NOT NULL,
  domain_id          VARCHAR(64) NOT NULL REFERENCES identity_domain (id),
  password_hash      VARCHAR(255),
  default_project_id VARCHAR(64),
  email              VARCHAR(255),
  description        TEXT NOT NULL DEFAULT '',
  enabled            BOOLEAN NOT NULL,
  created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT identity_user_name_unique UNIQUE (domain_id, name)
);

CREATE TABLE identity_role (
  id          VARCHAR(64) PRIMARY KEY,
  name        VARCHAR(255) NOT NULL UNIQUE,
  description TEXT NOT NULL DEFAULT '',
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- One row per (user, role, project or domain). target_type is 'project' or 'domain'.
CREATE TABLE identity_role_assignment (
  user_id     VARCHAR(64) NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
  role_id     VARCHAR(64) NOT NULL REFERENCES identity_role (id) ON DELETE CASCADE,
  target_type VARCHAR(16) NOT NULL,
  target_id   VARCHAR(64) NOT NULL,
  PRIMARY KEY (user_id, role_id, target_type, target_id)
);
CREATE INDEX identity_role_assignment_target ON identity_role_assignment (target_type, target_id);

-- Tokens are kept by the SHA-256 of their value: a copy of the table does not hand out tokens.
CREATE TABLE identity_token (
  token_hash  VARCHAR(64) PRIMARY KEY,
  user_id     VARCHAR(64) NOT NULL,
  scope_type  VARCHAR(16) NOT NULL,
  scope_id    VARCHAR(64),
  methods     VARCHAR(255) NOT NULL,
  audit_id    VARCHAR(64) NOT NULL,
  issued_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  expires_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  revoked     BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX identity_token_expiry ON identity_token (expires_at);
CREATE INDEX identity_token_user ON identity_token (user_id);

-- ==== V2__tasks.sql
-- Durable tasks. Owned by dev.kiln.tasks (TaskStore); no other code reads this table.
-- A task is QUEUED until a runner claims it (RUNNING, with claimed_by and a lease), then ends
-- SUCCEEDED or FAILED; a failed attempt goes back to QUEUED with a later run_after. A RUNNING
-- row whose lease_until has passed belongs to a node that died, and any runner may reclaim it.
CREATE TABLE task (
  id           VARCHAR(64) PRIMARY KEY,
  kind         VARCHAR(128) NOT NULL,
  payload      TEXT NOT NULL,
  status       VARCHAR(16) NOT NULL,
  attempts     INTEGER NOT NULL,
  max_attempts INTEGER NOT NULL,
  run_after    TIMESTAMP WITH TIME ZONE NOT NULL,
  claimed_by   VARCHAR(255),
  lease_until  TIMESTAMP WITH TIME ZONE,
  last_error   TEXT,
  result       TEXT,
  created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT task_status_valid CHECK (status IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED'))
);
-- What the claim query scans: due QUEUED rows by run_after, expired RUNNING rows by lease.
CREATE INDEX task_queued_due ON task (status, run_after);
CREATE INDEX task_running_lease ON task (status, lease_until);

-- ==== V3__network.sql
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

-- ==== V4__network_security_groups.sql
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

-- ==== V5__port_security_group_reference.sql
-- A port's security groups must exist: a group deleted while a port is being created with it
-- makes one of the two fail, instead of leaving the port pointing at nothing.
ALTER TABLE network_port_security_group
  ADD CONSTRAINT network_port_security_group_group
  FOREIGN KEY (security_group_id) REFERENCES network_security_group (id);

-- ==== V6__volume_types_quotas.sql
-- Block Storage (Cinder v3) volume types and quotas. Owned by dev.kiln.volume; no other service
-- reads them.
CREATE TABLE volume_type (
  id          VARCHAR(36) PRIMARY KEY,
  name        VARCHAR(255) NOT NULL,
  description VARCHAR(255),
  is_public   BOOLEAN NOT NULL,
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at  TIMESTAMP WITH TIME ZONE,
  CONSTRAINT volume_type_name UNIQUE (name)
);

CREATE TABLE volume_type_extra_spec (
  volume_type_id VARCHAR(36) NOT NULL REFERENCES volume_type (id) ON DELETE CASCADE,
  spec_key       VARCHAR(255) NOT NULL,
  spec_value     VARCHAR(255) NOT NULL,
  PRIMARY KEY (volume_type_id, spec_key)
);

-- Cinder's own default type, which every deployment has from its first start and which cannot be
-- deleted. A fixed id makes it exist exactly once, on every node, with no creation race.
INSERT INTO volume_type (id, name, description, is_public, created_at, updated_at)
VALUES ('4fe60bf1-31d7-4ef7-9cbf-45c7bc657976', '__DEFAULT__', 'Default Volume Type', TRUE,
        CURRENT_TIMESTAMP, NULL);

-- Hard limits a project was given (os-quota-sets PUT); a resource without a row has the default.
-- resource is Cinder's quota name: volumes, gigabytes, snapshots, per_volume_gigabytes, backups,
-- backup_gigabytes, groups, or a per-type name such as volumes_<type name>.
CREATE TABLE volume_quota (
  project_id VARCHAR(64) NOT NULL,
  resource   VARCHAR(300) NOT NULL,
  hard_limit BIGINT NOT NULL,
  PRIMARY KEY (project_id, resource)
);

-- What each project uses of the enforced quotas, changed only by conditional updates inside the
-- transaction that creates or deletes the volume or snapshot.
CREATE TABLE volume_quota_usage (
  project_id VARCHAR(64) PRIMARY KEY,
  volumes    BIGINT NOT NULL,
  gigabytes  BIGINT NOT NULL,
  snapshots  BIGINT NOT NULL,
  CONSTRAINT volume_quota_usage_not_negative
    CHECK (volumes >= 0 AND gigabytes >= 0 AND snapshots >= 0)
);

-- ==== V7__volume.sql
-- Block Storage (Cinder v3) tables. Owned by dev.kiln.volume; no other service reads them.
CREATE TABLE volume_volume (
  id                VARCHAR(36) PRIMARY KEY,
  project_id        VARCHAR(64) NOT NULL,
  user_id           VARCHAR(64) NOT NULL,
  name              VARCHAR(255),
  description       VARCHAR(255),
  size              INT NOT NULL,
  status            VARCHAR(32) NOT NULL,
  attach_status     VARCHAR(32) NOT NULL,
  volume_type_id    VARCHAR(36) NOT NULL REFERENCES volume_type (id),
  availability_zone VARCHAR(255) NOT NULL,
  multiattach       BOOLEAN NOT NULL,
  bootable          BOOLEAN NOT NULL,
  source_volid      VARCHAR(36),
  snapshot_id       VARCHAR(36),
  created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at        TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX volume_volume_project ON volume_volume (project_id);

CREATE TABLE volume_metadata (
  volume_id VARCHAR(36) NOT NULL REFERENCES volume_volume (id) ON DELETE CASCADE,
  meta_key  VARCHAR(255) NOT NULL,
  meta_value VARCHAR(255) NOT NULL,
  PRIMARY KEY (volume_id, meta_key)
);

CREATE TABLE volume_snapshot (
  id          VARCHAR(36) PRIMARY KEY,
  project_id  VARCHAR(64) NOT NULL,
  user_id     VARCHAR(64) NOT NULL,
  volume_id   VARCHAR(36) NOT NULL REFERENCES volume_volume (id),
  name        VARCHAR(255),
  description VARCHAR(255),
  size        INT NOT NULL,
  status      VARCHAR(32) NOT NULL,
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX volume_snapshot_volume ON volume_snapshot (volume_id);

-- One row per attachment of a volume to an instance: the record both the attachments API and
-- the legacy attach actions move through its states.
CREATE TABLE volume_attachment (
  id              VARCHAR(36) PRIMARY KEY,
  volume_id       VARCHAR(36) NOT NULL REFERENCES volume_volume (id),
  project_id      VARCHAR(64) NOT NULL,
  instance_uuid   VARCHAR(36),
  attached_host   VARCHAR(255),
  mountpoint      VARCHAR(255),
  attach_status   VARCHAR(32) NOT NULL,
  attach_mode     VARCHAR(2) NOT NULL,
  connector       TEXT,
  connection_info TEXT,
  attach_time     TIMESTAMP WITH TIME ZONE,
  created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX volume_attachment_volume ON volume_attachment (volume_id);
CREATE INDEX volume_attachment_instance ON volume_attachment (instance_uuid);

-- ==== V8__image.sql
-- Image service (Glance v2) tables. Owned by dev.kiln.image (ImageStore); no other service reads
-- them. The image data itself lives in files under <data-dir>/images/<id>.
CREATE TABLE image_image (
  id               VARCHAR(36) PRIMARY KEY,
  name             VARCHAR(255),
  owner            VARCHAR(255),
  status           VARCHAR(32) NOT NULL,
  visibility       VARCHAR(16) NOT NULL,
  disk_format      VARCHAR(16),
  container_format VARCHAR(16),
  min_disk         INT NOT NULL,
  min_ram          INT NOT NULL,
  is_protected     BOOLEAN NOT NULL,
  os_hidden        BOOLEAN NOT NULL,
  data_size        BIGINT,
  virtual_size     BIGINT,
  checksum         VARCHAR(32),
  os_hash_algo     VARCHAR(64),
  os_hash_value    VARCHAR(128),
  revision         BIGINT NOT NULL,
  created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at       TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT image_image_status CHECK (status IN ('queued', 'saving', 'active', 'killed',
    'deleted', 'pending_delete', 'deactivated', 'uploading', 'importing')),
  CONSTRAINT image_image_visibility CHECK (visibility IN ('public', 'private', 'shared',
    'community'))
);
CREATE INDEX image_image_owner ON image_image (owner);

-- Custom ("extra") properties: any string-valued key beyond the base attributes.
CREATE TABLE image_property (
  image_id   VARCHAR(36) NOT NULL REFERENCES image_image (id) ON DELETE CASCADE,
  prop_name  VARCHAR(255) NOT NULL,
  prop_value TEXT NOT NULL,
  PRIMARY KEY (image_id, prop_name)
);

CREATE TABLE image_tag (
  image_id  VARCHAR(36) NOT NULL REFERENCES image_image (id) ON DELETE CASCADE,
  tag_value VARCHAR(255) NOT NULL,
  PRIMARY KEY (image_id, tag_value)
);

-- Images Kiln creates by itself on first start (the 'cirros' image). A row here means "already
-- seeded": its primary key makes two nodes starting at the same moment seed once, and an image the
-- operator deleted stays deleted across restarts.
CREATE TABLE image_seed (
  seed_name VARCHAR(64) PRIMARY KEY,
  image_id  VARCHAR(36) NOT NULL
);

-- ==== V9__compute_fleet_flavors_keypairs.sql
-- Compute (Nova v2.1): the simulated fleet, flavors and keypairs. Owned by dev.kiln.compute; no
-- other service reads these tables.

-- One row per compute host (Nova's compute node). Capacity and zone follow the configuration at
-- each start; usage only changes through claims, with conditional updates that never overcommit.
CREATE TABLE compute_host (
  name              VARCHAR(255) PRIMARY KEY,
  -- The hypervisor id before microversion 2.53; uuid from 2.53.
  id                INT GENERATED BY DEFAULT AS IDENTITY UNIQUE,
  uuid              VARCHAR(36) NOT NULL UNIQUE,
  availability_zone VARCHAR(255) NOT NULL,
  vcpus             INT NOT NULL,
  ram_mb            INT NOT NULL,
  disk_gb           INT NOT NULL,
  vcpus_used        INT NOT NULL DEFAULT 0,
  ram_mb_used       INT NOT NULL DEFAULT 0,
  disk_gb_used      INT NOT NULL DEFAULT 0,
  created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
  CHECK (vcpus_used >= 0 AND ram_mb_used >= 0 AND disk_gb_used >= 0)
);

-- What each consumer (a server, a migration) holds on a host; released exactly once.
CREATE TABLE compute_host_claim (
  consumer_id VARCHAR(255) PRIMARY KEY,
  host        VARCHAR(255) NOT NULL REFERENCES compute_host (name),
  vcpus       INT NOT NULL,
  ram_mb      INT NOT NULL,
  disk_gb     INT NOT NULL,
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX compute_host_claim_host ON compute_host_claim (host);

-- Nova's services: nova-compute on each host, nova-scheduler and nova-conductor on "kiln".
CREATE TABLE compute_service (
  id              INT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  uuid            VARCHAR(36) NOT NULL UNIQUE,
  host            VARCHAR(255) NOT NULL,
  binary_name     VARCHAR(64) NOT NULL,
  disabled        BOOLEAN NOT NULL,
  disabled_reason VARCHAR(255),
  forced_down     BOOLEAN NOT NULL,
  created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at      TIMESTAMP WITH TIME ZONE,
  UNIQUE (host, binary_name)
);

-- The simulated driver's latency and fault injection, per operation; shared by every node.
CREATE TABLE compute_driver_setting (
  operation   VARCHAR(32) PRIMARY KEY,
  latency_ms  BIGINT NOT NULL,
  fail_next   INT NOT NULL,
  probability DOUBLE PRECISION NOT NULL,
  host        VARCHAR(255),
  message     VARCHAR(1024),
  CHECK (fail_next >= 0 AND probability >= 0 AND probability <= 1 AND latency_ms >= 0)
);

CREATE TABLE compute_flavor (
  -- Nova's flavorid, the id the API shows; seq is Nova's internal id (sort_key=id).
  id           VARCHAR(255) PRIMARY KEY,
  seq          INT GENERATED BY DEFAULT AS IDENTITY UNIQUE,
  name         VARCHAR(255) NOT NULL UNIQUE,
  vcpus        INT NOT NULL,
  ram_mb       INT NOT NULL,
  disk_gb      INT NOT NULL,
  ephemeral_gb INT NOT NULL,
  swap_mb      INT NOT NULL,
  rxtx_factor  DOUBLE PRECISION NOT NULL,
  is_public    BOOLEAN NOT NULL,
  disabled     BOOLEAN NOT NULL,
  description  VARCHAR(65535),
  created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at   TIMESTAMP WITH TIME ZONE
);

CREATE TABLE compute_flavor_extra_spec (
  flavor_id  VARCHAR(255) NOT NULL REFERENCES compute_flavor (id) ON DELETE CASCADE,
  spec_key   VARCHAR(255) NOT NULL,
  spec_value VARCHAR(255) NOT NULL,
  PRIMARY KEY (flavor_id, spec_key)
);

CREATE TABLE compute_flavor_access (
  flavor_id  VARCHAR(255) NOT NULL REFERENCES compute_flavor (id) ON DELETE CASCADE,
  project_id VARCHAR(255) NOT NULL,
  PRIMARY KEY (flavor_id, project_id)
);

-- DevStack's default flavors, with Nova's usual ids; created here so that every node agrees.
INSERT INTO compute_flavor
  (id, name, vcpus, ram_mb, disk_gb, ephemeral_gb, swap_mb, rxtx_factor, is_public, disabled, description, created_at)
VALUES
  ('1', 'm1.tiny',   1,  512,  1, 0, 0, 1.0, TRUE, FALSE, NULL, CURRENT_TIMESTAMP),
  ('2', 'm1.small',  1, 2048, 20, 0, 0, 1.0, TRUE, FALSE, NULL, CURRENT_TIMESTAMP),
  ('3', 'm1.medium', 2, 4096, 40, 0, 0, 1.0, TRUE, FALSE, NULL, CURRENT_TIMESTAMP),
  ('4', 'm1.large',  4, 8192, 80, 0, 0, 1.0, TRUE, FALSE, NULL, CURRENT_TIMESTAMP);

-- Keypairs belong to a user, not a project; id is Nova's integer id, shown by GET one.
CREATE TABLE compute_keypair (
  id          INT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  user_id     VARCHAR(255) NOT NULL,
  name        VARCHAR(255) NOT NULL,
  key_type    VARCHAR(8) NOT NULL,
  fingerprint VARCHAR(255) NOT NULL,
  public_key  VARCHAR(65535) NOT NULL,
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  UNIQUE (user_id, name)
);

-- ==== V10__compute_servers.sql
-- Compute (Nova v2.1): servers, the ports plugged into them and their metadata. Owned by
-- dev.kiln.compute; no other service reads these tables.

CREATE TABLE compute_server (
  id                VARCHAR(36) PRIMARY KEY,
  project_id        VARCHAR(64) NOT NULL,
  user_id           VARCHAR(64) NOT NULL,
  name              VARCHAR(255) NOT NULL,
  description       VARCHAR(255),
  status            VARCHAR(32) NOT NULL,
  task_state        VARCHAR(64),
  vm_state          VARCHAR(32) NOT NULL,
  power_state       INT NOT NULL,
  host              VARCHAR(255),
  availability_zone VARCHAR(255),
  flavor_id         VARCHAR(255) NOT NULL,
  flavor_name       VARCHAR(255) NOT NULL,
  flavor_vcpus      INT NOT NULL,
  flavor_ram_mb     INT NOT NULL,
  flavor_disk_gb    INT NOT NULL,
  flavor_ephemeral_gb INT NOT NULL,
  flavor_swap_mb    INT NOT NULL,
  flavor_extra_specs VARCHAR(65535) NOT NULL,
  image_id          VARCHAR(36),
  key_name          VARCHAR(255),
  user_data         VARCHAR(262144),
  created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at        TIMESTAMP WITH TIME ZONE NOT NULL,
  launched_at       TIMESTAMP WITH TIME ZONE,
  locked            BOOLEAN NOT NULL DEFAULT FALSE,
  fault_code        INT,
  fault_message     VARCHAR(4096),
  fault_details     VARCHAR(65535),
  fault_created     TIMESTAMP WITH TIME ZONE
);
CREATE INDEX compute_server_project ON compute_server (project_id, created_at);
CREATE INDEX compute_server_host ON compute_server (host);

-- The ports plugged into a server, in boot order. Compute deletes the ports it created
-- (owned_by_compute) with the server and only unplugs the user's.
CREATE TABLE compute_server_port (
  server_id        VARCHAR(36) NOT NULL REFERENCES compute_server (id) ON DELETE CASCADE,
  port_id          VARCHAR(36) NOT NULL,
  owned_by_compute BOOLEAN NOT NULL,
  position         INT NOT NULL,
  PRIMARY KEY (server_id, port_id)
);

CREATE TABLE compute_server_metadata (
  server_id VARCHAR(36) NOT NULL REFERENCES compute_server (id) ON DELETE CASCADE,
  meta_key  VARCHAR(255) NOT NULL,
  meta_value VARCHAR(255) NOT NULL,
  PRIMARY KEY (server_id, meta_key)
);

-- ==== V11__compute_server_lock_and_actions.sql
-- Server locks (Nova's lock/unlock actions): who locked the server ('owner' or 'admin', as Nova's
-- locked_by) and why (locked_reason, microversion 2.73).

ALTER TABLE compute_server ADD COLUMN locked_by VARCHAR(16);
ALTER TABLE compute_server ADD COLUMN locked_reason VARCHAR(255);

-- Nova's instance actions (os-instance-actions): one row per request that acted on a server
-- (create, delete, stop, …), kept after the server is deleted, and the events of each.
CREATE TABLE compute_instance_action (
  server_id   VARCHAR(36) NOT NULL,
  request_id  VARCHAR(64) NOT NULL,
  action      VARCHAR(32) NOT NULL,
  project_id  VARCHAR(64) NOT NULL,
  user_id     VARCHAR(64) NOT NULL,
  start_time  TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (server_id, request_id)
);
CREATE INDEX compute_instance_action_start ON compute_instance_action (server_id, start_time);

CREATE TABLE compute_instance_action_event (
  server_id   VARCHAR(36) NOT NULL,
  request_id  VARCHAR(64) NOT NULL,
  event       VARCHAR(64) NOT NULL,
  host        VARCHAR(255),
  start_time  TIMESTAMP WITH TIME ZONE NOT NULL,
  finish_time TIMESTAMP WITH TIME ZONE,
  result      VARCHAR(16),
  traceback   VARCHAR(4096),
  PRIMARY KEY (server_id, request_id, event)
);

-- ==== V12__compute_and_network_quotas.sql
-- Compute (Nova os-quota-sets, os-quota-class-sets) and Networking (Neutron quotas) limits.
-- compute_* tables are owned by dev.kiln.compute, network_* by dev.kiln.network.

-- Limits an admin set for a project; a resource without a row has the default class's limit.
CREATE TABLE compute_quota (
  project_id VARCHAR(255) NOT NULL,
  resource   VARCHAR(64) NOT NULL,
  hard_limit INT NOT NULL,
  PRIMARY KEY (project_id, resource)
);

-- Limits of quota classes. Only the class 'default' takes effect (as in Nova): it overrides the
-- built-in defaults for every project.
CREATE TABLE compute_quota_class (
  class_name VARCHAR(255) NOT NULL,
  resource   VARCHAR(64) NOT NULL,
  hard_limit INT NOT NULL,
  PRIMARY KEY (class_name, resource)
);

-- One row per quota owner ('project <id>' or 'user <id>'), locked (SELECT ... FOR UPDATE) by every
-- boot and limit change of the project, or keypair creation of the user, so that usage is counted
-- and checked by one of them at a time.
CREATE TABLE compute_quota_lock (
  owner VARCHAR(300) PRIMARY KEY
);

-- Neutron: limits an admin set for a project; a resource without a row has Neutron's default.
CREATE TABLE network_quota (
  project_id VARCHAR(255) NOT NULL,
  resource   VARCHAR(64) NOT NULL,
  hard_limit INT NOT NULL,
  PRIMARY KEY (project_id, resource)
);

-- One row per project, locked by creations that count against a Neutron quota and by limit
-- changes, so that each counts and checks usage with no other one in between.
CREATE TABLE network_quota_lock (
  project_id VARCHAR(255) PRIMARY KEY
);

-- ==== V13__compute_server_groups.sql
-- Nova's server groups (os-server-groups): a placement policy for their members. A server is
-- in at most one group; leaving the group is automatic when the server or the group goes.
CREATE TABLE compute_server_group (
  id                  VARCHAR(36) PRIMARY KEY,
  name                VARCHAR(255) NOT NULL,
  project_id          VARCHAR(64) NOT NULL,
  user_id             VARCHAR(64) NOT NULL,
  policy              VARCHAR(32) NOT NULL,
  -- the anti-affinity rule of microversion 2.64; null means Nova's default of one
  max_server_per_host INT,
  created_at          TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX compute_server_group_project ON compute_server_group (project_id, created_at);

CREATE TABLE compute_server_group_member (
  group_id   VARCHAR(36) NOT NULL REFERENCES compute_server_group (id) ON DELETE CASCADE,
  server_id  VARCHAR(36) NOT NULL REFERENCES compute_server (id) ON DELETE CASCADE,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (group_id, server_id),
  CONSTRAINT compute_server_group_member_once UNIQUE (server_id)
);

-- The servers one create request made (min_count/max_count) share a reservation id; the
-- launch index is each one's place among them. Older rows get a reservation of their own.
ALTER TABLE compute_server ADD COLUMN reservation_id VARCHAR(16);
UPDATE compute_server SET reservation_id = 'r-' || SUBSTRING(id, 1, 8);
ALTER TABLE compute_server ALTER COLUMN reservation_id SET NOT NULL;
ALTER TABLE compute_server ADD COLUMN launch_index INT NOT NULL DEFAULT 0;
CREATE INDEX compute_server_reservation ON compute_server (reservation_id);

-- ==== V14__compute_migrations.sql
-- Nova's migration records (os-migrations): one row per resize or cold migration of a server,
-- kept after the server is deleted. Owned by dev.kiln.compute.
--
-- The claim on the destination host is held by the migration's uuid until the move is confirmed
-- (then it becomes the server's) or reverted (then it is released). old_flavor and new_flavor are
-- the server's flavor snapshots (JSON) before and after, so a revert restores the old one
-- exactly; old_vm_state is what the server returns to (active or stopped).
CREATE TABLE compute_migration (
  id              BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  uuid            VARCHAR(36) NOT NULL UNIQUE,
  server_id       VARCHAR(36) NOT NULL,
  project_id      VARCHAR(64) NOT NULL,
  user_id         VARCHAR(64) NOT NULL,
  migration_type  VARCHAR(16) NOT NULL,
  status          VARCHAR(32) NOT NULL,
  source_compute  VARCHAR(255) NOT NULL,
  dest_compute    VARCHAR(255),
  requested_host  VARCHAR(255),
  old_flavor      VARCHAR(65535) NOT NULL,
  new_flavor      VARCHAR(65535) NOT NULL,
  old_flavor_seq  INT,
  new_flavor_seq  INT,
  old_vm_state    VARCHAR(32) NOT NULL,
  request_id      VARCHAR(64) NOT NULL,
  created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX compute_migration_server ON compute_migration (server_id, status);
CREATE INDEX compute_migration_created ON compute_migration (created_at, id);

-- ==== V15__compute_server_list_indexes.sql
-- The server list pages by keyset in the order (created_at DESC, id DESC), of one project or of
-- all: these indexes give each page as a short index range scan, however deep the marker.
-- The new project index covers what compute_server_project did.

DROP INDEX compute_server_project;
CREATE INDEX compute_server_project_created ON compute_server (project_id, created_at DESC, id DESC);
CREATE INDEX compute_server_created ON compute_server (created_at DESC, id DESC);
-- Clients wait for servers by listing them by status (BUILD, ACTIVE): one project's servers in
-- one status, in list order, without reading the others.
CREATE INDEX compute_server_project_status ON compute_server (project_id, status, created_at DESC, id DESC);

-- ==== V17__compute_block_devices.sql
-- Nova's block device mappings for volumes: the volumes a server boots from or has attached.
-- A row exists from the create (or the attach request) on; volume_id is null until the build
-- made the volume (an image, snapshot or blank source), attachment_id until Block Storage
-- reserved the volume for the server. Compute deletes the volume with the server when
-- delete_on_termination says so.
CREATE TABLE compute_server_volume (
  id                    VARCHAR(36) PRIMARY KEY,
  server_id             VARCHAR(36) NOT NULL REFERENCES compute_server (id) ON DELETE CASCADE,
  boot_index            INT,
  source_type           VARCHAR(16) NOT NULL,
  source_id             VARCHAR(36),
  volume_id             VARCHAR(36),
  volume_size           INT,
  volume_type           VARCHAR(255),
  device_name           VARCHAR(255) NOT NULL,
  delete_on_termination BOOLEAN NOT NULL,
  tag                   VARCHAR(60),
  attachment_id         VARCHAR(36),
  status                VARCHAR(16) NOT NULL,
  created_at            TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT compute_server_volume_device UNIQUE (server_id, device_name),
  -- A volume is mapped to a server once, however many requests race to attach it.
  CONSTRAINT compute_server_volume_once UNIQUE (server_id, volume_id)
);
CREATE INDEX compute_server_volume_server ON compute_server_volume (server_id);
CREATE INDEX compute_server_volume_volume ON compute_server_volume (volume_id);

-- The tag a user gave an interface when attaching it (os-interface, microversion 2.49).
ALTER TABLE compute_server_port ADD COLUMN tag VARCHAR(60);

-- ==== V18__volume_image_metadata.sql
-- Cinder's volume_image_metadata: what a volume made from an image remembers of that image
-- (image_id, image_name, checksum, formats, min_disk, min_ram, size and the image's custom
-- properties), as strings, as Cinder's volume_glance_metadata holds them. Owned by dev.kiln.volume.
CREATE TABLE volume_image_metadata (
  volume_id  VARCHAR(36) NOT NULL REFERENCES volume_volume (id) ON DELETE CASCADE,
  meta_key   VARCHAR(255) NOT NULL,
  meta_value TEXT NOT NULL,
  PRIMARY KEY (volume_id, meta_key)
);

-- ==== V19__compute_external_events.sql
-- The external events Compute accepted for its servers (Nova's os-server-external-events): from
-- the API, or sent in-process by Networking (port plugged, unplugged, deleted) and Block Storage
-- (volume extended). No foreign key to compute_server: the events of a deleted server stay
-- readable, as the record of what happened to it.
-- seq keeps the order events arrived in, even within one clock tick.
CREATE TABLE compute_external_event (
  id          VARCHAR(36) PRIMARY KEY,
  seq         BIGINT GENERATED BY DEFAULT AS IDENTITY UNIQUE,
  server_id   VARCHAR(36) NOT NULL,
  name        VARCHAR(64) NOT NULL,
  tag         VARCHAR(255),
  status      VARCHAR(16) NOT NULL,
  source      VARCHAR(16) NOT NULL,
  received_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX compute_external_event_server ON compute_external_event (server_id, seq);
