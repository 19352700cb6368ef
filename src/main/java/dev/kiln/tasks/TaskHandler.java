package dev.kiln.tasks;

/**
 * Does the work of one kind of task; registered with {@link TaskRunner#register}.
 *
 * <p>A task runs at least once, not exactly once: if its node dies mid-run, another runner claims
 * it again once the lease expires, so a handler must be safe to repeat (check what an earlier
 * attempt already did before doing it again). Handlers run on virtual threads, so blocking is
 * fine. A runner that is closing never interrupts them (an interrupt inside H2's file I/O closes
 * the database file): after its grace it refuses their commits and gives their tasks back, and a
 * long handler may check {@link TaskRunner#stopRequested()} between steps to return early.
 *
 * <p>Every commit a handler makes (through {@link dev.kiln.store.Database}, on the handler's
 * thread) is fenced on its claim: once the runner has lost the claim (its lease ran out, or
 * another node took the task over), each commit fails with {@link LostClaimException} and rolls
 * back, so two nodes never both change what one task changes. Work a handler hands to other
 * threads is not fenced.
 */
@FunctionalInterface
public interface TaskHandler {
  /**
   * Runs one attempt of {@code task}.
   *
   * @return the result to record, as JSON text, or null when there is none
   * @throws Exception when this attempt failed; the runner retries with backoff until the task's
   *     max attempts are used up, then marks it FAILED with the exception's message
   */
  String run(Task task) throws Exception;

  /**
   * Called after the last attempt failed, before the task is marked FAILED, so the handler can
   * leave what the task was building in a state users can see and act on (a volume in {@code
   * error} rather than {@code creating} forever). Also called when a task's node died on its last
   * attempt: the runner that finds the lease expired claims the task for this step alone. A node
   * that dies during this step leaves it to be run again, so it must be safe to repeat.
   * Exceptions thrown here are logged and otherwise ignored.
   *
   * @param error the message of the last attempt's failure
   */
  default void onGiveUp(Task task, String error) {}

  /** What a handler does once its task has failed for good; see {@link #onGiveUp}. */
  @FunctionalInterface
  interface GiveUp {
    void onGiveUp(Task task, String error);
  }

  /** A handler that runs {@code run} for each attempt and {@code giveUp} after the last one failed. */
  static TaskHandler withGiveUp(TaskHandler run, GiveUp giveUp) {
    return new TaskHandler() {
      @Override
      public String run(Task task) throws Exception {
        return run.run(task);
      }

      @Override
      public void onGiveUp(Task task, String error) {
        giveUp.onGiveUp(task, error);
      }
    };
  }
}
