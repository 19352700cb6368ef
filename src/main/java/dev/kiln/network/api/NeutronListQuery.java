package dev.kiln.network.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.Json;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import dev.kiln.network.Listing;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Neutron's list conventions, applied the same way to every collection: equality filters on any
 * attribute (a repeated parameter means any of its values), {@code fixed_ips=ip_address=…} style
 * filters on lists of objects, {@code sort_key}/{@code sort_dir}, {@code limit}/{@code marker}
 * paged as Neutron pages (NeutronPaging), and {@code fields} to trim the answer.
 */
final class NeutronListQuery {
  private static final Set<String> CONTROL =
      Set.of("fields", "sort_key", "sort_dir", "limit", "marker", "page_reverse");
  /** Filters that are no attribute's equality: tag sets (standard-attr-tag) and changed_since. */
  private static final Set<String> SPECIAL =
      Set.of("tags", "tags-any", "not-tags", "not-tags-any", "changed_since");
  private static final Set<String> TAG_FILTERS = Set.of("tags", "tags-any", "not-tags", "not-tags-any");
  /** The keys of {@code fixed_ips} filters the database answers. */
  private static final Set<String> ADDRESS_KEYS = Set.of("ip_address", "subnet_id", "ip_address_substr");

  private NeutronListQuery() {}

  /**
   * Answers the list request over already rendered resources.
   *
   * @param collection the collection's name, e.g. {@code networks}
   */
  static ObjectNode answer(ApiRequest request, String collection, String url, List<ObjectNode> all) {
    Set<String> attributes = new HashSet<>();
    all.forEach(item -> item.fieldNames().forEachRemaining(attributes::add));
    return answer(request, collection, url, all, attributes);
  }

  /**
   * Answers the list request, refusing filters on anything but {@code attributes} even when the
   * list is empty, as Neutron's filter validation does.
   */
  static ObjectNode answer(
      ApiRequest request, String collection, String url, List<ObjectNode> all, Set<String> attributes) {
    for (String name : request.queryNames()) {
      if (!CONTROL.contains(name) && !SPECIAL.contains(name) && !attributes.contains(name)) {
        throw ApiError.badRequest(
            "HTTPBadRequest",
            "'" + name + "' is not an attribute of " + collection + ", so it cannot filter the list.");
      }
    }
    Instant changedSince = changedSince(request);
    List<ObjectNode> matching = new ArrayList<>();
    for (ObjectNode item : all) {
      if (matches(request, item) && matchesTags(request, item) && isChangedSince(item, changedSince)) {
        matching.add(item);
      }
    }
    Comparator<ObjectNode> order = order(request, all);
    matching.sort(order);
    NeutronPaging paging = NeutronPaging.from(request);
    List<ObjectNode> page = paging.apply(matching, all, order);
    Set<String> fields = new HashSet<>(request.queryAll("fields"));
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray(collection);
    for (ObjectNode item : page) {
      items.add(fields.isEmpty() ? item : trim(item, fields));
    }
    ArrayNode links = paging.links(request, url, page);
    if (!links.isEmpty()) {
      body.set(collection + "_links", links);
    }
    return body;
  }

