-- Object bytes kept in the database, used when Kiln runs on PostgreSQL so that every node sharing
-- the database reads the same objects. An object's blob is cut into chunks of a fixed size (the
-- last may be shorter), so an upload is written and a range is read a chunk at a time, never whole.
CREATE TABLE objectstore_chunk (
  blob_id  VARCHAR(36) NOT NULL,
  seq      INT NOT NULL,
  data     BYTEA NOT NULL,
  PRIMARY KEY (blob_id, seq)
);
