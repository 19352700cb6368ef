package dev.kiln.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

/**
 * {@code limit}/{@code marker} pagination as the OpenStack APIs define it: the page starts after
 * the item whose id is the marker, holds at most {@code limit} items, and a {@code next} link is
 * given when the page is full.
 *
 * @param limit at most this many items; null for no limit beyond the service's maximum
 * @param marker the id of the last item of the previous page, or null for the first page
 */
public record PageRequest(Integer limit, String marker) {

  /** Reads {@code limit} and {@code marker}; a limit that is not a whole number ≥ 0 is a 400. */
  public static PageRequest from(ApiRequest request) {
    Integer limit = null;
    String rawLimit = request.query("limit").orElse(null);
    if (rawLimit != null) {
      try {
        limit = Integer.parseInt(rawLimit);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 0) {
        throw ApiError.badRequest(
            "Invalid value for 'limit': '" + rawLimit + "'. It must be a whole number, 0 or more.");
      }
    }
    return new PageRequest(limit, request.query("marker").orElse(null));
  }

  /** Cuts one page out of a list that is already in the order the client asked for. */
  public <T> Page<T> apply(List<T> ordered, Function<T, String> idOf) {
    int start = 0;
    if (marker != null) {
      int index = -1;
      for (int i = 0; i < ordered.size(); i++) {
        if (marker.equals(idOf.apply(ordered.get(i)))) {
          index = i;
          break;
        }
      }
      if (index < 0) {
        throw ApiError.badRequest("MarkerNotFound", "Marker " + marker + " could not be found.");
      }
      start = index + 1;
    }
    int end =
        limit == null ? ordered.size() : (int) Math.min(ordered.size(), (long) start + limit);
    List<T> items = List.copyOf(ordered.subList(start, end));
    String next =
        limit != null && limit > 0 && end < ordered.size() && !items.isEmpty()
            ? idOf.apply(items.getLast())
            : null;
    return new Page<>(items, next, limit);
  }

  /**
   * One page and, when there is more, the marker of the next one.
   *
   * @param nextMarker the id to pass as marker for the next page, or null on the last page
   */
  public record Page<T>(List<T> items, String nextMarker, Integer limit) {
    /** The {@code *_links} array: a {@code next} link when there is a next page. */
    public ArrayNode links(String collectionUrl) {
      ArrayNode links = Json.array();
      if (nextMarker != null) {
        ObjectNode next = links.addObject();
        next.put("rel", "next");
        next.put(
            "href",
            collectionUrl
                + "?limit="
                + limit
                + "&marker="
                + URLEncoder.encode(nextMarker, StandardCharsets.UTF_8));
      }
      return links;
    }
  }
}
