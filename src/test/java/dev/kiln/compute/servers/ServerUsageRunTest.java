package dev.kiln.compute.servers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.compute.servers.ServerUsage.Run;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How many hours of a server's run fall in a report's period, counted as Nova counts them. */
class ServerUsageRunTest {
  private static final Instant START = Instant.parse("2026-01-10T00:00:00Z");
  private static final Instant STOP = Instant.parse("2026-01-11T00:00:00Z");

  private static Run run(String launched, String terminated) {
    return new Run(
        "s", "p", "n", "m1.tiny", 1, 512, 1, terminated == null ? "active" : Run.TERMINATED, Instant.parse(launched),
        terminated == null ? null : Instant.parse(terminated));
  }

  @Test
  void aServerRunningThroughThePeriodCountsAllOfIt() {
    assertThat(run("2026-01-01T00:00:00Z", null).hours(START, STOP)).isEqualTo(24.0);
  }

  @Test
  void aServerStillRunningCountsUpToThePeriodsEnd() {
    assertThat(run("2026-01-10T18:00:00Z", null).hours(START, STOP)).isEqualTo(6.0);
  }

  @Test
  void aServerCountsFromItsLaunchToItsDeletionInsideThePeriod() {
    assertThat(run("2026-01-10T01:00:00Z", "2026-01-10T01:30:00Z").hours(START, STOP)).isEqualTo(0.5);
    assertThat(run("2026-01-09T12:00:00Z", "2026-01-10T03:00:00Z").hours(START, STOP)).isEqualTo(3.0);
  }

  @Test
  void aServerOutsideThePeriodCountsNothing() {
    assertThat(run("2026-01-01T00:00:00Z", "2026-01-09T00:00:00Z").hours(START, STOP)).isZero();
    assertThat(run("2026-01-12T00:00:00Z", null).hours(START, STOP)).isZero();
  }
}
