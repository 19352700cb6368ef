package dev.kiln.image.api;

import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.image.ImageQuery;
import dev.kiln.image.MemberStatus;
import dev.kiln.image.ImageQuery.Condition;
import dev.kiln.image.ImageQuery.Operator;
import dev.kiln.image.ImageQuery.SortKey;
import dev.kiln.image.ImageQuery.VisibilityFilter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code GET /v2/images} query parameters as Glance does: known filters, sorting (classic
 * {@code sort_key}/{@code sort_dir} or {@code sort=key:dir,…}), {@code limit}/{@code marker}, and
 * any other parameter as a filter on a custom property.
 */
final class ImageListQuery {
  private static final Set<String> NOT_FILTERS =
      Set.of("limit", "marker", "sort", "sort_key", "sort_dir", "member_status", "visibility", "tag",
          "os_hidden");
  private static final Set<String> LIST_ATTRIBUTES =
      Set.of("name", "id", "status", "container_format", "disk_format");

  private ImageListQuery() {}

  static ImageQuery parse(ApiRequest request) {
    int limit = ImageQuery.DEFAULT_LIMIT;
    String rawLimit = request.query("limit").orElse(null);
    if (rawLimit != null) {
      try {
        limit = Integer.parseInt(rawLimit.trim());
      } catch (NumberFormatException e) {
        throw ApiError.badRequest("limit param must be an integer");
      }
      if (limit < 0) {
        throw ApiError.badRequest("limit param must be positive");
      }
    }
    String memberStatus = request.query("member_status").orElse("accepted");
    if (!List.of("pending", "accepted", "rejected", "all").contains(memberStatus)) {
      throw ApiError.badRequest("Invalid status: " + memberStatus);
    }
    VisibilityFilter visibility = VisibilityFilter.DEFAULT;
    String rawVisibility = request.query("visibility").orElse(null);
    if (rawVisibility != null && !rawVisibility.isEmpty()) {
      visibility =
          switch (rawVisibility) {
            case "community", "public", "private", "shared", "all" ->
                VisibilityFilter.valueOf(rawVisibility.toUpperCase(Locale.ROOT));
            default -> throw ApiError.badRequest("Invalid visibility value: " + rawVisibility);
          };
    }
    String hidden = request.query("os_hidden").orElse("false").toLowerCase(Locale.ROOT);
    if (!hidden.equals("true") && !hidden.equals("false")) {
      throw ApiError.badRequest(
          "Invalid value '" + hidden + "' for 'os_hidden' filter. Valid values are 'true' or 'false'.");
    }
    if (request.query("changes-since").isPresent()) {
      throw ApiError.badRequest("The \"changes-since\" filter is no longer available on v2.");
    }
    List<String> tags = new ArrayList<>();
    for (String tag : request.queryAll("tag")) {
      tags.add(tag.trim());
    }
    List<Condition> conditions = new ArrayList<>();
    for (String name : request.queryNames()) {
      if (NOT_FILTERS.contains(name)) {
        continue;
      }
      String value = request.query(name).orElse("");
      conditions.add(condition(name, value));
    }
    return new ImageQuery(
        visibility, conditions, tags, hidden.equals("true"), sort(request),
        request.query("marker").orElse(null), limit,
        memberStatus.equals("all") ? null : MemberStatus.fromApiName(memberStatus));
  }

  private static Condition condition(String name, String value) {
    if (name.equals("protected")) {
      if (!value.equals("true") && !value.equals("false")) {
        throw ApiError.badRequest(
            "Invalid value '" + value + "' for 'protected' filter. Valid values are 'true' or 'false'.");
      }
      return new Condition("protected", Operator.EQ, List.of(value));
    }
    if (name.endsWith("_min") || name.endsWith("_max")) {
      String attribute = name.substring(0, name.length() - 4);
      try {
        Long.parseLong(value.trim());
      } catch (NumberFormatException e) {
        throw ApiError.badRequest("Unable to filter on a range with a non-numeric value.");
      }
      return new Condition(attribute, name.endsWith("_min") ? Operator.GTE : Operator.LTE, List.of(value.trim()));
    }
    if (name.equals("created_at") || name.equals("updated_at")) {
      String[] split = splitOperator(value);
      Operator op =
          switch (split[0]) {
            case "eq" -> Operator.EQ;
            case "neq" -> Operator.NEQ;
            case "gt" -> Operator.GT;
            case "gte" -> Operator.GTE;
            case "lt" -> Operator.LT;
            case "lte" -> Operator.LTE;
            default -> throw ApiError.badRequest("Unable to filter by unknown operator '" + split[0] + "'.");
          };
      if (!isTime(split[1])) {
        throw ApiError.badRequest("Bad \"" + name + "\" query filter format. Use ISO 8601 DateTime notation.");
      }
      return new Condition(name, op, List.of(split[1]));
    }
    if (LIST_ATTRIBUTES.contains(name)) {
      String[] split = splitOperator(value);
      return switch (split[0]) {
        case "eq" -> new Condition(name, Operator.EQ, List.of(split[1]));
        case "in" -> new Condition(name, Operator.IN, splitQuoted(split[1]));
        default -> throw ApiError.badRequest("Unable to filter by unknown operator '" + split[0] + "'.");
      };
    }
    return new Condition(name, Operator.EQ, List.of(value));
  }

