-- The headers Swift keeps with an object besides its user metadata (Content-Disposition,
-- Content-Encoding, X-Object-Manifest, X-Delete-At and the other allowed headers), as one JSON
-- object of lower-case names to values; and the object's expiry (X-Delete-At, seconds since the
-- epoch) in a column of its own, so that expired objects can be found without reading them all.
ALTER TABLE objectstore_object ADD COLUMN headers TEXT NOT NULL DEFAULT '{}';
ALTER TABLE objectstore_object ADD COLUMN delete_at BIGINT;
CREATE INDEX objectstore_object_delete_at ON objectstore_object (delete_at);
