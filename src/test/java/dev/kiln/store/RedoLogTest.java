package dev.kiln.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded file's redo log end to end: what a kill -9 leaves (H2's file as written so far,
 * and the log) opens to every acknowledged commit, and to nothing that was undone.
 */
class RedoLogTest {
  @TempDir Path dataDir;

  @org.junit.jupiter.api.BeforeEach
  void holdCheckpoints() {
    System.setProperty("kiln.redo.checkpoint-ms", "600000");
  }

  @org.junit.jupiter.api.AfterEach
  void releaseCheckpoints() {
    System.clearProperty("kiln.redo.checkpoint-ms");
  }

  @Test
  void aKillImageOpensToEveryAcknowledgedCommit() throws Exception {
    withTable();
    try (Database db = Database.embedded(dataDir)) {
      for (int i = 0; i < 50; i++) {
        int n = i;
        db.inTransaction(sql -> sql.update("INSERT INTO probe VALUES (?, ?)", n, "v" + n));
      }
      db.sql().update("UPDATE probe SET note = 'changed' WHERE id < 10");
      db.inTransaction(sql -> sql.update("DELETE FROM probe WHERE id >= 40"));
      db.sql().update("UPDATE probe SET id = id + 1000 WHERE id IN (20, 21)");
      db.sql().batch("INSERT INTO probe VALUES (?, ?)", List.of(new Object[] {100, "a"}, new Object[] {101, "b"}));

      assertThat(openedAfterKill(db)).isEqualTo(contents(db)).hasSize(42);
    }
  }

  @Test
  void aDeletedRowIsLoggedAsItsKeyAlone() throws Exception {
    withTable();
    try (Database db = Database.embedded(dataDir)) {
      db.sql().update("INSERT INTO probe VALUES (1, 'a long note')");
      db.sql().update("DELETE FROM probe WHERE id = 1");

      List<RedoEvents.RowChange> logged = new java.util.ArrayList<>();
      try (var segments = Files.list(dataDir.resolve("kiln-redo"))) {
        for (Path segment : segments.sorted().toList()) {
          try (var in = Files.newInputStream(segment)) {
            RedoRecords.read(in).forEach(entry -> logged.addAll(entry.changes()));
          }
        }
      }
      assertThat(logged).hasSize(2);
      assertThat(logged.get(1).newRow()).isNull();
      assertThat(logged.get(1).oldRow()).containsExactly(1, null);
    }
  }

  @Test
  void aStatementThatFailedInsideACommittedTransactionLeavesNoRow() throws Exception {
    withTable();
    try (Database db = Database.embedded(dataDir)) {
      db.inTransaction(sql -> sql.update("INSERT INTO probe VALUES (1, 'one')"));
      db.inTransaction(
          sql -> {
            sql.update("INSERT INTO probe VALUES (2, 'two')");
            // Several rows, the last of which clashes: H2 undoes the whole statement.
            assertThatThrownBy(() -> sql.update("INSERT INTO probe SELECT id + 10, note FROM probe UNION ALL SELECT 1, 'dup'"))
                .isInstanceOf(StoreException.class);
            return null;
          });

      assertThat(openedAfterKill(db)).isEqualTo(contents(db)).containsExactly("1 one", "2 two");
    }
  }

  @Test
  void aTransactionWhoseBatchFailedPartlyCannotCommit() throws Exception {
    withTable();
    try (Database db = Database.embedded(dataDir)) {
      db.sql().update("INSERT INTO probe VALUES (1, 'one')");

      assertThatThrownBy(
              () ->
                  db.inTransaction(
                      sql -> {
                        try {
                          sql.batch(
                              "INSERT INTO probe VALUES (?, ?)",
                              List.of(new Object[] {2, "two"}, new Object[] {1, "clash"}));
                        } catch (StoreException e) {
                          // A caller that goes on after a failed batch: the rows it kept are unknown.
                        }
                        return null;
                      }))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("roll back");
      assertThat(contents(db)).containsExactly("1 one");
    }
  }

  @Test
  void workRolledBackToASavepointLeavesNoRow() throws Exception {
    withTable();
    try (Database db = Database.embedded(dataDir)) {
      db.inTransactionJoinedByNestedWork(
          sql -> {
            sql.update("INSERT INTO probe VALUES (1, 'kept')");
            assertThatThrownBy(
                    () ->
                        db.inTransaction(
                            nested -> {
                              nested.update("INSERT INTO probe VALUES (2, 'undone')");
                              throw new IllegalStateException("nested work fails");
                            }))
                .isInstanceOf(IllegalStateException.class);
            return null;
          });

      assertThat(openedAfterKill(db)).isEqualTo(contents(db)).containsExactly("1 kept");
    }
  }

  @Test
  void aCleanCloseLeavesNoLogBehind() throws Exception {
    withTable();
    try (Database db = Database.embedded(dataDir)) {
      db.inTransaction(sql -> sql.update("INSERT INTO probe VALUES (1, 'one')"));
    }
    try (var files = Files.list(dataDir.resolve("kiln-redo"))) {
      assertThat(files.toList()).isEmpty();
    }
    try (Database db = Database.embedded(dataDir)) {
      assertThat(contents(db)).containsExactly("1 one");
    }
  }

  @Test
  void aFileFromBeforeTheRedoLogGetsItsTriggersAtItsNextStart() throws Exception {
    withTable();
    try (Database db = Database.embedded(dataDir)) {
      // What a file written by a Kiln without the log looks like: no triggers, no redo state.
      db.sql().update("DROP TRIGGER " + RedoTriggers.PREFIX + "probe");
      db.sql().update("DROP TABLE " + RedoLog.STATE);
    }
    try (Database db = Database.embedded(dataDir)) {
      db.inTransaction(sql -> sql.update("INSERT INTO probe VALUES (1, 'one')"));

      assertThat(openedAfterKill(db)).containsExactly("1 one");
    }
  }

  /** A table of this test's own, with the trigger a migration's tables get at the start after it. */
  private void withTable() throws Exception {
    try (Database db = Database.embedded(dataDir)) {
      db.sql().update("CREATE TABLE probe (id INT PRIMARY KEY, note VARCHAR(20))");
      try (java.sql.Connection connection = db.dataSource().getConnection()) {
        RedoTriggers.install(connection);
      }
    }
  }

  private List<String> openedAfterKill(Database live) throws Exception {
    Path image = dataDir.resolve("image");
    KillImage.copy(dataDir, image);
    // The commits are in the log, not forced into H2's file as a table without trigger's would be.
    try (var segments = Files.list(image.resolve("kiln-redo"))) {
      long logged = 0;
      for (Path segment : segments.toList()) {
        try (var in = Files.newInputStream(segment)) {
          logged += RedoRecords.read(in).size();
        }
      }
      assertThat(logged).as("records in the copied log").isPositive();
    }
    try (Database opened = Database.embedded(image)) {
      return contents(opened);
    }
  }

  private static List<String> contents(Database db) {
    return db.sql().query("SELECT id, note FROM probe ORDER BY id", row -> row.getInt("id") + " " + row.getString("note"));
  }
}