  /** {@code op:value}, or {@code eq} and the whole value (also for an ISO time with colons). */
  private static String[] splitOperator(String expression) {
    int colon = expression.indexOf(':');
    if (colon < 0 || isTime(expression)) {
      return new String[] {"eq", expression};
    }
    return new String[] {expression.substring(0, colon), expression.substring(colon + 1)};
  }

  private static boolean isTime(String value) {
    try {
      OffsetDateTime.parse(value.trim());
      return true;
    } catch (DateTimeParseException e) {
      try {
        LocalDateTime.parse(value.trim());
        return true;
      } catch (DateTimeParseException e2) {
        return false;
      }
    }
  }

  /** A comma-separated list whose items may be double-quoted to hold commas ({@code "a,b",c}). */
  static List<String> splitQuoted(String list) {
    List<String> items = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < list.length(); i++) {
      char c = list.charAt(i);
      if (quoted) {
        if (c == '\\' && i + 1 < list.length() && list.charAt(i + 1) == '"') {
          current.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          current.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        items.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    if (quoted) {
      throw ApiError.badRequest("Invalid filter value " + list + ". The quote is not closed.");
    }
    items.add(current.toString());
    return items;
  }

  private static List<SortKey> sort(ApiRequest request) {
    List<String> keys = new ArrayList<>();
    List<String> dirs = new ArrayList<>();
    String sort = request.query("sort").orElse(null);
    if (sort != null) {
      if (request.query("sort_key").isPresent() || request.query("sort_dir").isPresent()) {
        throw ApiError.badRequest("Old and new sorting syntax cannot be combined");
      }
      for (String part : sort.strip().split(",")) {
        int colon = part.indexOf(':');
        keys.add(sortKey(colon < 0 ? part.strip() : part.substring(0, colon).strip()));
        dirs.add(sortDir(colon < 0 || part.substring(colon + 1).isBlank() ? "desc" : part.substring(colon + 1).strip()));
      }
    } else {
      for (String key : request.queryAll("sort_key")) {
        keys.add(sortKey(key.strip()));
      }
      for (String dir : request.queryAll("sort_dir")) {
        dirs.add(sortDir(dir.strip()));
      }
      if (dirs.size() > 1 && dirs.size() != keys.size()) {
        throw ApiError.badRequest("Number of sort dirs does not match the number of sort keys");
      }
    }
    if (keys.isEmpty()) {
      keys.add("created_at");
    }
    List<SortKey> order = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      String dir = dirs.isEmpty() ? "desc" : dirs.size() == 1 ? dirs.getFirst() : dirs.get(i);
      order.add(new SortKey(keys.get(i), dir.equals("asc")));
    }
    return order;
  }

  private static String sortKey(String key) {
    if (!ImageQuery.SORT_KEYS.contains(key)) {
      throw ApiError.badRequest(
          "Invalid sort key: " + key + ". It must be one of the following: "
              + String.join(", ", ImageQuery.SORT_KEYS) + ".");
    }
    return key;
  }

  private static String sortDir(String dir) {
    if (!dir.equals("asc") && !dir.equals("desc")) {
      throw ApiError.badRequest("Invalid sort direction: " + dir);
    }
    return dir;
  }

  /**
   * The {@code first} and {@code next} links of a list answer: {@code /v2/images} with the
   * request's parameters, without the marker for {@code first}, with the next one for {@code next}.
   */
  static Map<String, String> links(ApiRequest request, String nextMarker) {
    StringBuilder query = new StringBuilder();
    for (String name : request.queryNames()) {
      if (name.equals("marker")) {
        continue;
      }
      for (String value : request.queryAll(name)) {
        query.append(query.isEmpty() ? "" : "&").append(encode(name)).append('=').append(encode(value));
      }
    }
    Map<String, String> links = new LinkedHashMap<>();
    links.put("first", "/v2/images" + (query.isEmpty() ? "" : "?" + query));
    if (nextMarker != null) {
      links.put(
          "next",
          "/v2/images?" + query + (query.isEmpty() ? "" : "&") + "marker=" + encode(nextMarker));
    }
    return links;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
