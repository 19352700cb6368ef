package dev.kiln.objectstore.api;

import dev.kiln.objectstore.Refusal;
import dev.kiln.objectstore.StoredObject;
import dev.kiln.objectstore.Timestamps;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The conditional headers of a GET or HEAD, in HTTP's order: If-Match (412 when no tag matches),
 * If-Unmodified-Since (412), If-None-Match (304 when a tag matches), If-Modified-Since (304). A
 * date that does not parse is ignored, as HTTP says.
 */
final class Conditions {
  private Conditions() {}

  static void check(SwiftRequest r, StoredObject o) {
    Optional<String> ifMatch = r.header("If-Match");
    if (ifMatch.isPresent() && !matches(ifMatch.get(), o.etag())) {
      throw Refusal.preconditionFailed("The object's ETag matches none in If-Match.");
    }
    long modified = Timestamps.ceilSeconds(o.timestampMicros());
    Optional<Long> unmodifiedSince = date(r.header("If-Unmodified-Since"));
    if (ifMatch.isEmpty() && unmodifiedSince.isPresent() && modified > unmodifiedSince.get()) {
      throw Refusal.preconditionFailed("The object was modified after If-Unmodified-Since.");
    }
    Optional<String> ifNoneMatch = r.header("If-None-Match");
    if (ifNoneMatch.isPresent() && matches(ifNoneMatch.get(), o.etag())) {
      throw new Refusal(Refusal.Kind.NOT_MODIFIED, "Not modified.");
    }
    Optional<Long> modifiedSince = date(r.header("If-Modified-Since"));
    if (ifNoneMatch.isEmpty() && modifiedSince.isPresent() && modified <= modifiedSince.get()) {
      throw new Refusal(Refusal.Kind.NOT_MODIFIED, "Not modified.");
    }
  }

  private static boolean matches(String header, String etag) {
    for (String tag : header.split(",")) {
      String t = tag.strip();
      if (t.startsWith("W/")) {
        t = t.substring(2);
      }
      if (t.equals("*") || ObjectRequests.unquote(t).equalsIgnoreCase(etag)) {
        return true;
      }
    }
    return false;
  }

  private static Optional<Long> date(Optional<String> header) {
    if (header.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(ZonedDateTime.parse(header.get().strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
