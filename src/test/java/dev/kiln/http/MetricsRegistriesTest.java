package dev.kiln.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The window /metrics' percentiles cover: Micrometer's by default, or one of its own. */
class MetricsRegistriesTest {
  @Test
  void aWindowOfItsOwnForgetsWhatCameBeforeIt() {
    MockClock clock = new MockClock();
    PrometheusMeterRegistry registry = MetricsRegistries.create("10", clock);
    Timer timer = timer(registry);
    record(timer, 1_000, 5); // a warm-up, slower
    clock.add(Duration.ofSeconds(11));
    record(timer, 100, 1);
    clock.add(Duration.ofSeconds(8)); // the timed run takes a while: it stays in the window

    assertThat(p95Millis(registry)).isBetween(0.99, 1.02);
  }

  @Test
  void theDefaultWindowStillHoldsTheWarmUp() {
    MockClock clock = new MockClock();
    PrometheusMeterRegistry registry = MetricsRegistries.create(null, clock);
    Timer timer = timer(registry);
    record(timer, 1_000, 5);
    clock.add(Duration.ofSeconds(11));
    record(timer, 100, 1);

    assertThat(p95Millis(registry)).isGreaterThan(4.0);
  }

  @Test
  void aWindowThatIsNotWholeSecondsIsRefused() {
    for (String bad : new String[] {"0", "-5", "1.5", "PT10S", "ten"}) {
      assertThatThrownBy(() -> MetricsRegistries.create(bad, new MockClock()))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(MetricsRegistries.WINDOW_PROPERTY)
          .hasMessageContaining("'" + bad + "'");
    }
  }

  private static Timer timer(PrometheusMeterRegistry registry) {
    return Timer.builder("kiln.test.requests").publishPercentiles(0.5, 0.95).register(registry);
  }

  private static void record(Timer timer, int count, long millis) {
    for (int i = 0; i < count; i++) {
      timer.record(millis, TimeUnit.MILLISECONDS);
    }
  }

  private static double p95Millis(PrometheusMeterRegistry registry) {
    Matcher m = Pattern.compile("kiln_test_requests_seconds\\{quantile=\"0\\.95\"\\} (\\S+)").matcher(registry.scrape());
    assertThat(m.find()).as("a p95 line in the scrape").isTrue();
    return Double.parseDouble(m.group(1)) * 1000;
  }
}
