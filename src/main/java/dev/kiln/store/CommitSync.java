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
 * <p>Why: a write that reached the file is still in the operating system's cache, which a power
 * loss or kernel crash throws away. The embedded file's commits are forced through its redo log
 * ({@link Redo}); PostgreSQL forces its WAL on commit by itself, so it gets {@link #NONE}. Either
 * forcing is shared by the commits that wait at the same time ({@link GroupForce}).
 */
public sealed interface CommitSync {
  /** Returns once every change committed on this thread before the call is on disk. */
  void afterCommit(Connection connection) throws SQLException;

  /**
   * For databases that are durable on commit by themselves (PostgreSQL), that are in memory, or
   * whose user asked for no fsync ({@code KILN_FSYNC=0}: the redo log still has each commit
   * written to its file before the commit returns, so it survives a kill of Kiln).
   */
  CommitSync NONE = new None();

  /** Nothing to do. */
  final class None implements CommitSync {
    private None() {}

    @Override
    public void afterCommit(Connection connection) {}
  }

  /**
   * A group commit that forces by running a statement on the committing connection, such as H2's
   * {@code CHECKPOINT SYNC}; tests count forces with one that updates a counter.
   */
  final class H2GroupSync implements CommitSync {
    private final String statement;
    private final ThreadLocal<Connection> caller = new ThreadLocal<>();
    private final GroupForce group = new GroupForce(this::sync);

    /** @param statement what forces the file (package-private for tests, which count its runs) */
    H2GroupSync(String statement) {
      this.statement = statement;
    }

    @Override
    public void afterCommit(Connection connection) throws SQLException {
      caller.set(connection);
      try {
        group.await();
      } finally {
        caller.remove();
      }
    }

    /** Runs on the thread that leads a group, with its caller's connection. */
    private void sync() throws SQLException {
      try (Statement sync = caller.get().createStatement()) {
        sync.execute(statement);
      }
    }
  }

  /** Commits made durable by the redo log they were written to ({@link RedoLog#force}). */
  final class Redo implements CommitSync {
    private final RedoLog log;

    Redo(RedoLog log) {
      this.log = log;
    }

    @Override
    public void afterCommit(Connection connection) throws SQLException {
      log.force();
    }
  }

  /** What forces a file to the disk, for {@link GroupForce}. */
  @FunctionalInterface
  interface Forcing {
    void forceNow() throws SQLException;
  }

  /**
   * Group commit: callers that wait at the same time share one force. A caller takes a ticket; a
   * force that starts after the ticket was taken covers it. While one force runs, later callers
   * wait for the next one, which then covers all of them, so under load the cost is one fsync per
   * group rather than one per commit.
   */
  final class GroupForce {
    private final Forcing forcing;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition finished = lock.newCondition();
    /** Tickets handed out: the number of callers that asked for a force. */
    private long requested;
    /** Every ticket up to this one is durable. */
    private long durable;
    private boolean forcingNow;

    GroupForce(Forcing forcing) {
      this.forcing = forcing;
    }

    /** Returns once a force that started after this call has finished. */
    void await() throws SQLException {
      lock.lock();
      try {
        long ticket = ++requested;
        while (durable < ticket) {
          if (forcingNow) {
            finished.awaitUninterruptibly();
            continue;
          }
          // Lead a force: it covers every ticket handed out so far, ours included.
          forcingNow = true;
          long covers = requested;
          boolean done = false;
          lock.unlock();
          try {
            forcing.forceNow();
            done = true;
          } finally {
            lock.lock();
            forcingNow = false;
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
