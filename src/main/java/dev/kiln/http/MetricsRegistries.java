package dev.kiln.http;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;

/**
 * The registry behind {@code /metrics}. Its percentiles (p50, p95, p99 of each route) cover a
 * sliding window: by default Micrometer's for Prometheus, the last 40 to 60 seconds.
 *
 * <p>{@value #WINDOW_PROPERTY} sets a window of its own, in whole seconds, split into ten
 * parts with finer percentiles (two significant digits instead of one). {@code kiln bench
 * requests} starts its server with 10 s and waits that long after each call's warm-up, so that
 * the percentiles it reads hold the timed run alone, not the warm-up before it. Ten parts of a
 * histogram each instead of three cost a route more memory, so it is a bench setting.
 */
public final class MetricsRegistries {
  public static final String WINDOW_PROPERTY = "kiln.metrics.window-seconds";
  /** How many parts a window of one's own is rotated in: a part expires at a time. */
  static final int WINDOW_PARTS = 10;

  private MetricsRegistries() {}

  /** The registry, with the window {@value #WINDOW_PROPERTY} sets, if it is set. */
  public static PrometheusMeterRegistry create() {
    return create(System.getProperty(WINDOW_PROPERTY), Clock.SYSTEM);
  }

  static PrometheusMeterRegistry create(String windowSeconds, Clock clock) {
    PrometheusMeterRegistry registry =
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new PrometheusRegistry(), clock);
    if (windowSeconds != null && !windowSeconds.isBlank()) {
      Duration window = window(windowSeconds);
      registry.config().meterFilter(new MeterFilter() {
        @Override
        public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
          return DistributionStatisticConfig.builder()
              .expiry(window)
              .bufferLength(WINDOW_PARTS)
              .percentilePrecision(2)
              .build()
              .merge(config);
        }
      });
    }
    return registry;
  }

  private static Duration window(String seconds) {
    long value;
    try {
      value = Long.parseLong(seconds.strip());
    } catch (NumberFormatException e) {
      value = 0;
    }
    if (value < 1) {
      throw new IllegalArgumentException(
          WINDOW_PROPERTY + " takes a whole number of seconds, 1 or more; not '" + seconds + "'");
    }
    return Duration.ofSeconds(value);
  }
}
