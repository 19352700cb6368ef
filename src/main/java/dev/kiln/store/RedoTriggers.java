package dev.kiln.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Gives every table of the embedded file the {@link RedoTrigger} that logs its row changes. */
final class RedoTriggers {
  static final String PREFIX = "kiln_redo_";

  /** Tables whose writes are not Kiln's data: Flyway's history, and the log's own bookkeeping. */
  private static final String UNLOGGED = "('flyway_schema_history', '" + RedoLog.STATE + "')";

  private RedoTriggers() {}

  /**
   * Adds the trigger to each table that lacks it (new tables, a new or upgraded file). Tables and
   * triggers are read in one query each: H2 builds its information schema's views on every read,
   * so a subquery per table took 18 ms of the start.
   */
  static void install(Connection connection) throws SQLException {
    java.util.Set<String> triggers = new java.util.HashSet<>();
    List<String> missing = new ArrayList<>();
    try (Statement statement = connection.createStatement()) {
      try (ResultSet rs =
          statement.executeQuery(
              "SELECT trigger_name FROM information_schema.triggers WHERE trigger_schema = 'public'")) {
        while (rs.next()) {
          triggers.add(rs.getString(1));
        }
      }
      try (ResultSet rs =
          statement.executeQuery(
              "SELECT table_name FROM information_schema.tables"
                  + " WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
                  + " AND table_name NOT IN " + UNLOGGED)) {
        while (rs.next()) {
          if (!triggers.contains(PREFIX + rs.getString(1))) {
            missing.add(rs.getString(1));
          }
        }
      }
      for (String table : missing) {
        statement.execute(
            "CREATE TRIGGER " + PREFIX + table + " AFTER INSERT, UPDATE, DELETE ON " + table
                + " FOR EACH ROW CALL '" + RedoTrigger.class.getName() + "'");
      }
    }
  }

  /**
   * The positions (from 0, in the table's column order) of {@code table}'s primary key columns, in
   * the key's order; refused for a table without one, whose rows a replay could not find again.
   */
  static int[] primaryKey(Connection connection, String table) throws SQLException {
    List<Integer> positions = new ArrayList<>();
    try (java.sql.PreparedStatement ps =
        connection.prepareStatement(
            "SELECT c.ordinal_position FROM information_schema.table_constraints t"
                + " JOIN information_schema.key_column_usage k"
                + " ON k.constraint_schema = t.constraint_schema AND k.constraint_name = t.constraint_name"
                + " JOIN information_schema.columns c ON c.table_schema = k.table_schema"
                + " AND c.table_name = k.table_name AND c.column_name = k.column_name"
                + " WHERE t.table_schema = 'public' AND t.table_name = ?"
                + " AND t.constraint_type = 'PRIMARY KEY' ORDER BY k.ordinal_position")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          positions.add(rs.getInt(1) - 1);
        }
      }
    }
    if (positions.isEmpty()) {
      throw new SQLException(
          "table " + table + " has no primary key, which the redo log needs to replay its rows");
    }
    return positions.stream().mapToInt(Integer::intValue).toArray();
  }
}
