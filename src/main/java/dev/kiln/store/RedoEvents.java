package dev.kiln.store;

import java.util.ArrayList;
import java.util.List;

/**
 * The rows one transaction changed, in the order it changed them, as {@link RedoTrigger} saw
 * them: what the {@link RedoLog} writes when the transaction commits.
 *
 * <p>A statement that fails has changed nothing (H2 undoes it whole), and neither has work rolled
 * back to a savepoint, so their rows are dropped here too: each statement runs between {@link
 * #beginStatement} and {@link Statement#end}, and is {@linkplain Statement#undo undone} when it
 * throws; a savepoint is a {@link #mark} to {@linkplain #undoTo undo to}.
 */
final class RedoEvents {
  /**
   * The transaction whose statement runs on this thread now. H2 fires a row trigger on the thread
   * that runs the statement, and a thread runs one statement at a time, so this finds the right
   * transaction even when a thread holds several open ones.
   */
  private static final ThreadLocal<RedoEvents> CAPTURING = new ThreadLocal<>();

  /**
   * One row change: {@code newRow} the row's values now, null when it was deleted; {@code oldRow}
   * the key it had (only its primary key's columns set) when it was deleted or its key changed,
   * else null.
   */
  record RowChange(String table, Object[] oldRow, Object[] newRow) {}

  private final List<RowChange> changes = new ArrayList<>();
  private boolean poisoned;
  private boolean unlogged;

  /** Whether a statement of a logged transaction runs on this thread. */
  static boolean capturing() {
    return CAPTURING.get() != null;
  }

  /** Hands a changed row to the transaction whose statement runs on this thread, if any. */
  static void capture(String table, Object[] oldRow, Object[] newRow) {
    RedoEvents events = CAPTURING.get();
    if (events != null) {
      events.changes.add(new RowChange(table, oldRow, newRow));
    }
  }

  /** A statement running for this transaction on this thread. */
  final class Statement {
    private final int mark;
    private final RedoEvents outer;

    private Statement(int mark, RedoEvents outer) {
      this.mark = mark;
      this.outer = outer;
    }

    /**
     * The statement is done; if it changed rows but no trigger saw them (a table made after the
     * start, which has no trigger yet), the transaction must be forced into H2's file itself.
     */
    void checkLogged(boolean changedRows) {
      if (changedRows && changes.size() == mark) {
        unlogged = true;
      }
    }

    /** The statement failed: H2 undid its changes, so they are forgotten. */
    void undo() {
      undoTo(mark);
    }

    /** The statement is over: later row changes on this thread are not this transaction's. */
    void end() {
      if (outer == null) {
        CAPTURING.remove();
      } else {
        CAPTURING.set(outer);
      }
    }
  }

  /** Starts capturing a statement's row changes on this thread. */
  Statement beginStatement() {
    RedoEvents outer = CAPTURING.get();
    CAPTURING.set(this);
    return new Statement(changes.size(), outer);
  }

  /** Where a savepoint stands in this transaction's changes. */
  int mark() {
    return changes.size();
  }

  /** Forgets the changes made since {@code mark} (a rollback to a savepoint). */
  void undoTo(int mark) {
    changes.subList(mark, changes.size()).clear();
  }

  /** Something changed rows this cannot describe: the transaction may only roll back. */
  void poison() {
    poisoned = true;
  }

  boolean poisoned() {
    return poisoned;
  }

  /** Whether a statement changed rows of a table the log does not see. */
  boolean unlogged() {
    return unlogged;
  }

  boolean isEmpty() {
    return changes.isEmpty();
  }

  List<RowChange> changes() {
    return changes;
  }

  /** Forgets every change: the transaction committed or rolled back. */
  void clear() {
    changes.clear();
    unlogged = false;
  }
}
