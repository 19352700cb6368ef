-- Identity's revision: one number that every change able to alter what an issued token means
-- (a user, project, domain or role changed or deleted, a grant added or removed) moves on, in the
-- same transaction. Token validation reads it with the token's row in one query and trusts its
-- in-memory copy of a token only while the number is unchanged, so a change made on one node is
-- seen by every node sharing the database from the next request on. Owned by dev.kiln.identity.
--
-- A repeatable migration, written so that running it again changes nothing: it adds the table to
-- databases of every age (new ones start from the B19 baseline, older ones ran V1..V19).
CREATE TABLE IF NOT EXISTS identity_revision (
  id       INT PRIMARY KEY,
  revision BIGINT NOT NULL,
  CONSTRAINT identity_revision_single_row CHECK (id = 1)
);
INSERT INTO identity_revision (id, revision)
SELECT 1, 0 WHERE NOT EXISTS (SELECT 1 FROM identity_revision WHERE id = 1);
