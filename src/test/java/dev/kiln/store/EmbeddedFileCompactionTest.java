package dev.kiln.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded file does not keep every chunk its commits wrote. */
class EmbeddedFileCompactionTest {
  @TempDir Path dir;

  @Test
  void chunksOfABurstOfCommitsAreCompactedAwayAndNothingIsLost() throws Exception {
    int rows = 2_000;
    try (Database db = Database.embedded(dir, null)) {
      db.sql().update("CREATE TABLE compaction_probe (id INT PRIMARY KEY, payload VARCHAR(200))");
      for (int i = 0; i < rows; i++) {
        db.sql().update("INSERT INTO compaction_probe VALUES (?, ?)", i, "x".repeat(150)); // a commit each
      }
      long afterBurst = chunkCount(db);
      // Each commit wrote a chunk, and each kept a leaf page or two that later commits did not
      // replace: without compaction they all stay.
      assertThat(afterBurst).as("chunks right after the burst").isGreaterThan(200);

      Thread.sleep(Database.FORCED_RETENTION_MS + 500L); // the burst's chunks may now be rewritten
      for (int round = 0; round < 20; round++) {
        try (Connection connection = db.dataSource().getConnection()) {
          compactAndWrite(connection);
        }
        Thread.sleep(100);
      }
      assertThat(chunkCount(db)).as("chunks once compacted (%d before)", afterBurst).isLessThan(afterBurst / 10);
    }
    try (Database reopened = Database.embedded(dir, null)) {
      assertThat(reopened.sql().count("SELECT COUNT(*) FROM compaction_probe")).isEqualTo(rows);
    }
  }

  /** What a redo checkpoint does to the file: compacts a little, then has H2 write and force it. */
  private static void compactAndWrite(Connection connection) throws Exception {
    EmbeddedFileCompaction.compactInPlace(connection);
    if (H2Writes.store(connection).hasUnsavedChanges()) {
      try (Statement checkpoint = connection.createStatement()) {
        checkpoint.execute("CHECKPOINT SYNC");
      }
    }
  }

  private static long chunkCount(Database db) {
    return db.sql()
        .query(
            "SELECT setting_value FROM information_schema.settings WHERE setting_name = 'info.CHUNK_COUNT'",
            r -> Long.parseLong(r.getString("setting_value")))
        .getFirst();
  }
}
