package dev.kiln.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the embedded file compact while Kiln runs: rewrites the live pages of chunks that are
 * mostly dead into new ones, so that the old chunks can be dropped and their space reused.
 *
 * <p>Why: H2 writes a chunk for every commit (Kiln opens it with {@code WRITE_DELAY=0}, so that an
 * answered write is in the file), and a chunk's space is reused only once nothing in it is live.
 * H2 moves the few live pages out of such chunks in its background writer, which it starts only
 * when commits are delayed; without it, every chunk that kept one live page stayed, and the file
 * only grew: 1.8 GB after 10,000 server boots, with an object on the heap for each chunk.
 * This does that background writer's compaction on a timer of its own, and forces what it wrote
 * to the disk, as a commit would be. {@link Database#FORCED_RETENTION_MS} lets the space of dead
 * chunks be reused soon after, so that the file stays small while Kiln works, not only after.
 */
final class EmbeddedFileCompaction implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedFileCompaction.class);
  /** Below this share of live data in the file's chunks, chunks are rewritten (H2's own default is 90). */
  static final int TARGET_FILL_RATE = 80;
  /** At most this much live data is rewritten per round, so that commits never wait long on it. */
  static final int WRITE_LIMIT_BYTES = 1 << 20;

  private final DataSource dataSource;
  private final ScheduledExecutorService timer;
  private boolean warned;

  private EmbeddedFileCompaction(DataSource dataSource, ScheduledExecutorService timer) {
    this.dataSource = dataSource;
    this.timer = timer;
  }

  /** Compacts the file behind {@code dataSource} (an H2 file database) once a second. */
  static EmbeddedFileCompaction start(DataSource dataSource) {
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            task -> Thread.ofPlatform().name("kiln-file-compaction").daemon().unstarted(task));
    EmbeddedFileCompaction compaction = new EmbeddedFileCompaction(dataSource, timer);
    timer.scheduleWithFixedDelay(compaction::round, 1, 1, TimeUnit.SECONDS);
    return compaction;
  }

  /** One round: rewrites up to the write limit when the file's chunks are too empty. */
  void round() {
    try (Connection connection = dataSource.getConnection()) {
      compact(connection);
    } catch (SQLException | RuntimeException e) {
      // The database closing under a round, or a full disk: the next commit reports the latter.
      if (!warned) {
        warned = true;
        LOG.warn("Compacting the embedded database file failed (it grows until this works again): {}", e.toString());
      }
    }
  }

  /**
   * Drops the chunks that are dead and past their retention time, rewrites the live pages of the
   * emptiest ones when the file's chunks are too empty, and forces what that left to write to the
   * disk. A commit would drop the dead chunks too, but a quiet server makes none.
   */
  static void compact(Connection connection) throws SQLException {
    SessionLocal session = (SessionLocal) connection.unwrap(JdbcConnection.class).getSession();
    MVStore store = session.getDatabase().getStore().getMvStore();
    FileStore<?> file = store.getFileStore();
    if (file == null || file.isReadOnly()) {
      return;
    }
    store.executeFilestoreOperation(file::dropUnusedChunks);
    file.compact(TARGET_FILL_RATE, WRITE_LIMIT_BYTES);
    if (store.hasUnsavedChanges()) {
      try (Statement checkpoint = connection.createStatement()) {
        checkpoint.execute("CHECKPOINT SYNC");
      }
    }
  }

  @Override
  public void close() {
    // Not shutdownNow: an interrupt in the middle of H2's file I/O closes its file channel, and H2
    // then closes the whole database as broken. A round is short; the close waits for it to end.
    timer.shutdown();
    try {
      timer.awaitTermination(10, TimeUnit.SECONDS); // a round never outlives the database it compacts
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
