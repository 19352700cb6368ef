package dev.kiln.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreparedStatementsTest {
  private static final String LOCK = "SELECT id FROM probe WHERE id = ? FOR UPDATE";

  @Test
  void aLockingQueryIsPreparedOnceOnItsConnection() throws Exception {
    PreparedStatements statements = PreparedStatements.keepingH2sUncachedQueries();
    try (Connection connection = newDatabase()) {
      PreparedStatement first = statements.prepare(connection, LOCK);
      statements.release(connection, LOCK, first);
      PreparedStatement second = statements.prepare(connection, LOCK);
      assertThat(second).isSameAs(first);
      second.setInt(1, 1);
      try (ResultSet rs = second.executeQuery()) {
        assertThat(rs.next()).isTrue();
      }
      statements.release(connection, LOCK, second);
      assertThat(second.isClosed()).isFalse();
    }
  }

  @Test
  void aUnionIsPreparedOnceOnItsConnection() throws Exception {
    assertThat(reusedAfterRelease("SELECT id FROM probe WHERE id = ? UNION ALL SELECT id FROM probe WHERE id = ?"))
        .isTrue();
  }

  @Test
  void aQueryH2CachesItselfIsNotKept() throws Exception {
    assertThat(reusedAfterRelease("SELECT id FROM probe WHERE id = ?")).isFalse();
  }

  @Test
  void aLongLockingQueryIsNotKept() throws Exception {
    String longList = Sql.placeholders(PreparedStatements.KeptUncachedQueries.LONGEST_KEPT / 3);
    assertThat(reusedAfterRelease("SELECT id FROM probe WHERE id IN " + longList + " FOR UPDATE")).isFalse();
  }

  @Test
  void aLockingQueryInUseIsNotLentTwice() throws Exception {
    PreparedStatements statements = PreparedStatements.keepingH2sUncachedQueries();
    try (Connection connection = newDatabase()) {
      PreparedStatement outer = statements.prepare(connection, LOCK);
      PreparedStatement nested = statements.prepare(connection, LOCK);
      assertThat(nested).isNotSameAs(outer);
      statements.release(connection, LOCK, nested);
      statements.release(connection, LOCK, outer);
      assertThat(outer.isClosed()).as("one kept per text; the second one back is closed").isTrue();
      assertThat(statements.prepare(connection, LOCK)).isSameAs(nested);
    }
  }

  @Test
  void aClosedConnectionsStatementsAreForgotten() throws Exception {
    PreparedStatements.KeptUncachedQueries statements = new PreparedStatements.KeptUncachedQueries();
    Connection retired = newDatabase();
    statements.release(retired, LOCK, statements.prepare(retired, LOCK));
    retired.close();
    try (Connection current = newDatabase()) {
      statements.release(current, LOCK, statements.prepare(current, LOCK));
      assertThat(statements.connectionsKept()).isEqualTo(1);
    }
  }

  @Test
  void aKeptLockingQueryStillLocksItsRow() throws Exception {
    Database db = Database.inMemory("kept-lock-" + UUID.randomUUID());
    try (db) {
      db.sql().update("CREATE TABLE probe (id INT PRIMARY KEY, n INT)");
      db.sql().update("INSERT INTO probe VALUES (1, 0)");
      // Warm: the statement is kept on whichever connection ran it.
      for (int i = 0; i < 20; i++) {
        db.inTransaction(sql -> sql.query(LOCK, row -> row.getInt("id"), 1));
      }
      CompletableFuture<Void> holding = new CompletableFuture<>();
      CompletableFuture<Void> release = new CompletableFuture<>();
      CompletableFuture<Void> holder =
          CompletableFuture.runAsync(
              () ->
                  db.inTransaction(
                      sql -> {
                        sql.query(LOCK, row -> row.getInt("id"), 1);
                        sql.update("UPDATE probe SET n = n + 1 WHERE id = 1");
                        holding.complete(null);
                        release.join();
                        return null;
                      }));
      holding.get(10, TimeUnit.SECONDS);
      CompletableFuture<List<Integer>> waiter =
          CompletableFuture.supplyAsync(
              () ->
                  db.inTransaction(
                      sql -> {
                        sql.query(LOCK, row -> row.getInt("id"), 1);
                        return sql.query("SELECT n FROM probe WHERE id = 1", row -> row.getInt("n"));
                      }));
      Thread.sleep(200);
      assertThat(waiter).as("the second locker waits for the first").isNotDone();
      release.complete(null);
      holder.get(10, TimeUnit.SECONDS);
      assertThat(waiter.get(10, TimeUnit.SECONDS)).containsExactly(1);
    }
  }

  @Test
  void idleConnectionsClosedOnceKilnIsQuietTakeTheirKeptStatementsWithThem(@TempDir Path dataDir) throws Exception {
    Database db = Database.embedded(dataDir);
    try (db) {
      org.h2.engine.Database file = openFile(db);
      db.sql().update("CREATE TABLE probe (id INT PRIMARY KEY)");
      db.sql().update("INSERT INTO probe VALUES (1), (2), (3), (4)");
      // Four transactions at once: the pool opens four connections, each keeps its lock query.
      CountDownLatch allIn = new CountDownLatch(4);
      List<CompletableFuture<Void>> burst = new ArrayList<>();
      ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
      for (int id = 1; id <= 4; id++) {
        int row = id;
        burst.add(CompletableFuture.runAsync(() -> db.inTransaction(sql -> {
          sql.query(LOCK, r -> r.getInt("id"), row);
          allIn.countDown();
          try {
            allIn.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return null;
        }), threads));
      }
      CompletableFuture.allOf(burst.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
      threads.close();
      assertThat(db.statements().forgetClosedConnections()).isEqualTo(4);

      db.closeIdleConnections();

      assertThat(db.statements().forgetClosedConnections()).isZero();
      assertThat(((HikariDataSource) db.dataSource()).getHikariPoolMXBean().getTotalConnections())
          .isLessThanOrEqualTo(1);
      List<Integer> locked = db.inTransaction(sql -> sql.query(LOCK, r -> r.getInt("id"), 2));
      assertThat(locked).containsExactly(2);
      assertThat(openFile(db)).as("the embedded file stayed open throughout").isSameAs(file);
    }
  }

  /** H2's open database behind {@code db}: a new one each time the file is opened again. */
  private static org.h2.engine.Database openFile(Database db) throws Exception {
    try (Connection c = db.dataSource().getConnection()) {
      return ((SessionLocal) c.unwrap(JdbcConnection.class).getSession()).getDatabase();
    }
  }

  /** Prepares a statement, releases it and prepares it again: whether the same one came back. */
  private static boolean reusedAfterRelease(String statement) throws Exception {
    PreparedStatements statements = PreparedStatements.keepingH2sUncachedQueries();
    try (Connection connection = newDatabase()) {
      PreparedStatement first = statements.prepare(connection, statement);
      statements.release(connection, statement, first);
      return statements.prepare(connection, statement) == first;
    }
  }

  private static Connection newDatabase() throws Exception {
    Connection connection =
        DriverManager.getConnection("jdbc:h2:mem:kept-" + UUID.randomUUID(), "sa", "");
    connection.createStatement().execute("CREATE TABLE probe (id INT PRIMARY KEY)");
    connection.createStatement().execute("INSERT INTO probe VALUES (1)");
    return connection;
  }
}
