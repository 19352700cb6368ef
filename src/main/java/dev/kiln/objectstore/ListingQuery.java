package dev.kiln.objectstore;

/**
 * The parameters of an account or container listing, as Swift takes them.
 *
 * @param prefix only names that start with it ("" for all)
 * @param delimiter null, or a string that rolls names sharing a prefix up to one {@code subdir}
 * @param marker null, or list only names after it (before it when {@code reverse})
 * @param endMarker null, or list only names before it (after it when {@code reverse})
 * @param limit the most entries to answer, 1 to {@link SwiftLimits#LISTING_LIMIT} (0 lists none)
 */
public record ListingQuery(
    String prefix, String delimiter, String marker, String endMarker, int limit, boolean reverse) {

  public ListingQuery {
    prefix = prefix == null ? "" : prefix;
    delimiter = delimiter == null || delimiter.isEmpty() ? null : delimiter;
    marker = marker == null || marker.isEmpty() ? null : marker;
    endMarker = endMarker == null || endMarker.isEmpty() ? null : endMarker;
    if (limit < 0 || limit > SwiftLimits.LISTING_LIMIT) {
      throw new IllegalArgumentException("limit out of range: " + limit);
    }
  }

  public static ListingQuery all() {
    return new ListingQuery("", null, null, null, SwiftLimits.LISTING_LIMIT, false);
  }
}
