package dev.kiln.store;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Lets the embedded store write its file only at moments when no transaction is open.
 *
 * <p>Why: H2 writes a chunk by taking each B-tree's root in turn while other threads go on
 * changing them, so a chunk written while transactions are open can hold a change of one of them
 * in a table's tree without the undo-log entry that would let the next start roll it back (H2's
 * own {@code TxDecisionMaker} names such a value "a leftover after unclean shutdown"). After a
 * kill -9 the value stays in the file, marked uncommitted by a transaction that no longer exists.
 * A later transaction that gets the same transaction number takes it for its own (a key it never
 * wrote is a duplicate; a row it never wrote would commit with it), and one that does not may wait
 * on it for ever. Both happened in crash tests of the {@link RedoLog} while H2 wrote in the
 * background: a start whose replay met a duplicate primary key, and one that hung (the crash
 * image's undo logs were empty). With every chunk written through {@link #whileQuiescent}, the
 * file after a crash is exactly the state of the last checkpoint, and the redo log holds every
 * commit after it.
 *
 * <p>Every transaction {@linkplain #enter enters} before its first statement and {@linkplain #exit
 * exits} after its commit or rollback; a thread already inside passes again (nested work, a second
 * transaction of the same thread). A checkpoint closes the gate, waits until nothing is inside but
 * the calling thread, runs, and opens it. The gate never stays closed longer than its wait: a
 * transaction that does not end (one waiting for another that cannot enter) only delays the
 * checkpoint, which tries again later.
 */
final class QuiescentGate {
  private final AtomicInteger inside = new AtomicInteger();
  private volatile boolean closed;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  /** How many times the current thread has entered and not yet exited. */
  private final ThreadLocal<int[]> held = ThreadLocal.withInitial(() -> new int[1]);
  /** One checkpoint at a time: two callers each waiting for the other to leave would never run. */
  private final ReentrantLock exclusive = new ReentrantLock();

  /** An action run while the gate is closed and nothing else is inside. */
  interface Action {
    void run() throws Exception;
  }

  /** Enters before a transaction's first statement; waits while a checkpoint runs. */
  void enter() {
    int[] mine = held.get();
    if (mine[0] > 0) {
      mine[0]++;
      inside.incrementAndGet();
      return;
    }
    enterAs(mine, 1);
  }

  private void enterAs(int[] mine, int count) {
    while (true) {
      inside.addAndGet(count);
      if (!closed) {
        mine[0] = count;
        return;
      }
      // A checkpoint is draining: step back out so that it can see the store quiet, and wait.
      if (inside.addAndGet(-count) == 0) {
        signal();
      }
      lock.lock();
      try {
        while (closed) {
          changed.awaitUninterruptibly();
        }
      } finally {
        lock.unlock();
      }
    }
  }

  /** Exits after the transaction's commit or rollback. */
  void exit() {
    held.get()[0]--;
    leave();
  }

  private void leave() {
    if (inside.decrementAndGet() == 0 && closed) {
      signal();
    }
  }

  private void signal() {
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs {@code action} once no transaction is inside, keeping new ones out meanwhile; answers
   * false, without running it, if that did not happen within {@code waitMillis}. The calling thread
   * must hold no transaction (see {@link #whileQuiescentAfterOwnCommit}).
   */
  boolean whileQuiescent(long waitMillis, Action action) throws Exception {
    if (held.get()[0] != 0) {
      throw new IllegalStateException("a thread inside a transaction cannot wait for all to end");
    }
    exclusive.lock();
    try {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
      lock.lock();
      try {
        closed = true;
        while (inside.get() > 0) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return false;
          }
          changed.awaitNanos(left);
        }
      } finally {
        lock.unlock();
      }
      // Anyone who enters from here on sees the gate closed, steps back out and waits.
      action.run();
      return true;
    } finally {
      lock.lock();
      try {
        closed = false;
        changed.signalAll();
      } finally {
        lock.unlock();
      }
      exclusive.unlock();
    }
  }

  /**
   * Runs {@code action} like {@link #whileQuiescent}, from a thread whose own transactions have
   * ended their changes (committed) but are still counted inside: they are let out for the wait.
   */
  boolean whileQuiescentAfterOwnCommit(long waitMillis, Action action) throws Exception {
    int[] mine = held.get();
    int own = mine[0];
    mine[0] = 0;
    inside.addAndGet(-own);
    if (inside.get() == 0 && closed) {
      signal();
    }
    try {
      return whileQuiescent(waitMillis, action);
    } finally {
      enterAs(mine, own);
    }
  }
}
