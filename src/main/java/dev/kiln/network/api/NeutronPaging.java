package dev.kiln.network.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Neutron's list paging ({@code pagination} extension), which differs from the other services'
 * (dev.kiln.http.PageRequest) in three ways: {@code limit=0} means no limit; {@code page_reverse}
 * answers the page that ends just before the marker (still in the requested order); and the
 * links keep the request's sorting and filters and come as a pair, {@code next} and
 * {@code previous}, each left out only where Neutron leaves it out (a short page has no further
 * page in the direction it was read).
 *
 * <p>The marker is placed by its sort values, not looked up in the filtered page list, so a
 * marker that a filter leaves out still pages, as in Neutron's SQL paging.
 */
record NeutronPaging(Integer limit, String marker, boolean reverse) {

  static NeutronPaging from(ApiRequest request) {
    Integer limit = null;
    String raw = request.query("limit").orElse(null);
    if (raw != null) {
      int parsed;
      try {
        parsed = Integer.parseInt(raw.strip());
      } catch (NumberFormatException e) {
        parsed = -1;
      }
      if (parsed < 0) {
        throw ApiError.badRequest(
            "HTTPBadRequest", "Limit must be an integer 0 or greater and not '" + raw + "'.");
      }
      limit = parsed == 0 ? null : parsed;
    }
    return new NeutronPaging(limit, request.query("marker").orElse(null), pageReverse(request));
  }

  private static boolean pageReverse(ApiRequest request) {
    String raw = request.query("page_reverse").orElse("false").strip().toLowerCase(Locale.ROOT);
    return switch (raw) {
      case "true", "t", "1", "yes", "y", "on" -> true;
      case "false", "f", "0", "no", "n", "off", "" -> false;
      default -> throw ApiError.badRequest("HTTPBadRequest", "page_reverse must be true or false, not '" + raw + "'.");
    };
  }

  /**
   * The page of {@code ordered} (already filtered and sorted) this request asks for.
   *
   * @param everything every item the caller may see, unfiltered: where the marker is found
   */
  List<ObjectNode> apply(List<ObjectNode> ordered, List<ObjectNode> everything, Comparator<ObjectNode> order) {
    List<ObjectNode> side = ordered;
    if (marker != null) {
      ObjectNode markerItem =
          everything.stream()
              .filter(item -> marker.equals(item.path("id").asText()))
              .findFirst()
              .orElseThrow(() -> ApiError.badRequest("MarkerNotFound", "Marker " + marker + " could not be found."));
      side = new ArrayList<>();
      for (ObjectNode item : ordered) {
        int c = order.compare(item, markerItem);
        if (reverse ? c < 0 : c > 0) {
          side.add(item);
        }
      }
    }
    if (limit == null || side.size() <= limit) {
      return List.copyOf(side);
    }
    return List.copyOf(reverse ? side.subList(side.size() - limit, side.size()) : side.subList(0, limit));
  }

  /** The {@code <collection>_links}: none without a limit, else next and previous as Neutron gives them. */
  ArrayNode links(ApiRequest request, String url, List<ObjectNode> page) {
    ArrayNode links = Json.array();
    if (limit == null) {
      return links;
    }
    boolean shortPage = page.size() < limit;
    if (!(shortPage && !reverse)) {
      links.addObject().put("rel", "next").put("href", href(request, url, page.isEmpty() ? null : page.getLast(), false));
    }
    if (!(shortPage && reverse)) {
      links.addObject()
          .put("rel", "previous")
          .put("href", href(request, url, page.isEmpty() ? null : page.getFirst(), true));
    }
    return links;
  }

  /** The request's own query with the marker moved to {@code edge} and page_reverse set for {@code previous}. */
  private static String href(ApiRequest request, String url, ObjectNode edge, boolean previous) {
    StringBuilder query = new StringBuilder();
    for (String name : request.queryNames()) {
      if (name.equals("marker") || name.equals("page_reverse")) {
        continue;
      }
      for (String value : request.queryAll(name)) {
        append(query, name, value);
      }
    }
    if (edge != null) {
      append(query, "marker", edge.path("id").asText());
    }
    if (previous) {
      append(query, "page_reverse", "True");
    }
    return query.isEmpty() ? url : url + "?" + query;
  }

  private static void append(StringBuilder query, String name, String value) {
    if (!query.isEmpty()) {
      query.append('&');
    }
    query.append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
        .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
  }
}
