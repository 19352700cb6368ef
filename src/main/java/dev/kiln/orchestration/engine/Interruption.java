package dev.kiln.orchestration.engine;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * How the steps of one walk are told to stop, and why. A walk that times out says so here; an
 * enclosing walk's stop reaches this one (a nested stack's steps stop when their parent
 * resource's walk does); and an operation that was let go or taken over (a cancel, a delete that
 * supersedes it) is stopped here by a flag.
 *
 * <p>Stopping never interrupts a thread that may be inside the store: interrupting a thread in
 * H2's file I/O closes the file channel under it, which can corrupt the embedded database. A
 * thread is interrupted only while it is {@linkplain #parked parked} in a wait this class runs
 * (a sleep, a signal wait), where it does no I/O; everywhere else a step notices the flag at its
 * next wait or at its next {@link #checkpoint}.
 *
 * <p>A timeout fails the stopped steps' resources with Heat's {@code <ACTION> aborted (Timed
 * out)}; any other stop means the node lets the operation go: the step then records nothing, and
 * the persisted state is left for whoever carries the operation on.
 */
final class Interruption {
  /** A wait that may be cut short by an interrupt. */
  @FunctionalInterface
  interface Wait<T> {
    T run() throws InterruptedException;
  }

  private final Interruption enclosing;
  private volatile boolean timedOut;
  private volatile boolean stopped;
  private final Set<Thread> parked = new HashSet<>(); // guarded by this

  /** @param enclosing the interruption of the walk this one runs inside, or null */
  Interruption(Interruption enclosing) {
    this.enclosing = enclosing;
  }

  /** The walk timed out: its waiting steps wake and fail their resources. */
  void timeOut() {
    timedOut = true;
    wakeParked();
  }

  /** The operation is let go: its waiting steps wake and leave without writing anything. */
  void stop() {
    stopped = true;
    wakeParked();
  }

  private synchronized void wakeParked() {
    parked.forEach(Thread::interrupt);
  }

  /** Whether this walk, or one it runs inside, timed out. */
  boolean timedOut() {
    return timedOut || (enclosing != null && enclosing.timedOut());
  }

  /** Whether this walk, or one it runs inside, was stopped (not a timeout). */
  boolean stopped() {
    return stopped || (enclosing != null && enclosing.stopped());
  }

  private boolean stopping() {
    return timedOut() || stopped();
  }

  /** Throws when the walk is stopping: where a step is about to start work. */
  void checkpoint() throws InterruptedException {
    if (stopping()) {
      throw new InterruptedException(stopped() ? "the operation was let go" : "timed out");
    }
  }

  /**
   * Runs {@code wait} with the calling thread registered here and with every enclosing walk, so
   * that a stop or timeout of any of them interrupts it; the thread's interrupt flag is cleared on
   * the way out if one of ours reached it, so it never carries one into the store.
   */
  <T> T parked(Wait<T> wait) throws InterruptedException {
    Thread self = Thread.currentThread();
    for (Interruption i = this; i != null; i = i.enclosing) {
      synchronized (i) {
        i.parked.add(self);
      }
    }
    try {
      checkpoint();
      return wait.run();
    } finally {
      for (Interruption i = this; i != null; i = i.enclosing) {
        synchronized (i) {
          i.parked.remove(self);
        }
      }
      if (stopping()) {
        // An interrupt of ours that came after the wait was over must not reach the store; the
        // next checkpoint reports the stop instead.
        Thread.interrupted();
      }
    }
  }

  /** Sleeps for {@code duration} unless the walk stops first. */
  void pause(Duration duration) throws InterruptedException {
    if (duration.isNegative() || duration.isZero()) {
      checkpoint();
      return;
    }
    parked(() -> {
      Thread.sleep(duration);
      return null;
    });
  }

  /** A step was stopped and this is not a timeout: it lets go without writing anything. */
  static final class LetGo extends RuntimeException {
    LetGo() {
      super("the operation was let go", null, false, false);
    }
  }
}
