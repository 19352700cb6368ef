package dev.kiln.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where {@link Sql} gets the prepared statement for a query, and what it does with it after.
 *
 * <p>Why more than {@code prepareStatement} and {@code close}: on H2, Kiln keeps each connection's
 * prepared statements itself ({@link #keepingShortStatements}) and H2's own cache of parsed
 * statements is off (see {@code Database.H2_SETTINGS}). H2's cache cost more than it saved: each
 * time a transaction first changes or locks a table, H2 walks every statement in that cache to
 * forget the results it kept, working out each one's tables afresh. A port create touches six
 * tables, and with the cache at 512 statements that walk was 15% of the call's samples in a flight
 * recording (December 7; the create's measured CPU did not fall with it, a list's and a boot's did:
 * README, "December 7, morning"). H2's cache also skipped the queries Kiln runs most in a write (a
 * {@code SELECT … FOR UPDATE} and a {@code UNION} are parsed again at every run), and it was
 * emptied at every rollback. A statement kept here survives both, and keeps the map of its
 * columns' names H2 builds for the first row read by name.
 */
interface PreparedStatements {
  PreparedStatement prepare(Connection connection, String statement) throws SQLException;

  /**
   * Done with what {@link #prepare} gave for {@code statement} on {@code connection}: its result
   * set is closed already.
   */
  void release(Connection connection, String statement, PreparedStatement prepared) throws SQLException;

  /**
   * Lets go of what was kept for connections that are closed now; answers how many connections
   * still have statements kept.
   */
  default int forgetClosedConnections() throws SQLException {
    return 0;
  }

  /** Prepares each statement afresh and closes it after use: the driver caches what it caches. */
  PreparedStatements EACH_TIME =
      new PreparedStatements() {
        @Override
        public PreparedStatement prepare(Connection connection, String statement) throws SQLException {
          return connection.prepareStatement(statement);
        }

        @Override
        public void release(Connection connection, String statement, PreparedStatement prepared)
            throws SQLException {
          prepared.close();
        }
      };

  /**
   * Keeps each connection's short statements prepared, the most recently used first; the rest as
   * {@link #EACH_TIME}.
   */
  static PreparedStatements keepingShortStatements() {
    return new KeptStatements();
  }

  /**
   * The kept statements, by the driver's own connection (under the pool's proxy, which closes what
   * was prepared through it when the connection goes back), then by SQL text.
   */
  final class KeptStatements implements PreparedStatements {
    /**
     * Distinct statements kept per connection; the least recently used one is closed to make room.
     * Kiln runs a few hundred distinct statements; the ones built for a list of ids (an IN list of
     * the list's length) differ by length.
     */
    static final int PER_CONNECTION = 512;

    /**
     * The longest statement kept, in characters: a parsed statement holds an object per parameter,
     * and a long IN list is worth less kept than its memory (bounded: connections × this × the
     * count above).
     */
    static final int LONGEST_KEPT = 2_048;

    private final Map<Connection, Kept> byConnection = new ConcurrentHashMap<>();

    @Override
    public PreparedStatement prepare(Connection connection, String statement) throws SQLException {
      if (statement.length() > LONGEST_KEPT) {
        return connection.prepareStatement(statement);
      }
      Connection driver = connection.unwrap(Connection.class);
      Kept kept = byConnection.get(driver);
      // Taken out while in use, so that a query run while another's rows are read (nested work on
      // the same connection) never shares its statement.
      PreparedStatement ready = kept == null ? null : kept.take(statement);
      return ready != null && !ready.isClosed() ? ready : driver.prepareStatement(statement);
    }

    @Override
    public void release(Connection connection, String statement, PreparedStatement prepared)
        throws SQLException {
      if (statement.length() > LONGEST_KEPT || prepared.isClosed()) {
        prepared.close();
        return;
      }
      Connection driver = connection.unwrap(Connection.class);
      Kept kept = byConnection.get(driver);
      if (kept == null) {
        forgetClosedConnections();
        kept = new Kept();
        byConnection.put(driver, kept);
      }
      PreparedStatement refused = kept.put(statement, prepared);
      if (refused != null) {
        refused.close();
        return;
      }
      prepared.clearParameters();
    }

    /** The pool retires connections now and then; their statements go with them. */
    @Override
    public int forgetClosedConnections() throws SQLException {
      for (Iterator<Connection> it = byConnection.keySet().iterator(); it.hasNext(); ) {
        if (it.next().isClosed()) {
          it.remove();
        }
      }
      return byConnection.size();
    }

    int connectionsKept() {
      return byConnection.size();
    }

    /** How many statements are kept for {@code connection}'s driver connection. */
    int keptFor(Connection connection) throws SQLException {
      Kept kept = byConnection.get(connection.unwrap(Connection.class));
      return kept == null ? 0 : kept.size();
    }

    /**
     * One connection's statements, least recently used first. A connection serves one thread at a
     * time; the lock is for {@link #forgetClosedConnections}, which another thread may run.
     */
    private static final class Kept {
      private final LinkedHashMap<String, PreparedStatement> statements = new LinkedHashMap<>(64, 0.75f, true);

      synchronized PreparedStatement take(String statement) {
        return statements.remove(statement);
      }

      /** Keeps {@code prepared}; answers the statement to close: one already kept, or the eldest. */
      synchronized PreparedStatement put(String statement, PreparedStatement prepared) {
        if (statements.containsKey(statement)) {
          return prepared;
        }
        statements.put(statement, prepared);
        if (statements.size() > PER_CONNECTION) {
          Iterator<PreparedStatement> eldest = statements.values().iterator();
          PreparedStatement evicted = eldest.next();
          eldest.remove();
          return evicted;
        }
        return null;
      }

      synchronized int size() {
        return statements.size();
      }
    }
  }
}
