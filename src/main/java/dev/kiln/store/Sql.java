package dev.kiln.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Plain parameterised SQL over JDBC: just enough to keep statements readable and to turn driver
 * errors into {@link StoreException}s. Each store class writes its own SQL against its own
 * tables.
 */
public final class Sql {
  private final ConnectionSource source;
  /** Where queries get their connection: {@link #source}, unless changes need one set up for them. */
  private final ConnectionSource readSource;
  private final AfterChange afterChange;
  private final PreparedStatements statements;

  Sql(ConnectionSource source, AfterChange afterChange, PreparedStatements statements) {
    this(source, source, afterChange, statements);
  }

  /**
   * Statements that may change rows borrow from {@code source}, queries from {@code readSource}
   * (outside a transaction, a query needs no transaction of its own to be checked or logged).
   */
  Sql(
      ConnectionSource source,
      ConnectionSource readSource,
      AfterChange afterChange,
      PreparedStatements statements) {
    this.source = source;
    this.readSource = readSource;
    this.afterChange = afterChange;
    this.statements = statements;
  }

  Sql(ConnectionSource source, AfterChange afterChange) {
    this(source, afterChange, PreparedStatements.EACH_TIME);
  }

  /** Runs an INSERT, UPDATE or DELETE and returns how many rows it changed. */
  public int update(String statement, Object... args) {
    StatementCount.one();
    try (Borrowed b = source.borrow()) {
      PreparedStatement ps = statements.prepare(b.connection(), statement);
      int changed;
      try {
        bind(ps, args);
        changed = b.logged(ps::executeUpdate, n -> n > 0);
      } finally {
        statements.release(b.connection(), statement, ps);
      }
      if (changed > 0) {
        afterChange.changed(b.connection(), b.events());
        b.endCommitted();
      } else {
        b.endRead(); // nothing changed: nothing to undo either
      }
      return changed;
    } catch (SQLException e) {
      throw StoreException.from(e);
    }
  }

  /**
   * Runs one INSERT, UPDATE or DELETE for each row of arguments as a single JDBC batch: one round
   * trip for many rows, which is what makes writing a thousand rows in one transaction cheap.
   *
   * @return how many rows each execution changed, in order
   */
  public int[] batch(String statement, List<Object[]> rows) {
    if (rows.isEmpty()) {
      return new int[0];
    }
    StatementCount.one();
    try (Borrowed b = source.borrow()) {
      PreparedStatement ps = statements.prepare(b.connection(), statement);
      int[] changed;
      try {
        for (Object[] args : rows) {
          bind(ps, args);
          ps.addBatch();
        }
        changed = b.loggedBatch(ps::executeBatch, Sql::mayHaveChanged);
      } catch (SQLException | RuntimeException e) {
        ps.close(); // its batch may not have been emptied: not kept
        throw e;
      } finally {
        statements.release(b.connection(), statement, ps);
      }
      if (mayHaveChanged(changed)) {
        afterChange.changed(b.connection(), b.events());
        b.endCommitted();
      } else {
        b.endRead();
      }
      return changed;
    } catch (SQLException e) {
      throw StoreException.from(e);
    }
  }

  /** Whether a batch's counts say rows may have changed: a count, or SUCCESS_NO_INFO. */
  private static boolean mayHaveChanged(int[] counts) {
    return java.util.Arrays.stream(counts).anyMatch(n -> n != 0);
  }

