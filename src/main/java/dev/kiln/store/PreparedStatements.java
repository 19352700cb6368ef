package dev.kiln.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where {@link Sql} gets the prepared statement for a query, and what it does with it after.
 *
 * <p>Why more than {@code prepareStatement} and {@code close}: H2 keeps a connection's parsed
 * statements for reuse, except a {@code SELECT … FOR UPDATE} and a {@code UNION}, which it parses
 * again at every run (only a plain {@code Select} and the data changes say they are cacheable). Kiln
 * takes a row lock at the start of most writes (a port create locks its network and its project's
 * quota row), and those two parses were ~9% of a port create's CPU in a JFR profile; a boot's
 * quota limits, read with a {@code UNION}, 6% of its. {@link #keepingH2sUncachedQueries} keeps such a
 * statement prepared on its connection and runs it again there.
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
   * Keeps the queries H2 parses at every run ({@code FOR UPDATE}, {@code UNION}) prepared on their
   * connection; the rest as {@link #EACH_TIME}.
   */
  static PreparedStatements keepingH2sUncachedQueries() {
    return new KeptUncachedQueries();
  }

  /**
   * The kept statements, by the driver's own connection (under the pool's proxy, which closes what
   * was prepared through it when the connection goes back), then by SQL text.
   */
  final class KeptUncachedQueries implements PreparedStatements {
    /**
     * Distinct queries kept per connection. Kiln has about fifty such queries; the ones built for
     * a list of ids (an IN list of the list's length) differ by length, and are kept only short.
     */
    static final int PER_CONNECTION = 64;

    /**
     * The longest statement kept, in characters: a parsed statement holds an object per parameter,
     * and a long IN list is worth less kept than its memory (bounded: connections × this × the
     * count above).
     */
    static final int LONGEST_KEPT = 2_048;

    private final Map<Connection, Map<String, PreparedStatement>> byConnection = new ConcurrentHashMap<>();

    @Override
    public PreparedStatement prepare(Connection connection, String statement) throws SQLException {
      if (!worthKeeping(statement)) {
        return connection.prepareStatement(statement);
      }
      Connection driver = connection.unwrap(Connection.class);
      // Taken out while in use, so that a query run while another's rows are read (nested work on
      // the same connection) never shares its statement.
      Map<String, PreparedStatement> kept = byConnection.get(driver);
      PreparedStatement ready = kept == null ? null : kept.remove(statement);
      return ready != null && !ready.isClosed() ? ready : driver.prepareStatement(statement);
    }

    @Override
    public void release(Connection connection, String statement, PreparedStatement prepared)
        throws SQLException {
      if (!worthKeeping(statement) || prepared.isClosed()) {
        prepared.close();
        return;
      }
      Connection driver = connection.unwrap(Connection.class);
      Map<String, PreparedStatement> kept = byConnection.get(driver);
      if (kept == null) {
        forgetClosedConnections();
        kept = new ConcurrentHashMap<>();
        byConnection.put(driver, kept);
      }
      if (kept.size() >= PER_CONNECTION || kept.putIfAbsent(statement, prepared) != null) {
        prepared.close();
        return;
      }
      prepared.clearParameters();
    }

    /** A short query of the kinds H2 parses at every run. */
    private static boolean worthKeeping(String statement) {
      return statement.length() <= LONGEST_KEPT
          && (statement.contains(" FOR UPDATE") || statement.contains(" UNION "));
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
  }
}
