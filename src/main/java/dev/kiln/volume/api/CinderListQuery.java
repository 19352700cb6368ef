package dev.kiln.volume.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.Json;
import dev.kiln.http.PageRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cinder's list conventions: equality filters on a resource's filterable attributes ({@code
 * metadata} as a JSON object), {@code name~} partial matches (3.34), time comparisons on {@code
 * created_at}/{@code updated_at} such as {@code gt:2026-01-01T00:00:00} (3.60), {@code sort} as
 * {@code key:dir,…} (or {@code sort_key}/{@code sort_dir}), {@code limit}/{@code marker} with a
 * {@code <collection>_links} next link, and {@code with_count} (3.45).
 */
final class CinderListQuery {
  private static final Set<String> CONTROL =
      Set.of("sort", "sort_key", "sort_dir", "limit", "marker", "offset", "all_tenants", "with_count");

  private CinderListQuery() {}

  /**
   * @param filterable the attributes this collection may be filtered on
   * @param summary turns a full item into what the non-detail list shows, or null to show all
   */
  static ObjectNode answer(
      ApiRequest request,
      String collection,
      String url,
      List<ObjectNode> all,
      Set<String> filterable,
      java.util.function.UnaryOperator<ObjectNode> summary) {
    List<ObjectNode> matching = new ArrayList<>();
    for (ObjectNode item : all) {
      if (matches(request, item, filterable)) {
        matching.add(item);
      }
    }
    matching.sort(order(request));
    PageRequest.Page<ObjectNode> page = PageRequest.from(request).apply(matching, i -> i.path("id").asText());
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray(collection);
    page.items().forEach(i -> items.add(summary == null ? i : summary.apply(i)));
    ArrayNode links = page.links(url);
    if (!links.isEmpty()) {
      body.set(collection + "_links", links);
    }
    if (request.microversion().atLeast(3, 45)
        && request.query("with_count").map(v -> v.equalsIgnoreCase("true")).orElse(false)) {
      body.put("count", matching.size());
    }
    return body;
  }

  private static boolean matches(ApiRequest request, ObjectNode item, Set<String> filterable) {
    for (String name : request.queryNames()) {
      if (CONTROL.contains(name)) {
        continue;
      }
      String value = request.query(name).orElse("");
      boolean like = name.endsWith("~");
      String attribute = like ? name.substring(0, name.length() - 1) : name;
      if (!filterable.contains(attribute) || (like && !request.microversion().atLeast(3, 34))) {
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
    JsonNode filter;
    try {
      filter = Json.MAPPER.readTree(wanted);
    } catch (Exception e) {
      throw ApiError.badRequest("Invalid metadata filter '" + wanted + "': expected a JSON object such as {\"k\": \"v\"}.");
    }
    if (filter == null || !filter.isObject()) {
      throw ApiError.badRequest("Invalid metadata filter '" + wanted + "': expected a JSON object such as {\"k\": \"v\"}.");
    }
    Iterator<Map.Entry<String, JsonNode>> fields = filter.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> e = fields.next();
      if (actual == null || !actual.path(e.getKey()).asText("\u0000").equals(e.getValue().asText())) {
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

  private static Comparator<ObjectNode> order(ApiRequest request) {
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
      String field = key[0];
      Comparator<ObjectNode> one = Comparator.comparing(i -> i.path(field).isNumber()
          ? String.format("%020d", i.path(field).asLong())
          : i.path(field).asText(""));
      one = key[1].equals("desc") ? one.reversed() : one;
      comparator = comparator == null ? one : comparator.thenComparing(one);
    }
    return comparator.thenComparing(i -> i.path("id").asText());
  }
}
