package dev.kiln.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts back, after a crash, the commits the redo log holds and H2's file lacks.
 *
 * <p>Which commits: those numbered after the last checkpoint's (H2 writes its file only at
 * checkpoints, with no transaction open: {@link QuiescentGate}), and not marked aborted. The file
 * therefore holds exactly the commits up to the checkpoint's number; the later ones are replayed
 * in the order their row locks allowed. A record the file holds already (a crash after H2's write
 * and before the covered files were deleted) is harmless: each row takes its last logged values.
 *
 * <p>How: for each row the missing commits touched, the last of them decides what it is now (its
 * new values, or gone). Each such row is deleted, then the surviving ones are inserted with their
 * final values, with foreign keys unchecked while that runs: every state on the way holds a subset
 * of the final rows, so no unique key can clash, and the final state is one the running Kiln had.
 * Identity columns then restart past every value the log saw, so no number is handed out twice.
 */
final class RedoReplay {
  private static final Logger LOG = LoggerFactory.getLogger(RedoReplay.class);
  private static final Object[] GONE = new Object[0];

  private RedoReplay() {}

  /** What replay needs to know of a table: its columns in order, key and identity columns. */
  private record TableShape(List<String> columns, int[] key, List<Integer> identities) {
    List<Object> keyOf(Object[] row) {
      List<Object> values = new ArrayList<>(key.length);
      for (int index : key) {
        values.add(row[index]);
      }
      return values;
    }
  }

  private record RowKey(String table, List<Object> key) {}

  /**
   * Replays the commits among {@code entries} (in log order) numbered after {@code covered} and
   * returns the highest record number seen, 0 for none.
   */
  static long replay(Connection connection, List<RedoRecords.Entry> entries, long covered)
      throws SQLException {
    if (entries.isEmpty()) {
      return 0;
    }
    long maxSeq = 0;
    Set<Long> aborted = new HashSet<>();
    for (RedoRecords.Entry entry : entries) {
      maxSeq = Math.max(maxSeq, entry.seq());
      if (entry.aborted()) {
        aborted.add(entry.seq());
      }
    }
    Map<String, TableShape> shapes = new HashMap<>();
    Map<RowKey, Object[]> finals = new LinkedHashMap<>();
    Map<String, long[]> identityMax = new HashMap<>();
    List<Long> replayed = new ArrayList<>();
    for (RedoRecords.Entry entry : entries) {
      if (entry.aborted()) {
        continue;
      }
      boolean missing = !aborted.contains(entry.seq()) && entry.seq() > covered;
      for (RedoEvents.RowChange change : entry.changes()) {
        TableShape shape = shapes.computeIfAbsent(change.table(), table -> shape(connection, table));
        noteIdentities(change, shape, identityMax);
        if (!missing) {
          continue;
        }
        if (change.oldRow() != null) {
          RowKey old = new RowKey(change.table(), shape.keyOf(change.oldRow()));
          if (change.newRow() == null || !old.key().equals(shape.keyOf(change.newRow()))) {
            finals.put(old, GONE);
          }
        }
        if (change.newRow() != null) {
          finals.put(new RowKey(change.table(), shape.keyOf(change.newRow())), change.newRow());
        }
      }
      if (missing) {
        replayed.add(entry.seq());
      }
    }
    if (!replayed.isEmpty()) {
      apply(connection, shapes, finals);
      LOG.info(
          "Replayed {} commits ({} rows) from the redo log that the database file did not hold yet",
          replayed.size(),
          finals.size());
    }
    restartIdentities(connection, shapes, identityMax);
    return maxSeq;
  }

