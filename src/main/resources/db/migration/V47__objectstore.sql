-- Object Storage (Swift v1) tables. Owned by dev.kiln.objectstore (its store package); no other
-- service reads them. Names are Swift's: an account is AUTH_<project id>. Times are microseconds
-- since the epoch, the precision of Swift's X-Timestamp.

-- An account exists implicitly for every project; a row is written the first time it changes
-- (metadata, or its first container), and its row lock orders container creates and deletes.
CREATE TABLE objectstore_account (
  account     VARCHAR(300) PRIMARY KEY,
  created_us  BIGINT NOT NULL,
  metadata    TEXT NOT NULL
);

-- A container with its object count and bytes used, kept exact: every object change updates them
-- under this row's lock, in the transaction that changes the object row.
CREATE TABLE objectstore_container (
  account       VARCHAR(300) NOT NULL REFERENCES objectstore_account (account),
  name          VARCHAR(256) NOT NULL,
  created_us    BIGINT NOT NULL,
  metadata      TEXT NOT NULL,
  object_count  BIGINT NOT NULL,
  bytes_used    BIGINT NOT NULL,
  PRIMARY KEY (account, name)
);

-- An object's metadata row; its bytes are the blob named by blob_id (a file under the data
-- directory on the embedded store, rows of objectstore_chunk on PostgreSQL).
CREATE TABLE objectstore_object (
  account       VARCHAR(300) NOT NULL,
  container     VARCHAR(256) NOT NULL,
  name          VARCHAR(1024) NOT NULL,
  size_bytes    BIGINT NOT NULL,
  etag          VARCHAR(32) NOT NULL,
  content_type  VARCHAR(1024) NOT NULL,
  timestamp_us  BIGINT NOT NULL,
  metadata      TEXT NOT NULL,
  blob_id       VARCHAR(36) NOT NULL,
  PRIMARY KEY (account, container, name),
  FOREIGN KEY (account, container) REFERENCES objectstore_container (account, name)
);
