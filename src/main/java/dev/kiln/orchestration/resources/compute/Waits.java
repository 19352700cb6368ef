package dev.kiln.orchestration.resources.compute;

import dev.kiln.orchestration.resources.ChangeWatch;
import dev.kiln.orchestration.resources.ResourceContext;
import java.time.Duration;
import java.util.Optional;

/**
 * Blocks the step's virtual thread until a probe of a service answers: woken when a task of this
 * node naming the server ends, and looking on its own every few milliseconds at first, backing off
 * to 50 ms (for a task another node runs).
 * Gives up at the stack operation's deadline and when the engine stops the step (see {@link ResourceContext#pause}).
 */
final class Waits {
  private static final long FIRST_PAUSE_MS = 2;
  private static final long LONGEST_PAUSE_MS = 50;

  private Waits() {}

  /** One look at a service: a value when the wait is over, empty to look again; throws to give up. */
  @FunctionalInterface
  interface Probe<T> {
    Optional<T> look() throws Exception;
  }

  /**
   * Polls {@code probe} until it answers a value; {@code what} names the wait in a timeout. A task
   * of this node that names {@code key} (the server's id) wakes the wait at once when it ends.
   */
  static <T> T until(ResourceContext context, String key, String what, Probe<T> probe) throws Exception {
    long pause = FIRST_PAUSE_MS;
    try (ChangeWatch watch = context.watch(key)) {
      while (true) {
        Optional<T> answer = probe.look();
        if (answer.isPresent()) {
          return answer.get();
        }
        if (context.deadline() != null && !context.clock().instant().isBefore(context.deadline())) {
          throw new InterruptedException("timed out waiting for " + what);
        }
        watch.await(Duration.ofMillis(pause));
        pause = Math.min(LONGEST_PAUSE_MS, pause * 2);
      }
    }
  }
}
