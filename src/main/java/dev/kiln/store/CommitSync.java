package dev.kiln.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Makes committed changes durable before the caller answers: what a commit wrote is forced to the
 * disk (fsync) before {@link #afterCommit} returns.
 *
 * <p>Why: H2's file store writes a commit's pages to the file at commit time (with {@code
 * WRITE_DELAY=0}), which survives a kill of the process, but leaves them in the operating system's
 * cache, which a power loss or kernel crash throws away. PostgreSQL forces its WAL on commit by
 * itself, so it gets {@link #NONE}.
 *
 * <p>Group commit: the commits that wait at the same time share one fsync. A commit takes a
 * ticket after it has committed; a sync that starts after the ticket was taken covers it. While
 * one sync runs, later commits wait for the next one, which then covers all of them, so under
 * load the cost is one fsync per group rather than one per commit.
 */
public sealed interface CommitSync {
  /** Returns once every change committed on this thread before the call is on disk. */
  void afterCommit(Connection connection) throws SQLException;

  /**
   * For databases that are durable on commit by themselves (PostgreSQL), that are in memory, or
   * whose user asked for no fsync ({@code KILN_FSYNC=0}: H2 still writes each commit to the file
   * before it returns, so it survives a kill of Kiln).
   */
  CommitSync NONE = new None();

  /** Forces H2's file with {@code CHECKPOINT SYNC}, one force for each group of commits. */
  static CommitSync h2File() {
    return new H2GroupSync("CHECKPOINT SYNC");
  }

  /** Nothing to do. */
  final class None implements CommitSync {
    private None() {}

    @Override
    public void afterCommit(Connection connection) {}
  }

  /** The group commit over H2's {@code CHECKPOINT SYNC} (write what is unsaved, then fsync). */
  final class H2GroupSync implements CommitSync {
    private final String statement;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition finished = lock.newCondition();
    /** Tickets handed out: the number of commits that asked for a sync. */
    private long requested;
    /** Every ticket up to this one is durable. */
    private long durable;
    private boolean syncing;

    /** @param statement what forces the file (package-private for tests, which count its runs) */
    H2GroupSync(String statement) {
      this.statement = statement;
    }

    @Override
    public void afterCommit(Connection connection) throws SQLException {
      lock.lock();
      try {
        long ticket = ++requested;
        while (durable < ticket) {
          if (syncing) {
            finished.awaitUninterruptibly();
            continue;
          }
          // Lead a sync: it covers every ticket handed out so far, ours included.
          syncing = true;
          long covers = requested;
          boolean done = false;
          lock.unlock();
          try {
            try (Statement sync = connection.createStatement()) {
              sync.execute(statement);
            }
            done = true;
          } finally {
            lock.lock();
            syncing = false;
            if (done) {
              durable = Math.max(durable, covers);
            }
            finished.signalAll();
          }
        }
      } finally {
        lock.unlock();
      }
    }
  }
}
