package dev.kiln.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What moves a count of commits to some tables on the embedded file, and where none is kept. */
class ChangeCounterTest {
  @TempDir Path dataDir;

  @Test
  void aCommitThatChangesACountedTableMovesTheCount() throws Exception {
    withTables();
    try (Database db = Database.embedded(dataDir)) {
      ChangeCounter counter = db.countChanges(Set.of("counted")).orElseThrow();

      db.inTransaction(sql -> sql.update("INSERT INTO counted VALUES (1)"));
      db.sql().update("DELETE FROM counted WHERE id = 1");

      assertThat(counter.count()).isEqualTo(2);
    }
  }

  @Test
  void commitsToOtherTablesAndReadsLeaveTheCount() throws Exception {
    withTables();
    try (Database db = Database.embedded(dataDir)) {
      ChangeCounter counter = db.countChanges(Set.of("counted")).orElseThrow();

      db.inTransaction(sql -> sql.update("INSERT INTO other VALUES (1)"));
      db.sql().update("UPDATE other SET id = 2");
      db.sql().count("SELECT COUNT(*) FROM counted");
      db.inTransaction(sql -> sql.update("UPDATE counted SET id = 3 WHERE id = 99")); // no row

      assertThat(counter.count()).isZero();
    }
  }

  @Test
  void aRolledBackTransactionLeavesTheCount() throws Exception {
    withTables();
    try (Database db = Database.embedded(dataDir)) {
      ChangeCounter counter = db.countChanges(Set.of("counted")).orElseThrow();

      assertThatThrownBy(() -> db.inTransaction(sql -> {
        sql.update("INSERT INTO counted VALUES (1)");
        throw new IllegalStateException("changed its mind");
      })).isInstanceOf(IllegalStateException.class);

      assertThat(counter.count()).isZero();
    }
  }

  @Test
  void aDatabaseThatOthersMayWriteKeepsNoCount() {
    try (Database db = Database.inMemory("change-counter-" + System.nanoTime())) {
      assertThat(db.countChanges(Set.of("counted"))).isEmpty();
    }
  }

  private void withTables() throws Exception {
    try (Database db = Database.embedded(dataDir)) {
      db.sql().update("CREATE TABLE counted (id INT PRIMARY KEY)");
      db.sql().update("CREATE TABLE other (id INT PRIMARY KEY)");
      try (java.sql.Connection connection = db.dataSource().getConnection()) {
        RedoTriggers.install(connection);
      }
    }
  }
}
