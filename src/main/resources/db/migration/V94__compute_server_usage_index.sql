-- Compute's quota check sums the project's servers, their vCPUs and RAM, under the project's quota
-- lock at every boot. Found through an index made for the server lists, each server's whole row was
-- read for its flavor's two numbers: more than half of a boot's request time in a project of
-- 1,000 servers. This index holds all that the sums read (the user's too, for per-user quotas), so
-- they are taken from the index alone. Its columns change only when a server is made, resized or
-- deleted, so a status change, the commonest write to a server, does not touch it.
CREATE INDEX compute_server_project_usage ON compute_server (project_id, user_id, flavor_vcpus, flavor_ram_mb);
