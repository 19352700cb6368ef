package dev.kiln.store;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The one JDBC store every service uses: an embedded H2 file by default, PostgreSQL when a URL is
 * given. Schema migrations (Flyway, {@code db/migration}) run on open, so a new data directory and
 * an upgraded one end up with the same schema; a database already up to date skips Flyway.
 *
 * <p>Over 400 lines because its three parts share the pool and each other's rules: opening (the
 * embedded file with its redo log and unclean-shutdown recovery, PostgreSQL, in memory) decides
 * the commit sync and statement keeping that transactions use, and transactions (joining, nested
 * savepoints, the redo log's gate) decide what the pool's upkeep may close and when. Each part
 * alone would have to reach into the others' fields.
 */
public final class Database implements AutoCloseable {
  private final HikariDataSource dataSource;
  private final Dialect dialect;
  private final CommitSync commitSync;
  private final PreparedStatements statements;
  /**
   * The transaction this thread opened with {@link #inTransactionJoinedByNestedWork}, if any: the
   * database work it calls (another service's, which opens its own transactions and statements)
   * runs on that transaction's connection instead of asking the pool for another.
   */
  private final ThreadLocal<Joined> joined = new ThreadLocal<>();
  /** The embedded file's redo log; null for PostgreSQL and in-memory databases. */
  private final RedoLog redo;
  private UncleanShutdown openMarker;

  /**
   * An open transaction that nested work joins: its connection, its statements, and how many
   * savepoints deep the work running now is (0 for the transaction's own).
   */
  private record Joined(Connection connection, Sql sql, RedoEvents events, int depth) {}

  /**
   * How long a caller waits for a free connection before its request is refused as unavailable
   * (a 503), unless {@code kiln.db.pool-wait-ms} says otherwise (the pool takes no less than 250).
   */
  static long poolWaitMillis() {
    String set = System.getProperty("kiln.db.pool-wait-ms");
    return set == null || set.isBlank() ? 10_000 : Math.max(250, Long.parseLong(set.strip()));
  }

  /** How many connections the pool keeps at most, unless {@code kiln.db.pool-size} says otherwise. */
  static int poolSize(Dialect dialect) {
    String set = System.getProperty("kiln.db.pool-size");
    if (set != null && !set.isBlank()) {
      int size = Integer.parseInt(set.strip());
      if (size < 1) {
        throw new IllegalArgumentException("kiln.db.pool-size must be at least 1, not " + size);
      }
      return size;
    }
    return dialect == Dialect.H2 ? 16 : 12;
  }

  private Database(
      HikariDataSource dataSource, Dialect dialect, CommitSync commitSync, RedoLog redo) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.redo = redo;
    this.commitSync = commitSync;
    this.statements =
        dialect == Dialect.H2 ? PreparedStatements.keepingShortStatements() : PreparedStatements.EACH_TIME;
  }

  /**
   * H2's settings for Kiln: PostgreSQL's dialect, and no cache of parsed statements in H2's
   * sessions: Kiln keeps its connections' prepared statements itself ({@link
   * PreparedStatements#keepingShortStatements}, which says why).
   */
  private static final String H2_SETTINGS =
      ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;QUERY_CACHE_SIZE=0";

  /**
   * How H2 writes the embedded file: only at the {@link RedoLog}'s checkpoints, a chunk for the
   * commits of the last second, with no transaction open (the write delay of about 25 days turns
   * H2's own background writer off; see {@link H2Writes}). A commit is durable before that through
   * the redo log: its rows are written (and forced) there before it is answered, and a start after
   * a crash puts back what the file lacks. A 2xx answer therefore means the change is on disk.
   * (Before the redo log, {@code WRITE_DELAY=0} had H2 write every B-tree page a commit changed,
   * up to the roots, before the commit returned: most of a port create's time.)
   */
  private static final String H2_DURABILITY = ";WRITE_DELAY=2147483647";

  /**
   * How long H2 keeps a chunk before its space may be reused once nothing in it is live, when
   * commits are forced to the disk. H2's default, 45 s, is meant for stores that never force their
   * file and trust the operating system to write it out within that time; Kiln forces H2's file at
   * every redo checkpoint ({@link RedoLog}: each second with new commits), so a chunk a few seconds
   * old is on the disk. With the default (measured when every commit wrote a chunk), the file held
   * every chunk of the last 45 s of commits (a 20 s burst of port and volume cycles took a new data
   * directory to 305 MiB; 10,000 server boots took it to 1.2 GB even with {@link
   * EmbeddedFileCompaction}, 114 MiB with this), and the heap an object for each.
   */
  static final int FORCED_RETENTION_MS = 2_000;

  /**
   * H2 closes a file database from a JVM shutdown hook of its own; Kiln's hook closes it after the
   * web listener and the task runner have stopped, so H2's must not race it (requests that arrive
   * while Kiln stops would otherwise find the database closed and answer 500).
   */
  private static final String H2_CLOSE = ";DB_CLOSE_ON_EXIT=FALSE";

  /**
   * Opens the embedded database kept in {@code dataDir/kiln.mv.db}; a new one starts from the
   * {@link SchemaTemplate} this process was given, if any.
   */
  public static Database embedded(Path dataDir) {
    return embedded(dataDir, SchemaTemplate.configured());
  }

  /** Opens the embedded database in {@code dataDir}, a new one copied from {@code template} if not null. */
  static Database embedded(Path dataDir, Path template) {
    Path base = dataDir.toAbsolutePath().resolve("kiln");
    Path file = base.resolveSibling("kiln.mv.db");
    boolean fromTemplate = SchemaTemplate.copyIfNew(template, file);
    UncleanShutdown marker = UncleanShutdown.recoverIfNeeded(base);
    boolean fsync = fsyncWanted(System.getenv("KILN_FSYNC"));
    String retention = fsync ? ";RETENTION_TIME=" + FORCED_RETENTION_MS : "";
    String url = "jdbc:h2:file:" + base + H2_SETTINGS + H2_DURABILITY + retention + H2_CLOSE;
    RedoLog redo = RedoLog.forDataDir(base.getParent(), fsync);
    Database database;
    try {
      database = open(url, "sa", "", Dialect.H2, new CommitSync.Redo(redo), redo);
    } catch (RuntimeException e) {
      if (!fromTemplate) {
        throw e;
      }
      // A template H2 cannot open (damaged, or from another H2) must not stop a new directory.
      marker.closedCleanly();
      deleteCopiedTemplate(file);
      return embedded(dataDir, null);
    }
    database.openMarker = marker;
    return database;
  }

  private static void deleteCopiedTemplate(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the unusable copy of the schema template " + file, e);
    }
  }

  /**
   * Whether the embedded file's commits are forced to the disk before the answer: yes, unless
   * {@code KILN_FSYNC=0} asks for them only to be written to the redo log's file (they then survive
   * a kill of Kiln, not a crash of the machine), which is what a throwaway test cloud needs.
   */
  static boolean fsyncWanted(String fsyncSetting) {
    return !("0".equals(fsyncSetting) || "false".equalsIgnoreCase(fsyncSetting));
  }

  /** Opens an in-memory embedded database, for tests. */
  public static Database inMemory(String name) {
    return inMemory(name, CommitSync.NONE);
  }

  /** An in-memory embedded database whose commits are made durable by {@code commitSync}: for tests. */
  static Database inMemory(String name, CommitSync commitSync) {
    String url = "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1" + H2_SETTINGS;
    return open(url, "sa", "", Dialect.H2, commitSync, null);
  }

  /**
   * Opens a PostgreSQL database from a {@code postgresql://user:pw@host:port/db} URL (the libpq
   * form users know) or a {@code jdbc:postgresql:} URL.
   */
  public static Database postgres(String url) {
    PostgresUrl parsed = PostgresUrl.parse(url);
    // PostgreSQL forces its log on commit itself (synchronous_commit is on by default).
    return open(
        parsed.jdbcUrl(),
        parsed.user(),
        parsed.password(),
        Dialect.POSTGRESQL,
        CommitSync.NONE,
        null);
  }

  /** Opens whichever database the user asked for: PostgreSQL when a URL is set, else embedded. */
  public static Database forUrlOrDataDir(String databaseUrl, Path dataDir) {
    return databaseUrl == null || databaseUrl.isBlank()
        ? embedded(dataDir)
        : postgres(databaseUrl);
  }

  private static Database open(
      String jdbcUrl,
      String user,
      String password,
      Dialect dialect,
      CommitSync commitSync,
      RedoLog redo) {
    // Configured in place and started by its first connection, below: a pool built from a separate
    // HikariConfig copies it field by field through reflection, whose accessors the JVM generates
    // at run time (~14 ms of CPU on the start's critical path).
    HikariDataSource dataSource = new HikariDataSource();
    dataSource.setJdbcUrl(jdbcUrl);
    dataSource.setUsername(user);
    dataSource.setPassword(password);
    dataSource.setPoolName("kiln");
    dataSource.setMaximumPoolSize(poolSize(dialect));
    dataSource.setMinimumIdle(1);
    dataSource.setConnectionTimeout(poolWaitMillis());
    try {
      startPool(dataSource);
      if (redo == null) {
        migrate(dataSource, dialect);
      } else {
        redo.join(dataSource, () -> migrate(dataSource, dialect));
      }
    } catch (RuntimeException e) {
      dataSource.close();
      throw e;
    }
    return new Database(dataSource, dialect, commitSync, redo);
  }

  /**
   * Opens the pool's first connection, so that a database it cannot reach is reported as that, not
   * by the schema check or Flyway asking for a connection next.
   */
  private static void startPool(HikariDataSource dataSource) {
    try (Connection first = dataSource.getConnection()) {
      // The pool keeps it as its idle minimum.
    } catch (SQLException e) {
      throw new StoreException(StoreException.Kind.OTHER, "cannot connect to the database: " + e.getMessage(), e);
    }
  }

  /** Where the migration scripts live on the class path. */
  static final String MIGRATIONS = "db/migration";

  /**
   * Brings the schema up to date. A database that already ran every shipped script, unchanged,
   * is left alone without starting Flyway (see {@link SchemaCheck}); any other is Flyway's. An
   * embedded (H2) database: tests call this one.
   */
  static void migrate(DataSource dataSource) {
    migrate(dataSource, Dialect.H2);
  }

  /**
   * Brings the schema of a database of this dialect up to date (see {@link #migrate(DataSource)});
   * answers whether Flyway ran.
   */
  static boolean migrate(DataSource dataSource, Dialect dialect) {
    ClassLoader loader = Database.class.getClassLoader();
    boolean current =
        MigrationScripts.onClasspath(loader, MIGRATIONS)
            .map(scripts -> SchemaCheck.isCurrent(dataSource, scripts))
            .orElse(false);
    if (!current) {
      Flyway.configure()
          .dataSource(dataSource)
          .locations("classpath:" + MIGRATIONS)
          .placeholders(placeholders(dialect))
          .load()
          .migrate();
    }
    return !current;
  }

  /**
   * The placeholders a migration script may use: {@code h2_only} starts a line that only the
   * embedded store runs (it is nothing there, and a comment on PostgreSQL), for schema H2 alone
   * needs (it gives each foreign key an index of its own, which PostgreSQL does not). Flyway's
   * checksums are of the scripts as written, so both databases agree on them.
   */
  static Map<String, String> placeholders(Dialect dialect) {
    return Map.of("h2_only", dialect == Dialect.H2 ? "" : "-- ");
  }

  public Dialect dialect() {
    return dialect;
  }

  public DataSource dataSource() {
    return dataSource;
  }

  /**
   * Runs statements outside an explicit transaction: each one commits on its own, and is durable
   * when it returns.
   */
  public Sql sql() {
    Joined open = joined.get();
    if (open != null) {
      return open.sql();
    }
    CommitFence fence = CommitFence.current();
    if (fence != null || redo != null) {
      // Each change gets a transaction of its own: so that the fence can check it before it
      // commits (with auto-commit on, it would be committed before anyone could look), and so
      // that the redo log has its record before H2 commits it.
      return new Sql(
          this::borrowForOneChange,
          fence != null ? this::borrowForOneChange : this::borrow,
          (connection, events) -> commitOneChange(connection, events, fence),
          statements);
    }
    return new Sql(this::borrow, (connection, events) -> commitSync.afterCommit(connection), statements);
  }

  private void commitOneChange(Connection connection, RedoEvents events, CommitFence fence)
      throws SQLException {
    if (fence != null) {
      fence.check(new Sql(() -> new Sql.Borrowed(connection, false, false, events), (c, e) -> {}, statements));
    }
    commit(connection, events);
    commitSync.afterCommit(connection);
  }

  /**
   * A count of the commits that change any of {@code tables}, kept where this process makes every
   * commit the database sees: the embedded file (H2 locks it to one process). Empty for PostgreSQL,
   * which other nodes write too, and for in-memory databases: a cache of those tables must read
   * them again each time there.
   */
  public Optional<ChangeCounter> countChanges(Set<String> tables) {
    return redo == null ? Optional.empty() : Optional.of(redo.countChanges(tables));
  }

  /**
   * A cache of rows of {@code tables} read outside transactions, kept while no commit has changed
   * those tables (see {@link CommittedCache}); where no count is kept, it reads every time.
   */
  public <K, V> CommittedCache<K, V> cacheOf(Set<String> tables, int capacity) {
    return new CommittedCache<>(countChanges(tables).orElse(null), () -> joined.get() == null, capacity);
  }

  /** Commits, through the redo log when there is one. */
  private void commit(Connection connection, RedoEvents events) throws SQLException {
    if (redo == null) {
      connection.commit();
    } else {
      redo.commit(connection, events);
    }
  }

  /**
   * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws,
   * so a failed request leaves nothing half-written. A transaction that changed rows is durable
   * when this returns.
   */
  public <T> T inTransaction(TransactionWork<T> work) {
    return inTransaction(work, true, false);
  }

  /**
   * Runs {@code work} in one transaction like {@link #inTransaction}, but returns as soon as it
   * committed, without waiting for the disk: for changes that are worth nothing after a crash and
   * that the next durable commit makes durable anyway (a task runner's claim of a task: after a
   * crash the claim's lease has nobody to hold it, and the handler's first commit forces it to the
   * disk with its own change; and its record of success, see {@code TaskStore.succeed}). It saves
   * the claim one fsync on the way from a request to its task.
   */
  public <T> T inTransactionNotForcedToDisk(TransactionWork<T> work) {
    return inTransaction(work, false, false);
  }

  /**
   * Runs {@code work} in one transaction like {@link #inTransaction}, and lets the database work it
   * calls on this thread join that transaction: their statements run on its connection, and their
   * own transactions become savepoints in it (rolled back to when they throw), all committed or
   * rolled back with {@code work}.
   *
   * <p>For work that holds a row lock while it calls into another service (Compute holding a
   * server's row while Networking plugs a port and tells Compute the port is up). Without this, each
   * such caller held one connection and waited for a second and a third from the same pool: with as
   * many callers as connections, every connection was held by a caller waiting for another, and
   * all of them failed when the pool's wait ran out (the build tasks of a 50-server stack).
   */
  public <T> T inTransactionJoinedByNestedWork(TransactionWork<T> work) {
    return inTransaction(work, true, true);
  }

  private <T> T inTransaction(TransactionWork<T> work, boolean durable, boolean joinable) {
    requireNonNull(work, "work is null");
    Joined open = joined.get();
    if (open != null) {
      return inSavepoint(open, work);
    }
    boolean[] changed = {false};
    T result;
    // The gate before the connection: a transaction held at the gate must not hold one of the
    // pool's connections meanwhile, which an open transaction may need to finish (nested work
    // that is not joined takes a second one), or the gate would not empty until its wait ran out.
    enterGate();
    boolean inside = true;
    try (Connection connection = dataSource.getConnection()) {
      try {
        result = runAndCommit(connection, work, joinable, changed);
      } finally {
        exitGate();
        inside = false;
      }
      if (changed[0] && durable) {
        commitSync.afterCommit(connection); // the fsync's wait keeps nobody at the gate
      }
      return result;
    } catch (SQLException e) {
      throw StoreException.from(e);
    } finally {
      if (inside) {
        exitGate(); // no connection came
      }
    }
  }

  /** Runs {@code work} on {@code connection} as one transaction and commits it, or rolls it back. */
  private <T> T runAndCommit(
      Connection connection, TransactionWork<T> work, boolean joinable, boolean[] changed)
      throws SQLException {
    T result;
    connection.setAutoCommit(false);
    RedoEvents events = redo == null ? null : new RedoEvents();
    try {
      Sql sql =
          new Sql(
              () -> new Sql.Borrowed(connection, false, false, events),
              (c, e) -> changed[0] = true,
              statements);
      if (joinable) {
        joined.set(new Joined(connection, sql, events, 0));
        try {
          result = work.run(sql);
        } finally {
          joined.remove();
        }
      } else {
        result = work.run(sql);
      }
      CommitFence fence = CommitFence.current();
      if (fence != null && changed[0]) {
        fence.check(sql);
      }
      commit(connection, events);
    } catch (RuntimeException | Error | SQLException e) {
      // A commit refused (a failed batch the redo log cannot describe) must not be committed
      // by the return to auto-commit below.
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(true);
    }
    return result;
  }

  /**
   * Nested work of a joined transaction: a savepoint on its connection, undone if the work throws.
   *
   * <p>The savepoint is named after its depth, so the same few names come back. Why: H2 names an
   * unnamed savepoint after a counter that only grows, so each one was a new statement for it to
   * parse, and while H2 kept a cache of parsed statements (no longer: see {@link #H2_SETTINGS})
   * every such {@code SAVEPOINT} and {@code ROLLBACK TO SAVEPOINT} took a place in it: after the
   * benchmarks, 6,864 of the 8,201 statements the cache held were savepoints never to run again,
   * pushing out the queries Kiln does run again. A name used again replaces the earlier savepoint
   * of that name, which is released by then.
   */
  private <T> T inSavepoint(Joined open, TransactionWork<T> work) {
    Joined nested = new Joined(open.connection(), open.sql(), open.events(), open.depth() + 1);
    try {
      Savepoint savepoint = open.connection().setSavepoint("kiln_nested_" + nested.depth());
      int mark = open.events() == null ? 0 : open.events().mark();
      T result;
      joined.set(nested);
      try {
        result = work.run(open.sql());
      } catch (RuntimeException | Error e) {
        open.connection().rollback(savepoint);
        if (open.events() != null) {
          open.events().undoTo(mark);
        }
        throw e;
      } finally {
        joined.set(open);
      }
      open.connection().releaseSavepoint(savepoint);
      return result;
    } catch (SQLException e) {
      throw StoreException.from(e);
    }
  }

  private Sql.Borrowed borrow() throws SQLException {
    return new Sql.Borrowed(dataSource.getConnection(), true);
  }

  /** A connection for one statement in a transaction of its own; rolled back unless committed. */
  private Sql.Borrowed borrowForOneChange() throws SQLException {
    enterGate(); // before the connection, as in inTransaction
    Connection connection;
    try {
      connection = dataSource.getConnection();
    } catch (SQLException | RuntimeException e) {
      exitGate();
      throw e;
    }
    try {
      connection.setAutoCommit(false);
    } catch (SQLException e) {
      exitGate();
      connection.close();
      throw e;
    }
    return new Sql.Borrowed(
        connection, true, true, redo == null ? null : new RedoEvents(), this::exitGate);
  }

  /** Before a transaction's first statement: the embedded file is not written while it is open. */
  private void enterGate() {
    if (redo != null) {
      redo.enter();
    }
  }

  private void exitGate() {
    if (redo != null) {
      redo.exit();
    }
  }

  /** How this database prepares statements: what it keeps, for tests to look at. */
  PreparedStatements statements() {
    return statements;
  }

  /**
   * Closes the pool's idle connections (it opens its minimum again at once) and lets go of the
   * statements kept for them. For a server gone quiet after a burst of work: each embedded
   * connection carries H2's parsed statements, and a burst leaves up to the pool's maximum of them
   * open; a new burst opens connections again, which in-process takes well under a millisecond.
   */
  public void closeIdleConnections() {
    HikariPoolMXBean pool = dataSource.getHikariPoolMXBean();
    if (pool == null) {
      return;
    }
    try {
      // The embedded database closes with its last connection, compacting its whole file as it
      // does, and the next connection opens and reads it again: ~40 MB of garbage and 0.3 s of
      // CPU for nothing. So one connection stays open until the pool has opened its new one.
      try (Connection held = dataSource.getConnection()) {
        pool.softEvictConnections();
        awaitBriefly(() -> pool.getIdleConnections() > 0);
      }
      // The pool stops counting an evicted connection at once but closes it later, on a thread of
      // its own: wait until every connection that kept statements is really closed, so that they
      // can be let go now. The connections opened since keep nothing while Kiln is quiet; if a
      // request comes meanwhile, what it keeps is let go when a connection next keeps one.
      awaitBriefly(() -> statements.forgetClosedConnections() == 0);
    } catch (SQLException e) {
      throw StoreException.from(e);
    }
  }

  /** A condition that may throw what JDBC throws. */
  private interface Condition {
    boolean holds() throws SQLException;
  }

  /** Waits up to a second for {@code condition}, looking every 10 ms. */
  private static void awaitBriefly(Condition condition) throws SQLException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
    try {
      while (!condition.holds() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    boolean lastOnRedo = redo != null && redo.leave(dataSource);
    dataSource.close(); // the last connection closed closes the embedded file cleanly
    if (lastOnRedo) {
      redo.deleteAfterClose();
    }
    if (openMarker != null) {
      openMarker.closedCleanly();
    }
  }

  /** Work done inside one transaction. */
  @FunctionalInterface
  public interface TransactionWork<T> {
    T run(Sql sql);
  }
}
