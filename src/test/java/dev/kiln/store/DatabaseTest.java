package dev.kiln.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every store relies on, checked on each database Kiln runs on (one subclass each). */
abstract class DatabaseTest {
  private Database database;

  /** Opens a new, empty database of the kind under test. */
  protected abstract Database openNewDatabase();

  @BeforeEach
  void open() {
    database = openNewDatabase();
    database
        .sql()
        .update(
            "CREATE TABLE store_test_item (id VARCHAR(64) PRIMARY KEY,"
                + " name VARCHAR(64) NOT NULL UNIQUE)");
  }

  @AfterEach
  void close() {
    if (database != null) { // null when no database could be had (or PostgreSQL is skipped)
      database.close();
    }
  }

  @Test
  void migrationsApply() {
    var versions =
        database
            .sql()
            .query(
                "SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL"
                    + " ORDER BY installed_rank",
                row -> row.getString("version"));
    // A new database starts from the B83 baseline (V1..V83 in one script), then runs what follows.
    assertThat(versions).first().isEqualTo("83");
    assertThat(database.sql().count("SELECT COUNT(*) FROM identity_domain")).isZero();
    assertThat(database.sql().count("SELECT COUNT(*) FROM task")).isZero();
  }

  @Test
  void inTransactionCommitsWhenWorkReturns() {
    database.inTransaction(sql -> sql.update("INSERT INTO store_test_item VALUES ('1', 'a')"));

    assertThat(itemCount()).isEqualTo(1);
  }

  @Test
  void inTransactionRollsBackOnException() {
    assertThatThrownBy(
            () ->
                database.inTransaction(
                    sql -> {
                      sql.update("INSERT INTO store_test_item VALUES ('1', 'a')");
                      throw new IllegalStateException("boom");
                    }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("boom");

    assertThat(itemCount()).isZero();
  }

  @Test
  void failedStatementRollsBackTheWholeTransaction() {
    assertThatThrownBy(
            () ->
                database.inTransaction(
                    sql -> {
                      sql.update("INSERT INTO store_test_item VALUES ('1', 'a')");
                      return sql.update("INSERT INTO store_test_item VALUES ('2', 'a')");
                    }))
        .isInstanceOf(StoreException.class);

    assertThat(itemCount()).isZero();
  }

  @Test
  void uniqueViolationIsDuplicate() {
    database.sql().update("INSERT INTO store_test_item VALUES ('1', 'a')");

    assertDuplicate(() -> database.sql().update("INSERT INTO store_test_item VALUES ('2', 'a')"));
    assertDuplicate(() -> database.sql().update("INSERT INTO store_test_item VALUES ('1', 'b')"));
  }

  private static void assertDuplicate(ThrowingCallable statement) {
    assertThatThrownBy(statement)
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.DUPLICATE));
  }

  private long itemCount() {
    return database.sql().count("SELECT COUNT(*) FROM store_test_item");
  }
}
