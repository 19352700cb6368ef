package dev.kiln.tasks;

/** Where a task is in its life: queued, running on some node, or finished one way or the other. */
public enum TaskStatus {
  /** Waiting for its {@code run_after} time and a runner to claim it (first run or a retry). */
  QUEUED,
  /** Claimed by a node that holds a lease on it; reclaimable once the lease has expired. */
  RUNNING,
  /** The handler returned; the task's result is recorded. */
  SUCCEEDED,
  /** Every attempt failed (or was abandoned); the last error is recorded. */
  FAILED;

  /** Whether the task is done for good: no runner will pick it up again. */
  public boolean isFinal() {
    return this == SUCCEEDED || this == FAILED;
  }
}
