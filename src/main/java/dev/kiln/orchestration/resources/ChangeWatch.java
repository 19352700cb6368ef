package dev.kiln.orchestration.resources;

import java.time.Duration;

/**
 * A step's watch on one thing another service changes through its tasks (a server, a volume: by
 * id), opened with {@link ResourceContext#watch}. {@link #await} returns as soon as a task of this
 * node whose payload names the thing has ended since the last call (or since the watch opened), and
 * otherwise after the time given: a wait for a service's task then reacts when that task commits,
 * not on the next tick of a poll. A wake is only a hint: the caller looks at the thing again after
 * every return, and the time given bounds the wait for a task run by another node, which wakes
 * nobody here.
 */
public interface ChangeWatch extends AutoCloseable {
  /** Returns when a task naming the thing ended since the last call, or after {@code atMost}. */
  void await(Duration atMost) throws InterruptedException;

  @Override
  void close();
}
