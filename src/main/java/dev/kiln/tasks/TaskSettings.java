package dev.kiln.tasks;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How a runner paces itself.
 *
 * @param pollInterval how often to look for due tasks when nothing wakes the runner earlier
 * @param lease how long a claim holds without renewal; renewed every third of it while running
 * @param retryBackoff the delay before the second attempt, doubled for each further one
 * @param maxRetryBackoff the longest delay between attempts
 * @param maxAttempts attempts per task unless its submitter says otherwise
 * @param maxConcurrent how many tasks this runner runs at once
 * @param shutdownGrace how long {@link TaskRunner#close()} lets running tasks finish before it stops them
 *     (fences their commits and gives their tasks back)
 */
public record TaskSettings(
    Duration pollInterval,
    Duration lease,
    Duration retryBackoff,
    Duration maxRetryBackoff,
    int maxAttempts,
    int maxConcurrent,
    Duration shutdownGrace) {
  public TaskSettings {
    requireNonNull(pollInterval, "pollInterval is null");
    requireNonNull(lease, "lease is null");
    requireNonNull(retryBackoff, "retryBackoff is null");
    requireNonNull(maxRetryBackoff, "maxRetryBackoff is null");
    requireNonNull(shutdownGrace, "shutdownGrace is null");
    if (!pollInterval.isPositive()
        || !lease.isPositive()
        || retryBackoff.isNegative()
        || maxRetryBackoff.isNegative()
        || shutdownGrace.isNegative()
        || maxAttempts < 1
        || maxConcurrent < 1) {
      throw new IllegalArgumentException("invalid task runner settings: " + this);
    }
  }

  /** Polls every second, 30 s leases, 5 attempts from 1 s apart, 64 tasks at once. */
  public static TaskSettings defaults() {
    return new TaskSettings(
        Duration.ofSeconds(1),
        Duration.ofSeconds(30),
        Duration.ofSeconds(1),
        Duration.ofMinutes(5),
        5,
        64,
        Duration.ofSeconds(10));
  }

  /**
   * The defaults, with the lease {@code KILN_TASK_LEASE} names (seconds, such as {@code 3}) when
   * it is set: a short lease lets the other nodes take a dead node's tasks over sooner, at the
   * cost of more renewals. Crash tests use it; a lease under two seconds is refused, since a
   * renewal every third of it must fit the database's round trips.
   */
  public static TaskSettings fromEnvironment(String taskLeaseSeconds) {
    TaskSettings d = defaults();
    if (taskLeaseSeconds == null || taskLeaseSeconds.isBlank()) {
      return d;
    }
    long seconds;
    try {
      seconds = Long.parseLong(taskLeaseSeconds.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("KILN_TASK_LEASE must be a whole number of seconds, got " + taskLeaseSeconds);
    }
    if (seconds < 2) {
      throw new IllegalArgumentException("KILN_TASK_LEASE must be at least 2 seconds, got " + seconds);
    }
    Duration lease = Duration.ofSeconds(seconds);
    return new TaskSettings(
        d.pollInterval(), lease, d.retryBackoff(), d.maxRetryBackoff(), d.maxAttempts(),
        d.maxConcurrent(), d.shutdownGrace());
  }
}
