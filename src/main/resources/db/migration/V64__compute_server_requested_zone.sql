-- The availability zone a server's create asked for (null: none), kept apart from the zone of the
-- host it runs on, which placement writes into availability_zone. Moves stay in the zone asked for
-- alone, as Nova's request spec does: a server placed on a host while an aggregate put that host in
-- some zone must not be held to that zone once the aggregate is gone.
ALTER TABLE compute_server ADD COLUMN requested_availability_zone VARCHAR(255);
-- Servers made before this knew no difference: they keep the zone they are in.
UPDATE compute_server SET requested_availability_zone = availability_zone;
