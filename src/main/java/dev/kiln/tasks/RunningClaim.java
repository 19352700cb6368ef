package dev.kiln.tasks;

import dev.kiln.store.CommitFence;

/** One claim a runner is running: the claim, its thread, how long its lease holds, and its fate. */
final class RunningClaim {
  final Task claim;
  volatile Thread thread;
  /** Monotonic ({@link System#nanoTime()}) time until which the lease surely holds. */
  volatile long heldUntilNanos;
  /** Set once the claim is lost; the handler's commits fail from then on. */
  volatile boolean lost;
  /** Set when the runner closes before the handler ended; its commits fail from then on. */
  volatile boolean stopping;
  /**
   * Set once the handler has returned and its outcome is being recorded: a renewal that then
   * finds the task no longer claimed has met the task's own end, not a takeover (recording the
   * outcome checks the claim itself).
   */
  volatile boolean ending;

  RunningClaim(Task claim, long heldUntilNanos) {
    this.claim = claim;
    this.heldUntilNanos = heldUntilNanos;
  }

  /**
   * The check bound to the handler's thread: each of its commits first locks the task's row and
   * finds the claim still the runner's, or fails.
   */
  CommitFence fence(TaskStore store, String nodeId) {
    return transaction -> {
      if (lost || stopping || !store.holdsClaim(transaction, claim)) {
        lost = true;
        throw new LostClaimException(claim, nodeId);
      }
    };
  }
}
