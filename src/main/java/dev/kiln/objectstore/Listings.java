package dev.kiln.objectstore;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Swift's listing walk over one sorted page source: prefix, markers, limit, reverse, and the
 * delimiter, which rolls every name with the delimiter after the prefix (and something after it)
 * up to one {@code subdir} entry, then skips past all the names under it.
 */
final class Listings {
  private Listings() {}

  static <T> List<ListingEntry<T>> list(
      ListingQuery q, Function<NameRange, List<T>> page, Function<T, String> nameOf) {
    List<ListingEntry<T>> out = new ArrayList<>();
    boolean reverse = q.reverse();
    String lower = reverse ? q.endMarker() : q.marker();
    boolean lowerInclusive = false;
    String upper = reverse ? q.marker() : q.endMarker();
    if (!reverse && q.delimiter() != null && lower != null) {
      // A marker that is itself a subdir (a client paging a rolled-up listing) skips what is under it.
      String sub = subdir(lower, q.prefix(), q.delimiter(), true);
      if (sub != null && sub.equals(lower)) {
        lower = after(sub);
        lowerInclusive = true;
      }
    }
    while (out.size() < q.limit()) {
      int wanted = q.limit() - out.size();
      List<T> rows = page.apply(new NameRange(q.prefix(), lower, lowerInclusive, upper, reverse, wanted));
      if (rows.isEmpty()) {
        break;
      }
      boolean skipped = false;
      for (T row : rows) {
        String name = nameOf.apply(row);
        String sub = q.delimiter() == null ? null : subdir(name, q.prefix(), q.delimiter(), false);
        if (sub == null) {
          out.add(new ListingEntry.Item<>(name, row));
          if (reverse) {
            upper = name;
          } else {
            lower = name;
            lowerInclusive = false;
          }
          continue;
        }
        out.add(new ListingEntry.Subdir<>(sub));
        if (reverse) {
          upper = sub;
        } else {
          lower = after(sub);
          lowerInclusive = true;
        }
        skipped = true;
        break;
      }
      if (!skipped && rows.size() < wanted) {
        // A short page without a roll-up is the end of the names.
        break;
      }
    }
    return out;
  }

  /**
   * The subdir {@code name} rolls up to: the name up to and including the first delimiter after
   * the prefix, when more follows it (or, for a marker, even when nothing does); else null.
   */
  private static String subdir(String name, String prefix, String delimiter, boolean orEnd) {
    if (!name.startsWith(prefix)) {
      return null;
    }
    int at = name.indexOf(delimiter, prefix.length());
    if (at < 0) {
      return null;
    }
    int end = at + delimiter.length();
    return end < name.length() || orEnd ? name.substring(0, end) : null;
  }

  /** The smallest string above every name that starts with {@code sub}. */
  private static String after(String sub) {
    char last = sub.charAt(sub.length() - 1);
    return sub.substring(0, sub.length() - 1) + (char) (last + 1);
  }
}
