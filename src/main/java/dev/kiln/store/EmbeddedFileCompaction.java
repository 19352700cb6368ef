package dev.kiln.store;

import java.sql.Connection;
import java.sql.SQLException;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;

/**
 * Keeps the embedded file compact while Kiln runs: rewrites the live pages of chunks that are
 * mostly dead into new ones, so that the old chunks can be dropped and their space reused.
 *
 * <p>Why: a chunk's space is reused only once nothing in it is live. H2 moves the few live pages
 * out of such chunks in its background writer, which Kiln keeps off (H2 writes only at the {@link
 * RedoLog}'s checkpoints, see {@link H2Writes}); when Kiln had H2 write a chunk for every commit,
 * every chunk that kept one live page stayed, and the file only grew: 1.8 GB after 10,000 server
 * boots, with an object on the heap for each chunk. Each checkpoint therefore compacts a little
 * before H2 writes ({@link #compactInPlace}). {@link Database#FORCED_RETENTION_MS} lets the space
 * of dead chunks be reused soon after, so that the file stays small while Kiln works, not only
 * after.
 */
final class EmbeddedFileCompaction {
  /** Below this share of live data in the file's chunks, chunks are rewritten (H2's own default is 90). */
  static final int TARGET_FILL_RATE = 80;
  /** At most this much live data is rewritten per round, so that commits never wait long on it. */
  static final int WRITE_LIMIT_BYTES = 1 << 20;

  private EmbeddedFileCompaction() {}

  /**
   * Drops the dead chunks past their retention time and rewrites the live pages of the emptiest
   * ones when the file's chunks are too empty, leaving H2 to write the rewritten pages with its
   * next chunk; answers whether it rewrote any.
   */
  static boolean compactInPlace(Connection connection) throws SQLException {
    MVStore store = H2Writes.store(connection);
    FileStore<?> file = store.getFileStore();
    if (file == null || file.isReadOnly()) {
      return false;
    }
    store.executeFilestoreOperation(file::dropUnusedChunks);
    return file.compact(TARGET_FILL_RATE, WRITE_LIMIT_BYTES);
  }
}
