package dev.kiln.orchestration.engine;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The stack operations this node is running, by stack: a cancel that takes a stack over from its
 * running operation interrupts that operation's task here at once (another node's task notices
 * when it next looks at its stack's row, within a second).
 */
final class Operations {
  private record Running(String traversal, Thread thread) {}

  private final Map<String, Running> running = new ConcurrentHashMap<>();

  /** Records that the calling thread runs {@code traversal} on the stack, until the result is closed. */
  AutoCloseable enter(String stackId, String traversal) {
    Running mine = new Running(traversal, Thread.currentThread());
    running.put(stackId, mine);
    return () -> running.remove(stackId, mine);
  }

  /** Interrupts the thread running {@code traversal} on the stack here, if any. */
  void interrupt(String stackId, String traversal) {
    Running r = running.get(stackId);
    if (r != null && r.traversal().equals(traversal)) {
      r.thread().interrupt();
    }
  }
}
