package dev.kiln.objectstore.store;

import dev.kiln.store.Database;
import dev.kiln.store.Dialect;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where object bytes live. A blob is written once under a new id and never changed: an overwrite
 * writes a new blob, points the object row at it, and deletes the old one, so a reader sees one
 * whole version or the other.
 */
public sealed interface Blobs permits FileBlobs, DatabaseBlobs {

  /**
   * Reads {@code data} to its end into blob {@code blobId}, hashing it as it goes. On any failure
   * the partial blob is removed.
   *
   * @throws TooLargeException once more than {@code maxBytes} arrive
   */
  Written write(String blobId, InputStream data, long maxBytes) throws IOException;

  /** Bytes {@code offset} to {@code offset + length} of the blob, or empty when it is gone. */
  Optional<InputStream> open(String blobId, long offset, long length);

  /** Removes the blob; nothing happens when it is already gone. */
  void delete(String blobId);

  /** What a write stored: its size and the hex MD5 of its bytes. */
  record Written(long size, String md5) {}

  /** More bytes arrived than an object may have; nothing was kept. */
  final class TooLargeException extends IOException {
    public TooLargeException(long maxBytes) {
      super("more than " + maxBytes + " bytes");
    }
  }

  /**
   * Files under {@code dataDir/objects} for the embedded store (one node); chunks in the database
   * on PostgreSQL, so that every node sharing it reads the same objects.
   */
  static Blobs choose(Database db, Path dataDir) {
    return db.dialect() == Dialect.POSTGRESQL
        ? new DatabaseBlobs(db)
        : new FileBlobs(dataDir.resolve("objects"));
  }
}
