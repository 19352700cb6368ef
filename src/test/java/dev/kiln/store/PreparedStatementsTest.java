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
    PreparedStatements statements = PreparedStatements.keepingShortStatements();
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
  void aPlainQueryIsPreparedOnceOnItsConnection() throws Exception {
    assertThat(reusedAfterRelease("SELECT id FROM probe WHERE id = ?")).isTrue();
  }

  @Test
  void aLongQueryIsNotKept() throws Exception {
    String longList = Sql.placeholders(PreparedStatements.KeptStatements.LONGEST_KEPT / 3);
    assertThat(reusedAfterRelease("SELECT id FROM probe WHERE id IN " + longList)).isFalse();
  }

  @Test
  void theLeastRecentlyUsedStatementMakesRoomAndIsClosed() throws Exception {
    PreparedStatements.KeptStatements statements = new PreparedStatements.KeptStatements();
    try (Connection connection = newDatabase()) {
      String first = "SELECT id FROM probe WHERE id = 0";
      PreparedStatement eldest = statements.prepare(connection, first);
      statements.release(connection, first, eldest);
      String recent = "SELECT id FROM probe WHERE id = 1";
      PreparedStatement used = statements.prepare(connection, recent);
      statements.release(connection, recent, used);
      // The first one used again: the second is now the least recently used.
      statements.release(connection, first, statements.prepare(connection, first));
      for (int i = 2; i < PreparedStatements.KeptStatements.PER_CONNECTION; i++) {
        String other = "SELECT id FROM probe WHERE id = " + i;
        statements.release(connection, other, statements.prepare(connection, other));
      }
      assertThat(statements.keptFor(connection)).isEqualTo(PreparedStatements.KeptStatements.PER_CONNECTION);
      assertThat(used.isClosed()).isFalse();

      String oneMore = "SELECT id FROM probe WHERE id = -1";
      statements.release(connection, oneMore, statements.prepare(connection, oneMore));

      assertThat(statements.keptFor(connection)).isEqualTo(PreparedStatements.KeptStatements.PER_CONNECTION);
      assertThat(used.isClosed()).as("the least recently used one").isTrue();
      assertThat(eldest.isClosed()).as("used since").isFalse();
      assertThat(statements.prepare(connection, first)).isSameAs(eldest);
    }
  }

  @Test
  void aKeptStatementSeesRowsChangedSinceItsLastRun() throws Exception {
    PreparedStatements statements = PreparedStatements.keepingShortStatements();
    String count = "SELECT COUNT(*) FROM probe";
    try (Connection connection = newDatabase();
        Connection other = DriverManager.getConnection(url(connection), "sa", "")) {
      assertThat(countWith(statements, connection, count)).isEqualTo(1);
      other.createStatement().execute("INSERT INTO probe VALUES (2)");
      assertThat(countWith(statements, connection, count)).isEqualTo(2);
      connection.setAutoCommit(false);
      connection.createStatement().execute("INSERT INTO probe VALUES (3)");
      assertThat(countWith(statements, connection, count)).as("its own transaction's row").isEqualTo(3);
      connection.rollback();
      assertThat(countWith(statements, connection, count)).isEqualTo(2);
    }
  }

  @Test
  void aLockingQueryInUseIsNotLentTwice() throws Exception {
    PreparedStatements statements = PreparedStatements.keepingShortStatements();
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
    PreparedStatements.KeptStatements statements = new PreparedStatements.KeptStatements();
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
    PreparedStatements statements = PreparedStatements.keepingShortStatements();
    try (Connection connection = newDatabase()) {
      PreparedStatement first = statements.prepare(connection, statement);
      statements.release(connection, statement, first);
      return statements.prepare(connection, statement) == first;
    }
  }

  private static long countWith(PreparedStatements statements, Connection connection, String query) throws Exception {
    PreparedStatement prepared = statements.prepare(connection, query);
    try (ResultSet rs = prepared.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } finally {
      statements.release(connection, query, prepared);
    }
  }

  private static String url(Connection connection) throws Exception {
    return connection.getMetaData().getURL();
  }

  private static Connection newDatabase() throws Exception {
    Connection connection =
        DriverManager.getConnection("jdbc:h2:mem:kept-" + UUID.randomUUID() + ";QUERY_CACHE_SIZE=0", "sa", "");
    connection.createStatement().execute("CREATE TABLE probe (id INT PRIMARY KEY)");
    connection.createStatement().execute("INSERT INTO probe VALUES (1)");
    return connection;
  }
}
