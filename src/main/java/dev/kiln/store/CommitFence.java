package dev.kiln.store;

import static java.util.Objects.requireNonNull;

/**
 * A condition every write made on one thread must still meet when it commits, checked inside the
 * committing transaction, on its connection, just before the commit; the check throws to refuse
 * the commit, and the transaction rolls back.
 *
 * <p>Why: the task runner runs each task under a lease; a runner that loses its lease (it stalled,
 * and another node took the task over) must not go on changing what the task changes. The runner
 * binds a fence to the handler's thread that locks the task's row and checks the claim is still
 * this runner's, so whichever commits first, the handler's write or the other node's claim, the
 * other one sees it: a handler that lost its claim can no longer commit anything, without any
 * change to the handler's code.
 *
 * <p>While a fence is bound, {@link Database#sql()} runs each change in a transaction of its own
 * so that it can be checked before it commits.
 */
@FunctionalInterface
public interface CommitFence {
  /** Throws (any runtime exception) when the transaction must not commit. */
  void check(Sql transaction);

  /** Runs {@code work} with {@code fence} bound to the current thread. */
  static <T, E extends Exception> T bind(CommitFence fence, Work<T, E> work) throws E {
    requireNonNull(fence, "fence is null");
    CommitFence outer = Bound.FENCE.get();
    Bound.FENCE.set(fence);
    try {
      return work.run();
    } finally {
      if (outer == null) {
        Bound.FENCE.remove();
      } else {
        Bound.FENCE.set(outer);
      }
    }
  }

  /** The fence bound to the current thread, or null. */
  static CommitFence current() {
    return Bound.FENCE.get();
  }

  /** Work run with a fence bound. */
  @FunctionalInterface
  interface Work<T, E extends Exception> {
    T run() throws E;
  }

  /** Holds the thread's fence (an interface cannot have private static fields). */
  final class Bound {
    private static final ThreadLocal<CommitFence> FENCE = new ThreadLocal<>();

    private Bound() {}
  }
}
