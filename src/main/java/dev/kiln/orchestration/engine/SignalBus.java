package dev.kiln.orchestration.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes resources that wait for something sent to them (a hook cleared, a wait condition handle
 * signalled) the moment it is stored on this node. Waiters always re-read the database after
 * waking, and also wake every {@link #CROSS_NODE_CHECK} on their own, for signals stored by
 * another node sharing the database.
 */
final class SignalBus {
  static final Duration CROSS_NODE_CHECK = Duration.ofSeconds(2);

  private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition signalled = lock.newCondition();

  /** Something was stored for this resource (by its row id). */
  void signal(String resourceId) {
    counters.computeIfAbsent(resourceId, id -> new AtomicLong()).incrementAndGet();
    lock.lock();
    try {
      signalled.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** A snapshot to pass to {@link #await}: what the waiter has seen so far. */
  long version(Collection<String> resourceIds) {
    long sum = 0;
    for (String id : resourceIds) {
      sum += counters.computeIfAbsent(id, k -> new AtomicLong()).get();
    }
    return sum;
  }

  /**
   * Waits until one of the resources is signalled after {@code seen}, {@code until} passes or the
   * cross-node check interval passes, whichever is first.
   *
   * @return false when {@code until} passed
   */
  boolean await(Collection<String> resourceIds, long seen, Instant until, java.time.Clock clock)
      throws InterruptedException {
    long checkBy = System.nanoTime() + CROSS_NODE_CHECK.toNanos();
    lock.lock();
    try {
      while (version(resourceIds) == seen) {
        long untilNanos = Duration.between(clock.instant(), until).toNanos();
        if (untilNanos <= 0) {
          return false;
        }
        long wait = Math.min(untilNanos, checkBy - System.nanoTime());
        if (wait <= 0) {
          return true;
        }
        signalled.awaitNanos(wait);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }
}
