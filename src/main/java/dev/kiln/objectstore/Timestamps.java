package dev.kiln.objectstore;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Swift's times: microseconds since the epoch in the store, shown as {@code X-Timestamp} (seconds
 * with five decimals), {@code Last-Modified} (an HTTP date, rounded up to the second as Swift
 * does) and the listings' {@code last_modified} (ISO 8601 with microseconds, no zone).
 */
public final class Timestamps {
  private static final DateTimeFormatter LISTING =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS", Locale.ROOT).withZone(ZoneOffset.UTC);

  private Timestamps() {}

  /** Now, in the ten-microsecond steps X-Timestamp can show. */
  public static long now(Clock clock) {
    Instant now = clock.instant();
    long micros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    return micros - micros % 10;
  }

  public static String xTimestamp(long micros) {
    return String.format(Locale.ROOT, "%d.%05d", micros / 1_000_000, (micros % 1_000_000) / 10);
  }

  /** Whole seconds, rounded up: the Last-Modified second a client compares with. */
  public static long ceilSeconds(long micros) {
    return (micros + 999_999) / 1_000_000;
  }

  public static String httpDate(long micros) {
    return DateTimeFormatter.RFC_1123_DATE_TIME.format(
        Instant.ofEpochSecond(ceilSeconds(micros)).atOffset(ZoneOffset.UTC));
  }

  public static String listing(long micros) {
    return LISTING.format(Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1_000));
  }
}
