package dev.kiln.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.h2.engine.SessionLocal;
import org.h2.index.Index;
import org.h2.jdbc.JdbcConnection;
import org.h2.table.IndexColumn;
import org.h2.table.Table;

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
   *
   * <p>Read from H2's own table object, not its information schema: a trigger asks on a table's
   * first change, inside the statement that holds the changed row's lock, and the information
   * schema's three-way join took 4 to 5 ms per table on an idle machine (H2 builds those views on
   * every read). Under load that put whole seconds into the first transactions of a new process,
   * and a Heat stack's parallel creates, queued behind one holding their project's quota row, met
   * H2's 2 s lock timeout.
   */
  static int[] primaryKey(Connection connection, String table) throws SQLException {
    SessionLocal session = (SessionLocal) connection.unwrap(JdbcConnection.class).getSession();
    Table found = session.getDatabase().getSchema(session.getCurrentSchemaName()).findTableOrView(session, table);
    Index key = found == null ? null : found.findPrimaryKey();
    if (key == null) {
      throw new SQLException(
          "table " + table + " has no primary key, which the redo log needs to replay its rows");
    }
    IndexColumn[] columns = key.getIndexColumns();
    int[] positions = new int[columns.length];
    for (int i = 0; i < columns.length; i++) {
      positions[i] = columns[i].column.getColumnId();
    }
    return positions;
  }
}
