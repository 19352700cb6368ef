package dev.kiln.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded store's redo log: each committing transaction appends the rows it changed to a
 * small file before H2 commits it, so that H2 writes its B-trees to its file once a second, a
 * chunk for many commits, instead of one for every commit on the committing thread.
 *
 * <p>Why: H2 makes a commit durable by writing every B-tree page it changed, up to each root,
 * plus its own layout map: 57 pages for a port create (README, "what a port create's commit
 * writes"), 58% of that request's time. The same commit's rows are about a kilobyte here.
 *
 * <p>How it stays correct:
 * <ul>
 *   <li>A record is written while the transaction still holds its row locks, so two transactions
 *       that change one row are logged in the order they commit.
 *   <li>A commit is answered after its record is forced to the disk ({@link #force}, one fsync for
 *       every group of commits waiting at once); without fsync ({@code KILN_FSYNC=0}) after it is
 *       written to the file, which a kill of Kiln does not lose.
 *   <li>H2 writes its file only at checkpoints, and only while no transaction is open ({@link
 *       QuiescentGate}, {@link H2Writes}): every second with new records, a checkpoint closes the
 *       gate, starts a new file, records the last record number in {@code kiln_redo_state}, has
 *       H2 write one chunk, opens the gate, forces the chunk to the disk and deletes the files it
 *       covers (keeping one to write over next: {@link RedoFiles}). After a crash, H2's file is exactly the last checkpoint's state, and the records
 *       numbered after it are replayed ({@link RedoReplay}). A clean close deletes the log.
 * </ul>
 *
 * <p>Over 400 lines because its locks (the append lock, the rotation lock and the gate) are one
 * protocol whose correctness is argued above: recovery, the commit path, the checkpoint and the
 * close all take part in it, and a change to one is checked against the others by reading them
 * together.
 */
final class RedoLog implements CommitSync.Forcing {
  private static final Logger LOG = LoggerFactory.getLogger(RedoLog.class);
  /** One row: the number of the last record H2's file holds (written by each checkpoint). */
  static final String STATE = "kiln_redo_state";
  /**
   * How long a checkpoint first waits for open transactions to end, with new ones held at the
   * gate, before it tries again later: the longest stall it may cause. Each try put off doubles it,
   * up to {@link #MAX_DRAIN_MILLIS}, so that transactions that keep overlapping cannot keep H2 from
   * writing for long. The cap stays far below H2's lock timeout of 2 s: a transaction waiting on a
   * row lock keeps waiting while the gate is closed, and its wait must not add up to that timeout.
   */
  private static final long FIRST_DRAIN_MILLIS = 100;
  private static final long MAX_DRAIN_MILLIS = 400;

  private final RedoFiles files;
  private final boolean fsync;
  /** Commits hold it shared from their record's append to H2's commit; a rotation exclusively. */
  private final ReentrantReadWriteLock rotation = new ReentrantReadWriteLock();
  /** Orders appends (a lock, not a monitor: a virtual thread writing under a monitor pins its carrier on JDK 21). */
  private final ReentrantLock appending = new ReentrantLock();
  private final CommitSync.GroupForce groupForce = new CommitSync.GroupForce(this);
  private long lastSeq;
  private boolean appendedSinceRotation;
  /** The pools of this process that use the file (two nodes of a test share one H2 engine). */
  private final List<DataSource> users = new CopyOnWriteArrayList<>();
  private ScheduledExecutorService checkpoints;
  private final QuiescentGate gate = new QuiescentGate();
  /** Counters of commits to some tables, for caches of them ({@link Database#countChanges}). */
  private final List<ChangeCounter> counters = new CopyOnWriteArrayList<>();
  /** Whether the last compaction rewrote pages, so that the next checkpoint looks again. */
  private boolean compacting = true;
  private long drainMillis = FIRST_DRAIN_MILLIS;
  private long lastWritten = System.nanoTime();

  /** Each data directory's log, shared by the databases of this process that open its file. */
  private static final Map<Path, RedoLog> OPEN = new java.util.HashMap<>();

  private RedoLog(Path directory, boolean fsync) {
    this.files = new RedoFiles(directory);
    this.fsync = fsync;
  }

  /** The redo log of the embedded database whose files sit in {@code dataDir}. */
  static synchronized RedoLog forDataDir(Path dataDir, boolean fsync) {
    return OPEN.computeIfAbsent(
        dataDir.toAbsolutePath().normalize(), dir -> new RedoLog(dir.resolve("kiln-redo"), fsync));
  }

  /**
   * Starts using the log from {@code source}'s pool: the first user replays what the last run left,
   * runs {@code migrate} (which answers whether it changed the schema), then starts logging; later
   * users of the same open file only migrate.
   */
  void join(DataSource source, BooleanSupplier migrate) {
    synchronized (RedoLog.class) {
      if (users.isEmpty() && !files.isOpen()) {
        holdH2sOwnWrites(source);
        recover(source);
        start(source, migrate.getAsBoolean());
      } else {
        migrate.getAsBoolean();
      }
      users.add(source);
    }
  }

  /**
   * Stops using the log from {@code source}'s pool; for the last user, stops the checkpoints after
   * a last one and returns true: once that pool is closed, H2 has closed its file cleanly and
   * {@link #deleteAfterClose} may delete the log.
   */
  boolean leave(DataSource source) {
    synchronized (RedoLog.class) {
      users.remove(source);
      if (!users.isEmpty()) {
        return false;
      }
      OPEN.values().remove(this);
      stop();
      try {
        checkpoint(source);
      } catch (Exception e) {
        LOG.warn("last redo checkpoint failed; the next start replays the log: {}", e.toString());
        return false;
      }
      return true;
    }
  }

  private DataSource checkpointSource() {
    List<DataSource> now = users;
    return now.isEmpty() ? null : now.getFirst();
  }

  /** Before anything writes: H2 writes its file only when asked (a replay or a migration too). */
  private static void holdH2sOwnWrites(DataSource source) {
    try (Connection connection = source.getConnection()) {
      H2Writes.onlyWhenAsked(connection);
    } catch (SQLException e) {
      throw StoreException.from(e);
    }
  }

  /**
   * Replays what the last run committed and H2's file lacks, before anything else uses the
   * database (migrations included: the log was written against the schema the file has now).
   */
  private void recover(DataSource source) {
    try {
      List<Path> segments = files.all();
      if (segments.isEmpty()) {
        return;
      }
      try (Connection connection = source.getConnection();
          Statement statement = connection.createStatement()) {
        Long covered = coveredSeq(statement);
        lastSeq = RedoReplay.replay(connection, RedoFiles.read(segments), covered == null ? 0 : covered);
        if (covered != null) {
          setCovered(connection, lastSeq);
        }
        statement.execute("CHECKPOINT SYNC");
        files.deleteAndContinueAfter(segments);
      }
    } catch (SQLException e) {
      throw StoreException.from(e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot replay the redo log in " + files.directory(), e);
    }
  }

  /**
   * Starts logging: every table has its trigger, what migrations wrote is forced to the disk, and
   * the first file opens. {@code kiln_redo_state} is made after the triggers, so a file that has
   * it has them, and a start that migrated nothing skips reading H2's information schema (11 ms).
   */
  private void start(DataSource source, boolean migrated) {
    try (Connection connection = source.getConnection();
        Statement statement = connection.createStatement()) {
      Long covered = coveredSeq(statement);
      boolean schemaChanged = migrated || covered == null;
      if (schemaChanged) {
        RedoTriggers.install(connection);
      }
      if (covered == null) {
        statement.execute("CREATE TABLE " + STATE + " (covered BIGINT NOT NULL)");
        statement.execute("INSERT INTO " + STATE + " (covered) VALUES (0)");
        covered = 0L;
      }
      // Numbers only grow, so that a record left over from before can never pass for a new one.
      lastSeq = Math.max(lastSeq, covered);
      if (schemaChanged) {
        // Neither migrations nor the triggers were logged; a replay needs both in the file.
        statement.execute("CHECKPOINT SYNC");
      }
      files.openNext();
      appendedSinceRotation = false;
    } catch (SQLException e) {
      throw StoreException.from(e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the redo log in " + files.directory(), e);
    }
    checkpoints =
        Executors.newSingleThreadScheduledExecutor(
            task -> Thread.ofPlatform().name("kiln-redo-checkpoint").daemon().unstarted(task));
    long every = checkpointMillis();
    checkpoints.scheduleWithFixedDelay(this::checkpointQuietly, every, every, TimeUnit.MILLISECONDS);
  }

  /**
   * How often a checkpoint runs: every second, unless {@code kiln.redo.checkpoint-ms} says
   * otherwise (tests hold checkpoints off to see what the log alone puts back). A longer time means
   * a longer log to replay after a crash, and more of it on the disk.
   */
  static long checkpointMillis() {
    String set = System.getProperty("kiln.redo.checkpoint-ms");
    return set == null || set.isBlank() ? 1_000 : Math.max(10, Long.parseLong(set.strip()));
  }

  /** The last record number H2's file holds, or null when the file has no redo state yet. */
  private static Long coveredSeq(Statement statement) throws SQLException {
    try (var rs = statement.executeQuery("SELECT MAX(covered) FROM " + STATE)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      if (e.getErrorCode() == org.h2.api.ErrorCode.TABLE_OR_VIEW_NOT_FOUND_DATABASE_EMPTY_1
          || e.getErrorCode() == org.h2.api.ErrorCode.TABLE_OR_VIEW_NOT_FOUND_1) {
        return null;
      }
      throw e;
    }
  }

  private static void setCovered(Connection connection, long seq) throws SQLException {
    try (PreparedStatement update = connection.prepareStatement("UPDATE " + STATE + " SET covered = ?")) {
      update.setLong(1, seq);
      update.executeUpdate();
    }
  }

  /** Enters the gate H2's writes wait on: before a transaction's first statement. */
  void enter() {
    gate.enter();
  }

  /** Leaves the gate: after the transaction's commit or rollback. */
  void exit() {
    gate.exit();
  }

  /**
   * Commits {@code connection}'s transaction with {@code events} logged first; a transaction that
   * changed no row commits as it is.
   */
  void commit(Connection connection, RedoEvents events) throws SQLException {
    if (events.poisoned()) {
      throw new SQLException(
          "a failed batch left changes the redo log cannot describe; the transaction must roll back",
          "25000");
    }
    boolean unlogged = events.unlogged();
    List<ChangeCounter> concerned = concerned(events, unlogged);
    if (events.isEmpty()) {
      connection.commit();
      concerned.forEach(ChangeCounter::committed);
      forceIntoFileIf(unlogged, connection);
      return;
    }
    byte[] body = RedoRecords.body(events.changes());
    events.clear();
    rotation.readLock().lock();
    try {
      long seq = append(body);
      try {
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        appendAborted(seq);
        throw e;
      }
    } finally {
      rotation.readLock().unlock();
    }
    concerned.forEach(ChangeCounter::committed);
    forceIntoFileIf(unlogged, connection);
  }

  /** A counter of commits to some tables, moved on by every commit that changes one of them. */
  ChangeCounter countChanges(Set<String> tables) {
    ChangeCounter counter = new ChangeCounter(tables);
    counters.add(counter);
    return counter;
  }

  /**
   * The counters a commit moves on: those of tables it changed, or all when it changed rows unseen.
   * A loop rather than a stream: it runs at every commit, and the stream's pipeline cost a port
   * create more than the checks themselves.
   */
  private List<ChangeCounter> concerned(RedoEvents events, boolean unlogged) {
    if (counters.isEmpty() || unlogged) {
      return counters;
    }
    List<ChangeCounter> concerned = null;
    for (ChangeCounter counter : counters) {
      if (counter.concerns(events.changes())) {
        if (concerned == null) {
          concerned = new ArrayList<>(4);
        }
        concerned.add(counter);
      }
    }
    return concerned == null ? List.of() : concerned;
  }

  /**
   * A commit that changed rows no trigger saw (a table made while Kiln runs: tests do) cannot be
   * replayed, so H2 writes and forces it into its file before it is answered, as every commit was
   * before this log.
   */
  private void forceIntoFileIf(boolean unlogged, Connection connection) throws SQLException {
    if (!unlogged) {
      return;
    }
    try {
      for (int attempt = 0; attempt < 3; attempt++) {
        if (gate.whileQuiescentAfterOwnCommit(MAX_DRAIN_MILLIS, () -> writeAndForce(connection))) {
          return;
        }
      }
      // An outer transaction of this very thread may be what keeps the gate from emptying: the
      // commit is written with transactions open rather than never (only tables Kiln did not make
      // come here, and the file it leaves may need H2's own recovery after a crash).
      LOG.warn("A commit to a table without a redo trigger was written while transactions were open");
      writeAndForce(connection);
    } catch (SQLException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new SQLException("cannot write the database file: " + e.getMessage(), "58030", e);
    }
  }

  private static void writeAndForce(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("CHECKPOINT SYNC");
    }
  }

  /** Returns once every record appended before the call is on the disk. */
  void force() throws SQLException {
    if (fsync) {
      groupForce.await();
    }
  }

  @Override
  public void forceNow() throws SQLException {
    rotation.readLock().lock();
    try {
      files.force();
    } catch (IOException e) {
      throw new SQLException("cannot force the redo log to the disk: " + e.getMessage(), "58030", e);
    } finally {
      rotation.readLock().unlock();
    }
  }

  private long append(byte[] body) throws SQLException {
    appending.lock();
    try {
      long seq = lastSeq + 1;
      write(RedoRecords.framed(seq, body));
      lastSeq = seq;
      appendedSinceRotation = true;
      return seq;
    } finally {
      appending.unlock();
    }
  }

  private void appendAborted(long seq) {
    try {
      appending.lock();
      try {
        write(RedoRecords.framed(seq, RedoRecords.ABORTED_BODY));
      } finally {
        appending.unlock();
      }
    } catch (SQLException e) {
      LOG.warn("could not mark redo record {} aborted: {}", seq, e.getMessage());
    }
  }

  private void write(byte[] record) throws SQLException {
    try {
      files.append(record);
    } catch (IOException e) {
      throw new SQLException("cannot write the redo log: " + e.getMessage(), "58030", e);
    }
  }

  private void checkpointQuietly() {
    try {
      DataSource source = checkpointSource();
      if (source != null) {
        checkpoint(source);
      }
    } catch (Exception e) {
      // The database closing under it, or a full disk: the next commit reports the latter.
      LOG.debug("redo checkpoint skipped: {}", e.toString());
    }
  }

  /**
   * With no transaction open: starts a new file, compacts H2's file a little and has H2 write
   * everything committed as one chunk; then, with transactions going on, forces that chunk to the
   * disk and deletes the older files, which it covers.
   */
  private void checkpoint(DataSource dataSource) throws Exception {
    synchronized (gate) {
      if (!appendedSinceRotation && !compacting) {
        lastWritten = System.nanoTime(); // nothing to write counts as written
        return;
      }
      try (Connection connection = dataSource.getConnection();
          Statement statement = connection.createStatement()) {
        boolean[] rotated = {false};
        boolean ran =
            gate.whileQuiescent(
                drainMillis,
                () -> {
                  rotated[0] = rotate();
                  if (rotated[0]) {
                    setCovered(connection, lastSeq);
                  }
                  compacting = EmbeddedFileCompaction.compactInPlace(connection);
                  statement.execute("CHECKPOINT");
                });
        if (!ran) {
          LOG.info("Redo checkpoint put off: transactions stayed open for {} ms", drainMillis);
          drainMillis = Math.min(MAX_DRAIN_MILLIS, drainMillis * 2);
          return;
        }
        long sinceLast = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - lastWritten);
        if (sinceLast >= 10) {
          LOG.info("H2 wrote its file after {} s: transactions kept overlapping until now", sinceLast);
        }
        drainMillis = FIRST_DRAIN_MILLIS;
        lastWritten = System.nanoTime();
        H2Writes.force(connection);
        if (rotated[0]) {
          files.deleteOlder();
        }
      }
    }
  }

  /** Switches to a new file if the current one has records; answers whether it did. */
  private boolean rotate() throws IOException {
    rotation.writeLock().lock();
    try {
      if (!appendedSinceRotation) {
        return false;
      }
      if (fsync) {
        // A commit that appended to this file may not have forced it yet: its force would go to
        // the next file, so this one is forced before the switch.
        files.force();
      }
      files.openNext();
      appendedSinceRotation = false;
      return true;
    } finally {
      rotation.writeLock().unlock();
    }
  }

  private void stop() {
    if (checkpoints != null) {
      checkpoints.shutdown(); // not interrupted: an interrupt would close the file it forces
      try {
        checkpoints.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** H2 closed its file cleanly, so it holds every commit: the log is no longer needed. */
  void deleteAfterClose() {
    rotation.writeLock().lock();
    try {
      files.deleteAll();
    } catch (IOException e) {
      LOG.warn("could not delete the redo log after a clean close: {}", e.getMessage());
    } finally {
      rotation.writeLock().unlock();
    }
  }
}
