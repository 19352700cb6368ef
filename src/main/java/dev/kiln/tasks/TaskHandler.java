package dev.kiln.tasks;

/**
 * Does the work of one kind of task; registered with {@link TaskRunner#register}.
 *
 * <p>A task runs at least once, not exactly once: if its node dies mid-run, another runner claims
 * it again once the lease expires, so a handler must be safe to repeat (check what an earlier
 * attempt already did before doing it again). Handlers run on virtual threads, so blocking is
 * fine; they should give up when interrupted, which is how a runner that is closing stops them.
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
   * Called once, after the last attempt failed and the task was marked FAILED, so the handler can
   * leave what the task was building in a state users can see and act on (a volume in {@code
   * error} rather than {@code creating} forever). Not called when a task's node dies on its last
   * attempt and another runner finds the lease expired; handlers that must always settle should
   * also check on start. Exceptions thrown here are logged and otherwise ignored.
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
