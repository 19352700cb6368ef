-- Networking's busiest table, indexed for what its requests look ports up by, and no more. Each
-- index is a B-tree that every insert and delete of a port changes, and the embedded store writes
-- every B-tree a commit changed (the changed leaf and the pages above it) before the commit
-- returns: an index that no query reads costs each port create and delete a share of its commit.

-- No query finds ports by their owner alone: each also names the device, the subnet or the port.
DROP INDEX network_port_device_owner;

-- A network's ports in id order, and a project's: a page of 100 of a network's 10,000 ports then
-- reads 100 index entries, in order, rather than all 10,000 rows and a sort. (network_id) stays:
-- it is the foreign key's index. The project's index becomes (project_id, id); the port quota's
-- count reads its first column as before.
CREATE INDEX network_port_network_id ON network_port (network_id, id);
DROP INDEX network_port_project;
CREATE INDEX network_port_project_id ON network_port (project_id, id);

-- Filters by name, which the clients send to find a network or subnet named on their command
-- line, no longer read every row the caller may see (networks and subnets change rarely).
CREATE INDEX network_network_name ON network_network (name, id);
CREATE INDEX network_subnet_name ON network_subnet (name, id);

-- H2 gave each of these foreign keys an index of its own when their tables were made, so the
-- indexes Kiln made on the same columns are a second copy there, changed by every insert for
-- nothing; PostgreSQL makes no index for a foreign key, and keeps these. (Lines that start with
-- the h2_only placeholder run on the embedded store only: see Database.placeholders.)
${h2_only}DROP INDEX network_ip_allocation_port;
${h2_only}DROP INDEX network_floatingip_fixed_port;
${h2_only}DROP INDEX network_floatingip_router;
${h2_only}DROP INDEX network_router_gw_network;
