-- Baseline: the schema that V1 to V83 build, in one script. Flyway runs it instead of the 58
-- V-files on an empty database (a new data directory or PostgreSQL database), so a new database
-- pays one migration's bookkeeping instead of 58; a database that already ran any of them keeps its
-- history and never runs it. Below are the V-files' statements, in version order, unchanged:
-- SchemaMigrationTest checks that this path, the B19 path and the V1..V19 path end with the same
-- schema. Never edit it or B19; a later squash adds a new B<n> file next to them.

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

-- ==== V25__compute_host_free_ram_index.sql
-- The scheduler asks the database for the few hosts with the most free RAM that fit a request
-- (FleetStore.candidates), instead of reading every host per boot. ram_mb_free is kept by the same
-- statements that change ram_mb and ram_mb_used, and the index lets that question stop after the
-- first rows, whatever the size of the fleet.
ALTER TABLE compute_host ADD COLUMN ram_mb_free INT NOT NULL DEFAULT 0;
UPDATE compute_host SET ram_mb_free = ram_mb - ram_mb_used;
CREATE INDEX compute_host_ram_mb_free ON compute_host (ram_mb_free DESC, id);

-- ==== V26__compute_interface_ops.sql
-- An interface attach or detach, recorded before anything is done (its intent), and run by a
-- durable task: if the node running it dies, another runner (or the restarted node) takes the
-- task over and finishes or undoes it, so a server never stays interface_attaching. The row also
-- carries the outcome back to the request that waits for it. No foreign key to compute_server: an
-- operation a delete interrupted still tells its request what happened.
CREATE TABLE compute_interface_op (
  id               VARCHAR(36) PRIMARY KEY,
  server_id        VARCHAR(36) NOT NULL,
  kind             VARCHAR(16) NOT NULL,
  port_id          VARCHAR(36),
  owned_by_compute BOOLEAN NOT NULL,
  network_id       VARCHAR(36),
  fixed_ips        VARCHAR(2048),
  tag              VARCHAR(60),
  request_id       VARCHAR(64) NOT NULL,
  user_id          VARCHAR(64) NOT NULL,
  status           VARCHAR(16) NOT NULL,
  error_kind       VARCHAR(32),
  error_type       VARCHAR(64),
  error_message    VARCHAR(2048),
  created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at       TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX compute_interface_op_server ON compute_interface_op (server_id);

-- ==== V27__compute_server_access_ips_disk_config.sql
-- What Nova keeps per server beyond its state: the access addresses a user sets (accessIPv4,
-- accessIPv6; Nova stores them, never uses them) and how the root disk is partitioned
-- (OS-DCF:diskConfig, AUTO or MANUAL), given at create, rebuild or resize.
ALTER TABLE compute_server ADD COLUMN access_ip_v4 VARCHAR(64);
ALTER TABLE compute_server ADD COLUMN access_ip_v6 VARCHAR(64);
ALTER TABLE compute_server ADD COLUMN disk_config VARCHAR(8) NOT NULL DEFAULT 'MANUAL';

-- ==== V28__compute_server_tags.sql
-- Nova's server tags (microversion 2.26): at most 50 per server, each up to 60 characters.
CREATE TABLE compute_server_tag (
  server_id VARCHAR(36) NOT NULL REFERENCES compute_server (id) ON DELETE CASCADE,
  tag       VARCHAR(60) NOT NULL,
  PRIMARY KEY (server_id, tag)
);
CREATE INDEX compute_server_tag_tag ON compute_server_tag (tag);

-- ==== V30__network_routers_floating_ips_tags.sql
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

-- ==== V31__network_subnet_pools.sql
-- Neutron address scopes and subnet pools (address-scope, subnet_allocation, default-subnetpools).
-- Owned by dev.kiln.network; no other service reads these tables.
CREATE TABLE network_address_scope (
  id              VARCHAR(36) PRIMARY KEY,
  project_id      VARCHAR(64) NOT NULL,
  name            VARCHAR(255) NOT NULL,
  ip_version      INT NOT NULL,
  shared          BOOLEAN NOT NULL,
  revision_number BIGINT NOT NULL,
  created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at      TIMESTAMP WITH TIME ZONE NOT NULL
);

-- A subnet pool. Subnets allocated from it name it (network_subnet.subnetpool_id); allocation runs
-- under the pool's row lock, so two subnets never get overlapping prefixes from one pool.
CREATE TABLE network_subnetpool (
  id                VARCHAR(36) PRIMARY KEY,
  project_id        VARCHAR(64) NOT NULL,
  name              VARCHAR(255) NOT NULL,
  description       VARCHAR(255) NOT NULL,
  ip_version        INT NOT NULL,
  default_prefixlen INT NOT NULL,
  min_prefixlen     INT NOT NULL,
  max_prefixlen     INT NOT NULL,
  default_quota     INT,
  address_scope_id  VARCHAR(36) REFERENCES network_address_scope (id),
  shared            BOOLEAN NOT NULL,
  is_default        BOOLEAN NOT NULL,
  revision_number   BIGINT NOT NULL,
  created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at        TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX network_subnetpool_project ON network_subnetpool (project_id);

CREATE TABLE network_subnetpool_prefix (
  subnetpool_id VARCHAR(36) NOT NULL REFERENCES network_subnetpool (id) ON DELETE CASCADE,
  cidr          VARCHAR(64) NOT NULL,
  PRIMARY KEY (subnetpool_id, cidr)
);

ALTER TABLE network_subnet ADD COLUMN subnetpool_id VARCHAR(36) REFERENCES network_subnetpool (id);
CREATE INDEX network_subnet_subnetpool ON network_subnet (subnetpool_id);

-- ==== V32__network_port_address_pairs.sql
-- A port's allowed address pairs (allowed-address-pairs), one "address mac" pair a line. Addresses
-- and MACs are checked before they are stored and contain neither spaces nor newlines.
ALTER TABLE network_port ADD COLUMN allowed_address_pairs VARCHAR(4000) NOT NULL DEFAULT '';

-- ==== V33__volume_snapshot_metadata_type_access_admin_metadata.sql
-- Block Storage: what Cinder keeps per snapshot (its metadata and the driver's progress), which
-- projects may use a private volume type, and the admin metadata of a volume (readonly, shown to
-- users in the volume's metadata as Cinder shows it). Owned by dev.kiln.volume.
ALTER TABLE volume_snapshot ADD COLUMN progress VARCHAR(255);

CREATE TABLE volume_snapshot_metadata (
  snapshot_id VARCHAR(36) NOT NULL REFERENCES volume_snapshot (id) ON DELETE CASCADE,
  meta_key    VARCHAR(255) NOT NULL,
  meta_value  VARCHAR(255) NOT NULL,
  PRIMARY KEY (snapshot_id, meta_key)
);

CREATE TABLE volume_type_project (
  volume_type_id VARCHAR(36) NOT NULL REFERENCES volume_type (id) ON DELETE CASCADE,
  project_id     VARCHAR(64) NOT NULL,
  PRIMARY KEY (volume_type_id, project_id)
);

CREATE TABLE volume_admin_metadata (
  volume_id  VARCHAR(36) NOT NULL REFERENCES volume_volume (id) ON DELETE CASCADE,
  meta_key   VARCHAR(255) NOT NULL,
  meta_value VARCHAR(255) NOT NULL,
  PRIMARY KEY (volume_id, meta_key)
);

-- ==== V34__volume_services.sql
-- Block Storage: the state of Cinder's services as os-services shows and changes it (enabled or
-- disabled with a reason, frozen). Kiln runs one scheduler and one simulated backend in-process,
-- so the rows are fixed; only their state changes. Owned by dev.kiln.volume.
CREATE TABLE volume_service (
  binary_name       VARCHAR(255) NOT NULL,
  host              VARCHAR(255) NOT NULL,
  availability_zone VARCHAR(255) NOT NULL,
  disabled          BOOLEAN NOT NULL,
  disabled_reason   VARCHAR(255),
  frozen            BOOLEAN NOT NULL,
  updated_at        TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (binary_name, host)
);

INSERT INTO volume_service (binary_name, host, availability_zone, disabled, disabled_reason, frozen, updated_at)
VALUES ('cinder-scheduler', 'kiln', 'nova', FALSE, NULL, FALSE, CURRENT_TIMESTAMP);
INSERT INTO volume_service (binary_name, host, availability_zone, disabled, disabled_reason, frozen, updated_at)
VALUES ('cinder-volume', 'kiln@simulated', 'nova', FALSE, NULL, FALSE, CURRENT_TIMESTAMP);

-- ==== V40__orchestration.sql
-- Orchestration (Heat v1). Owned by dev.kiln.orchestration.store; no other code reads these tables.
--
-- The model is convergence-shaped, so that part 2's updates, replacements and rollbacks need no
-- new tables: a stack points at its current template (and the one before, for rollback); a
-- resource is one row per (stack, name, generation), and a replacement is a new generation whose
-- row says which one it replaces. Every stack operation has a traversal id: the task that runs it
-- writes only while the stack's row still carries that id, so a superseded task cannot write.

-- What a stack was created (or updated) from, as sent: re-parsed by whichever node runs the
-- stack's task, and answered by GET .../template, .../files, .../environment.
CREATE TABLE heat_template (
  id                VARCHAR(36) PRIMARY KEY,
  template          TEXT NOT NULL,
  files             TEXT NOT NULL,
  environment       TEXT,
  environment_files TEXT NOT NULL,
  created_at        TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE heat_stack (
  id                   VARCHAR(36) PRIMARY KEY,
  name                 VARCHAR(255) NOT NULL,
  -- The name while the stack is not deleted: unique per project among live stacks.
  live_name            VARCHAR(255),
  project_id           VARCHAR(64) NOT NULL,
  -- The owner's identity: resources act as this user of this project.
  user_id              VARCHAR(64),
  owner_admin          BOOLEAN NOT NULL,
  action               VARCHAR(16) NOT NULL,
  status               VARCHAR(16) NOT NULL,
  status_reason        TEXT,
  traversal            VARCHAR(36) NOT NULL,
  operation_started_at TIMESTAMP WITH TIME ZONE NOT NULL,
  template_id          VARCHAR(36) NOT NULL REFERENCES heat_template (id),
  previous_template_id VARCHAR(36) REFERENCES heat_template (id),
  description          TEXT NOT NULL,
  -- The request's parameters (JSON object), and every bound value as the API shows them.
  parameters           TEXT NOT NULL,
  shown_parameters     TEXT NOT NULL,
  timeout_mins         INT,
  disable_rollback     BOOLEAN NOT NULL,
  tags                 TEXT NOT NULL,
  parent_id            VARCHAR(36) REFERENCES heat_stack (id),
  parent_resource      VARCHAR(255),
  -- The parent's resource row this stack is; a nested stack's idempotency key.
  parent_resource_id   VARCHAR(36) UNIQUE,
  root_id              VARCHAR(36) NOT NULL,
  nested_depth         INT NOT NULL,
  created_at           TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at           TIMESTAMP WITH TIME ZONE,
  deleted_at           TIMESTAMP WITH TIME ZONE,
  CONSTRAINT heat_stack_live_name UNIQUE (project_id, live_name)
);
CREATE INDEX heat_stack_project_created ON heat_stack (project_id, created_at);
CREATE INDEX heat_stack_created ON heat_stack (created_at);
CREATE INDEX heat_stack_parent ON heat_stack (parent_id);
CREATE INDEX heat_stack_root ON heat_stack (root_id);

CREATE TABLE heat_stack_tag (
  stack_id VARCHAR(36) NOT NULL REFERENCES heat_stack (id) ON DELETE CASCADE,
  tag      VARCHAR(255) NOT NULL,
  PRIMARY KEY (stack_id, tag)
);
CREATE INDEX heat_stack_tag_tag ON heat_stack_tag (tag);

CREATE TABLE heat_resource (
  -- This row's uuid: the resource's id in the API and the idempotency key its type uses to find
  -- what an earlier attempt made.
  id              VARCHAR(36) PRIMARY KEY,
  stack_id        VARCHAR(36) NOT NULL REFERENCES heat_stack (id),
  name            VARCHAR(255) NOT NULL,
  generation      INT NOT NULL,
  -- Whether this row is the stack's resource of that name now (a replaced or rolled-back row is
  -- not, until it is deleted).
  is_current      BOOLEAN NOT NULL,
  template_id     VARCHAR(36) NOT NULL REFERENCES heat_template (id),
  type            VARCHAR(255) NOT NULL,
  action          VARCHAR(16) NOT NULL,
  status          VARCHAR(16) NOT NULL,
  status_reason   TEXT,
  physical_id     VARCHAR(255),
  -- Names of the resources this row needed when it was made: the order to delete in, without the
  -- template.
  requires        TEXT NOT NULL,
  properties      TEXT,
  data            TEXT NOT NULL,
  metadata        TEXT,
  deletion_policy VARCHAR(16) NOT NULL,
  -- The breakpoint hook it waits on (pre-create, pre-delete, ...), or null.
  hook            VARCHAR(32),
  nested_stack_id VARCHAR(36),
  replaces        VARCHAR(36),
  replaced_by     VARCHAR(36),
  description     TEXT NOT NULL,
  created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at      TIMESTAMP WITH TIME ZONE,
  CONSTRAINT heat_resource_generation UNIQUE (stack_id, name, generation)
);
CREATE INDEX heat_resource_physical ON heat_resource (physical_id);

-- Signals sent to a resource (wait condition handle signals, ...), appended and never rewritten,
-- so that a signal cannot be lost to the engine writing the resource's row at the same moment.
CREATE TABLE heat_signal (
  seq         BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  resource_id VARCHAR(36) NOT NULL REFERENCES heat_resource (id),
  details     TEXT NOT NULL,
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX heat_signal_resource ON heat_signal (resource_id, seq);

CREATE TABLE heat_event (
  seq           BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  id            VARCHAR(36) NOT NULL UNIQUE,
  stack_id      VARCHAR(36) NOT NULL,
  root_id       VARCHAR(36) NOT NULL,
  resource_name VARCHAR(255) NOT NULL,
  physical_id   VARCHAR(255),
  resource_type VARCHAR(255) NOT NULL,
  action        VARCHAR(16) NOT NULL,
  status        VARCHAR(16) NOT NULL,
  reason        TEXT,
  properties    TEXT,
  created_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX heat_event_stack ON heat_event (stack_id, seq);
CREATE INDEX heat_event_root ON heat_event (root_id, seq);

-- ==== V41__network_trunks_rbac.sql
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

-- ==== V42__network_dhcp_opts_dns_port_forwarding.sql
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

-- ==== V43__identity_groups_app_credentials.sql
-- Identity: user attributes Keystone keeps without knowing them, groups (members and role grants),
-- application credentials and the credentials store. Owned by dev.kiln.identity.

-- Keystone's user and group schemas take any further attribute and return it as given (Tempest
-- sends project_id on user create); kept as one JSON object.
ALTER TABLE identity_user ADD COLUMN extra TEXT NOT NULL DEFAULT '{}';

CREATE TABLE identity_group (
  id          VARCHAR(64) PRIMARY KEY,
  name        VARCHAR(255) NOT NULL,
  domain_id   VARCHAR(64) NOT NULL REFERENCES identity_domain (id),
  description TEXT NOT NULL DEFAULT '',
  extra       TEXT NOT NULL DEFAULT '{}',
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT identity_group_name_unique UNIQUE (domain_id, name)
);

CREATE TABLE identity_group_member (
  group_id VARCHAR(64) NOT NULL REFERENCES identity_group (id) ON DELETE CASCADE,
  user_id  VARCHAR(64) NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
  PRIMARY KEY (group_id, user_id)
);
CREATE INDEX identity_group_member_user ON identity_group_member (user_id);

-- A group's grants; its members hold them while they are members. target_type as for users.
CREATE TABLE identity_group_role_assignment (
  group_id    VARCHAR(64) NOT NULL REFERENCES identity_group (id) ON DELETE CASCADE,
  role_id     VARCHAR(64) NOT NULL REFERENCES identity_role (id) ON DELETE CASCADE,
  target_type VARCHAR(16) NOT NULL,
  target_id   VARCHAR(64) NOT NULL,
  PRIMARY KEY (group_id, role_id, target_type, target_id)
);
CREATE INDEX identity_group_role_assignment_target
  ON identity_group_role_assignment (target_type, target_id);

-- An application credential: a secret (kept as a hash) that authenticates as its user on one
-- project with a subset of the user's roles there, until it expires or is deleted.
CREATE TABLE identity_app_credential (
  id           VARCHAR(64) PRIMARY KEY,
  user_id      VARCHAR(64) NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
  project_id   VARCHAR(64) NOT NULL,
  name         VARCHAR(255) NOT NULL,
  description  TEXT,
  secret_hash  VARCHAR(255) NOT NULL,
  expires_at   TIMESTAMP WITH TIME ZONE,
  unrestricted BOOLEAN NOT NULL,
  created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT identity_app_credential_name_unique UNIQUE (user_id, name)
);

CREATE TABLE identity_app_credential_role (
  app_credential_id VARCHAR(64) NOT NULL REFERENCES identity_app_credential (id) ON DELETE CASCADE,
  role_id           VARCHAR(64) NOT NULL REFERENCES identity_role (id) ON DELETE CASCADE,
  PRIMARY KEY (app_credential_id, role_id)
);

-- A token issued with an application credential carries at most the credential's roles.
ALTER TABLE identity_token ADD COLUMN app_credential_id VARCHAR(64);

-- /v3/credentials: opaque blobs a user keeps with Keystone (EC2 keys, TOTP secrets, ...).
CREATE TABLE identity_credential (
  id         VARCHAR(64) PRIMARY KEY,
  user_id    VARCHAR(64) NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
  project_id VARCHAR(64),
  type       VARCHAR(255) NOT NULL,
  blob       TEXT NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX identity_credential_user ON identity_credential (user_id);

-- ==== V44__identity_project_tags.sql
-- Keystone's project tags: short strings a project is labelled with and listed by. Owned by
-- dev.kiln.identity. No token carries them, so changing them leaves identity_revision alone.
CREATE TABLE identity_project_tag (
  project_id VARCHAR(64) NOT NULL REFERENCES identity_project (id) ON DELETE CASCADE,
  tag        VARCHAR(255) NOT NULL,
  PRIMARY KEY (project_id, tag)
);

-- ==== V45__software_config.sql
-- Software configs and deployments (Heat's /software_configs and /software_deployments). Owned by
-- dev.kiln.orchestration.software; no other code reads these tables.

-- A config is immutable once made: a deployment whose inputs change points at a new (derived)
-- config, so a server's metadata is always a list of configs as they were when deployed.
CREATE TABLE heat_software_config (
  id          VARCHAR(36) PRIMARY KEY,
  project_id  VARCHAR(64) NOT NULL,
  name        VARCHAR(255),
  grp         VARCHAR(255) NOT NULL,
  -- JSON object: config, inputs, outputs, options, as Heat keeps them together.
  body        TEXT NOT NULL,
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX heat_software_config_project ON heat_software_config (project_id, created_at);

CREATE TABLE heat_software_deployment (
  id                    VARCHAR(36) PRIMARY KEY,
  project_id            VARCHAR(64) NOT NULL,
  -- The stack user project of the stack that made it, whose users may read and signal it.
  stack_user_project_id VARCHAR(64),
  config_id             VARCHAR(36) NOT NULL REFERENCES heat_software_config (id),
  server_id             VARCHAR(255) NOT NULL,
  input_values          TEXT NOT NULL,
  output_values         TEXT NOT NULL,
  action                VARCHAR(255) NOT NULL,
  status                VARCHAR(32) NOT NULL,
  status_reason         TEXT NOT NULL,
  created_at            TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at            TIMESTAMP WITH TIME ZONE
);
CREATE INDEX heat_software_deployment_server ON heat_software_deployment (server_id);
CREATE INDEX heat_software_deployment_project ON heat_software_deployment (project_id, created_at);

-- ==== V47__objectstore.sql
-- Object Storage (Swift v1) tables. Owned by dev.kiln.objectstore (its store package); no other
-- service reads them. Names are Swift's: an account is AUTH_<project id>. Times are microseconds
-- since the epoch, the precision of Swift's X-Timestamp.

-- An account exists implicitly for every project; a row is written the first time it changes
-- (metadata, or its first container), and its row lock orders container creates and deletes.
CREATE TABLE objectstore_account (
  account     VARCHAR(300) PRIMARY KEY,
  created_us  BIGINT NOT NULL,
  metadata    TEXT NOT NULL
);

-- A container with its object count and bytes used, kept exact: every object change updates them
-- under this row's lock, in the transaction that changes the object row.
CREATE TABLE objectstore_container (
  account       VARCHAR(300) NOT NULL REFERENCES objectstore_account (account),
  name          VARCHAR(256) NOT NULL,
  created_us    BIGINT NOT NULL,
  metadata      TEXT NOT NULL,
  object_count  BIGINT NOT NULL,
  bytes_used    BIGINT NOT NULL,
  PRIMARY KEY (account, name)
);

-- An object's metadata row; its bytes are the blob named by blob_id (a file under the data
-- directory on the embedded store, rows of objectstore_chunk on PostgreSQL).
CREATE TABLE objectstore_object (
  account       VARCHAR(300) NOT NULL,
  container     VARCHAR(256) NOT NULL,
  name          VARCHAR(1024) NOT NULL,
  size_bytes    BIGINT NOT NULL,
  etag          VARCHAR(32) NOT NULL,
  content_type  VARCHAR(1024) NOT NULL,
  timestamp_us  BIGINT NOT NULL,
  metadata      TEXT NOT NULL,
  blob_id       VARCHAR(36) NOT NULL,
  PRIMARY KEY (account, container, name),
  FOREIGN KEY (account, container) REFERENCES objectstore_container (account, name)
);

-- ==== V48__objectstore_chunks.sql
-- Object bytes kept in the database, used when Kiln runs on PostgreSQL so that every node sharing
-- the database reads the same objects. An object's blob is cut into chunks of a fixed size (the
-- last may be shorter), so an upload is written and a range is read a chunk at a time, never whole.
CREATE TABLE objectstore_chunk (
  blob_id  VARCHAR(36) NOT NULL,
  seq      INT NOT NULL,
  data     BYTEA NOT NULL,
  PRIMARY KEY (blob_id, seq)
);

-- ==== V49__heat_metadata_object.sql
-- Where a POLL_TEMP_URL server's metadata lives in Object Storage (Heat keeps this in the server
-- resource's data: metadata_put_url, metadata_object_name). One row per server; every change to
-- the server's deployments rewrites the object. Owned by dev.kiln.orchestration.software.
CREATE TABLE heat_metadata_object (
  server_id    VARCHAR(255) PRIMARY KEY,
  project_id   VARCHAR(64) NOT NULL,
  container    VARCHAR(256) NOT NULL,
  object_name  VARCHAR(1024) NOT NULL,
  -- JSON object: the server's os-collect-config section, written next to its deployments.
  section      TEXT NOT NULL
);

-- ==== V53__volume_type_encryption.sql
-- Block Storage volume type encryption (Cinder's /types/{id}/encryption): at most one row per
-- type, gone with its type. Owned by dev.kiln.volume.
CREATE TABLE volume_type_encryption (
  volume_type_id   VARCHAR(36) PRIMARY KEY REFERENCES volume_type (id) ON DELETE CASCADE,
  encryption_id    VARCHAR(36) NOT NULL,
  provider         VARCHAR(255) NOT NULL,
  cipher           VARCHAR(255),
  key_size         INTEGER,
  control_location VARCHAR(16) NOT NULL,
  created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at       TIMESTAMP WITH TIME ZONE
);

-- ==== V55__compute_server_shelve.sql
-- Compute: what a shelved server keeps while it is off its host (Nova keeps these in the instance's
-- system metadata): the image its disk was saved to (none for a volume-backed server), when it was
-- shelved and the host it left. Owned by dev.kiln.compute; the row goes when the server is
-- unshelved or deleted.
CREATE TABLE compute_server_shelve (
  server_id    VARCHAR(36) PRIMARY KEY REFERENCES compute_server (id) ON DELETE CASCADE,
  image_id     VARCHAR(36),
  shelved_host VARCHAR(255),
  shelved_at   TIMESTAMP WITH TIME ZONE NOT NULL
);

-- ==== V57__network_segments.sql
-- Provider attributes of networks (Neutron's provider extension): the segment each network is
-- on. Owned by dev.kiln.network. physical_network is '' for segments without one (tunnels), so
-- that the unique constraint also covers them; a flat or local segment has no segmentation_id.
CREATE TABLE network_segment (
  network_id VARCHAR(36) NOT NULL PRIMARY KEY REFERENCES network_network (id) ON DELETE CASCADE,
  network_type VARCHAR(16) NOT NULL,
  physical_network VARCHAR(64) NOT NULL DEFAULT '',
  segmentation_id BIGINT,
  CONSTRAINT network_segment_unique UNIQUE (network_type, physical_network, segmentation_id)
);

-- One row that segment allocations lock, so two creates never pick the same free id.
CREATE TABLE network_segment_lock (
  id INT NOT NULL PRIMARY KEY
);
INSERT INTO network_segment_lock (id) VALUES (1);

-- Networks made before: tenant networks on VXLAN, numbered in the order they were made.
INSERT INTO network_segment (network_id, network_type, physical_network, segmentation_id)
  SELECT id, 'vxlan', '', ROW_NUMBER() OVER (ORDER BY created_at, id) FROM network_network;

-- ==== V61__network_project_indexes.sql
-- Ports and subnets are counted per project on every create (Neutron's quota check) and listed per
-- project; without these indexes both read every project's rows.
CREATE INDEX network_port_project ON network_port (project_id);
CREATE INDEX network_subnet_project ON network_subnet (project_id);

-- ==== V62__compute_aggregates.sql
-- Compute: host aggregates (Nova's os-aggregates). Owned by dev.kiln.compute (the fleet room); no
-- other service reads these tables. An aggregate groups compute hosts and carries metadata; the
-- metadata key 'availability_zone' makes it an availability zone, as in Nova.
CREATE TABLE compute_aggregate (
  -- Nova's integer id, the one the API's paths take; uuid shows from microversion 2.41.
  id         INT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  uuid       VARCHAR(36) NOT NULL UNIQUE,
  -- Names are unique (Nova's AggregateNameExists); the constraint settles racing creates.
  name       VARCHAR(255) NOT NULL UNIQUE,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at TIMESTAMP WITH TIME ZONE
);

CREATE TABLE compute_aggregate_host (
  aggregate_id INT NOT NULL REFERENCES compute_aggregate (id) ON DELETE CASCADE,
  host         VARCHAR(255) NOT NULL REFERENCES compute_host (name),
  PRIMARY KEY (aggregate_id, host)
);
CREATE INDEX compute_aggregate_host_host ON compute_aggregate_host (host);

CREATE TABLE compute_aggregate_metadata (
  aggregate_id INT NOT NULL REFERENCES compute_aggregate (id) ON DELETE CASCADE,
  meta_key     VARCHAR(255) NOT NULL,
  meta_value   VARCHAR(255) NOT NULL,
  PRIMARY KEY (aggregate_id, meta_key)
);

-- The zone a host's aggregates put it in, null while none of them has an availability_zone; the
-- host is then in its configured zone (availability_zone). Kept in step with the aggregate tables
-- in the same transaction, under the host's row lock, so the scheduler's walk over hosts filters
-- on the zone without joining the aggregates.
ALTER TABLE compute_host ADD COLUMN aggregate_zone VARCHAR(255);

-- ==== V63__compute_server_usage_ended.sql
-- Compute: what a deleted server used, for os-simple-tenant-usage. Kiln removes a server's row when
-- it is deleted (Nova keeps it, soft-deleted, with its terminated_at); this row, written in the same
-- transaction as that removal, keeps what a usage report over a past period needs. Only servers
-- that were launched have one. Owned by dev.kiln.compute.
CREATE TABLE compute_server_usage_ended (
  server_id     VARCHAR(36) PRIMARY KEY,
  project_id    VARCHAR(64) NOT NULL,
  name          VARCHAR(255) NOT NULL,
  flavor_name   VARCHAR(255) NOT NULL,
  vcpus         INT NOT NULL,
  memory_mb     INT NOT NULL,
  local_gb      INT NOT NULL,
  launched_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  terminated_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX compute_server_usage_ended_project ON compute_server_usage_ended (project_id, terminated_at);
CREATE INDEX compute_server_usage_ended_terminated ON compute_server_usage_ended (terminated_at);

-- ==== V64__compute_server_requested_zone.sql
-- The availability zone a server's create asked for (null: none), kept apart from the zone of the
-- host it runs on, which placement writes into availability_zone. Moves stay in the zone asked for
-- alone, as Nova's request spec does: a server placed on a host while an aggregate put that host in
-- some zone must not be held to that zone once the aggregate is gone.
ALTER TABLE compute_server ADD COLUMN requested_availability_zone VARCHAR(255);
-- Servers made before this knew no difference: they keep the zone they are in.
UPDATE compute_server SET requested_availability_zone = availability_zone;

-- ==== V67__identity_catalog_policies.sql
-- Identity: the catalog admins change (/v3/regions, /v3/services, /v3/endpoints, endpoint groups)
-- and /v3/policies. Owned by dev.kiln.identity. The services Kiln serves itself stay in code
-- (ServiceCatalog), because their URLs follow the address each request reached Kiln at; these
-- tables hold what admins add beside them.

CREATE TABLE identity_region (
  id               VARCHAR(255) PRIMARY KEY,
  description      TEXT NOT NULL DEFAULT '',
  parent_region_id VARCHAR(255) REFERENCES identity_region (id),
  extra            TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX identity_region_parent ON identity_region (parent_region_id);
-- The region of Kiln's own endpoints: a real row, so that admins' endpoints may use it too.
INSERT INTO identity_region (id, description) VALUES ('RegionOne', '');

CREATE TABLE identity_service (
  id          VARCHAR(64) PRIMARY KEY,
  type        VARCHAR(255) NOT NULL,
  name        VARCHAR(255),
  description TEXT,
  enabled     BOOLEAN NOT NULL,
  extra       TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE identity_endpoint (
  id         VARCHAR(64) PRIMARY KEY,
  service_id VARCHAR(64) NOT NULL REFERENCES identity_service (id) ON DELETE CASCADE,
  interface  VARCHAR(8) NOT NULL,
  region_id  VARCHAR(255) REFERENCES identity_region (id),
  url        TEXT NOT NULL,
  enabled    BOOLEAN NOT NULL,
  extra      TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX identity_endpoint_service ON identity_endpoint (service_id);
CREATE INDEX identity_endpoint_region ON identity_endpoint (region_id);

-- OS-EP-FILTER endpoint groups: a name and the filters that pick endpoints (null: no filter).
CREATE TABLE identity_endpoint_group (
  id                VARCHAR(64) PRIMARY KEY,
  name              VARCHAR(255) NOT NULL,
  description       TEXT NOT NULL DEFAULT '',
  filter_interface  VARCHAR(8),
  filter_service_id VARCHAR(255),
  filter_region_id  VARCHAR(255)
);

-- /v3/policies: opaque policy documents Keystone keeps for other services (blob of a MIME type).
CREATE TABLE identity_policy (
  id    VARCHAR(64) PRIMARY KEY,
  type  VARCHAR(255) NOT NULL,
  blob  TEXT NOT NULL,
  extra TEXT NOT NULL DEFAULT '{}'
);

-- ==== V68__identity_inherited_implied_domain_roles.sql
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

-- ==== V69__identity_domain_config.sql
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

-- ==== V70__identity_trusts_access_rules.sql
-- Keystone's trusts (OS-TRUST): a trustor delegates some of its roles on one project to a
-- trustee, who gets tokens scoped by the trust. Owned by dev.kiln.identity.
-- A trust goes with its trustor, its trustee or its project, as Keystone deletes it then.
CREATE TABLE identity_trust (
  id                   VARCHAR(64) PRIMARY KEY,
  trustor_user_id      VARCHAR(64) NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
  trustee_user_id      VARCHAR(64) NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
  project_id           VARCHAR(64) REFERENCES identity_project (id) ON DELETE CASCADE,
  impersonation        BOOLEAN NOT NULL,
  expires_at           TIMESTAMP WITH TIME ZONE,
  -- NULL: unlimited; otherwise how many more tokens the trust may issue (never below 0).
  remaining_uses       INT,
  allow_redelegation   BOOLEAN NOT NULL DEFAULT FALSE,
  redelegation_count   INT NOT NULL DEFAULT 0,
  redelegated_trust_id VARCHAR(64) REFERENCES identity_trust (id) ON DELETE CASCADE,
  created_at           TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX identity_trust_trustor ON identity_trust (trustor_user_id);
CREATE INDEX identity_trust_trustee ON identity_trust (trustee_user_id);

CREATE TABLE identity_trust_role (
  trust_id VARCHAR(64) NOT NULL REFERENCES identity_trust (id) ON DELETE CASCADE,
  role_id  VARCHAR(64) NOT NULL REFERENCES identity_role (id) ON DELETE CASCADE,
  PRIMARY KEY (trust_id, role_id)
);

-- A trust-scoped token names its trust: deleting the trust revokes it.
ALTER TABLE identity_token ADD COLUMN trust_id VARCHAR(64);
CREATE INDEX identity_token_trust ON identity_token (trust_id);

-- Application credentials' access rules: what (service type, method, path) a credential's tokens
-- may call. A rule belongs to its user and outlives the credentials that name it, as in Keystone;
-- it can be deleted only when no credential names it (checked in the delete itself).
CREATE TABLE identity_access_rule (
  id       VARCHAR(64) PRIMARY KEY,
  user_id  VARCHAR(64) NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
  service  VARCHAR(64) NOT NULL,
  path     VARCHAR(512) NOT NULL,
  method   VARCHAR(16) NOT NULL,
  CONSTRAINT identity_access_rule_unique UNIQUE (user_id, service, path, method)
);

CREATE TABLE identity_app_credential_access_rule (
  app_credential_id VARCHAR(64) NOT NULL REFERENCES identity_app_credential (id) ON DELETE CASCADE,
  access_rule_id    VARCHAR(64) NOT NULL REFERENCES identity_access_rule (id) ON DELETE CASCADE,
  PRIMARY KEY (app_credential_id, access_rule_id)
);
CREATE INDEX identity_app_credential_access_rule_rule ON identity_app_credential_access_rule (access_rule_id);

-- ==== V71__objectstore_object_headers.sql
-- The headers Swift keeps with an object besides its user metadata (Content-Disposition,
-- Content-Encoding, X-Object-Manifest, X-Delete-At and the other allowed headers), as one JSON
-- object of lower-case names to values; and the object's expiry (X-Delete-At, seconds since the
-- epoch) in a column of its own, so that expired objects can be found without reading them all.
ALTER TABLE objectstore_object ADD COLUMN headers TEXT NOT NULL DEFAULT '{}';
ALTER TABLE objectstore_object ADD COLUMN delete_at BIGINT;
CREATE INDEX objectstore_object_delete_at ON objectstore_object (delete_at);

-- ==== V72__objectstore_container_acls.sql
-- Swift's container ACLs (X-Container-Read, X-Container-Write) as their owners set them; NULL for
-- none. Owned by dev.kiln.objectstore.
ALTER TABLE objectstore_container ADD COLUMN read_acl TEXT;
ALTER TABLE objectstore_container ADD COLUMN write_acl TEXT;

-- ==== V73__volume_qos_specs.sql
-- Block Storage QoS specs (Cinder's /qos-specs): a named set of key/value specs with a consumer,
-- associated with volume types through the type's qos_specs_id, as Cinder keeps it. A type has at
-- most one; the foreign key keeps a QoS specs with types from going. Owned by dev.kiln.volume.
CREATE TABLE volume_qos_specs (
  id         VARCHAR(36) PRIMARY KEY,
  name       VARCHAR(255) NOT NULL,
  consumer   VARCHAR(16) NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at TIMESTAMP WITH TIME ZONE,
  CONSTRAINT volume_qos_specs_name UNIQUE (name)
);

CREATE TABLE volume_qos_spec (
  qos_specs_id VARCHAR(36) NOT NULL REFERENCES volume_qos_specs (id) ON DELETE CASCADE,
  spec_key     VARCHAR(255) NOT NULL,
  spec_value   VARCHAR(255),
  PRIMARY KEY (qos_specs_id, spec_key)
);

ALTER TABLE volume_type ADD COLUMN qos_specs_id VARCHAR(36) REFERENCES volume_qos_specs (id);
CREATE INDEX volume_type_qos_specs ON volume_type (qos_specs_id);

-- ==== V74__volume_transfers.sql
-- Block Storage volume transfers (Cinder's os-volume-transfer / volume-transfers): a volume offered
-- to whoever presents the auth key, one offer a volume. Only a salted hash of the key is kept. The
-- row goes when the transfer is accepted or deleted, or with its volume. Owned by dev.kiln.volume.
CREATE TABLE volume_transfer (
  id                VARCHAR(36) PRIMARY KEY,
  volume_id         VARCHAR(36) NOT NULL REFERENCES volume_volume (id) ON DELETE CASCADE,
  name              VARCHAR(255),
  salt              VARCHAR(64) NOT NULL,
  crypt_hash        VARCHAR(128) NOT NULL,
  no_snapshots      BOOLEAN NOT NULL,
  source_project_id VARCHAR(64) NOT NULL,
  created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT volume_transfer_volume UNIQUE (volume_id)
);
CREATE INDEX volume_transfer_project ON volume_transfer (source_project_id);

-- ==== V75__volume_quota_classes_group_types.sql
-- Block Storage quota classes (Cinder's os-quota-class-sets): limits per class name. The class
-- "default" holds the defaults every project without a limit of its own has; a resource without
-- a row keeps Cinder's built-in default. Changes of one class take turns on its lock row. Owned by
-- dev.kiln.volume.
CREATE TABLE volume_quota_class (
  class_name VARCHAR(255) NOT NULL,
  resource   VARCHAR(300) NOT NULL,
  hard_limit BIGINT NOT NULL,
  PRIMARY KEY (class_name, resource)
);

CREATE TABLE volume_quota_class_lock (
  class_name VARCHAR(255) PRIMARY KEY
);

-- Block Storage group types (Cinder's /group_types, 3.11) and their group specs. Owned by
-- dev.kiln.volume.
CREATE TABLE volume_group_type (
  id          VARCHAR(36) PRIMARY KEY,
  name        VARCHAR(255) NOT NULL,
  description VARCHAR(255),
  is_public   BOOLEAN NOT NULL,
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at  TIMESTAMP WITH TIME ZONE,
  CONSTRAINT volume_group_type_name UNIQUE (name)
);

CREATE TABLE volume_group_type_spec (
  group_type_id VARCHAR(36) NOT NULL REFERENCES volume_group_type (id) ON DELETE CASCADE,
  spec_key      VARCHAR(255) NOT NULL,
  spec_value    VARCHAR(255) NOT NULL,
  PRIMARY KEY (group_type_id, spec_key)
);

-- ==== V76__image_members.sql
-- Image members (Glance v2 image sharing): the projects a 'shared' image is shared with and each
-- one's answer. Owned by dev.kiln.image (ImageMemberStore). A member row of an image that is no
-- longer 'shared' stays, without effect, as Glance keeps it, and comes back into force if the image
-- is shared again; rows go with their image.
CREATE TABLE image_member (
  image_id   VARCHAR(36) NOT NULL REFERENCES image_image (id) ON DELETE CASCADE,
  member_id  VARCHAR(255) NOT NULL,
  status     VARCHAR(16) NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (image_id, member_id),
  CONSTRAINT image_member_status CHECK (status IN ('pending', 'accepted', 'rejected'))
);
-- Lists look a caller's memberships up by project.
CREATE INDEX image_member_member ON image_member (member_id, status);

-- ==== V77__image_metadefs.sql
-- Glance metadata definitions (/v2/metadefs): namespaces of property, object and tag definitions,
-- and the resource types (OS::Nova::Flavor, ...) namespaces apply to. Owned by dev.kiln.image
-- (MetadefStore). Everything a namespace holds goes with it.
CREATE TABLE image_metadef_namespace (
  id           VARCHAR(36) PRIMARY KEY,
  namespace    VARCHAR(80) NOT NULL,
  display_name VARCHAR(80),
  description  VARCHAR(500),
  owner        VARCHAR(255),
  visibility   VARCHAR(16) NOT NULL,
  is_protected BOOLEAN NOT NULL,
  created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT image_metadef_namespace_name UNIQUE (namespace),
  CONSTRAINT image_metadef_namespace_visibility CHECK (visibility IN ('public', 'private'))
);

-- An object: a named group of property definitions; required and properties are JSON text.
CREATE TABLE image_metadef_object (
  namespace_id VARCHAR(36) NOT NULL REFERENCES image_metadef_namespace (id) ON DELETE CASCADE,
  name         VARCHAR(80) NOT NULL,
  description  TEXT,
  required     TEXT NOT NULL,
  properties   TEXT NOT NULL,
  created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (namespace_id, name)
);

-- A property definition: its JSON schema (title, type, enum, ...) as JSON text.
CREATE TABLE image_metadef_property (
  namespace_id VARCHAR(36) NOT NULL REFERENCES image_metadef_namespace (id) ON DELETE CASCADE,
  name         VARCHAR(255) NOT NULL,
  definition   TEXT NOT NULL,
  created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (namespace_id, name)
);

CREATE TABLE image_metadef_tag (
  namespace_id VARCHAR(36) NOT NULL REFERENCES image_metadef_namespace (id) ON DELETE CASCADE,
  name         VARCHAR(255) NOT NULL,
  created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (namespace_id, name)
);

-- Resource types: the seeded ones are protected; associating a namespace with an unknown name
-- creates an unprotected one, as Glance does.
CREATE TABLE image_metadef_resource_type (
  name         VARCHAR(80) PRIMARY KEY,
  is_protected BOOLEAN NOT NULL,
  created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at   TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE image_metadef_resource_type_association (
  namespace_id      VARCHAR(36) NOT NULL REFERENCES image_metadef_namespace (id) ON DELETE CASCADE,
  resource_type     VARCHAR(80) NOT NULL REFERENCES image_metadef_resource_type (name),
  prefix            VARCHAR(80),
  properties_target VARCHAR(80),
  created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at        TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (namespace_id, resource_type)
);

-- The resource types Glance's shipped definitions apply to (what DevStack's db_load_metadefs
-- leaves behind), so that a fresh cloud lists them as a DevStack one does.
INSERT INTO image_metadef_resource_type (name, is_protected, created_at, updated_at) VALUES
  ('OS::Glance::Image', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
  ('OS::Cinder::Volume', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
  ('OS::Nova::Flavor', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
  ('OS::Nova::Aggregate', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
  ('OS::Nova::Server', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
  ('OS::Trove::Instance', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP);

-- ==== V78__identity_oauth1_consumers.sql
-- Identity: OS-OAUTH1 consumers (/v3/OS-OAUTH1/consumers). Owned by dev.kiln.identity.
-- The secret is kept as issued, not hashed: OAuth 1.0a signs requests with it (HMAC-SHA1), so the
-- server must be able to read it back to check a signature.
CREATE TABLE identity_oauth_consumer (
  id          VARCHAR(64) PRIMARY KEY,
  description TEXT,
  secret      VARCHAR(64) NOT NULL,
  extra       TEXT NOT NULL DEFAULT '{}'
);

-- ==== V81__volume_groups.sql
-- Block Storage generic volume groups (Cinder's /groups, 3.13) and group snapshots
-- (/group_snapshots, 3.14). A volume belongs to at most one group (volume_volume.group_id); a
-- snapshot taken as part of a group snapshot names it (volume_snapshot.group_snapshot_id).
-- Owned by dev.kiln.volume.
CREATE TABLE volume_group (
  id                VARCHAR(36) PRIMARY KEY,
  project_id        VARCHAR(64) NOT NULL,
  user_id           VARCHAR(64) NOT NULL,
  name              VARCHAR(255),
  description       VARCHAR(255),
  status            VARCHAR(32) NOT NULL,
  availability_zone VARCHAR(255) NOT NULL,
  group_type_id     VARCHAR(36) NOT NULL,
  group_snapshot_id VARCHAR(36),
  source_group_id   VARCHAR(36),
  created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at        TIMESTAMP WITH TIME ZONE
);

CREATE INDEX volume_group_project ON volume_group (project_id);

-- The volume types a group's volumes may have, in the order the group was created with.
CREATE TABLE volume_group_volume_type (
  group_id       VARCHAR(36) NOT NULL REFERENCES volume_group (id) ON DELETE CASCADE,
  type_order       INT NOT NULL,
  volume_type_id VARCHAR(36) NOT NULL,
  PRIMARY KEY (group_id, type_order)
);

CREATE TABLE volume_group_snapshot (
  id            VARCHAR(36) PRIMARY KEY,
  project_id    VARCHAR(64) NOT NULL,
  user_id       VARCHAR(64) NOT NULL,
  group_id      VARCHAR(36) NOT NULL,
  group_type_id VARCHAR(36) NOT NULL,
  name          VARCHAR(255),
  description   VARCHAR(255),
  status        VARCHAR(32) NOT NULL,
  created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at    TIMESTAMP WITH TIME ZONE
);

CREATE INDEX volume_group_snapshot_group ON volume_group_snapshot (group_id);

ALTER TABLE volume_volume ADD COLUMN group_id VARCHAR(36);
CREATE INDEX volume_volume_group ON volume_volume (group_id);

ALTER TABLE volume_snapshot ADD COLUMN group_snapshot_id VARCHAR(36);
CREATE INDEX volume_snapshot_group_snapshot ON volume_snapshot (group_snapshot_id);

-- ==== V82__volume_messages.sql
-- Block Storage user messages (Cinder's /messages, 3.3): what went wrong with a user's resource
-- after the API call answered, such as a volume the scheduler could not place. Owned by
-- dev.kiln.volume.
CREATE TABLE volume_message (
  id            VARCHAR(36) PRIMARY KEY,
  project_id    VARCHAR(64) NOT NULL,
  request_id    VARCHAR(64) NOT NULL,
  resource_type VARCHAR(32) NOT NULL,
  resource_uuid VARCHAR(36),
  event_id      VARCHAR(64) NOT NULL,
  message_level VARCHAR(16) NOT NULL,
  user_message  VARCHAR(512) NOT NULL,
  created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  expires_at    TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX volume_message_project ON volume_message (project_id, created_at);

-- ==== V83__compute_user_quotas.sql
-- Compute: per-user quotas (Nova's os-quota-sets?user_id=...). Owned by dev.kiln.compute.
-- A user's limit applies within the project's: a resource without a row here has the project's
-- limit. Changes are made under the project's quota lock row (compute_quota_lock).
CREATE TABLE compute_user_quota (
  project_id VARCHAR(255) NOT NULL,
  user_id    VARCHAR(255) NOT NULL,
  resource   VARCHAR(64) NOT NULL,
  hard_limit INT NOT NULL,
  PRIMARY KEY (project_id, user_id, resource)
);
