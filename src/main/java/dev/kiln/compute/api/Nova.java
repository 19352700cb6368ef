package dev.kiln.compute.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** What Nova's API layer does the same way for every collection: versions, links, times, input. */
final class Nova {
  /** Nova's timestamps: UTC, microseconds, no zone suffix ({@code 2024-05-01T12:00:00.000000}). */
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final Set<String> TRUE_WORDS = Set.of("1", "t", "true", "on", "y", "yes");
  private static final Set<String> FALSE_WORDS = Set.of("0", "f", "false", "off", "n", "no");
  /** What Nova's JSON schema "boolean" takes besides true and false. */
  private static final Set<String> SCHEMA_TRUE = Set.of("True", "TRUE", "true", "1", "ON", "On", "on", "YES", "Yes", "yes");
  private static final Set<String> SCHEMA_FALSE =
      Set.of("False", "FALSE", "false", "0", "OFF", "Off", "off", "NO", "No", "no");

  private Nova() {}

  static boolean atLeast(ApiRequest request, int minor) {
    return request.microversion().atLeast(2, minor);
  }

  static String time(Instant instant) {
    return instant == null ? null : TIME.format(instant);
  }

  /**
   * Refuses query parameters the operation does not define, from the microversion where Nova's
   * schema stops ignoring them (2.75 for most lists).
   */
  static void onlyQuery(ApiRequest request, int fromMinor, String... allowed) {
    if (!atLeast(request, fromMinor)) {
      return;
    }
    Set<String> known = Set.of(allowed);
    for (String name : request.queryNames()) {
      if (!known.contains(name)) {
        throw ApiError.badRequest(
            "Invalid input for query parameters " + name + ". Value: " + request.query(name).orElse("")
                + ". Additional properties are not allowed ('" + name + "' was unexpected)"
                + (known.isEmpty() ? "" : "; allowed: " + String.join(", ", new TreeSet<>(known))) + ".");
      }
    }
  }

  /** A resource's self and bookmark links, as Nova gives them. */
  static ArrayNode links(ApiRequest request, String collection, String id) {
    String base = request.baseUrl() + ComputeApi.PREFIX;
    ArrayNode links = Json.array();
    links.addObject().put("rel", "self").put("href", base + "/v2.1/" + collection + "/" + id);
    links.addObject().put("rel", "bookmark").put("href", base + "/" + collection + "/" + id);
    return links;
  }

  /**
   * The {@code <collection>_links} of a page that has more after it: a next link with the
   * request's own query parameters, the marker replaced.
   */
  static ArrayNode nextLinks(ApiRequest request, String collection, String nextMarker) {
    ArrayNode links = Json.array();
    if (nextMarker == null) {
      return links;
    }
    Map<String, List<String>> params = new TreeMap<>();
    for (String name : request.queryNames()) {
      params.put(name, new ArrayList<>(request.queryAll(name)));
    }
    params.put("marker", List.of(nextMarker));
    StringBuilder query = new StringBuilder();
    params.forEach(
        (name, values) -> {
          for (String value : values) {
            query.append(query.isEmpty() ? "?" : "&")
                .append(URLEncoder.encode(name, StandardCharsets.UTF_8))
                .append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
          }
        });
    links.addObject()
        .put("rel", "next")
        .put("href", request.baseUrl() + ComputeApi.PREFIX + "/v2.1/" + collection + query);
    return links;
  }

  /** oslo's strict bool_from_string: null when the text is no boolean word. */
  static Boolean strictBool(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    if (TRUE_WORDS.contains(t)) {
      return true;
    }
    if (FALSE_WORDS.contains(t)) {
      return false;
    }
    return null;
  }

  /** A boolean query parameter of Nova's schemas; absent reads as false. */
  static boolean boolQuery(ApiRequest request, String name) {
    String raw = request.query(name).orElse(null);
    if (raw == null) {
      return false;
    }
    Boolean value = SCHEMA_TRUE.contains(raw) ? Boolean.TRUE : SCHEMA_FALSE.contains(raw) ? Boolean.FALSE : null;
    if (value == null) {
      throw ApiError.badRequest(
          "Invalid input for query parameters " + name + ". Value: " + raw + ". '" + raw
              + "' is not a boolean: expected true or false.");
    }
    return value;
  }

  /** A boolean body field of Nova's schemas: true/false or one of the words it takes. */
  static boolean bool(String path, JsonNode value) {
    if (value.isBoolean()) {
      return value.booleanValue();
    }
    if (value.isTextual() && SCHEMA_TRUE.contains(value.textValue())) {
      return true;
    }
    if (value.isTextual() && SCHEMA_FALSE.contains(value.textValue())) {
      return false;
    }
    throw invalid(path, value, "expected true or false");
  }

  static ApiError invalid(String path, JsonNode value, String why) {
    return ApiError.badRequest(
        "SchemaValidationError",
        "Invalid input for field/attribute " + path + ". Value: " + (value == null ? "None" : value.toString())
            + ". " + why + ".");
  }

  /** Whether the text is a UUID in any of the forms oslo's is_uuid_like takes. */
  static boolean isUuidLike(String text) {
    String hex = text.replace("-", "").replace("{", "").replace("}", "").replace("urn:uuid:", "");
    return hex.length() == 32 && hex.chars().allMatch(c -> Character.digit(c, 16) >= 0);
  }

  /** Nova's 'ipv4' format: four decimal octets. */
  static boolean isIpv4(String text) {
    return text.matches("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  }

  /** Nova's 'ipv6' format: an IPv6 address in any of its textual forms (no zone). */
  static boolean isIpv6(String text) {
    if (!text.contains(":") || !text.matches("[0-9A-Fa-f:.]+")) {
      return false;
    }
    try {
      return java.net.InetAddress.getByName(text) instanceof java.net.Inet6Address;
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  /**
   * An IPv6 address in its compact form (RFC 5952: lower case, no leading zeros, the longest run
   * of two or more zero groups as {@code ::}), as Nova stores the access address netaddr gives it.
   */
  static String compactIpv6(String text) {
    byte[] bytes;
    try {
      bytes = java.net.InetAddress.getByName(text).getAddress();
    } catch (java.net.UnknownHostException e) {
      return text;
    }
    if (bytes.length != 16) {
      return text;
    }
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      if (groups[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j;
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        b.append("::");
        i += bestLength - 1;
        continue;
      }
      if (b.length() > 0 && b.charAt(b.length() - 1) != ':') {
        b.append(':');
      }
      b.append(Integer.toHexString(groups[i]));
    }
    return b.toString();
  }
}
