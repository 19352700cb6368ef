package dev.kiln.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Polling for tests: Kiln's work (builds, moves, deletes) finishes on background tasks. */
public final class Await {
  /** How long a test waits unless it says otherwise. */
  public static final Duration DEFAULT = Duration.ofSeconds(10);

  private static final Duration POLL = Duration.ofMillis(20);

  private Await() {}

  /** Polls {@code condition} until it holds; fails with "waiting for {@code what}" after {@link #DEFAULT}. */
  public static void until(BooleanSupplier condition, String what) {
    until(condition, DEFAULT, what);
  }

  /** Polls {@code condition} until it holds; fails with "waiting for {@code what}" after {@code timeout}. */
  public static void until(BooleanSupplier condition, Duration timeout, String what) {
    long deadline = deadline(timeout);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
      pause();
    }
  }

  /**
   * Polls {@code value} until {@code done} accepts what it answers or {@link #DEFAULT} has passed;
   * answers the last value, for the caller to assert on (so a failure shows what was seen).
   */
  public static <T> T value(Supplier<T> value, Predicate<T> done) {
    long deadline = deadline(DEFAULT);
    T seen;
    while (!done.test(seen = value.get()) && System.nanoTime() < deadline) {
      pause();
    }
    return seen;
  }

  /** The time between two polls, for loops that need more than a condition (e.g. a last value). */
  public static void pause() {
    try {
      Thread.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** A deadline {@code timeout} from now, in {@link System#nanoTime()} terms. */
  public static long deadline(Duration timeout) {
    return System.nanoTime() + timeout.toNanos();
  }
}
