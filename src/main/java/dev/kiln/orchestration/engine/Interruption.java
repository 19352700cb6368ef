package dev.kiln.orchestration.engine;

/**
 * Why the steps of one walk may find themselves interrupted. A walk that times out says so here
 * before it interrupts its steps, which then fail their resources with Heat's {@code <ACTION>
 * aborted (Timed out)}; so does an enclosing walk (a nested stack's steps are interrupted when
 * their parent resource's walk times out). Any other interruption means the node is letting the
 * operation go (its task runner closing, its lease lost, a cancel that took the stack over): the
 * step then records nothing, and the persisted state is left for whoever carries the operation on.
 */
final class Interruption {
  private final Interruption enclosing;
  private volatile boolean timedOut;

  /** @param enclosing the interruption of the walk this one runs inside, or null */
  Interruption(Interruption enclosing) {
    this.enclosing = enclosing;
  }

  void timeOut() {
    timedOut = true;
  }

  /** Whether this walk, or one it runs inside, timed out. */
  boolean timedOut() {
    return timedOut || (enclosing != null && enclosing.timedOut());
  }

  /** A step was interrupted and this is not a timeout: it lets go without writing anything. */
  static final class LetGo extends RuntimeException {
    LetGo() {
      super("the operation was let go", null, false, false);
    }
  }
}
