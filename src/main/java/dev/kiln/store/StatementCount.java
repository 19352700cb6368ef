package dev.kiln.store;

/**
 * Counts the SQL statements a request runs, so that {@code /metrics} can show them per route and a
 * test can hold each common call to a budget (a statement more per request is what makes a call
 * slow long before a profile shows it).
 *
 * <p>The count belongs to the thread that serves the request (Helidon gives each request a virtual
 * thread of its own); statements that other threads run for it (a task it submitted, the group
 * commit's fsync) are not counted. Outside a counted request, counting costs one thread-local read.
 */
public final class StatementCount {
  private static final ThreadLocal<int[]> CURRENT = new ThreadLocal<>();

  private StatementCount() {}

  /** Starts counting on this thread; answers what was being counted before, to give to {@link #stop}. */
  public static Object start() {
    int[] before = CURRENT.get();
    CURRENT.set(new int[1]);
    return before;
  }

  /** Stops counting on this thread and answers the statements run since {@link #start}. */
  public static int stop(Object previous) {
    int[] counter = CURRENT.get();
    if (previous instanceof int[] outer) {
      CURRENT.set(outer);
      if (counter != null) {
        outer[0] += counter[0];
      }
    } else {
      CURRENT.remove();
    }
    return counter == null ? 0 : counter[0];
  }

  /** Statements run so far on this thread in the current count; 0 when none is running. */
  public static int current() {
    int[] counter = CURRENT.get();
    return counter == null ? 0 : counter[0];
  }

  static void one() {
    int[] counter = CURRENT.get();
    if (counter != null) {
      counter[0]++;
    }
  }
}