  /**
   * The request as a {@link Listing} the database can answer, when every filter and sort key is
   * one of the collection's listable attributes ({@code covers}) and nothing else is asked
   * ({@code changed_since}, filters on lists other than a port's {@code fixed_ips}); empty
   * otherwise, and the caller answers with {@link #answer} over the rendered resources. The
   * answers are the same either way.
   *
   * @param addresses whether {@code fixed_ips=key=value} filters may be given (ports)
   */
  static Optional<Listing> listing(ApiRequest request, Predicate<Collection<String>> covers, boolean addresses) {
    Map<String, List<String>> equals = new LinkedHashMap<>();
    List<Listing.AddressFilter> fixedIps = new ArrayList<>();
    for (String name : request.queryNames()) {
      if (CONTROL.contains(name) || TAG_FILTERS.contains(name)) {
        continue;
      }
      if (name.equals("changed_since")) {
        return Optional.empty();
      }
      if (addresses && name.equals("fixed_ips")) {
        for (String value : request.queryAll(name)) {
          int eq = value.indexOf('=');
          String key = eq <= 0 ? "" : value.substring(0, eq);
          if (!ADDRESS_KEYS.contains(key)) {
            return Optional.empty();
          }
          fixedIps.add(new Listing.AddressFilter(key, value.substring(eq + 1)));
        }
        continue;
      }
      equals.put(name, request.queryAll(name));
    }
    List<String> keys = request.queryAll("sort_key");
    List<String> dirs = request.queryAll("sort_dir");
    Set<String> attributes = new HashSet<>(equals.keySet());
    attributes.addAll(keys);
    if (!covers.test(attributes)) {
      return Optional.empty();
    }
    List<Listing.Sort> sorts = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      sorts.add(new Listing.Sort(keys.get(i), sortDirection(i < dirs.size() ? dirs.get(i) : "asc").equals("desc")));
    }
    NeutronPaging paging = NeutronPaging.from(request);
    Listing.TagFilter tags =
        new Listing.TagFilter(
            tagList(request, "tags"), tagList(request, "tags-any"), tagList(request, "not-tags"),
            tagList(request, "not-tags-any"));
    return Optional.of(new Listing(equals, fixedIps, tags, sorts, paging.limit(), paging.marker(), paging.reverse()));
  }

  /**
   * Answers a list request whose page the database already found ({@link #listing}): the page
   * trimmed to the {@code fields} asked for, and the links.
   */
  static ObjectNode answerPage(ApiRequest request, String collection, String url, List<ObjectNode> page) {
    NeutronPaging paging = NeutronPaging.from(request);
    Set<String> fields = new HashSet<>(request.queryAll("fields"));
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray(collection);
    for (ObjectNode item : page) {
      items.add(fields.isEmpty() ? item : trim(item, fields));
    }
    ArrayNode links = paging.links(request, url, page);
    if (!links.isEmpty()) {
      body.set(collection + "_links", links);
    }
    return body;
  }

  private static String sortDirection(String dir) {
    if (!dir.equals("asc") && !dir.equals("desc")) {
      throw ApiError.badRequest("HTTPBadRequest", "sort_dir must be 'asc' or 'desc', not '" + dir + "'.");
    }
    return dir;
  }

  /** Trims one resource to the {@code fields} asked for, for show requests. */
  static ObjectNode fields(ApiRequest request, ObjectNode item) {
    List<String> fields = request.queryAll("fields");
    return fields.isEmpty() ? item : trim(item, new HashSet<>(fields));
  }

  private static ObjectNode trim(ObjectNode item, Set<String> fields) {
    ObjectNode out = Json.object();
    for (String field : fields) {
      if (item.has(field)) {
        out.set(field, item.get(field));
      }
    }
    return out;
  }

  /**
   * Neutron's tag filters, each a comma-separated list (repeating the parameter adds to it):
   * {@code tags} all of them, {@code tags-any} at least one, {@code not-tags} not all of them,
   * {@code not-tags-any} none of them.
   */
  private static boolean matchesTags(ApiRequest request, ObjectNode item) {
    Set<String> has = new HashSet<>();
    item.path("tags").forEach(t -> has.add(t.asText()));
    List<String> all = tagList(request, "tags");
    List<String> any = tagList(request, "tags-any");
    List<String> notAll = tagList(request, "not-tags");
    List<String> notAny = tagList(request, "not-tags-any");
    return (all.isEmpty() || has.containsAll(all))
        && (any.isEmpty() || any.stream().anyMatch(has::contains))
        && (notAll.isEmpty() || !has.containsAll(notAll))
        && (notAny.isEmpty() || notAny.stream().noneMatch(has::contains));
  }

  private static List<String> tagList(ApiRequest request, String name) {
    List<String> out = new ArrayList<>();
    for (String value : request.queryAll(name)) {
      for (String tag : value.split(",")) {
        if (!tag.isEmpty()) {
          out.add(tag);
        }
      }
    }
    return out;
  }

  /** {@code changed_since}: an ISO 8601 time (UTC when it names no zone); null without one. */
  private static Instant changedSince(ApiRequest request) {
    String text = request.query("changed_since").orElse(null);
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException again) {
        throw ApiError.badRequest(
            "InvalidInput",
            "Invalid input for changed_since. Reason: '" + text + "' is not an ISO 8601 time.");
      }
    }
  }

  /** Resources changed at or after the time (standard-attr-timestamp's changed_since). */
  private static boolean isChangedSince(ObjectNode item, Instant since) {
    if (since == null) {
      return true;
    }
    JsonNode updated = item.get("updated_at");
    return updated != null && !updated.isNull() && !Instant.parse(updated.asText()).isBefore(since);
  }

  private static boolean matches(ApiRequest request, ObjectNode item) {
    for (String name : request.queryNames()) {
      if (CONTROL.contains(name) || SPECIAL.contains(name)) {
        continue;
      }
      JsonNode value = item.get(name);
      if (value == null) {
        return false;
      }
      List<String> wanted = request.queryAll(name);
      if (wanted.stream().noneMatch(w -> valueMatches(value, w))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether one attribute matches one filter value. Lists match when any member does; a list of
   * objects is filtered with {@code key=value} (Neutron's {@code fixed_ips=ip_address=10.0.0.3}).
   */
  private static boolean valueMatches(JsonNode value, String wanted) {
    if (value.isArray()) {
      for (JsonNode member : value) {
        if (member.isObject()) {
          int eq = wanted.indexOf('=');
          if (eq <= 0) {
            continue;
          }
          String key = wanted.substring(0, eq);
          String expected = wanted.substring(eq + 1);
          // ip-substring-filtering: fixed_ips=ip_address_substr=10.0.0 matches any address containing it.
          if (key.endsWith("_substr")) {
            if (member.path(key.substring(0, key.length() - "_substr".length())).asText().contains(expected)) {
              return true;
            }
          } else if (member.path(key).asText().equals(expected)) {
            return true;
          }
        } else if (valueMatches(member, wanted)) {
          return true;
        }
      }
      return false;
    }
    if (value.isBoolean()) {
      return String.valueOf(value.booleanValue()).equals(wanted.toLowerCase(Locale.ROOT));
    }
    if (value.isNull()) {
      return wanted.isEmpty() || wanted.equals("None");
    }
    return value.asText().equals(wanted);
  }

  private static Comparator<ObjectNode> order(ApiRequest request, List<ObjectNode> all) {
    List<String> keys = request.queryAll("sort_key");
    List<String> dirs = request.queryAll("sort_dir");
    Comparator<ObjectNode> comparator = null;
    for (int i = 0; i < keys.size(); i++) {
      String key = keys.get(i);
      if (!all.isEmpty() && !all.getFirst().has(key)) {
        throw ApiError.badRequest("HTTPBadRequest", "'" + key + "' is not an attribute to sort by.");
      }
      String dir = sortDirection(i < dirs.size() ? dirs.get(i) : "asc");
      Comparator<ObjectNode> one = Comparator.comparing(item -> sortable(item.get(key)));
      one = dir.equals("desc") ? one.reversed() : one;
      comparator = comparator == null ? one : comparator.thenComparing(one);
    }
    // Neutron's default order is by id; it also breaks ties so that markers are stable.
    Comparator<ObjectNode> byId = Comparator.comparing(item -> item.path("id").asText());
    return comparator == null ? byId : comparator.thenComparing(byId);
  }

  private static String sortable(JsonNode value) {
    if (value == null || value.isNull()) {
      return "";
    }
    if (value.isNumber()) {
      return String.format(Locale.ROOT, "%020d", value.asLong());
    }
    return value.isValueNode() ? value.asText() : value.toString();
  }
}
