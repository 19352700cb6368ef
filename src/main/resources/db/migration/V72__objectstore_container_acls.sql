-- Swift's container ACLs (X-Container-Read, X-Container-Write) as their owners set them; NULL for
-- none. Owned by dev.kiln.objectstore.
ALTER TABLE objectstore_container ADD COLUMN read_acl TEXT;
ALTER TABLE objectstore_container ADD COLUMN write_acl TEXT;
