package dev.kiln.orchestration.engine;

import dev.kiln.orchestration.resources.ChangeWatch;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Wakes the steps that wait for another service's task the moment a task of this node ends: each
 * {@link ChangeWatch} names the thing it waits for (a server's or a volume's id), and a task whose
 * payload names it (a server's build or delete, a volume's create, a volume attach) wakes it. The
 * step then looks at the thing again; a task of another node wakes nobody, so steps still look on
 * their own now and then.
 *
 * <p>Why not a poll alone: a step polling with a backoff looks again up to twice as late as the
 * task ended (a build that takes 20 ms is seen after 30), on every wait of every update.
 */
final class TaskEnds {
  private final Set<Watch> watches = ConcurrentHashMap.newKeySet();

  /** A task of this node ended (its handler's changes are committed): wakes who waits for it. */
  void ended(String payload) {
    if (payload == null || watches.isEmpty()) {
      return;
    }
    for (Watch watch : watches) {
      if (payload.contains(watch.key)) {
        watch.wake();
      }
    }
  }

  /** A watch on {@code key} that the step's stop or timeout interrupts like its other waits. */
  ChangeWatch watch(String key, Interruption interruption) {
    Watch watch = new Watch(key, interruption);
    watches.add(watch);
    return watch;
  }

  private final class Watch implements ChangeWatch {
    private final String key;
    private final Interruption interruption;
    private final Semaphore woken = new Semaphore(0);

    Watch(String key, Interruption interruption) {
      this.key = java.util.Objects.requireNonNull(key, "key is null");
      this.interruption = java.util.Objects.requireNonNull(interruption, "interruption is null");
    }

    void wake() {
      if (woken.availablePermits() == 0) {
        woken.release();
      }
    }

    @Override
    public void await(Duration atMost) throws InterruptedException {
      interruption.parked(() -> {
        woken.tryAcquire(Math.max(0, atMost.toNanos()), TimeUnit.NANOSECONDS);
        woken.drainPermits();
        return null;
      });
    }

    @Override
    public void close() {
      watches.remove(this);
    }
  }
}
