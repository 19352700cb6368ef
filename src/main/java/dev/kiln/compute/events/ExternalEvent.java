package dev.kiln.compute.events;

import java.time.Instant;
import java.util.Locale;

/** One recorded event. */
public record ExternalEvent(
    String id, String serverId, String name, String tag, String status, Source source, Instant receivedAt) {

  /** Who sent it: a client of the API, or Kiln's own Networking or Block Storage. */
  public enum Source {
    API,
    NETWORK,
    VOLUME;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Source of(String wireName) {
      return valueOf(wireName.toUpperCase(Locale.ROOT));
    }
  }
}
