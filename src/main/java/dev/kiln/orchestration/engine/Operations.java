package dev.kiln.orchestration.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The stack operations this node is running, by stack and traversal. An operation that takes a
 * stack over (a cancel, a delete of a stack in progress) stops the one it superseded here at once,
 * by its {@link Interruption} flag (another node's operation notices when it next looks at its
 * stack's row, within a second), and the new operation waits for the old one's steps to have let
 * go before it touches the same resources.
 */
final class Operations {
  private record Running(String traversal, Interruption interruption) {}

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition ended = lock.newCondition();
  private final Map<String, List<Running>> running = new HashMap<>(); // guarded by lock

  /** Records that {@code traversal} runs on the stack here, stopped through {@code interruption}. */
  AutoCloseable enter(String stackId, String traversal, Interruption interruption) {
    Running mine = new Running(traversal, interruption);
    lock.lock();
    try {
      running.computeIfAbsent(stackId, k -> new ArrayList<>()).add(mine);
    } finally {
      lock.unlock();
    }
    return () -> {
      lock.lock();
      try {
        List<Running> list = running.get(stackId);
        if (list != null) {
          list.remove(mine);
          if (list.isEmpty()) {
            running.remove(stackId);
          }
        }
        ended.signalAll();
      } finally {
        lock.unlock();
      }
    };
  }

  /** Stops the operation {@code traversal} on the stack if it runs here. */
  void stop(String stackId, String traversal) {
    lock.lock();
    try {
      for (Running r : running.getOrDefault(stackId, List.of())) {
        if (r.traversal().equals(traversal)) {
          r.interruption().stop();
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops every other operation on the stack running here and waits, up to {@code grace}, until
   * they have ended: a step they left running must not make something after the new operation
   * looked for it.
   *
   * @return whether they all ended in time
   */
  boolean stopOthers(String stackId, String traversal, Duration grace) throws InterruptedException {
    long deadline = System.nanoTime() + grace.toNanos();
    lock.lock();
    try {
      while (true) {
        boolean others = false;
        for (Running r : running.getOrDefault(stackId, List.of())) {
          if (!r.traversal().equals(traversal)) {
            r.interruption().stop();
            others = true;
          }
        }
        if (!others) {
          return true;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        ended.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)), TimeUnit.NANOSECONDS);
      }
    } finally {
      lock.unlock();
    }
  }
}
