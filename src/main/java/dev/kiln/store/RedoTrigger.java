package dev.kiln.store;

import java.sql.Connection;
import java.sql.SQLException;
import org.h2.api.Trigger;

/**
 * H2's row trigger on every table of the embedded file: hands each inserted, updated or deleted
 * row to the statement that changed it (see {@link RedoEvents}), for the {@link RedoLog}.
 *
 * <p>Why a trigger: it is H2's one supported way to see a row change as it happens, cascaded
 * deletes included, with the row's values. A replay needs a row's new values, and of a row that
 * is gone or got a new primary key, only the old key: a deleted row is logged as its key alone
 * (deleting a 100 MB object's chunks must not log 100 MB), and an update's old row not at all
 * when its key stayed.
 */
public final class RedoTrigger implements Trigger {
  private String table;
  /** The primary key's column positions, read on the first change that needs them. */
  private volatile int[] key;

  /** H2 makes triggers with this constructor. */
  public RedoTrigger() {}

  @Override
  public void init(
      Connection connection, String schema, String trigger, String table, boolean before, int type) {
    this.table = table;
  }

  @Override
  public void fire(Connection connection, Object[] oldRow, Object[] newRow) throws SQLException {
    if (!RedoEvents.capturing()) {
      return;
    }
    Object[] oldKey = null;
    if (oldRow != null) {
      int[] columns = key(connection);
      if (newRow == null || !sameKey(columns, oldRow, newRow)) {
        oldKey = new Object[oldRow.length];
        for (int column : columns) {
          oldKey[column] = oldRow[column];
        }
      }
    }
    RedoEvents.capture(table, oldKey, newRow);
  }

  private static boolean sameKey(int[] columns, Object[] oldRow, Object[] newRow) {
    for (int column : columns) {
      if (!java.util.Objects.deepEquals(oldRow[column], newRow[column])) {
        return false;
      }
    }
    return true;
  }

  private int[] key(Connection connection) throws SQLException {
    int[] known = key;
    if (known != null) {
      return known;
    }
    known = RedoTriggers.primaryKey(connection, table);
    key = known;
    return known;
  }
}
