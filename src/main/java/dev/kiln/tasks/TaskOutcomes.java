package dev.kiln.tasks;

import static java.util.Objects.requireNonNull;

import dev.kiln.store.CommitFence;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records how each attempt a runner ran ended: success, a retry after backoff, a failure for good
 * (after the handler's give-up step), or the task handed back when the runner closes. Every record
 * is conditional on the claim (see {@link TaskStore}), so an attempt whose claim was lost records
 * nothing.
 */
final class TaskOutcomes {
  private static final Logger log = LoggerFactory.getLogger(TaskRunner.class);
  private static final int MAX_ERROR_LENGTH = 2000;

  private final TaskStore store;
  private final Function<String, TaskHandler> handlers;
  private final String nodeId;
  private final TaskSettings settings;
  private final Supplier<Instant> now;

  TaskOutcomes(
      TaskStore store, Function<String, TaskHandler> handlers, String nodeId, TaskSettings settings,
      Supplier<Instant> now) {
    this.store = requireNonNull(store, "store is null");
    this.handlers = requireNonNull(handlers, "handlers is null");
    this.nodeId = requireNonNull(nodeId, "nodeId is null");
    this.settings = requireNonNull(settings, "settings is null");
    this.now = requireNonNull(now, "now is null");
  }

  /** The handler returned {@code result}. */
  void succeeded(RunningClaim run, String result) {
    Task task = run.claim;
    if (run.lost) {
      log.warn("task {} finished on {} after its claim was lost; not recorded", task.id(), nodeId);
    } else if (!store.succeed(task, result, now.get())) {
      log.warn("task {} succeeded on {} after its claim was lost", task.id(), nodeId);
    }
  }

  /**
   * The give-up run of a task whose node died on its last attempt: the handler's give-up step,
   * then FAILED. A node that dies here leaves the task to another give-up run.
   */
  void giveUpAbandoned(RunningClaim run) {
    Task task = run.claim;
    String error = task.lastError() == null ? "abandoned" : task.lastError();
    log.warn("task {} ({}) failed for good: {}", task.id(), task.kind(), error);
    giveUp(run, error);
    if (!run.lost && !store.fail(task, error, now.get())) {
      log.warn("task {} gave up on {} after its claim was lost", task.id(), nodeId);
    }
  }

  void failed(RunningClaim run, Exception e) {
    Task task = run.claim;
    try {
      Instant at = now.get();
      boolean recorded;
      if (run.lost) {
        log.info("task {} attempt {} ended on {} after losing its claim: {}", task.id(),
            task.attempts(), nodeId, describe(e));
        return;
      }
      if (run.stopping) {
        // It stopped because this runner is closing: not the task's fault, so hand it back
        // uncounted.
        recorded = store.release(task, at);
      } else if (task.attempts() >= task.maxAttempts()) {
        log.warn("task {} ({}) failed for good: {}", task.id(), task.kind(), describe(e));
        // Give up while the claim still holds, then record the failure: a node that dies in
        // between leaves the task RUNNING with no attempts left, and the next claim of it runs
        // the give-up step again (give-up steps are safe to repeat).
        giveUp(run, describe(e));
        recorded = !run.lost && store.fail(task, describe(e), now.get());
      } else {
        log.info(
            "task {} ({}) attempt {} failed: {}",
            task.id(),
            task.kind(),
            task.attempts(),
            describe(e));
        recorded = store.retry(task, describe(e), at.plus(retryDelay(task.attempts())), at);
      }
      if (!recorded) {
        log.warn("task {} failed on {} after its claim was lost", task.id(), nodeId);
      }
    } catch (RuntimeException storeError) {
      // The lease runs out and another runner retries the task: nothing is lost.
      log.warn(
          "task runner {} could not record the failure of task {}", nodeId, task.id(), storeError);
    }
  }

  private void giveUp(RunningClaim run, String error) {
    Task task = run.claim;
    try {
      CommitFence.bind(
          run.fence(store, nodeId),
          () -> {
            handlers.apply(task.kind()).onGiveUp(task, error);
            return null;
          });
    } catch (RuntimeException e) {
      log.warn("the give-up step of task {} ({}) failed", task.id(), task.kind(), e);
    }
  }

  /** Exponential backoff: retryBackoff after the first attempt, doubling, up to the maximum. */
  private Duration retryDelay(int attemptsSoFar) {
    Duration delay = settings.retryBackoff().multipliedBy(1L << Math.min(attemptsSoFar - 1, 20));
    return delay.compareTo(settings.maxRetryBackoff()) > 0 ? settings.maxRetryBackoff() : delay;
  }

  private static String describe(Exception e) {
    String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
    return message.length() > MAX_ERROR_LENGTH ? message.substring(0, MAX_ERROR_LENGTH) : message;
  }
}
