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
