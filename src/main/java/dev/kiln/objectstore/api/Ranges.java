package dev.kiln.objectstore.api;

import dev.kiln.objectstore.Refusal;
import dev.kiln.objectstore.StoredObjects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code Range: bytes=…} header against an object's size. One range is served as a 206; a
 * header that does not parse, or asks for several ranges, is ignored and the whole object served
 * (HTTP lets a server do either); a range wholly past the end is a 416.
 */
final class Ranges {
  private static final Pattern ONE = Pattern.compile("\\s*bytes\\s*=\\s*(\\d*)\\s*-\\s*(\\d*)\\s*");

  private Ranges() {}

  static Optional<StoredObjects.Slice> slice(Optional<String> header, long size) {
    if (header.isEmpty()) {
      return Optional.empty();
    }
    Matcher m = ONE.matcher(header.get());
    if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
      return Optional.empty();
    }
    try {
      if (m.group(1).isEmpty()) {
        long suffix = Long.parseLong(m.group(2));
        if (suffix == 0 || size == 0) {
          throw unsatisfiable();
        }
        long length = Math.min(suffix, size);
        return Optional.of(new StoredObjects.Slice(size - length, length));
      }
      long first = Long.parseLong(m.group(1));
      long last = m.group(2).isEmpty() ? Long.MAX_VALUE : Long.parseLong(m.group(2));
      if (last < first) {
        return Optional.empty();
      }
      if (first >= size) {
        throw unsatisfiable();
      }
      last = Math.min(last, size - 1);
      return Optional.of(new StoredObjects.Slice(first, last - first + 1));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static Refusal unsatisfiable() {
    return new Refusal(Refusal.Kind.RANGE_NOT_SATISFIABLE, "The requested range is not within the object.");
  }
}
