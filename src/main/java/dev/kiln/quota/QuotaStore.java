package dev.kiln.quota;

import static java.util.Objects.requireNonNull;

import dev.kiln.store.Sql;
import java.util.LinkedHashMap;
import java.util.Map;

/** The SQL of a service's {@link QuotaTables}; the caller decides the transaction. */
public final class QuotaStore {
  private final Sql sql;
  private final QuotaTables tables;

  public QuotaStore(Sql sql, QuotaTables tables) {
    this.sql = requireNonNull(sql, "sql is null");
    this.tables = requireNonNull(tables, "tables is null");
  }

  /**
   * Locks the owner's row until the transaction ends, creating it first if there is none, so that
   * the reservations and limit changes of one owner count usage one at a time.
   */
  public void lock(String owner) {
    if (tables.lockTable() == null) {
      throw new IllegalStateException(tables.limitTable() + " has no lock table: its service locks its own row");
    }
    // The row exists after the owner's first reservation: lock it in one statement. Only the
    // first time is it inserted, and then locked. (Inserting every time with ON CONFLICT DO
    // NOTHING cost a statement more, and H2 carries out that clause by building and catching a
    // duplicate-key exception inside each insert.)
    if (lockRow(owner)) {
      return;
    }
    // ON CONFLICT DO NOTHING without a target works on PostgreSQL and in H2's PostgreSQL mode; a
    // concurrent first insert waits for the other one instead of failing the transaction.
    sql.update(
        "INSERT INTO " + tables.lockTable() + " (" + tables.lockColumn() + ") VALUES (?) ON CONFLICT DO NOTHING", owner);
    if (!lockRow(owner)) {
      throw new IllegalStateException("quota lock row of " + owner + " vanished");
    }
  }

  private boolean lockRow(String owner) {
    return sql.queryOne(
            "SELECT " + tables.lockColumn() + " FROM " + tables.lockTable() + " WHERE " + tables.lockColumn()
                + " = ? FOR UPDATE",
            row -> row.getString(tables.lockColumn()),
            owner)
        .isPresent();
  }

  /** The limits set for an owner, by resource; resources without a row have the default. */
  public Map<String, Long> limits(String owner) {
    Map<String, Long> limits = new LinkedHashMap<>();
    sql.query(
        "SELECT resource, hard_limit FROM " + tables.limitTable() + " WHERE " + tables.ownerColumn()
            + " = ? ORDER BY resource",
        row -> limits.put(row.getString("resource"), row.getLong("hard_limit")),
        owner);
    return limits;
  }

  /** Every owner's set limits, by owner and resource. */
  public Map<String, Map<String, Long>> allLimits() {
    Map<String, Map<String, Long>> all = new LinkedHashMap<>();
    sql.query(
        "SELECT " + tables.ownerColumn() + " AS owner, resource, hard_limit FROM " + tables.limitTable()
            + " ORDER BY " + tables.ownerColumn() + ", resource",
        row ->
            all.computeIfAbsent(row.getString("owner"), p -> new LinkedHashMap<>())
                .put(row.getString("resource"), row.getLong("hard_limit")));
    return all;
  }

  /** Sets one limit; callers hold the owner's {@link #lock}, so update-then-insert cannot collide. */
  public void putLimit(String owner, String resource, long limit) {
    if (sql.update(
            "UPDATE " + tables.limitTable() + " SET hard_limit = ? WHERE " + tables.ownerColumn()
                + " = ? AND resource = ?",
            limit, owner, resource)
        == 0) {
      sql.update(
          "INSERT INTO " + tables.limitTable() + " (" + tables.ownerColumn() + ", resource, hard_limit) VALUES (?, ?, ?)",
          owner, resource, limit);
    }
  }

  /** Forgets every limit set for the owner: it has the defaults again. */
  public int deleteLimits(String owner) {
    return sql.update("DELETE FROM " + tables.limitTable() + " WHERE " + tables.ownerColumn() + " = ?", owner);
  }
}
