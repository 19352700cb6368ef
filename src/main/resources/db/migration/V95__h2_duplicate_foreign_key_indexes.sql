-- H2 gives every foreign key an index on exactly its columns when the key is made, unless one
-- exists already; these keys were made with their tables, before the index on the same column
-- that each script then made too. On H2 each pair is two B-trees with the same entries: every
-- insert and delete writes both to the file at its commit, and every start reads both definitions
-- back. The copies Kiln named go; the keys keep theirs. PostgreSQL makes no index for a foreign
-- key, so there these are the only ones and stay (lines after the h2_only placeholder run on the
-- embedded store only: see Database.placeholders). V93 did the same for four of Networking's.
${h2_only}DROP INDEX compute_aggregate_host_host;
${h2_only}DROP INDEX compute_host_claim_host;
${h2_only}DROP INDEX compute_server_volume_server;
${h2_only}DROP INDEX heat_stack_parent;
${h2_only}DROP INDEX identity_app_credential_access_rule_rule;
${h2_only}DROP INDEX identity_credential_user;
${h2_only}DROP INDEX identity_endpoint_region;
${h2_only}DROP INDEX identity_endpoint_service;
${h2_only}DROP INDEX identity_group_member_user;
${h2_only}DROP INDEX identity_implied_role_implied;
${h2_only}DROP INDEX identity_oauth_access_token_consumer;
${h2_only}DROP INDEX identity_oauth_access_token_user;
${h2_only}DROP INDEX identity_oauth_request_token_consumer;
${h2_only}DROP INDEX identity_region_parent;
${h2_only}DROP INDEX identity_role_domain;
${h2_only}DROP INDEX identity_trust_trustee;
${h2_only}DROP INDEX identity_trust_trustor;
${h2_only}DROP INDEX network_port_forwarding_fip;
${h2_only}DROP INDEX network_port_forwarding_port;
${h2_only}DROP INDEX network_security_group_rule_remote;
${h2_only}DROP INDEX network_subnet_subnetpool;
${h2_only}DROP INDEX network_trunk_subport_trunk;
${h2_only}DROP INDEX volume_attachment_volume;
${h2_only}DROP INDEX volume_type_qos_specs;