  private static void apply(
      Connection connection,
      Map<String, TableShape> shapes,
      Map<RowKey, Object[]> finals)
      throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("SET REFERENTIAL_INTEGRITY FALSE");
      connection.setAutoCommit(false);
      try {
        for (RowKey row : finals.keySet()) {
          TableShape shape = shapes.get(row.table());
          try (PreparedStatement delete = connection.prepareStatement(deleteSql(row.table(), shape))) {
            bind(delete, row.key().toArray());
            delete.executeUpdate();
          }
        }
        for (Map.Entry<RowKey, Object[]> row : finals.entrySet()) {
          if (row.getValue() == GONE) {
            continue;
          }
          TableShape shape = shapes.get(row.getKey().table());
          try (PreparedStatement insert =
              connection.prepareStatement(insertSql(row.getKey().table(), shape))) {
            bind(insert, row.getValue());
            insert.executeUpdate();
          }
        }
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
        statement.execute("SET REFERENTIAL_INTEGRITY TRUE");
      }
    }
  }

  private static void noteIdentities(
      RedoEvents.RowChange change, TableShape shape, Map<String, long[]> identityMax) {
    for (int column : shape.identities()) {
      for (Object[] row : Arrays.asList(change.oldRow(), change.newRow())) {
        if (row != null && row[column] instanceof Number number) {
          String name = change.table() + "." + shape.columns().get(column);
          long[] max = identityMax.computeIfAbsent(name, n -> new long[] {Long.MIN_VALUE});
          max[0] = Math.max(max[0], number.longValue());
        }
      }
    }
  }

  /** Restarts each identity column the log saw past the highest value it saw, if not past it yet. */
  private static void restartIdentities(
      Connection connection, Map<String, TableShape> shapes, Map<String, long[]> identityMax)
      throws SQLException {
    for (Map.Entry<String, long[]> seen : identityMax.entrySet()) {
      String table = seen.getKey().substring(0, seen.getKey().indexOf('.'));
      String column = seen.getKey().substring(seen.getKey().indexOf('.') + 1);
      long base;
      try (PreparedStatement ps =
          connection.prepareStatement(
              "SELECT identity_base FROM information_schema.columns"
                  + " WHERE table_schema = 'public' AND table_name = ? AND column_name = ?")) {
        ps.setString(1, table);
        ps.setString(2, column);
        try (ResultSet rs = ps.executeQuery()) {
          base = rs.next() ? rs.getLong(1) : Long.MAX_VALUE;
        }
      }
      if (base <= seen.getValue()[0]) {
        try (Statement statement = connection.createStatement()) {
          statement.execute(
              "ALTER TABLE " + quoted(table) + " ALTER COLUMN " + quoted(column) + " RESTART WITH "
                  + (seen.getValue()[0] + 1));
        }
      }
    }
  }

  private static TableShape shape(Connection connection, String table) {
    try {
      List<String> columns = new ArrayList<>();
      List<Integer> identities = new ArrayList<>();
      try (PreparedStatement ps =
          connection.prepareStatement(
              "SELECT column_name, is_identity FROM information_schema.columns"
                  + " WHERE table_schema = 'public' AND table_name = ? ORDER BY ordinal_position")) {
        ps.setString(1, table);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            columns.add(rs.getString(1));
            if ("YES".equals(rs.getString(2))) {
              identities.add(columns.size() - 1);
            }
          }
        }
      }
      if (columns.isEmpty()) {
        throw new IllegalStateException(
            "the redo log holds rows of table " + table + ", which this database does not have");
      }
      int[] key = RedoTriggers.primaryKey(connection, table);
      return new TableShape(columns, key, identities);
    } catch (SQLException e) {
      throw StoreException.from(e);
    }
  }

  private static String deleteSql(String table, TableShape shape) {
    StringBuilder sql = new StringBuilder("DELETE FROM ").append(quoted(table)).append(" WHERE ");
    for (int i = 0; i < shape.key().length; i++) {
      sql.append(i == 0 ? "" : " AND ").append(quoted(shape.columns().get(shape.key()[i]))).append(" = ?");
    }
    return sql.toString();
  }

  private static String insertSql(String table, TableShape shape) {
    return "INSERT INTO " + quoted(table) + " ("
        + String.join(", ", shape.columns().stream().map(RedoReplay::quoted).toList()) + ") VALUES "
        + Sql.placeholders(shape.columns().size());
  }

  /** Names as H2 keeps them (lower case), quoted, so that a column named like a keyword works. */
  private static String quoted(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  private static void bind(PreparedStatement ps, Object[] values) throws SQLException {
    for (int i = 0; i < values.length; i++) {
      ps.setObject(i + 1, values[i]);
    }
  }
}
