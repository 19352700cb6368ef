package dev.kiln.store;

import java.lang.reflect.Field;
import java.sql.Connection;
import java.sql.SQLException;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;

/**
 * When H2 writes the embedded file: only when Kiln asks ({@link RedoLog}'s checkpoints, with no
 * transaction open), never on its own.
 *
 * <p>H2 writes a chunk on its own in three ways: its background writer after the write delay
 * (turned off by a write delay of about 25 days, {@link Database}'s URL), any commit when the
 * write delay is 0, and any change once the unsaved pages pass its auto-commit memory (16 MB with
 * Kiln's heap). The last has no setting, so it is raised here past what a second of changes makes
 * (H2 2.5's private field). Each of them may write while transactions are open, which a crash
 * can turn into a file H2 cannot use (see {@link QuiescentGate}).
 */
final class H2Writes {
  /**
   * The unsaved page memory at which H2 would write on its own: far past a second of Kiln's
   * changes, and small enough that H2's own sums of it (times 3 and 4) stay within an int.
   */
  static final int AUTO_COMMIT_MEMORY = 500_000_000;

  private H2Writes() {}

  /** Makes H2 write {@code connection}'s file only when asked; fails if it cannot. */
  static void onlyWhenAsked(Connection connection) throws SQLException {
    MVStore store = store(connection);
    if (store.getAutoCommitDelay() < 1_000_000) {
      throw new IllegalStateException(
          "H2's write delay is " + store.getAutoCommitDelay() + " ms; the redo log needs it off");
    }
    try {
      Field memory = MVStore.class.getDeclaredField("autoCommitMemory");
      memory.setAccessible(true);
      memory.setInt(store, AUTO_COMMIT_MEMORY);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException(
          "this H2 version keeps its auto-commit memory elsewhere; the redo log cannot stop H2's own"
              + " writes (" + e + ")", e);
    }
    if (store.getAutoCommitMemory() != AUTO_COMMIT_MEMORY) {
      throw new IllegalStateException("H2 kept its auto-commit memory at " + store.getAutoCommitMemory());
    }
  }

  /** Forces to the disk what H2 has written of {@code connection}'s file. */
  static void force(Connection connection) throws SQLException {
    FileStore<?> file = store(connection).getFileStore();
    if (file != null) {
      file.sync();
    }
  }

  static MVStore store(Connection connection) throws SQLException {
    SessionLocal session = (SessionLocal) connection.unwrap(JdbcConnection.class).getSession();
    return session.getDatabase().getStore().getMvStore();
  }
}
