package dev.kiln.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A pool of two connections, one of them held by another caller throughout (Flyway needs two to
 * migrate a new database, so the pool cannot be smaller): work that holds the connection while it calls other database work
 * (another service's transactions and statements) must finish on that one connection, and a caller
 * that finds no connection free in time gets an UNAVAILABLE store error (a 503), not a stall.
 */
class ConnectionPoolTest {
  private Database database;
  private final CountDownLatch holding = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private Thread holder;

  @BeforeEach
  void open() {
    System.setProperty("kiln.db.pool-size", "2");
    System.setProperty("kiln.db.pool-wait-ms", "300");
    try {
      database = Database.inMemory("pool-test-" + UUID.randomUUID());
    } finally {
      System.clearProperty("kiln.db.pool-size");
      System.clearProperty("kiln.db.pool-wait-ms");
    }
    database.sql().update("CREATE TABLE pool_test_item (id VARCHAR(64) PRIMARY KEY)");
    holder = Thread.ofVirtual().start(() -> database.inTransaction(sql -> {
      holding.countDown();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    }));
    try {
      assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  @AfterEach
  void close() throws InterruptedException {
    release.countDown();
    holder.join();
    database.close();
  }

  @Test
  void nestedWorkOfAJoinedTransactionRunsOnItsConnection() {
    database.inTransactionJoinedByNestedWork(
        sql -> {
          sql.update("INSERT INTO pool_test_item VALUES ('outer')");
          // What another service does when called here: a statement, and a transaction of its own.
          database.sql().update("INSERT INTO pool_test_item VALUES ('statement')");
          return database.inTransaction(inner -> inner.update("INSERT INTO pool_test_item VALUES ('inner')"));
        });

    assertThat(ids()).containsExactlyInAnyOrder("outer", "statement", "inner");
  }

  @Test
  void nestedTransactionThatFailsIsUndoneAloneAndTheOuterCommits() {
    database.inTransactionJoinedByNestedWork(
        sql -> {
          sql.update("INSERT INTO pool_test_item VALUES ('outer')");
          assertThatThrownBy(
                  () ->
                      database.inTransaction(
                          inner -> {
                            inner.update("INSERT INTO pool_test_item VALUES ('inner')");
                            throw new IllegalStateException("refused");
                          }))
              .hasMessage("refused");
          return null;
        });

    assertThat(ids()).containsExactly("outer");
  }

  @Test
  void nestedWorkThatFailsIsUndoneToItsOwnSavepointAtAnyDepthAndItsSiblingsStay() {
    database.inTransactionJoinedByNestedWork(
        sql -> {
          sql.update("INSERT INTO pool_test_item VALUES ('outer')");
          database.inTransaction(a -> {
            a.update("INSERT INTO pool_test_item VALUES ('a1')");
            failing("b");
            a.update("INSERT INTO pool_test_item VALUES ('a2')");
            return null;
          });
          // The same depth again: its savepoint's name comes back, and undoing this work undoes no
          // more than its own.
          failing("c");
          database.inTransaction(d -> {
            failing("e");
            return d.update("INSERT INTO pool_test_item VALUES ('d')");
          });
          return null;
        });

    assertThat(ids()).containsExactlyInAnyOrder("outer", "a1", "a2", "d");
  }

  /** Nested work that inserts {@code id} and then throws; the throw is caught here. */
  private void failing(String id) {
    assertThatThrownBy(
            () ->
                database.inTransaction(
                    inner -> {
                      inner.update("INSERT INTO pool_test_item VALUES ('" + id + "')");
                      throw new IllegalStateException("refused " + id);
                    }))
        .hasMessage("refused " + id);
  }

  @Test
  void outerRollbackTakesTheNestedWorkWithIt() {
    assertThatThrownBy(
            () ->
                database.inTransactionJoinedByNestedWork(
                    sql -> {
                      database.inTransaction(inner -> inner.update("INSERT INTO pool_test_item VALUES ('inner')"));
                      database.sql().update("INSERT INTO pool_test_item VALUES ('statement')");
                      throw new IllegalStateException("outer failed");
                    }))
        .hasMessage("outer failed");

    assertThat(ids()).isEmpty();
  }

  @Test
  void theJoinEndsWithTheTransaction() {
    database.inTransactionJoinedByNestedWork(sql -> sql.update("INSERT INTO pool_test_item VALUES ('a')"));

    // Later work on the same thread takes the pool's connection again (it would find none free if
    // the finished transaction's connection were still lent out).
    database.inTransaction(sql -> sql.update("INSERT INTO pool_test_item VALUES ('b')"));
    assertThat(ids()).containsExactlyInAnyOrder("a", "b");
  }

  @Test
  void noConnectionFreeInTimeIsUnavailable() {
    database.inTransaction(
        sql -> {
          // Both connections are held now (this one and the other caller's).
          assertThatThrownBy(() -> database.sql().count("SELECT COUNT(*) FROM pool_test_item"))
              .isInstanceOfSatisfying(
                  StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.UNAVAILABLE));
          return null;
        });
  }

  private java.util.List<String> ids() {
    return database.sql().query("SELECT id FROM pool_test_item", row -> row.getString("id"));
  }
}
