package dev.kiln.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When a kept row is answered from memory, and when the row is read again. */
class CommittedCacheTest {
  @TempDir Path dataDir;
  private final AtomicInteger reads = new AtomicInteger();

  @BeforeEach
  void tables() throws Exception {
    try (Database db = Database.embedded(dataDir)) {
      db.sql().update("CREATE TABLE kept (id INT PRIMARY KEY, note VARCHAR(20))");
      db.sql().update("CREATE TABLE other (id INT PRIMARY KEY)");
      try (java.sql.Connection connection = db.dataSource().getConnection()) {
        RedoTriggers.install(connection);
      }
      db.sql().update("INSERT INTO kept VALUES (1, 'first')");
    }
  }

  @Test
  void aKeptRowIsAnsweredWithoutAReadWhileItsTableIsUnchanged() {
    try (Database db = Database.embedded(dataDir)) {
      CommittedCache<Integer, String> cache = db.cacheOf(Set.of("kept"), 10);

      assertThat(note(db, cache, 1)).contains("first");
      db.sql().update("INSERT INTO other VALUES (1)");
      assertThat(note(db, cache, 1)).contains("first");

      assertThat(reads).hasValue(1);
    }
  }

  @Test
  void aCommitToItsTableIsReadAtOnce() {
    try (Database db = Database.embedded(dataDir)) {
      CommittedCache<Integer, String> cache = db.cacheOf(Set.of("kept"), 10);
      note(db, cache, 1);

      db.inTransaction(sql -> sql.update("UPDATE kept SET note = 'second' WHERE id = 1"));

      assertThat(note(db, cache, 1)).contains("second");
      assertThat(reads).hasValue(2);
    }
  }

  @Test
  void whatIsAbsentIsReadEachTime() {
    try (Database db = Database.embedded(dataDir)) {
      CommittedCache<Integer, String> cache = db.cacheOf(Set.of("kept"), 10);

      assertThat(note(db, cache, 2)).isEmpty();
      assertThat(note(db, cache, 2)).isEmpty();

      assertThat(reads).hasValue(2);
    }
  }

  @Test
  void insideAJoinedTransactionItsOwnChangesAreRead() {
    try (Database db = Database.embedded(dataDir)) {
      CommittedCache<Integer, String> cache = db.cacheOf(Set.of("kept"), 10);
      note(db, cache, 1);

      String seenInside = db.inTransactionJoinedByNestedWork(sql -> {
        sql.update("UPDATE kept SET note = 'uncommitted' WHERE id = 1");
        return note(db, cache, 1).orElseThrow();
      });

      assertThat(seenInside).isEqualTo("uncommitted");
    }
  }

  @Test
  void aDatabaseOthersMayWriteIsReadEachTime() {
    try (Database db = Database.inMemory("committed-cache-" + System.nanoTime())) {
      db.sql().update("CREATE TABLE kept (id INT PRIMARY KEY, note VARCHAR(20))");
      db.sql().update("INSERT INTO kept VALUES (1, 'first')");
      CommittedCache<Integer, String> cache = db.cacheOf(Set.of("kept"), 10);

      note(db, cache, 1);
      note(db, cache, 1);

      assertThat(reads).hasValue(2);
    }
  }

  @Test
  void neverHoldsMoreThanItsCapacity() {
    try (Database db = Database.embedded(dataDir)) {
      for (int id = 2; id <= 5; id++) {
        db.sql().update("INSERT INTO kept VALUES (?, ?)", id, "n" + id);
      }
      CommittedCache<Integer, String> cache = db.cacheOf(Set.of("kept"), 2);

      for (int id = 1; id <= 5; id++) {
        note(db, cache, id);
      }
      note(db, cache, 5); // kept
      note(db, cache, 1); // not any more

      assertThat(reads).hasValue(6);
    }
  }

  private Optional<String> note(Database db, CommittedCache<Integer, String> cache, int id) {
    return cache.get(id, key -> {
      reads.incrementAndGet();
      return db.sql().queryOne("SELECT note FROM kept WHERE id = ?", row -> row.getString("note"), key);
    });
  }
}
