package dev.kiln.orchestration.resources.volume;

import dev.kiln.orchestration.resources.ChangeWatch;
import dev.kiln.orchestration.resources.ResourceContext;
import dev.kiln.orchestration.resources.ResourceError;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * Waiting on Block Storage and Compute from a resource step: the step runs on its own virtual
 * thread, so it polls the service's in-process read (a row read, no HTTP), starting at 2 ms and
 * backing off to 50 ms, woken early when a task of this node naming what it waits for ends, until the thing is ready, the operation's deadline passes, or the engine
 * stops the step.
 */
final class Waits {
  private Waits() {}

  /**
   * Polls {@code probe} until it answers a value; throws when the deadline passes first. A task of
   * this node that names {@code key} (the volume's or the server's id) wakes the wait when it ends.
   */
  static <T> T until(ResourceContext context, String key, String what, Callable<Optional<T>> probe) throws Exception {
    long pause = 2;
    try (ChangeWatch watch = context.watch(key)) {
      while (true) {
        Optional<T> value = probe.call();
        if (value.isPresent()) {
          return value.get();
        }
        Instant now = context.clock().instant();
        if (!now.isBefore(context.deadline())) {
          throw new ResourceError("Error", "Timed out waiting for " + what + ".");
        }
        watch.await(java.time.Duration.ofMillis(
            Math.min(pause, Math.max(1, context.deadline().toEpochMilli() - now.toEpochMilli()))));
        pause = Math.min(pause * 2, 50);
      }
    }
  }
}
