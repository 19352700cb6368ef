package dev.kiln.objectstore;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The headers Swift keeps with an object besides its {@code X-Object-Meta-*} (its object server's
 * {@code allowed_headers}): set by a PUT, replaced as a whole by a POST, answered on GET and HEAD.
 * {@code X-Delete-After} is turned into {@code X-Delete-At} when it arrives, as Swift does.
 */
public final class KeptHeaders {
  public static final String DELETE_AT = "x-delete-at";
  public static final String MANIFEST = "x-object-manifest";

  /** Swift's default allowed headers, lower-case. */
  public static final Set<String> NAMES =
      Set.of(
          "content-disposition",
          "content-encoding",
          "content-language",
          "cache-control",
          "expires",
          "x-robots-tag",
          MANIFEST,
          DELETE_AT);

  /** What a copy does not take from its source: its expiry and its being a manifest. */
  private static final Set<String> NOT_COPIED = Set.of(DELETE_AT, MANIFEST);

  private KeptHeaders() {}

  /**
   * The kept headers of a request, from (name, value) pairs; {@code X-Delete-After} becomes an
   * {@code X-Delete-At} counted from {@code clock}. A bad or past expiry is Swift's 400.
   */
  public static Metadata fromRequest(List<Map.Entry<String, String>> headers, Clock clock) {
    Map<String, String> kept = new HashMap<>();
    String deleteAfter = null;
    for (Map.Entry<String, String> h : headers) {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      if (NAMES.contains(name)) {
        kept.put(name, h.getValue().strip());
      } else if (name.equals("x-delete-after")) {
        deleteAfter = h.getValue().strip();
      }
    }
    long now = clock.instant().getEpochSecond();
    if (deleteAfter != null) {
      long after;
      try {
        after = Long.parseLong(deleteAfter);
      } catch (NumberFormatException e) {
        throw Refusal.badRequest("Non-integer X-Delete-After: '" + deleteAfter + "'.");
      }
      if (after < 0) {
        throw Refusal.badRequest("X-Delete-After in past: " + after + ".");
      }
      kept.put(DELETE_AT, Long.toString(now + after));
    }
    String at = kept.get(DELETE_AT);
    if (at != null) {
      if (at.isEmpty()) {
        kept.remove(DELETE_AT);
      } else {
        long when;
        try {
          when = Long.parseLong(at);
        } catch (NumberFormatException e) {
          throw Refusal.badRequest("Non-integer X-Delete-At: '" + at + "'.");
        }
        if (when <= now) {
          throw Refusal.badRequest("X-Delete-At in past: " + when + " is not after " + now + ".");
        }
      }
    }
    String manifest = kept.get(MANIFEST);
    if (manifest != null) {
      String m = manifest.startsWith("/") ? manifest.substring(1) : manifest;
      if (m.indexOf('/') <= 0) {
        throw Refusal.badRequest("X-Object-Manifest must be in the format container/prefix; got '" + manifest + "'.");
      }
    }
    return new Metadata(kept);
  }

  /** The headers a copy takes from its source. */
  public static Metadata copied(Metadata source) {
    Map<String, String> kept = new HashMap<>(source.entries());
    kept.keySet().removeAll(NOT_COPIED);
    return new Metadata(kept);
  }

  static Long deleteAt(Metadata headers) {
    String at = headers.get(DELETE_AT);
    if (at == null) {
      return null;
    }
    try {
      return Long.parseLong(at);
    } catch (NumberFormatException e) {
      return null; // never stored: checked on the way in
    }
  }
}
