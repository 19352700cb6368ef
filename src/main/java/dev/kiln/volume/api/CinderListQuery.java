package dev.kiln.volume.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.Json;
import dev.kiln.http.PageRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Cinder's list conventions: equality filters on a resource's filterable attributes (admins may
 * filter on any; {@code metadata} as a dict literal, see {@link MetadataFilter}), {@code name~}
 * partial matches (3.34), time comparisons on {@code created_at}/{@code updated_at} such as {@code
 * gt:2026-01-01T00:00:00} (3.60), {@code sort} as {@code key:dir,…} (or {@code
 * sort_key}/{@code sort_dir}) over the collection's sort keys, {@code limit}/{@code marker} (an
 * unknown marker is a 404, as Cinder's MarkerNotFound) with a {@code <collection>_links} next link
 * whenever a page is full, and {@code with_count} (3.45).
 */
final class CinderListQuery {
  private static final Set<String> CONTROL =
      Set.of("sort", "sort_key", "sort_dir", "limit", "marker", "offset", "all_tenants", "with_count");

  private CinderListQuery() {}

  /** Sort keys Cinder takes for another attribute's name. */
  private static final Map<String, String> SORT_ALIASES =
      Map.of("display_name", "name", "display_description", "description", "project_id", "os-vol-tenant-attr:tenant_id");
  /** Filters Cinder takes for another attribute's name. */
  private static final Map<String, String> FILTER_ALIASES =
      Map.of("display_name", "name", "project_id", "os-vol-tenant-attr:tenant_id", "tenant_id", "os-vol-tenant-attr:tenant_id");

  /**
   * @param filterable the attributes this collection may be filtered on (by anyone; admins may
   *     filter on any attribute, as Cinder lets them)
   * @param sortable the attributes it may be sorted on
   * @param summary turns a full item into what the non-detail list shows, or null to show all
   */
  static ObjectNode answer(
      ApiRequest request,
      String collection,
      String url,
      List<ObjectNode> all,
      Set<String> filterable,
      Set<String> sortable,
      java.util.function.UnaryOperator<ObjectNode> summary) {
    List<ObjectNode> matching = new ArrayList<>();
    for (ObjectNode item : all) {
      if (matches(request, item, filterable)) {
        matching.add(item);
      }
    }
    matching.sort(order(request, sortable));
    PageRequest paging = PageRequest.from(request);
    if (paging.marker() != null && all.stream().noneMatch(i -> paging.marker().equals(i.path("id").asText()))) {
      throw ApiError.notFound("MarkerNotFound", "Marker " + paging.marker() + " could not be found.");
    }
    int start = 0;
    if (paging.marker() != null) {
      start = matching.size(); // a marker filtered out of this list has nothing after it here
      for (int i = 0; i < matching.size(); i++) {
        if (paging.marker().equals(matching.get(i).path("id").asText())) {
          start = i + 1;
          break;
        }
      }
    }
    start = (int) Math.min(matching.size(), (long) start + offset(request));
    int end = paging.limit() == null ? matching.size() : (int) Math.min(matching.size(), (long) start + paging.limit());
    List<ObjectNode> page = matching.subList(start, end);
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray(collection);
    page.forEach(i -> items.add(summary == null ? i : summary.apply(i)));
    // Cinder links the next page whenever this one is full, even when nothing follows.
    if (paging.limit() != null && paging.limit() > 0 && page.size() == paging.limit()) {
      ArrayNode links = body.putArray(collection + "_links");
      links.addObject().put("rel", "next").put("href", nextLink(request, url, page.getLast().path("id").asText()));
    }
    if (request.microversion().atLeast(3, 45)
        && request.query("with_count").map(v -> v.equalsIgnoreCase("true")).orElse(false)) {
      body.put("count", matching.size());
    }
    return body;
  }

