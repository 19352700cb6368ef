package dev.kiln.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds every committed change in the embedded file after a crash, before H2 opens it.
 *
 * <p>Why: when H2 (2.5.252) opens a file that was not closed cleanly, it looks for the newest
 * chunk from the file header and the chain of chunk positions each chunk predicts for the next.
 * When a chunk is written somewhere other than where the previous one predicted, H2 rewrites the
 * header, but the header it writes still names the previous chunk; the new chunk and the ones
 * after it are then found by neither the header nor the chain until a later header write. Opened
 * after a kill -9 in that window, the database silently goes back to the previous chunk: commits
 * that were on disk, and answered, are gone. In a loop of write, acknowledge, kill -9, reopen, this
 * lost a round of acknowledged commits every 20 to 40 rounds.
 *
 * <p>What this does: a marker file sits next to the database while it is open and is removed
 * after a clean close. When Kiln starts and finds the marker, the last run ended without closing
 * the database, and the file is first opened with H2's recovery mode, which scans every block of
 * the file for chunks instead of trusting the header, takes the newest complete set, and writes a
 * header that names it; the normal open that follows then sees every commit. A clean start pays
 * nothing; a start after a crash pays one read of the file.
 */
final class UncleanShutdown {
  private static final Logger LOG = LoggerFactory.getLogger(UncleanShutdown.class);

  /**
   * How many Database objects of this process have each file open: H2 shares one engine per file
   * within a JVM (two nodes of a test, a second pool on the same data directory), so a file this
   * process already has open was not left by a crash, and its marker stays until the last one
   * closes.
   */
  private static final java.util.Map<Path, Integer> OPEN_HERE = new java.util.HashMap<>();

  private final Path marker;

  private UncleanShutdown(Path marker) {
    this.marker = marker;
  }

  /**
   * Recovers the H2 file {@code base}{@code .mv.db} if the last run did not close it, then marks
   * it open. Throws if another process has the file open (H2's file lock), leaving the marker.
   */
  static synchronized UncleanShutdown recoverIfNeeded(Path base) {
    Path file = base.resolveSibling(base.getFileName() + ".mv.db");
    Path marker = base.resolveSibling(base.getFileName() + ".open");
    if (OPEN_HERE.merge(marker, 1, Integer::sum) > 1) {
      return new UncleanShutdown(marker);
    }
    try {
      if (Files.exists(marker) && Files.exists(file)) {
        long started = System.nanoTime();
        MVStore store = new MVStore.Builder().fileName(file.toString()).recoveryMode().open();
        long version = store.getCurrentVersion();
        store.close();
        LOG.warn(
            "The last run did not close the embedded database; recovered it up to version {} in {}"
                + " ms",
            version,
            (System.nanoTime() - started) / 1_000_000);
      }
      Files.writeString(marker, "open since " + java.time.Instant.now() + "\n");
      return new UncleanShutdown(marker);
    } catch (IOException | RuntimeException e) {
      OPEN_HERE.computeIfPresent(marker, (path, n) -> n > 1 ? n - 1 : null);
      if (e instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new UncheckedIOException("cannot mark the embedded database open: " + marker, (IOException) e);
    }
  }

  /** The database was closed cleanly: the next start needs no recovery. */
  void closedCleanly() {
    synchronized (UncleanShutdown.class) {
      if (OPEN_HERE.computeIfPresent(marker, (path, n) -> n > 1 ? n - 1 : null) != null) {
        return;
      }
    }
    try {
      Files.deleteIfExists(marker);
    } catch (IOException e) {
      LOG.warn("Could not remove {}; the next start scans the database file once", marker, e);
    }
  }
}
