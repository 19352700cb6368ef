-- The scheduler asks the database for the few hosts with the most free RAM that fit a request
-- (FleetStore.candidates), instead of reading every host per boot. ram_mb_free is kept by the same
-- statements that change ram_mb and ram_mb_used, and the index lets that question stop after the
-- first rows, whatever the size of the fleet.
ALTER TABLE compute_host ADD COLUMN ram_mb_free INT NOT NULL DEFAULT 0;
UPDATE compute_host SET ram_mb_free = ram_mb - ram_mb_used;
CREATE INDEX compute_host_ram_mb_free ON compute_host (ram_mb_free DESC, id);