  public <T> List<T> query(String statement, RowMapper<T> mapper, Object... args) {
    StatementCount.one();
    try (Borrowed b = readSource.borrow()) {
      PreparedStatement ps = statements.prepare(b.connection(), statement);
      List<T> rows = new ArrayList<>();
      try {
        bind(ps, args);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rows.add(mapper.map(new Row(rs)));
          }
        }
      } finally {
        statements.release(b.connection(), statement, ps);
      }
      b.endRead();
      return rows;
    } catch (SQLException e) {
      throw StoreException.from(e);
    }
  }

  public <T> Optional<T> queryOne(String statement, RowMapper<T> mapper, Object... args) {
    List<T> rows = query(statement, mapper, args);
    if (rows.size() > 1) {
      throw new StoreException(
          StoreException.Kind.OTHER, "expected at most one row, got " + rows.size(), null);
    }
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
  }

  public long count(String statement, Object... args) {
    return queryOne(statement, row -> row.getLong(1), args).orElse(0L);
  }

  /**
   * The IN lists of up to a page's length, made once: a port create builds one for the network's
   * subnets, and building it each time was 2% of that call's samples in a flight recording.
   */
  private static final String[] SHORT_PLACEHOLDERS =
      java.util.stream.IntStream.rangeClosed(0, 128).mapToObj(n -> n == 0 ? "" : joinedPlaceholders(n))
          .toArray(String[]::new);

  /** {@code (?, ?, ?)} for an {@code IN} list of {@code n} parameters. */
  public static String placeholders(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("an IN list needs at least one value");
    }
    return n < SHORT_PLACEHOLDERS.length ? SHORT_PLACEHOLDERS[n] : joinedPlaceholders(n);
  }

  private static String joinedPlaceholders(int n) {
    return "(" + String.join(", ", java.util.Collections.nCopies(n, "?")) + ")";
  }

  private static void bind(PreparedStatement ps, Object[] args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      ps.setObject(i + 1, toJdbc(args[i]));
    }
  }

  private static Object toJdbc(Object value) {
    if (value instanceof Instant instant) {
      return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
    if (value instanceof Enum<?> e) {
      return e.name();
    }
    return value;
  }

  /** Maps the current row of a result to a value. */
  @FunctionalInterface
  public interface RowMapper<T> {
    T map(Row row) throws SQLException;
  }

  /** One row of a result, with typed getters that hide driver differences. */
  public static final class Row {
    private final ResultSet rs;

    Row(ResultSet rs) {
      this.rs = rs;
    }

    public String getString(String column) throws SQLException {
      return rs.getString(column);
    }

    public boolean getBoolean(String column) throws SQLException {
      return rs.getBoolean(column);
    }

    public int getInt(String column) throws SQLException {
      return rs.getInt(column);
    }

    /** An integer column that may be NULL. */
    public Integer getNullableInt(String column) throws SQLException {
      int value = rs.getInt(column);
      return rs.wasNull() ? null : value;
    }

    public long getLong(String column) throws SQLException {
      return rs.getLong(column);
    }

    /** A binary column (bytea, varbinary) as bytes, or null. */
    public byte[] getBytes(String column) throws SQLException {
      return rs.getBytes(column);
    }

    public long getLong(int index) throws SQLException {
      return rs.getLong(index);
    }

    public Instant getInstant(String column) throws SQLException {
      OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
      if (value != null) {
        return value.toInstant();
      }
      Timestamp ts = rs.getTimestamp(column);
      return ts == null ? null : ts.toInstant();
    }
  }

  /**
   * Told after a statement changed rows, with the connection it ran on and the rows its
   * transaction changed so far (null unless the database keeps a redo log): outside a transaction
   * the change is committed then, and the database makes it durable before the caller goes on.
   */
  @FunctionalInterface
  interface AfterChange {
    void changed(Connection connection, RedoEvents events) throws SQLException;
  }

  /** A statement's execution, which may throw what JDBC throws. */
  @FunctionalInterface
  interface Execution<T> {
    T run() throws SQLException;
  }

  @FunctionalInterface
  interface ConnectionSource {
    Borrowed borrow() throws SQLException;
  }

  /**
   * A connection lent for one statement; closed afterwards only when the pool owns it. One lent
   * with its own transaction ({@code ownTransaction}) ends it before it is closed: committed when
   * the statement read or changed nothing ({@link #endRead}) or when its change was committed,
   * rolled back otherwise, and put back in auto-commit.
   *
   * <p>Why not always roll back (a no-op for the data once committed): H2 empties a session's
   * cache of parsed statements on every rollback, so while Kiln used that cache each later
   * statement on the connection was parsed again; that was 15% of the CPU of a stack update, whose
   * steps read through such connections. (Kiln keeps its prepared statements itself now, which a
   * rollback does not touch; committing a read stays the cheaper end.)
   */
  static final class Borrowed implements AutoCloseable {
    private final Connection connection;
    private final boolean closeAfterUse;
    private final boolean ownTransaction;
    private final RedoEvents events;
    private final Runnable afterEnd;
    private boolean ended;

    /**
     * @param events where the transaction's row changes go for the redo log; null for none
     * @param afterEnd run once the statement's own transaction has ended
     */
    Borrowed(
        Connection connection,
        boolean closeAfterUse,
        boolean ownTransaction,
        RedoEvents events,
        Runnable afterEnd) {
      this.connection = connection;
      this.closeAfterUse = closeAfterUse;
      this.ownTransaction = ownTransaction;
      this.events = events;
      this.afterEnd = afterEnd;
    }

    Borrowed(Connection connection, boolean closeAfterUse, boolean ownTransaction, RedoEvents events) {
      this(connection, closeAfterUse, ownTransaction, events, () -> {});
    }

    Borrowed(Connection connection, boolean closeAfterUse, boolean ownTransaction) {
      this(connection, closeAfterUse, ownTransaction, null);
    }

    Borrowed(Connection connection, boolean closeAfterUse) {
      this(connection, closeAfterUse, false);
    }

    Connection connection() {
      return connection;
    }

    RedoEvents events() {
      return events;
    }

    /**
     * Runs a statement that may change rows, with the rows it changes captured for the redo log
     * (and forgotten if it fails, since H2 then undoes them).
     */
    <T> T logged(Execution<T> execution, Predicate<T> changedRows) throws SQLException {
      return logged(execution, changedRows, false);
    }

    /**
     * Runs a batch like {@link #logged}; but a failed batch may have kept the rows of its entries
     * that ran before the failing one, which the redo log cannot tell apart, so its transaction
     * can then only roll back.
     */
    <T> T loggedBatch(Execution<T> execution, Predicate<T> changedRows) throws SQLException {
      return logged(execution, changedRows, true);
    }

    private <T> T logged(Execution<T> execution, Predicate<T> changedRows, boolean batch)
        throws SQLException {
      if (events == null) {
        return execution.run();
      }
      RedoEvents.Statement statement = events.beginStatement();
      try {
        T result = execution.run();
        statement.checkLogged(changedRows.test(result));
        return result;
      } catch (SQLException | RuntimeException | Error e) {
        if (batch) {
          events.poison();
        } else {
          statement.undo();
        }
        throw e;
      } finally {
        statement.end();
      }
    }

    /** Ends the statement's own transaction by committing it: it read, or changed nothing. */
    void endRead() throws SQLException {
      if (ownTransaction) {
        connection.commit();
        ended = true;
      }
    }

    /** Marks the statement's own transaction committed by whoever handled its change. */
    void endCommitted() {
      ended = true;
    }

    @Override
    public void close() throws SQLException {
      try {
        if (ownTransaction) {
          try {
            if (!ended) {
              connection.rollback();
            }
          } finally {
            try {
              connection.setAutoCommit(true);
            } finally {
              afterEnd.run();
            }
          }
        }
      } finally {
        if (closeAfterUse) {
          connection.close();
        }
      }
    }
  }
}