  private static int offset(ApiRequest request) {
    String raw = request.query("offset").orElse(null);
    if (raw == null) {
      return 0;
    }
    try {
      int offset = Integer.parseInt(raw);
      if (offset >= 0) {
        return offset;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiError.badRequest("InvalidInput", "Invalid input received: offset must be a whole number, 0 or more; got '" + raw + "'.");
  }

  /** The request's own URL, with the marker moved on to {@code marker} (and no offset). */
  private static String nextLink(ApiRequest request, String url, String marker) {
    StringJoiner query = new StringJoiner("&");
    for (String name : request.queryNames()) {
      if (!name.equals("marker") && !name.equals("offset")) {
        query.add(encode(name) + "=" + encode(request.query(name).orElse("")));
      }
    }
    query.add("marker=" + encode(marker));
    return url + "?" + query;
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private static boolean matches(ApiRequest request, ObjectNode item, Set<String> filterable) {
    for (String name : request.queryNames()) {
      if (CONTROL.contains(name)) {
        continue;
      }
      String value = request.query(name).orElse("");
      boolean like = name.endsWith("~");
      String given = like ? name.substring(0, name.length() - 1) : name;
      String attribute = FILTER_ALIASES.getOrDefault(given, given);
      boolean allowed = filterable.contains(given) || filterable.contains(attribute) || request.caller().isAdmin();
      if (!allowed || (like && !request.microversion().atLeast(3, 34))) {
        throw ApiError.badRequest("Invalid filters " + name + " are found in query options.");
      }
      JsonNode actual = item.get(attribute);
      if (attribute.equals("metadata")) {
        if (!metadataMatches(actual, value)) {
          return false;
        }
      } else if ((attribute.equals("created_at") || attribute.equals("updated_at"))) {
        if (!request.microversion().atLeast(3, 60)) {
          throw ApiError.badRequest("Invalid filters " + name + " are found in query options.");
        }
        if (!timeMatches(actual == null ? "" : actual.asText(), value)) {
          return false;
        }
      } else {
        String text = actual == null || actual.isNull() ? "" : actual.asText();
        if (like ? !text.contains(value) : !text.equalsIgnoreCase(value)) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean metadataMatches(JsonNode actual, String wanted) {
    for (Map.Entry<String, String> e : MetadataFilter.parse(wanted).entrySet()) {
      if (actual == null || !actual.path(e.getKey()).asText("\u0000").equals(e.getValue())) {
        return false;
      }
    }
    return true;
  }

  /** {@code gt:2026-01-01T00:00:00}: Cinder's timestamps compare correctly as text. */
  private static boolean timeMatches(String actual, String filter) {
    int colon = filter.indexOf(':');
    String op = colon > 0 ? filter.substring(0, colon) : "eq";
    String when = colon > 0 ? filter.substring(colon + 1) : filter;
    int c = actual.compareTo(when);
    return switch (op) {
      case "gt" -> c > 0;
      case "gte" -> c >= 0;
      case "lt" -> c < 0;
      case "lte" -> c <= 0;
      case "eq" -> actual.startsWith(when);
      case "neq" -> !actual.startsWith(when);
      default -> throw ApiError.badRequest("Invalid time comparison '" + op + "': use gt, gte, lt, lte, eq or neq.");
    };
  }

  private static Comparator<ObjectNode> order(ApiRequest request, Set<String> sortable) {
    List<String[]> keys = new ArrayList<>();
    request.query("sort").ifPresent(sort -> {
      for (String part : sort.split(",")) {
        String[] kv = part.trim().split(":");
        keys.add(new String[] {kv[0], kv.length > 1 ? kv[1] : "desc"});
      }
    });
    request.query("sort_key").ifPresent(k -> keys.add(new String[] {k, request.query("sort_dir").orElse("desc")}));
    if (keys.isEmpty()) {
      keys.add(new String[] {"created_at", "desc"});
    }
    Comparator<ObjectNode> comparator = null;
    for (String[] key : keys) {
      if (!key[1].equals("asc") && !key[1].equals("desc")) {
        throw ApiError.badRequest("Invalid sort direction '" + key[1] + "': use asc or desc.");
      }
      String field = SORT_ALIASES.getOrDefault(key[0], key[0]);
      if (!sortable.contains(field)) {
        throw ApiError.badRequest(
            "InvalidInput", "Invalid input received: Invalid sort key " + key[0] + "; sort by one of " + String.join(", ", new java.util.TreeSet<>(sortable)) + ".");
      }
      Comparator<ObjectNode> one = Comparator.comparing(i -> i.path(field).isNumber()
          ? String.format("%020d", i.path(field).asLong())
          : i.path(field).asText(""));
      one = key[1].equals("desc") ? one.reversed() : one;
      comparator = comparator == null ? one : comparator.thenComparing(one);
    }
    return comparator.thenComparing(i -> i.path("id").asText());
  }
}
