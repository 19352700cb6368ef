package dev.kiln.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.common.IdGenerator;
import dev.kiln.tasks.TaskRunner;
import dev.kiln.tasks.TaskStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every commit waits for the disk, a request's and a task handler's (made under a fence) alike,
 * but not a task runner's own bookkeeping (a claim, a success), which the next forced commit makes
 * durable; and the way a fenced statement ends its own transaction keeps the connection's parsed
 * statements.
 */
class CommitDurabilityTest {
  private static final AtomicInteger NAMES = new AtomicInteger();
  private static final CommitFence HOLDS = transaction -> {};

  private Database db;

  @BeforeEach
  void open() {
    // Each "force" bumps a counter in the database itself, so the test can count them.
    db = Database.inMemory("durability-" + NAMES.incrementAndGet(), new CommitSync.H2GroupSync("UPDATE force_count SET n = n + 1"));
    db.sql().update("CREATE TABLE force_count (n INT)");
    db.sql().update("CREATE TABLE probe (id INT PRIMARY KEY)");
    db.inTransaction(sql -> sql.update("INSERT INTO force_count VALUES (0)"));
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void aRequestsCommitIsForcedBeforeItReturns() {
    int before = forces();
    db.inTransaction(sql -> sql.update("INSERT INTO probe VALUES (1)"));
    db.sql().update("INSERT INTO probe VALUES (2)");
    assertThat(forces()).isEqualTo(before + 2);
  }

  @Test
  void aTaskHandlersCommitsAreForcedBeforeTheyReturn() {
    int before = forces();
    CommitFence.bind(
        HOLDS,
        () -> {
          db.inTransaction(sql -> sql.update("INSERT INTO probe VALUES (1)"));
          db.sql().update("INSERT INTO probe VALUES (2)");
          return null;
        });
    assertThat(forces()).isEqualTo(before + 2);
  }

  @Test
  void aTasksClaimAndSuccessAreNotForcedItsHandlersCommitIs() throws Exception {
    CompletableFuture<Integer> forcesInHandler = new CompletableFuture<>();
    try (TaskRunner runner =
        new TaskRunner(db, Clock.systemUTC(), IdGenerator.random(), "node-a")) {
      runner.register("probe", task -> {
        int before = forces();
        db.sql().update("INSERT INTO probe VALUES (7)");
        forcesInHandler.complete(forces() - before);
        return null;
      });
      runner.start();
      int before = forces();

      String id = runner.submit("probe", "{}");

      await().atMost(Duration.ofSeconds(10))
          .until(() -> runner.find(id).orElseThrow().status() == TaskStatus.SUCCEEDED);
      assertThat(forcesInHandler.get()).as("forces of the handler's insert").isEqualTo(1);
      // The submit's own commit and the handler's: none for the claim or the success.
      assertThat(forces() - before).isEqualTo(2);
    }
  }

  @Test
  void aFencedStatementThatChangedNothingIsNotForced() {
    int before = forces();
    CommitFence.bind(HOLDS, () -> db.sql().update("DELETE FROM probe WHERE id = 42"));
    assertThat(db.sql().count("SELECT COUNT(*) FROM probe")).isZero();
    assertThat(forces()).isEqualTo(before);
  }

  @Test
  void readsUnderAFenceKeepTheConnectionsParsedStatements() throws Exception {
    // H2 empties a connection's cache of parsed statements on every rollback; a fenced read used
    // to end its transaction with one, so every statement after it was parsed again.
    String query = "SELECT COUNT(*) FROM probe WHERE id > ?";
    try (java.sql.Connection connection = java.sql.DriverManager.getConnection(
            "jdbc:h2:mem:parsed-" + NAMES.incrementAndGet() + ";QUERY_CACHE_SIZE=16", "sa", "")) {
      connection.createStatement().execute("CREATE TABLE probe (id INT PRIMARY KEY)");
      org.h2.engine.SessionLocal session =
          (org.h2.engine.SessionLocal) connection.unwrap(org.h2.jdbc.JdbcConnection.class).getSession();
      org.h2.command.Command parsed = session.prepareLocal(query);
      parsed.close();
      Sql fenced =
          new Sql(
              () -> {
                connection.setAutoCommit(false);
                return new Sql.Borrowed(connection, false, true);
              },
              (c, events) -> c.commit());
      for (int i = 0; i < 3; i++) {
        assertThat(fenced.count(query, 0)).isZero();
      }
      assertThat(session.prepareLocal(query)).isSameAs(parsed);
    }
  }

  private int forces() {
    return (int) db.sql().count("SELECT n FROM force_count");
  }
}
